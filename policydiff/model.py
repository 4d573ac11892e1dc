"""The values that flow between stages: all frozen, all comparable, none doing I/O.

``Snapshot`` (fetch/store) -> ``Document`` (normalize) -> ``DocumentDiff`` of ``ClauseChange``
(diff) -> ``Finding`` (semantics) -> ``Comparison`` (what ``policydiff.compare`` returns and the
renderers read).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any, Literal

import attrs

from policydiff.severity import SEVERITY_RANK as SEVERITY_RANK  # re-exported: rules and engine rank by it
from policydiff.severity import count_severities

Format = Literal["html", "markdown", "text", "pdf"]
ChangeKind = Literal["added", "removed", "modified", "moved", "moved_modified", "split", "merged"]
OpKind = Literal["equal", "insert", "delete"]
Severity = Literal["high", "medium", "low"]
Direction = Literal["weakens", "strengthens", "neutral"]


def _to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """attrs converter: any iterable to a tuple, so frozen values stay hashable."""
    return tuple(value)


def _to_dict(value: Mapping[str, Any]) -> dict[str, Any]:
    """attrs converter: a private copy of a mapping."""
    return dict(value)


def unstructure(value: Any) -> Any:
    """Plain JSON-ready data from model values: attrs classes to dicts, tuples to lists, times to ISO."""
    if attrs.has(type(value)):
        return {f.name: unstructure(getattr(value, f.name)) for f in attrs.fields(type(value))}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [unstructure(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): unstructure(v) for k, v in value.items()}
    return value


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of ``data``: the identity of an input throughout policydiff."""
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- inputs


@attrs.frozen
class Snapshot:
    """One fetched (or loaded) version of a document: raw bytes plus the evidence around them."""

    content: bytes
    url: str | None = None
    final_url: str | None = None
    fetched_at: datetime | None = None
    headers: Mapping[str, str] = attrs.field(factory=dict, converter=_to_dict)
    media_type: str | None = None
    service: str | None = None
    document: str | None = None
    selectors: tuple[str, ...] = attrs.field(default=(), converter=_to_tuple)
    remove_selectors: tuple[str, ...] = attrs.field(default=(), converter=_to_tuple)

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


# --------------------------------------------------------------------------- normalize


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
    sentences: tuple[Sentence, ...] = attrs.field(default=(), converter=_to_tuple)
    links: tuple[Link, ...] = attrs.field(default=(), converter=_to_tuple)
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
    clauses: tuple[Clause, ...] = attrs.field(default=(), converter=_to_tuple)
    sections: tuple[Section, ...] = attrs.field(default=(), converter=_to_tuple)

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
    clause_ids: tuple[str, ...] = attrs.field(default=(), converter=_to_tuple)


@attrs.frozen
class Document:
    """A normalized document: a tree of sections and clauses with stable ids."""

    root: Section
    source: str = "<string>"
    format: Format = "text"
    sha256: str = ""
    title: str = ""
    fetched_at: datetime | None = None  # from the Snapshot, when the input was fetched
    announcements: tuple[Announcement, ...] = attrs.field(default=(), converter=_to_tuple)
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


# --------------------------------------------------------------------------- diff


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
    ops: tuple[WordOp, ...] = attrs.field(default=(), converter=_to_tuple)
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
    clauses: tuple[Clause, ...] = attrs.field(converter=_to_tuple)
    positions: Mapping[str, int] = attrs.field(init=False)

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
    changes: tuple[ClauseChange, ...] = attrs.field(default=(), converter=_to_tuple)
    section_changes: tuple[SectionChange, ...] = attrs.field(default=(), converter=_to_tuple)
    old_to_new: tuple[int | None, ...] = attrs.field(default=(), converter=_to_tuple, eq=False, repr=False)
    old_index: SideIndex | None = attrs.field(default=None, eq=False, repr=False)
    new_index: SideIndex | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def status(self) -> Literal["added", "removed", "modified", "unchanged"]:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "modified" if any(c.material for c in self.changes) else "unchanged"


