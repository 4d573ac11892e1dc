"""Where things are, in the document's own terms: section paths and readable clause locations.

A location names a clause the way a reader would: "3.2 Confidential Information, paragraph 2" when the
document numbers its sections (the number and title of the section, then the clause's own number or
its position), else the path of section titles ("Your Rights › Opting out, item 3"). Clause ids stay
what links point at; locations are what people read. Computed once per document and carried on
``DocumentDiff`` so renderers and findings never re-walk the document.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from policydiff.model import Clause, Document, DocumentDiff, Finding, Section, SideIndex

__all__ = ["PATH_SEPARATOR", "locate_findings", "side_index"]

PATH_SEPARATOR = " > "  # how ClauseChange.old_section / new_section join section titles
_READ_SEPARATOR = " › "
_BULLETS = frozenset("-*+•·▪◦‣●■□○◆◇►▸‧∙⁃–—")
_NOUN = {"list_item": "item", "table_row": "row", "heading": "heading"}


def side_index(doc: Document) -> SideIndex:
    """Section paths, clause locations and the clauses in order of ``doc``, in one walk."""
    paths: dict[str, str] = {}
    locations: dict[str, str] = {}
    clauses: list[Clause] = []
    _visit(doc.root, (), paths, locations, clauses)
    return SideIndex(paths=paths, locations=locations, clauses=clauses)


def _visit(
    section: Section,
    trail: tuple[str, ...],
    paths: dict[str, str],
    locations: dict[str, str],
    clauses: list[Clause],
) -> None:
    # a plain function, not a closure calling itself: that would be a reference cycle holding every
    # clause until the cyclic collector runs
    here = (*trail, section.title) if section.title else trail
    paths[section.id] = PATH_SEPARATOR.join(here)
    where = _section_name(section, here)
    for n, clause in enumerate(section.clauses, start=1):
        clauses.append(clause)
        locations[clause.id] = _clause_name(where, clause, n, len(section.clauses))
    for child in section.sections:
        _visit(child, here, paths, locations, clauses)


def _section_name(section: Section, path: tuple[str, ...]) -> str:
    if section.label and section.title:
        return f"{section.label} {section.title}"  # numbering locates it: no path needed
    return _READ_SEPARATOR.join(path) if path else "beginning of the document"


def _clause_name(where: str, clause: Clause, n: int, count: int) -> str:
    label = (clause.label or "").strip()
    if label and not set(label) <= _BULLETS:
        return f"{where}, {_NOUN.get(clause.kind, 'paragraph')} {label.rstrip('.')}"
    if count == 1:
        return where
    return f"{where}, {_NOUN.get(clause.kind, 'paragraph')} {n}"


def locate_findings(findings: Iterable[Finding], diffs: Iterable[DocumentDiff]) -> tuple[Finding, ...]:
    """``findings`` with their locations and sentence offsets filled in from the diffs they are about."""
    by_name: dict[str, DocumentDiff] = {}
    only: DocumentDiff | None = None
    for count, dd in enumerate(diffs, start=1):
        by_name[dd.name] = dd
        only = dd if count == 1 else None
    out: list[Finding] = []
    for finding in findings:
        found = by_name.get(finding.document) or only
        if found is None:
            out.append(finding)
            continue
        out.append(
            attrs.evolve(
                finding,
                old_location=_location(found.old_index, finding.old_clause),
                new_location=_location(found.new_index, finding.new_clause),
                old_span=_span(found.old_index, finding.old_clause, finding.old_text),
                new_span=_span(found.new_index, finding.new_clause, finding.new_text),
            )
        )
    return tuple(out)


def _location(index: SideIndex | None, clause_id: str | None) -> str | None:
    if index is None or clause_id is None:
        return None
    return index.locations.get(clause_id)


def _span(index: SideIndex | None, clause_id: str | None, text: str | None) -> tuple[int, int] | None:
    """Offsets of ``text`` (the finding's sentences) in the clause's text, looked up in that clause
    only (its position is known), never searched for across the document."""
    clause = index.clause(clause_id) if index is not None and clause_id is not None else None
    if clause is None or not text:
        return None
    for sentence in clause.sentences:  # the common case: the finding quotes whole sentences
        if clause.text.startswith(text, sentence.start):
            return (sentence.start, sentence.start + len(text))
    at = clause.text.find(text)
    return (at, at + len(text)) if at >= 0 else None
