"""Renderers: a ``Comparison`` as HTML, JSON, Markdown or terminal text (and the watch run's reports)."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["KIND_LABELS", "plural"]


def plural(n: int, word: str) -> str:
    """``1 finding``, ``2 findings``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


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