# --------------------------------------------------------------------------- semantics


@attrs.frozen
class Evidence:
    """A cue that made a rule fire: the words, which side, and offsets into that side's sentence."""

    cue: str  # lexicon entry or slot, e.g. "purpose:ai_training"
    text: str  # the exact words matched
    side: Literal["old", "new"]
    start: int  # offsets into Finding.old_text / Finding.new_text
    end: int


@attrs.frozen
class Finding:
    """A consent-relevant difference, with the rule that fired and the exact text that triggered it."""

    rule: str
    category: str
    severity: Severity
    direction: Direction
    explanation: str
    document: str = ""
    old_clause: str | None = None
    new_clause: str | None = None
    old_text: str | None = None
    new_text: str | None = None
    evidence: tuple[Evidence, ...] = attrs.field(default=(), converter=_to_tuple)
    # for bundle.contradiction: the other location
    related_document: str | None = None
    related_clause: str | None = None
    related_text: str | None = None
    announced: bool = False  # an announced change, not one in force
    date: str | None = None  # the announced date, when stated
    id: str = ""  # stable fingerprint of rule, document and sentence (policydiff.fingerprint)
    old_location: str | None = None  # where old_clause is, in the document's terms
    new_location: str | None = None
    old_span: tuple[int, int] | None = None  # offsets of old_text in the old clause's text
    new_span: tuple[int, int] | None = None


# --------------------------------------------------------------------------- result


@attrs.frozen
class SideInfo:
    """Where one side of a comparison came from."""

    source: str
    format: str
    sha256: str
    fetched_at: datetime | None = None


@attrs.frozen
class Summary:
    material_changes: int
    changes: int
    by_kind: Mapping[str, int]
    findings: int
    findings_by_severity: Mapping[str, int]
    documents: int


@attrs.frozen
class Comparison:
    """The result of ``policydiff.compare``: changes per document, findings, and a summary.

    >>> import policydiff
    >>> c = policydiff.compare("We use your data to provide the service.",
    ...                        "We use your data to provide the service and to train AI models.")
    >>> c.summary.material_changes
    1
    >>> c.changes[0].kind
    'modified'
    >>> [op.text for op in c.changes[0].ops if op.op == "insert"]
    [' and to train AI models']
    """

    documents: tuple[DocumentDiff, ...] = attrs.field(converter=_to_tuple)
    findings: tuple[Finding, ...] = attrs.field(default=(), converter=_to_tuple)
    old: SideInfo | None = None
    new: SideInfo | None = None
    bundle: bool = False
    title: str = ""  # the service or document name, for report headers
    options: Mapping[str, object] = attrs.field(factory=dict, converter=_to_dict)

    @property
    def changes(self) -> tuple[ClauseChange, ...]:
        return tuple(change for doc in self.documents for change in doc.changes)

    @property
    def summary(self) -> Summary:
        changes = self.changes
        by_kind: dict[str, int] = {}
        for change in changes:
            if change.material:
                by_kind[change.kind] = by_kind.get(change.kind, 0) + 1
        by_severity = count_severities(f.severity for f in self.findings)
        return Summary(
            material_changes=sum(1 for c in changes if c.material),
            changes=len(changes),
            by_kind=by_kind,
            findings=len(self.findings),
            findings_by_severity=by_severity,
            documents=len(self.documents),
        )

    def to_json(self, *, indent: int | None = 2) -> str:
        from policydiff.render.json import to_json

        return to_json(self, indent=indent)

    def to_markdown(self) -> str:
        from policydiff.render.markdown import to_markdown

        return to_markdown(self)

    def to_html(self) -> str:
        from policydiff.render.html import to_html

        return to_html(self)

    def to_terminal(self, *, color: bool = False, width: int = 100) -> str:
        from policydiff.render.terminal import to_terminal

        return to_terminal(self, color=color, width=width)
