"""Renderers: a ``Comparison`` as HTML, JSON, Markdown or terminal text (and the watch run's reports)."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["KIND_LABELS"]

KIND_LABELS: Mapping[str, str] = {
    "added": "added",
    "removed": "removed",
    "modified": "modified",
    "moved": "moved",
    "moved_modified": "moved and edited",
    "split": "split",
    "merged": "merged",
}
"""How each change kind is named to a reader, in every output format."""
