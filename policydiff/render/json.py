"""JSON output: a documented, versioned schema (``docs/json-schema.md``) for scripts and CI.

Field names are the model's own (``kind``, ``material``, ``old_id`` ...), so Python and JSON read alike.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from policydiff._version import __version__
from policydiff.model import (
    ClauseChange,
    Comparison,
    DocumentDiff,
    Evidence,
    Finding,
    SectionChange,
    SideInfo,
)

SCHEMA = "policydiff.comparison/1"

__all__ = ["SCHEMA", "comparison_dict", "to_json"]


def to_json(comparison: Comparison, *, indent: int | None = 2) -> str:
    """The comparison as JSON text (UTF-8, keys in a fixed order)."""
    return json.dumps(comparison_dict(comparison), indent=indent, ensure_ascii=False)


def comparison_dict(comparison: Comparison) -> dict[str, Any]:
    """The comparison as plain JSON-ready data."""
    summary = comparison.summary
    return {
        "schema": SCHEMA,
        "policydiff_version": __version__,
        "title": comparison.title,
        "bundle": comparison.bundle,
        "old": _side(comparison.old),
        "new": _side(comparison.new),
        "summary": {
            "material_changes": summary.material_changes,
            "changes": summary.changes,
            "by_kind": dict(summary.by_kind),
            "findings": summary.findings,
            "findings_by_severity": dict(summary.findings_by_severity),
            "documents": summary.documents,
        },
        "findings": [_finding(f) for f in comparison.findings],
        "documents": [_document(d) for d in comparison.documents],
        "changes": [_change(c) for c in comparison.changes],
    }


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _side(info: SideInfo | None) -> dict[str, Any] | None:
    if info is None:
        return None
    return {
        "source": info.source,
        "format": info.format,
        "sha256": info.sha256,
        "fetched_at": _time(info.fetched_at),
    }


def _ids(value: str | tuple[str, ...] | None) -> str | list[str] | None:
    return list(value) if isinstance(value, tuple) else value


def _change(change: ClauseChange) -> dict[str, Any]:
    data: dict[str, Any] = {
        "document": change.document,
        "kind": change.kind,
        "material": change.material,
        "old_id": _ids(change.old_id),
        "new_id": _ids(change.new_id),
        "old_section": change.old_section,
        "new_section": change.new_section,
        "old_location": change.old_location,
        "new_location": change.new_location,
        "old_text": change.old_text,
        "new_text": change.new_text,
        "similarity": round(change.similarity, 4),
        "degraded": change.degraded,
    }
    if change.ops:
        data["ops"] = [{"op": op.op, "text": op.text} for op in change.ops]
    return data


def _section_change(change: SectionChange) -> dict[str, Any]:
    return {
        "kind": change.kind,
        "material": change.material,
        "old_id": change.old_id,
        "new_id": change.new_id,
        "old_title": change.old_title,
        "new_title": change.new_title,
    }


def _document(diff: DocumentDiff) -> dict[str, Any]:
    return {
        "name": diff.name,
        "status": diff.status,
        "old": _doc_side(diff, "old"),
        "new": _doc_side(diff, "new"),
        "material_changes": sum(1 for c in diff.changes if c.material),
        "section_changes": [_section_change(s) for s in diff.section_changes],
    }


def _doc_side(diff: DocumentDiff, side: str) -> dict[str, Any] | None:
    doc = diff.old if side == "old" else diff.new
    if doc is None:
        return None
    return {
        "source": doc.source,
        "format": doc.format,
        "sha256": doc.sha256,
        "title": doc.title,
        "fetched_at": _time(doc.fetched_at),
        "announcements": [
            {"text": a.text, "date": a.date, "clause_ids": list(a.clause_ids)} for a in doc.announcements
        ],
    }


def _evidence(evidence: Evidence) -> dict[str, Any]:
    return {
        "cue": evidence.cue,
        "text": evidence.text,
        "side": evidence.side,
        "start": evidence.start,
        "end": evidence.end,
    }


def _finding(finding: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": finding.id,
        "rule": finding.rule,
        "category": finding.category,
        "severity": finding.severity,
        "direction": finding.direction,
        "document": finding.document,
        "old_clause": finding.old_clause,
        "new_clause": finding.new_clause,
        "old_location": finding.old_location,
        "new_location": finding.new_location,
        "old_text": finding.old_text,
        "new_text": finding.new_text,
        "old_span": list(finding.old_span) if finding.old_span else None,
        "new_span": list(finding.new_span) if finding.new_span else None,
        "evidence": [_evidence(e) for e in finding.evidence],
        "explanation": finding.explanation,
        "announced": finding.announced,
        "date": finding.date,
    }
    if finding.related_document is not None or finding.related_clause is not None:
        data["related"] = {
            "document": finding.related_document,
            "clause": finding.related_clause,
            "text": finding.related_text,
        }
    return data
