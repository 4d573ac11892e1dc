"""Diff values: what changed between two versions of a document, clause by clause, with word ops."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

from policydiff.model.document import Clause, Document
from policydiff.model.values import ChangeKind, OpKind, to_tuple


@attrs.frozen
class WordOp:
    """One word-level operation of a redline; ``equal`` + ``delete`` texts rebuild the old text."""

    op: OpKind
    text: str


@attrs.frozen
class ClauseChange:
    """One change between two versions of a document, clause-level, with its word ops for edits.

    ``old_id``/``new_id`` are tuples for ``split`` (one old, several new) and ``merged`` (several old,
    one new). ``material`` is False when the change is only presentation.
    """

    kind: ChangeKind
    material: bool
    old_id: str | tuple[str, ...] | None = None
    new_id: str | tuple[str, ...] | None = None
    old_section: str | None = None  # section path joined with " > "
    new_section: str | None = None
    old_text: str | None = None
    new_text: str | None = None
    ops: tuple[WordOp, ...] = attrs.field(default=(), converter=to_tuple)
    degraded: bool = False  # the word diff hit its time budget: coarser than it could be
    similarity: float = 1.0
    document: str = ""  # the document's name within a bundle
    old_location: str | None = None  # "3.2 Confidential Information, paragraph 2"
    new_location: str | None = None

    @property
    def old_ids(self) -> tuple[str, ...]:
        return _ids(self.old_id)

    @property
    def new_ids(self) -> tuple[str, ...]:
        return _ids(self.new_id)


def _ids(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return value


@attrs.frozen
class SectionChange:
    """A section renamed or renumbered, reported once rather than as edits of every clause below."""

    kind: Literal["renamed", "renumbered", "added", "removed"]
    old_id: str | None
    new_id: str | None
    old_title: str | None
    new_title: str | None
    material: bool = False


@attrs.frozen(eq=False)
class SideIndex:
    """What the diff learned about one side's layout, computed once (``policydiff.diff.locate``):
    section id -> title path (" > "), clause id -> readable location ("3.2 Confidential
    Information, paragraph 2"), and the clauses in document order with their positions."""

    paths: Mapping[str, str]
    locations: Mapping[str, str]
    clauses: tuple[Clause, ...] = attrs.field(converter=to_tuple)
    positions: Mapping[str, int] = attrs.field(kw_only=True)  # clause id -> its place in ``clauses``

    @positions.default
    def _positions(self) -> Mapping[str, int]:
        return {clause.id: n for n, clause in enumerate(self.clauses)}

    def clause(self, clause_id: str) -> Clause | None:
        position = self.positions.get(clause_id)
        return self.clauses[position] if position is not None else None


@attrs.frozen
class DocumentDiff:
    """What changed in one document of a comparison (or of a bundle).

    ``old_to_new`` is the clause alignment: for each clause of ``old`` (document order), the position
    in ``new`` of the clause it became (the first one for a split), or None when it was removed.
    ``old_index``/``new_index`` carry each side's section paths and clause locations.
    """

    name: str
    old: Document | None
    new: Document | None
    changes: tuple[ClauseChange, ...] = attrs.field(default=(), converter=to_tuple)
    section_changes: tuple[SectionChange, ...] = attrs.field(default=(), converter=to_tuple)
    old_to_new: tuple[int | None, ...] = attrs.field(default=(), converter=to_tuple, eq=False, repr=False)
    old_index: SideIndex | None = attrs.field(default=None, eq=False, repr=False)
    new_index: SideIndex | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def status(self) -> Literal["added", "removed", "modified", "unchanged"]:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "modified" if any(c.material for c in self.changes) else "unchanged"
