"""The documents this process normalized lately, so the same bytes are never normalized twice.

A comparison of a file with itself, a corpus run that meets each version as the new side of one pair
and the old side of the next, a watch loop comparing against the same stored version: each would
normalize identical input again. ``normalize`` asks here first, by the SHA-256 of the input bytes
and how they are read (source name, format); a ``Document`` is frozen, so handing out the same one
twice is safe. The store keeps its own on-disk copy for fetched snapshots; this one is in memory
and bounded both in documents and in the input bytes they stand for, least recently used out first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from policydiff.model import Document

__all__ = ["MAX_DOCUMENTS", "MAX_INPUT_BYTES", "Key", "clear", "recall", "remember"]

MAX_DOCUMENTS = 32
# the documents kept stand for at most this much input in total (they take about 5x that in memory)
MAX_INPUT_BYTES = 16 * 1024 * 1024

Key = tuple[str, str, str]  # (SHA-256 of the input bytes, source name, format)

_LOCK = threading.Lock()
_kept: OrderedDict[Key, tuple[Document, int]] = OrderedDict()
_bytes = 0


def recall(key: Key) -> Document | None:
    """The document normalized lately from this input, if still kept."""
    with _LOCK:
        found = _kept.get(key)
        if found is None:
            return None
        _kept.move_to_end(key)
        return found[0]


def remember(key: Key, document: Document, size: int) -> None:
    """Keep ``document`` (normalized from ``size`` input bytes) for later ``recall``."""
    global _bytes
    if size > MAX_INPUT_BYTES:
        return
    with _LOCK:
        if key in _kept:
            _kept.move_to_end(key)
            return
        _kept[key] = (document, size)
        _bytes += size
        while len(_kept) > MAX_DOCUMENTS or _bytes > MAX_INPUT_BYTES:
            _, (_, dropped) = _kept.popitem(last=False)
            _bytes -= dropped


def clear() -> None:
    """Forget every kept document (tests; a caller freeing memory)."""
    global _bytes
    with _LOCK:
        _kept.clear()
        _bytes = 0
