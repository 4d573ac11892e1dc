"""Align + diff: match clauses across two versions, then word-level redlines inside edited clauses.

(Interface placeholder: the diff stage is being written; see issue 4.)
"""

from __future__ import annotations

from typing import Any

from policydiff.model import Document, DocumentDiff


def diff_documents(old: Document, new: Document, *, name: str = "", **options: Any) -> DocumentDiff:
    """All clause changes between ``old`` and ``new``."""
    raise NotImplementedError


def document_added_or_removed(name: str, old: Document | None, new: Document | None) -> DocumentDiff:
    """A bundle document present on one side only: each of its clauses added or removed."""
    raise NotImplementedError
