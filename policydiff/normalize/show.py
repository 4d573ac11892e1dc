"""The normalized tree as text or JSON, for people checking how their input was read."""

from __future__ import annotations

import json
from typing import Any

from policydiff.model import Clause, Document, Section


def document_to_dict(document: Document) -> dict[str, Any]:
    """A JSON-ready view of ``document``: every section and clause with ids, labels and text."""
    return {
        "source": document.source,
        "format": document.format,
        "sha256": document.sha256,
        "title": document.title,
        "fetched_at": document.fetched_at.isoformat() if document.fetched_at else None,
        "announcements": [
            {"text": a.text, "date": a.date, "clause_ids": list(a.clause_ids)} for a in document.announcements
        ],
        "root": _section(document.root),
        "upcoming": _section(document.upcoming) if document.upcoming else None,
    }


def _section(section: Section) -> dict[str, Any]:
    return {
        "id": section.id,
        "title": section.title,
        "canonical_title": section.canonical_title,
        "label": section.label,
        "level": section.level,
        "clauses": [_clause(c) for c in section.clauses],
        "sections": [_section(s) for s in section.sections],
    }


def _clause(clause: Clause) -> dict[str, Any]:
    return {
        "id": clause.id,
        "kind": clause.kind,
        "label": clause.label,
        "depth": clause.depth,
        "text": clause.text,
        "canonical": clause.canonical,
        "sentences": [[s.start, s.end] for s in clause.sentences],
        "links": [{"text": k.text, "target": k.target, "start": k.start, "end": k.end} for k in clause.links],
        "upcoming": clause.upcoming,
    }


def document_to_json(document: Document, *, indent: int | None = 2) -> str:
    return json.dumps(document_to_dict(document), indent=indent, ensure_ascii=False)


def document_to_text(document: Document) -> str:
    """The section tree, indented, one line per section and clause: ``id  label text``."""
    clauses = sum(1 for _ in document.clauses())
    lines = [
        f"{document.title or document.source}",
        f"  source: {document.source}  format: {document.format}  clauses: {clauses}  "
        f"sha256: {document.sha256[:12]}",
    ]
    for announcement in document.announcements:
        when = f" (date {announcement.date})" if announcement.date else ""
        lines.append(f"  announcement{when} at {', '.join(announcement.clause_ids)}: {announcement.text}")
    lines.append("")
    _tree(document.root, 0, lines)
    if document.upcoming is not None:
        lines.append("")
        lines.append("Upcoming version (announced, not in force):")
        _tree(document.upcoming, 0, lines)
    return "\n".join(lines) + "\n"


def _tree(section: Section, indent: int, lines: list[str]) -> None:
    pad = "  " * indent
    if section.level:
        label = f"{section.label} " if section.label else ""
        lines.append(f"{pad}{section.id}  # {label}{section.title}")
    else:
        lines.append(f"{pad}{section.id}")
    for clause in section.clauses:
        label = f"{clause.label} " if clause.label else ""
        nest = "  " * clause.depth
        lines.append(f"{pad}  {clause.id}  {nest}{label}{clause.text}")
    for child in section.sections:
        _tree(child, indent + 1, lines)
