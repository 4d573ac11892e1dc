"""Finding cards: findings grouped by the place and sentences they are about, with where they point.

A card links to the clause its findings are about and names the place in the document's own terms
(the locations the diff computed); the evidence words are marked in the card's sentences and, through
``redline_cues``, in the redline itself, at the sentence offsets the findings carry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping

from policydiff.diff.locate import side_index
from policydiff.model import SEVERITY_RANK, Comparison, DocumentDiff, Finding, SideIndex
from policydiff.render.redline import Cue, marked
from policydiff.render.views import FindingGroup, FindingView, Place, Seg, Side, anchor

__all__ = ["anchors_of", "finding_groups", "redline_cues"]

DocKey = Callable[[str | None], str | None]  # document name -> its slug in a bundle page, else None


class _Documents:
    """The comparison's documents by name, with each side's index (computed when a diff lacks one)."""

    def __init__(self, comparison: Comparison) -> None:
        self.comparison = comparison
        self.by_name = {dd.name: dd for dd in comparison.documents}
        self._indexes: dict[tuple[str, Side], SideIndex | None] = {}

    def name_of(self, finding: Finding) -> str:
        names = list(self.by_name)
        if finding.document in self.by_name or len(names) != 1:
            return finding.document
        return names[0]

    def index(self, name: str, side: Side) -> SideIndex | None:
        key = (name, side)
        if key not in self._indexes:
            dd = self.by_name.get(name)
            if dd is None and len(self.by_name) == 1:
                dd = next(iter(self.by_name.values()))
            self._indexes[key] = _index(dd, side) if dd is not None else None
        return self._indexes[key]


def _index(dd: DocumentDiff, side: Side) -> SideIndex | None:
    index = dd.new_index if side == "new" else dd.old_index
    doc = dd.new if side == "new" else dd.old
    if index is None and doc is not None:  # a diff built by hand, without the diff stage's index
        index = side_index(doc)
    return index


def anchors_of(dd: DocumentDiff, doc: str | None) -> set[str]:
    """Every clause element id the document's part of the page will have."""
    out: set[str] = set()
    if dd.new is not None:
        out |= {anchor(doc, "new", c.id) for c in dd.new.clauses()}
    if dd.new is None and dd.old is not None:
        out |= {anchor(doc, "old", c.id) for c in dd.old.clauses()}
    for change in dd.changes:
        if change.kind in ("removed", "moved", "moved_modified", "split", "merged"):
            out |= {anchor(doc, "old", cid) for cid in change.old_ids}
    return out


def finding_groups(
    comparison: Comparison,
    doc_key: DocKey,
    present: set[str],
    acknowledged: Mapping[str, str] | None = None,
) -> list[FindingGroup]:
    """One card per place and sentences; severity first, then document order; numbered in that order.

    ``acknowledged`` maps a finding id to its acknowledgement's note: those findings stay on their
    card, marked as acknowledged."""
    docs = _Documents(comparison)
    ordered = sorted(comparison.findings, key=lambda f: -SEVERITY_RANK.get(f.severity, 0))
    grouped: dict[tuple[object, ...], list[Finding]] = {}
    for finding in ordered:
        key = (
            docs.name_of(finding),
            finding.old_clause,
            finding.new_clause,
            finding.old_text,
            finding.new_text,
            finding.related_document,
            finding.related_clause,
            finding.related_text,
            finding.announced,
        )
        grouped.setdefault(key, []).append(finding)
    groups: list[FindingGroup] = []
    number = 0
    for members in grouped.values():
        numbered = list(enumerate(members, start=number + 1))
        number += len(members)
        groups.append(_group(numbered, doc_key, present, docs, acknowledged or {}))
    return groups


def _group(
    numbered: list[tuple[int, Finding]],
    doc_key: DocKey,
    present: set[str],
    docs: _Documents,
    acknowledged: Mapping[str, str],
) -> FindingGroup:
    first = numbered[0][1]
    document = docs.name_of(first)
    key = doc_key(document)
    where_doc = f"{document}: " if key is not None and document else ""
    place = Place(None, "no single clause")
    target: str | None = None
    sides: tuple[tuple[Side, str | None], ...] = (("new", first.new_clause), ("old", first.old_clause))
    for side, cid in sides:
        if cid:
            target = _resolve(cid, side, key, present)
            where = _where(docs, document, cid, side)
            place = Place(f"#{target}" if target else None, where_doc + where)
            if target:
                break
    evidence = [ev for _, f in numbered for ev in f.evidence]
    return FindingGroup(
        items=[FindingView(n, f, acknowledged.get(f.id) if f.id else None) for n, f in numbered],
        document=first.document,
        old=marked(first.old_text, evidence, "old") if first.old_text else None,
        new=marked(first.new_text, evidence, "new") if first.new_text else None,
        related=[Seg(first.related_text)] if first.related_text else None,
        place=place,
        related_place=_related_place(first, document, doc_key, present, docs),
        anchor=target,
    )


def _related_place(
    finding: Finding, document: str, doc_key: DocKey, present: set[str], docs: _Documents
) -> Place | None:
    if not (finding.related_clause or finding.related_document):
        return None
    rdoc = finding.related_document or document
    rkey = doc_key(rdoc)
    target = _resolve(finding.related_clause, "new", rkey, present) if finding.related_clause else None
    if target is None and rkey is not None and finding.related_clause is None:
        target = f"doc-{rkey}"
    where = (f"{rdoc}: " if rdoc else "") + (
        _where(docs, rdoc, finding.related_clause, "new") if finding.related_clause else ""
    )
    return Place(f"#{target}" if target else None, where.rstrip(": "))


def _where(docs: _Documents, document: str, cid: str, side: Side) -> str:
    """The clause's location in the document's own terms (its own side first), else its id."""
    for s in (side, "old" if side == "new" else "new"):
        index = docs.index(document, s)
        if index is not None and cid in index.locations:
            return index.locations[cid]
    return cid


def _resolve(cid: str, side: Side, doc: str | None, present: set[str]) -> str | None:
    """The element id a clause reference lands on, trying its own side first."""
    for s in (side, "old" if side == "new" else "new"):
        target = anchor(doc, s, cid)
        if target in present:
            return target
    return None


def redline_cues(comparison: Comparison, doc_key: DocKey) -> Mapping[str, list[Cue]]:
    """Element id -> evidence spans of the findings about that clause, as offsets into its new text."""
    docs = _Documents(comparison)
    cues: dict[str, list[Cue]] = defaultdict(list)
    for finding in comparison.findings:
        if not finding.new_clause or not finding.new_text:
            continue
        name = docs.name_of(finding)
        at = _sentence_start(finding, docs.index(name, "new"))
        if at is None:
            continue
        pos = at
        key = doc_key(name)
        for seg in marked(finding.new_text, finding.evidence, "new"):
            if seg.op == "mark":
                cues[anchor(key, "new", finding.new_clause)].append(
                    (pos, pos + len(seg.text), seg.title or "")
                )
            pos += len(seg.text)
    return cues


def _sentence_start(finding: Finding, index: SideIndex | None) -> int | None:
    """Where the finding's new sentences start in its clause: the offsets it carries, else a search
    of that one clause (a finding built by hand)."""
    clause = index.clause(finding.new_clause) if index is not None and finding.new_clause else None
    if clause is None or not finding.new_text:
        return None
    span = finding.new_span
    if span is not None and clause.text[span[0] : span[1]] == finding.new_text:
        return span[0]
    at = clause.text.find(finding.new_text)
    return at if at >= 0 else None
