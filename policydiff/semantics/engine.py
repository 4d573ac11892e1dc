"""The semantic stage's driver: changed clauses -> sentence units -> rules -> fired rules.

``document_units`` builds the units of a document diff (``units``: changes in force; ``announced``:
upcoming text against the version in force). ``run_rules`` reads each unit's sentences into frames,
with their clause's context and lead-in, and runs every clause rule over them; an edit that touches
no cue, frame or number is skipped, and a lone sentence found elsewhere in the other version (moved
or copied) fires nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence

import attrs

from policydiff.model import DocumentDiff
from policydiff.semantics.announced import announced_units
from policydiff.semantics.context import ClauseRule, Context, Hit, Sent
from policydiff.semantics.frames import Analysis, analyse, analyse_edit, with_context
from policydiff.semantics.leadin import inherit, lead_ins
from policydiff.semantics.text import DocumentFacts, SharedLines, fold
from policydiff.semantics.units import DocumentUnits, Unit, change_side, document_view, sentence_units

_NUMBER = re.compile(r"\d+")

Analyses = dict[tuple[str, int], Analysis]  # (clause id, sentence start) -> analysis


def document_units(diff: DocumentDiff) -> list[DocumentUnits]:
    """Sentence units of a document diff: changes in force, then announced (upcoming) text."""
    shared = SharedLines()
    old_view, new_view = document_view(diff.old, shared), document_view(diff.new, shared)
    banners = {cid for d in (diff.old, diff.new) if d for a in d.announcements for cid in a.clause_ids}
    groups: list[tuple[list[Sent], list[Sent]]] = []
    for change in diff.changes:
        if not change.material or change.kind == "moved":
            continue
        if banners & (set(change.old_ids) | set(change.new_ids)):
            continue
        groups.append((change_side(change, "old", old_view), change_side(change, "new", new_view)))
    result = []
    units = tuple(sentence_units(groups, old_view.facts, new_view.facts)) if groups else ()
    if units:
        old_ids = {u.old.clause_id for u in units if u.old is not None}
        new_ids = {u.new.clause_id for u in units if u.new is not None}
        result.append(
            DocumentUnits(
                units,
                old_facts=old_view.facts,
                new_facts=new_view.facts,
                old_leads=lead_ins(diff.old, old_ids),
                new_leads=lead_ins(diff.new, new_ids),
            )
        )
    upcoming = diff.new.upcoming if diff.new is not None else None
    if upcoming is not None and diff.new is not None:
        result.append(announced_units(diff, upcoming, new_view, shared))
    return result


@attrs.frozen
class Fired:
    """A rule that fired on a unit, before it becomes a ``Finding``."""

    rule: ClauseRule
    hit: Hit
    unit: Unit
    context: Context
    order: int


def run_rules(
    units: Iterable[Unit],
    rules: Sequence[ClauseRule],
    old_facts: DocumentFacts | None = None,
    new_facts: DocumentFacts | None = None,
    leads: tuple[dict[str, str], dict[str, str]] = ({}, {}),
) -> Iterator[Fired]:
    """Every rule over every unit (each rule fires at most once per unit)."""
    old_facts = old_facts or DocumentFacts("")
    new_facts = new_facts or DocumentFacts("")
    reader = _Reader(leads)
    for unit in units:
        if unit.old is not None and unit.new is not None:
            old_analysis = analyse_edit(unit.old.text, unit.new.text)
            reader.known.setdefault(unit.old.text, old_analysis)
            if _same_meaning(old_analysis, analyse(unit.new.text)):
                continue
        ctx = Context(
            reader.own("old", unit.old, unit.old_group) if unit.old else None,
            reader.own("new", unit.new, unit.new_group) if unit.new else None,
            reader.lazy("old", unit.old_group, unit.old),
            reader.lazy("new", unit.new_group, unit.new),
            old_facts,
            new_facts,
        )
        fired = [
            Fired(rule, hit, unit, ctx, order)
            for order, rule in enumerate(rules)
            if (hit := _verbatim(rule.fn(ctx), unit)) is not None
        ]
        if fired and unit.check_elsewhere and _elsewhere(unit, old_facts, new_facts):
            continue  # moved or copied from elsewhere in the other version, not written
        yield from fired


def _verbatim(hit: Hit | None, unit: Unit) -> Hit | None:
    """``hit`` keeping only evidence that lies in the unit's own sentence on its side; None if no
    evidence is left (a rule that read a cue of another sentence of the clause: that sentence's own
    unit reports it, with offsets that point at the words)."""
    if hit is None:
        return None
    texts = {"old": unit.old.text if unit.old else None, "new": unit.new.text if unit.new else None}
    kept = tuple(
        (cue, side)
        for cue, side in hit.evidence
        if (text := texts[side]) is not None and text[cue.start : cue.end] == cue.text
    )
    if not kept:
        return None
    return hit if len(kept) == len(hit.evidence) else attrs.evolve(hit, evidence=kept)


class _Reader:
    """The analyses of the units' sentences and clause groups for one document, each read once."""

    def __init__(self, leads: tuple[dict[str, str], dict[str, str]]) -> None:
        self.leads = leads
        self.known: dict[str, Analysis] = {}  # old sentences read as edits of their new version
        self.cache: dict[tuple[str, ...], Analyses] = {}

    def group(self, side: str, group: tuple[Sent, ...], extra: Sent | None) -> Analyses:
        """The analyses of a clause group's sentences (with ``extra``), read in context."""
        members = group if extra is None or extra in group else (*group, extra)
        key = (side, *(f"{s.clause_id}@{s.start}:{len(s.text)}" for s in members))
        if key not in self.cache:
            self.cache[key] = _analyses(members, self.known)
        return self.cache[key]

    def own(self, side: str, sent: Sent, group: tuple[Sent, ...]) -> Analysis:
        """The unit's sentence, with the frame of its lead-in (``leadin``) and its clause's context."""
        lead = self.leads[0 if side == "old" else 1].get(sent.clause_id)
        return inherit(self.plain(side, sent, group), analyse(lead) if lead else None)

    def plain(self, side: str, sent: Sent, group: tuple[Sent, ...]) -> Analysis:
        """The unit's sentence; read with its clause only when it needs an earlier sentence's data."""
        analysis = self.known.get(sent.text) or analyse(sent.text)
        needs_context = any(not f.data for f in analysis.frames) and any(
            g.clause_id == sent.clause_id and g.start < sent.start for g in group
        )
        if needs_context:
            # the context flows forward through a clause: its sentences up to this one are enough
            before = tuple(g for g in group if g.clause_id == sent.clause_id and g.start <= sent.start)
            return self.group(side, before, sent)[(sent.clause_id, sent.start)]
        return analysis

    def lazy(
        self, side: str, group: tuple[Sent, ...], sent: Sent | None
    ) -> Callable[[], tuple[Analysis, ...]]:
        """The group's analyses, read when a rule first asks for them."""
        if not group:
            return tuple
        return lambda: tuple(self.group(side, group, sent).values())


