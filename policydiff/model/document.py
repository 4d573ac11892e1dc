"""Document values: the ``Snapshot`` that fetch and store hand over, and the normalized ``Document``
tree of ``Section``s and ``Clause``s that normalize builds."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Literal

import attrs

from policydiff.model.values import Format, sha256_hex, to_dict, to_tuple


@attrs.frozen
class Snapshot:
    """One fetched (or loaded) version of a document: raw bytes plus the evidence around them."""

    content: bytes
    url: str | None = None
    final_url: str | None = None
    fetched_at: datetime | None = None
    headers: Mapping[str, str] = attrs.field(factory=dict, converter=to_dict)
    media_type: str | None = None
    service: str | None = None
    document: str | None = None
    selectors: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    remove_selectors: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)

    @property
    def sha256(self) -> str:
        return sha256_hex(self.content)

    @property
    def source(self) -> str:
        """A human-readable name of where the bytes came from."""
        return (
            self.final_url
            or self.url
            or (f"{self.service}/{self.document}" if self.service and self.document else "<snapshot>")
        )


@attrs.frozen
class Sentence:
    """A sentence of a clause, as character offsets into ``Clause.text``."""

    start: int
    end: int


@attrs.frozen
class Link:
    """A link inside a clause: its text stays in the clause text, its target is metadata only."""

    text: str
    target: str
    start: int  # offsets into Clause.text
    end: int


@attrs.frozen
class Clause:
    """A paragraph, list item or table row.

    ``text`` is what the document shows (for display and evidence); ``canonical`` is what is
    compared, so that typography, wrapping, numbering and link targets never count as changes.
    """

    id: str  # stable, URL-fragment safe: "s3.2-p4"
    section_id: str
    text: str
    canonical: str
    kind: Literal["paragraph", "list_item", "table_row", "heading"] = "paragraph"
    label: str | None = None  # list numbering or bullet split off the text: "1.", "(a)", "-"
    depth: int = 0  # list nesting
    sentences: tuple[Sentence, ...] = attrs.field(default=(), converter=to_tuple)
    links: tuple[Link, ...] = attrs.field(default=(), converter=to_tuple)
    upcoming: bool = False  # part of an announced, not yet effective version

    def sentence_texts(self) -> tuple[str, ...]:
        return tuple(self.text[s.start : s.end] for s in self.sentences)


@attrs.frozen
class Section:
    """A heading and what sits under it. The root section of a document has level 0 and no title."""

    id: str  # "s3.2"; the root is "s0"
    title: str
    canonical_title: str
    level: int
    label: str | None = None  # "3.2", "Section 4", "(a)" split off the title
    clauses: tuple[Clause, ...] = attrs.field(default=(), converter=to_tuple)
    sections: tuple[Section, ...] = attrs.field(default=(), converter=to_tuple)

    def walk(self) -> Iterator[Section]:
        """This section and all below it, in document order."""
        yield self
        for child in self.sections:
            yield from child.walk()


@attrs.frozen
class Announcement:
    """A banner or pending-version text: a change announced, not a change in force."""

    text: str
    date: str | None = None  # ISO date when the text states one
    clause_ids: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)


@attrs.frozen
class Document:
    """A normalized document: a tree of sections and clauses with stable ids."""

    root: Section
    source: str = "<string>"
    format: Format = "text"
    sha256: str = ""
    title: str = ""
    fetched_at: datetime | None = None  # from the Snapshot, when the input was fetched
    announcements: tuple[Announcement, ...] = attrs.field(default=(), converter=to_tuple)
    upcoming: Section | None = None  # the announced version, kept apart from the one in force

    def sections(self) -> Iterator[Section]:
        return self.root.walk()

    def clauses(self) -> Iterator[Clause]:
        """Every clause in force, in document order."""
        for section in self.root.walk():
            yield from section.clauses

    def section_path(self, section_id: str) -> tuple[str, ...]:
        """Titles from the top of the document down to ``section_id``."""
        path: list[str] = []

        def visit(section: Section, trail: list[str]) -> bool:
            here = [*trail, section.title] if section.title else trail
            if section.id == section_id:
                path.extend(here)
                return True
            return any(visit(child, here) for child in section.sections)

        visit(self.root, [])
        return tuple(path)

    def clause(self, clause_id: str) -> Clause | None:
        for clause in self.clauses():
            if clause.id == clause_id:
                return clause
        return None
