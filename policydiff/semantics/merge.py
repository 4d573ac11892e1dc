"""One finding per clause and category: findings of several rules or sentences on one clause merged.

Two rules of one category firing on the same clause ("AI training" and "a new purpose"), or one rule
on two sentences of a clause, are one card for a reviewer: the most severe finding leads (its rule,
explanation, severity); its text becomes the clause's verbatim stretch from the first of their
sentences to the last, and every cue is kept, its offsets moved into that stretch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from policydiff.model import SEVERITY_RANK, Evidence, Finding

Positioned = tuple[Finding, tuple[int, int, int]]


def _key(finding: Finding) -> tuple[object, ...]:
    return (
        finding.document,
        finding.category,
        finding.announced,
        finding.old_clause,
        finding.new_clause,
        finding.related_document,
        finding.related_clause,
    )


ClauseText = Callable[[str, str, str | None], str | None]  # (document, side, clause id) -> clause text


def _span(clause: str | None, texts: Sequence[str | None]) -> tuple[str | None, dict[str, int]] | None:
    """The stretch of ``clause`` from the first to the last of ``texts``, and where each starts in it."""
    distinct = list(dict.fromkeys(t for t in texts if t is not None))
    if not distinct:
        return None, {}
    if len(distinct) == 1:
        return distinct[0], {distinct[0]: 0}
    if clause is None:
        return None
    at = {t: clause.find(t) for t in distinct}
    if min(at.values()) < 0:
        return None
    lo = min(at.values())
    hi = max(at[t] + len(t) for t in distinct)
    return clause[lo:hi], {t: p - lo for t, p in at.items()}


def _merge(group: Sequence[Positioned], clause_text: ClauseText) -> list[Positioned]:
    ordered = sorted(group, key=lambda fp: fp[1])
    lead, lead_pos = min(group, key=lambda fp: (-SEVERITY_RANK[fp[0].severity], fp[1]))
    old = _span(clause_text(lead.document, "old", lead.old_clause), [f.old_text for f, _ in ordered])
    new = _span(clause_text(lead.document, "new", lead.new_clause), [f.new_text for f, _ in ordered])
    if old is None or new is None:
        return list(group)  # the sentences cannot be shown as one verbatim stretch: keep them apart
    (old_text, old_at), (new_text, new_at) = old, new
    evidence: dict[tuple[str, str, int, int], Evidence] = {}
    for finding, _ in ordered:
        for ev in finding.evidence:
            source = finding.old_text if ev.side == "old" else finding.new_text
            shift = (old_at if ev.side == "old" else new_at).get(source or "", 0)
            moved = attrs.evolve(ev, start=ev.start + shift, end=ev.end + shift)
            evidence.setdefault((moved.cue, moved.side, moved.start, moved.end), moved)
    merged = attrs.evolve(lead, old_text=old_text, new_text=new_text, evidence=tuple(evidence.values()))
    return [(merged, min(lead_pos, ordered[0][1]))]


def one_per_clause(ranked: Sequence[Positioned], clause_text: ClauseText) -> list[Positioned]:
    """Merge the findings that share document, category and clauses (bundle findings stay apart)."""
    groups: dict[tuple[object, ...], list[Positioned]] = {}
    out: list[Positioned] = []
    for item in ranked:
        if item[0].related_clause is not None:
            out.append(item)
        else:
            groups.setdefault(_key(item[0]), []).append(item)
    for group in groups.values():
        out.extend(_merge(group, clause_text) if len(group) > 1 else group)
    return out