def _analyses(group: Sequence[Sent], known: dict[str, Analysis]) -> Analyses:
    by_clause: dict[str, list[Sent]] = {}
    for s in group:
        by_clause.setdefault(s.clause_id, []).append(s)
    out: Analyses = {}
    for sents in by_clause.values():
        sents.sort(key=lambda s: s.start)
        plain = [known.get(s.text) or analyse(s.text) for s in sents]
        for s, a in zip(sents, with_context(plain), strict=True):
            out[(s.clause_id, s.start)] = a
    return out


def _elsewhere(unit: Unit, old_facts: DocumentFacts, new_facts: DocumentFacts) -> bool:
    """A lone sentence occurs (as whole words) anywhere in the other version."""
    if unit.old is not None:
        return new_facts.contains(unit.old.text)
    assert unit.new is not None
    return old_facts.contains(unit.new.text)


def _cue_signature(analysis: Analysis) -> list[tuple[str, str, str]]:
    return sorted((c.slot, c.key, fold(c.text)) for c in analysis.cues)  # a multiset, as a sorted list


def _frame_signature(analysis: Analysis) -> tuple[tuple[str, bool, str], ...]:
    return tuple((f.action.key, f.negated, f.modality) for f in analysis.frames)


def _same_meaning(old: Analysis, new: Analysis) -> bool:
    """An edit that touches no cue and no frame ("30" -> "31 calendar") cannot change a finding.

    Numbers (periods and ages) count too; the cheapest comparisons go first.
    """
    return (
        _NUMBER.findall(old.text) == _NUMBER.findall(new.text)
        and _frame_signature(old) == _frame_signature(new)
        and _cue_signature(old) == _cue_signature(new)
    )
