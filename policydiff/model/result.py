"""Finding and comparison values: what semantics reports and what ``policydiff.compare`` returns."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Literal

import attrs

from policydiff.model.diff import ClauseChange, DocumentDiff
from policydiff.model.values import Direction, Severity, to_dict, to_tuple
from policydiff.severity import count_severities


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
    evidence: tuple[Evidence, ...] = attrs.field(default=(), converter=to_tuple)
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

    documents: tuple[DocumentDiff, ...] = attrs.field(converter=to_tuple)
    findings: tuple[Finding, ...] = attrs.field(default=(), converter=to_tuple)
    old: SideInfo | None = None
    new: SideInfo | None = None
    bundle: bool = False
    title: str = ""  # the service or document name, for report headers
    options: Mapping[str, object] = attrs.field(factory=dict, converter=to_dict)

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
