"""The values that flow between stages: all frozen, all comparable, none doing I/O.

``Snapshot`` (fetch/store) -> ``Document`` (normalize) -> ``DocumentDiff`` of ``ClauseChange``
(diff) -> ``Finding`` (semantics) -> ``Comparison`` (what ``policydiff.compare`` returns and the
renderers read).

The values live in ``document`` (inputs and normalized documents), ``diff`` (changes), ``result``
(findings and the comparison) and ``values`` (shared vocabularies and helpers); every name is
re-exported here, so ``from policydiff.model import ...`` is the one import to use.
"""

from __future__ import annotations

from policydiff.model.diff import ClauseChange, DocumentDiff, SectionChange, SideIndex, WordOp
from policydiff.model.document import Announcement, Clause, Document, Link, Section, Sentence, Snapshot
from policydiff.model.result import Comparison, Evidence, Finding, SideInfo, Summary
from policydiff.model.values import ChangeKind, Direction, Format, OpKind, Severity, sha256_hex, unstructure
from policydiff.severity import SEVERITY_RANK as SEVERITY_RANK  # re-exported: rules and engine rank by it

__all__ = [
    "SEVERITY_RANK",
    "Announcement",
    "ChangeKind",
    "Clause",
    "ClauseChange",
    "Comparison",
    "Direction",
    "Document",
    "DocumentDiff",
    "Evidence",
    "Finding",
    "Format",
    "Link",
    "OpKind",
    "Section",
    "SectionChange",
    "Sentence",
    "Severity",
    "SideIndex",
    "SideInfo",
    "Snapshot",
    "Summary",
    "WordOp",
    "sha256_hex",
    "unstructure",
]
