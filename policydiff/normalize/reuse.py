"""What normalizing the old side of a comparison worked out, reused for the new side.

Two versions of a document share most of their text (98% of the clauses of consecutive corpus
versions are unchanged), and normalizing the new side would read each shared paragraph's Markdown
inline content, split its label and sentences, and fold its canonical text all over again.
``compare`` runs the old side *recording* and the new side *reading*, inside
:func:`between_sides`; each recorded value is a pure function of its key (the inline content as
written, a ``Block``), so a value read back is the value the new side would have computed.

The record lives for one comparison (a context variable: threads and tasks comparing at the same
time never share one) and is dropped with it. The recording side looks nothing up: a hit there
would need text repeated inside one document, which real documents rarely have (benchmarks that
concatenate versions of one document have plenty, and would overstate the gain). Outside a
comparison, ``normalize`` records and reads nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable, Iterator
from contextvars import ContextVar
from typing import TypeVar, cast

__all__ = ["Sides", "between_sides", "reused"]

V = TypeVar("V")


class Sides:
    """The values recorded while normalizing one side, by table name then key."""

    __slots__ = ("reading", "tables")

    def __init__(self) -> None:
        self.tables: dict[str, dict[Hashable, object]] = {}
        self.reading = False

    def next_side(self) -> None:
        """The recording side is done: from now on values are read back, and no more are recorded."""
        self.reading = True


_CURRENT: ContextVar[Sides | None] = ContextVar("policydiff_normalize_sides", default=None)
_MISSING = object()


@contextlib.contextmanager
def between_sides() -> Iterator[Sides]:
    """Record while the body normalizes the old side; read back after ``sides.next_side()``."""
    sides = Sides()
    token = _CURRENT.set(sides)
    try:
        yield sides
    finally:
        _CURRENT.reset(token)


def reused(table: str, key: Hashable, compute: Callable[[], V]) -> V:
    """``compute()``, or the value the recording side computed for ``key`` in ``table``."""
    sides = _CURRENT.get()
    if sides is None:
        return compute()
    values = sides.tables.setdefault(table, {})
    if sides.reading:
        found = values.get(key, _MISSING)
        return compute() if found is _MISSING else cast(V, found)
    value = compute()
    values[key] = value
    return value
