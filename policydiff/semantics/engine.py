"""The semantic stage's driver: changed clauses -> sentence pairs -> rules -> ranked findings.

Only changed clauses are read (plus, for bundles, the promises of every document). For each material
change the sentences of the old and new clauses are compared: sentences present on both sides, or
anywhere in the other version of the document (moved), are dropped; the rest are paired by word
overlap, and a phrase swapped the same way in several places (a defined term renamed throughout) is
not a change of meaning. Rules then see each pair, or a sentence that appeared or disappeared, with
the sentences of its aligned clauses as context.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from difflib import SequenceMatcher
from itertools import chain

import attrs

from policydiff.model import (
    SEVERITY_RANK,
    Clause,
    ClauseChange,
    Document,
    DocumentDiff,
    Evidence,
    Finding,
    Section,
)
from policydiff.semantics.context import ClauseRule, Context, Hit, Sent, clause_sentences
from policydiff.semantics.frames import Analysis, analyse, analyse_edit, with_context
from policydiff.semantics.leadin import inherit, lead_ins
from policydiff.semantics.text import DocumentFacts, fold

_WORD = re.compile(r"[a-z0-9]+")
PAIR_THRESHOLD = 0.3
CROSS_THRESHOLD = 0.5
LAST_PAIR_THRESHOLD = 0.15
MAX_CROSS = 250_000
_RARE_WORDS = 6  # an upcoming clause is compared with in-force clauses sharing one of its rarest words


@attrs.frozen
class Unit:
    """What the rules look at: a sentence pair (either side may be missing) with its clause groups."""

    old: Sent | None
    new: Sent | None
    old_group: tuple[Sent, ...]
    new_group: tuple[Sent, ...]
    old_clause: str | None
    new_clause: str | None
    check_elsewhere: bool = False  # a lone sentence not yet looked up in the other version (see run_rules)


@attrs.frozen
class DocView:
    """What the semantic stage needs of a whole document, built in one pass over its clauses.

    ``clauses`` in document order, ``index`` from id to position, and ``facts``: the whole document
    folded, clauses one per line, with its phrase index (built on first use) and the whole-document
    answers rules ask for, each computed once.
    """

    clauses: list[Clause]
    index: dict[str, int]
    facts: DocumentFacts

    def clause(self, clause_id: str) -> tuple[int, Clause] | None:
        """(position, clause) of ``clause_id``, or None."""
        at = self.index.get(clause_id)
        return None if at is None else (at, self.clauses[at])


def document_view(doc: Document | None, shared: dict[str, list[str]] | None = None) -> DocView:
    """The ``DocView`` of ``doc`` (empty for a missing document).

    ``shared``: the words of each clause, for the phrase indexes of both versions of a document (a
    clause they have in common is split into words once, see ``PhraseIndex``).
    """
    if doc is None:
        return DocView([], {}, DocumentFacts(""))
    clauses = list(doc.clauses())
    index = {c.id: i for i, c in enumerate(clauses)}  # a repeated id keeps its last position
    return DocView(clauses, index, DocumentFacts("\n".join(fold(c.text) for c in clauses), shared))


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


def _similarity(a: Sent, b: Sent) -> float:
    wa, wb = _words(a.text), _words(b.text)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def _edges(old: Sequence[Sent], new: Sequence[Sent], threshold: float) -> list[tuple[float, int, int]]:
    """``(score, i, j)`` for every pair at or above ``threshold`` (``_similarity``, word sets made once)."""
    old_words = [_words(o.text) for o in old]
    new_words = [_words(n.text) for n in new]
    out: list[tuple[float, int, int]] = []
    for i, wa in enumerate(old_words):
        if not wa:
            continue
        for j, wb in enumerate(new_words):
            if not wb:
                continue
            score = len(wa & wb) / len(wa | wb)
            if score >= threshold:
                out.append((score, i, j))
    return out


def _pair(
    old: Sequence[Sent], new: Sequence[Sent], threshold: float
) -> tuple[list[tuple[Sent, Sent]], list[Sent], list[Sent]]:
    """Greedy best-first pairing by word overlap; deterministic (ties broken by position)."""
    return _greedy(old, new, _edges(old, new, threshold))


def _greedy(
    old: Sequence[Sent], new: Sequence[Sent], edges: Iterable[tuple[float, int, int]]
) -> tuple[list[tuple[Sent, Sent]], list[Sent], list[Sent]]:
    """``_pair`` given its ``_edges``: best score first, ties broken by position."""
    scored = []
    for score, i, j in edges:
        o, n = old[i], new[j]
        scored.append((-score, o.pos, o.start, n.pos, n.start, i, j))
    scored.sort()
    used_o: set[int] = set()
    used_n: set[int] = set()
    pairs: list[tuple[Sent, Sent]] = []
    for *_, i, j in scored:
        if i in used_o or j in used_n:
            continue
        used_o.add(i)
        used_n.add(j)
        pairs.append((old[i], new[j]))
    return (
        pairs,
        [o for i, o in enumerate(old) if i not in used_o],
        [n for j, n in enumerate(new) if j not in used_n],
    )


def _drop_common(old: list[Sent], new: list[Sent]) -> tuple[list[Sent], list[Sent]]:
    common = Counter(s.key for s in old) & Counter(s.key for s in new)
    left_o: list[Sent] = []
    remaining = Counter(common)
    for s in old:
        if remaining[s.key] > 0:
            remaining[s.key] -= 1
        else:
            left_o.append(s)
    remaining = Counter(common)
    left_n: list[Sent] = []
    for s in new:
        if remaining[s.key] > 0:
            remaining[s.key] -= 1
        else:
            left_n.append(s)
    return left_o, left_n


def _swaps(old: Sent, new: Sent) -> list[tuple[str, str]] | None:
    """Phrases swapped between two sentences, when every difference is a short replacement."""
    a, b = old.key.split(), new.key.split()
    swaps: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag != "replace" or i2 - i1 > 3 or j2 - j1 > 3:
            return None
        swaps.append((" ".join(a[i1:i2]), " ".join(b[j1:j2])))
    return swaps


def _iter_clauses(section: Section) -> Iterator[Clause]:
    for s in section.walk():
        yield from s.clauses


@attrs.frozen
class DocumentUnits:
    """The units of one document diff, ready for the rules."""

    units: tuple[Unit, ...]
    announced: bool = False
    date: str | None = None
    old_facts: DocumentFacts = attrs.field(factory=lambda: DocumentFacts(""), eq=False)
    new_facts: DocumentFacts = attrs.field(factory=lambda: DocumentFacts(""), eq=False)
    old_leads: dict[str, str] = attrs.field(factory=dict, eq=False)  # clause id -> governing lead-in
    new_leads: dict[str, str] = attrs.field(factory=dict, eq=False)


def document_units(diff: DocumentDiff) -> list[DocumentUnits]:
    """Sentence units of a document diff: changes in force, then announced (upcoming) text."""
    shared: dict[str, list[str]] = {}
    old_view, new_view = document_view(diff.old, shared), document_view(diff.new, shared)
    banners = {cid for d in (diff.old, diff.new) if d for a in d.announcements for cid in a.clause_ids}
    groups: list[tuple[list[Sent], list[Sent]]] = []
    for change in diff.changes:
        if not change.material or change.kind == "moved":
            continue
        if banners & (set(change.old_ids) | set(change.new_ids)):
            continue
        groups.append((_side(change, "old", old_view), _side(change, "new", new_view)))
    result = []
    if groups:
        units = tuple(_units(groups, old_view.facts, new_view.facts))
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
        result.append(_announced_units(diff, upcoming, new_view))
    return result


def _side(change: ClauseChange, side: str, view: DocView) -> list[Sent]:
    ids = change.old_ids if side == "old" else change.new_ids
    text = change.old_text if side == "old" else change.new_text
    out: list[Sent] = []
    missing = False
    for cid in ids:
        found = view.clause(cid)
        if found is None:
            missing = True
            continue
        out.extend(clause_sentences(found[1], found[0]))
    if (missing or not ids) and text and not out:
        cid = ids[0] if ids else f"{side}-{change.document}"
        out = clause_sentences(Clause(id=cid, section_id="", text=text, canonical=text), 10**9)
    return out


def _units(
    groups: Sequence[tuple[list[Sent], list[Sent]]], old_facts: DocumentFacts, new_facts: DocumentFacts
) -> list[Unit]:
    """Pairs, additions and removals of sentences over all changed clause groups of a document.

    A sentence that only moved between changed clauses is dropped (same key on the other side); a
    sentence left without a partner is also looked up in the whole other version (its phrase
    index): found there, it was moved or copied, not written.
    """
    old_keys = {s.key for old, _ in groups for s in old}
    new_keys = {s.key for _, new in groups for s in new}

    def in_new(sent: Sent) -> bool:
        return new_facts.contains(sent.text)

    def in_old(sent: Sent) -> bool:
        return old_facts.contains(sent.text)

    units: list[Unit] = []
    pending_old: list[tuple[Sent, tuple[Sent, ...], str | None]] = []
    pending_new: list[tuple[Sent, tuple[Sent, ...], str | None]] = []
    for old, new in groups:
        o_left, n_left = _drop_common(old, new)
        if not o_left and not n_left:
            continue
        o_left = [s for s in o_left if s.key not in new_keys]
        n_left = [s for s in n_left if s.key not in old_keys]
        og, ng = tuple(old), tuple(new)
        oc = old[0].clause_id if old else None
        nc = new[0].clause_id if new else None
        pairs, lone_o, lone_n = _pair(o_left, n_left, PAIR_THRESHOLD)
        if len(lone_o) == 1 and len(lone_n) == 1 and _similarity(lone_o[0], lone_n[0]) >= LAST_PAIR_THRESHOLD:
            pairs.append((lone_o[0], lone_n[0]))  # the one sentence left on each side was rewritten
            lone_o, lone_n = [], []
        units.extend(Unit(o, n, og, ng, o.clause_id, n.clause_id) for o, n in pairs)
        if old and new:
            # the whole-version lookup is a scan of the other version: left to ``run_rules``, which
            # makes it only for a sentence that some rule fires on (the answer is the same either way)
            units.extend(Unit(o, None, og, ng, o.clause_id, nc, True) for o in lone_o)
            units.extend(Unit(None, n, og, ng, oc, n.clause_id, True) for n in lone_n)
        else:
            pending_old.extend((o, og, nc) for o in lone_o)
            pending_new.extend((n, ng, oc) for n in lone_n)
    pending_old = [p for p in pending_old if not in_new(p[0])]
    pending_new = [p for p in pending_new if not in_old(p[0])]
    # sentences of removed clauses that reappear, edited, in added clauses elsewhere
    if pending_old and pending_new and len(pending_old) * len(pending_new) <= MAX_CROSS:
        pairs, lone_o_s, lone_n_s = _pair(
            [p[0] for p in pending_old], [p[0] for p in pending_new], CROSS_THRESHOLD
        )
        group_of_old = {id(p[0]): p[1] for p in pending_old}
        group_of_new = {id(p[0]): p[1] for p in pending_new}
        units.extend(
            Unit(o, n, group_of_old[id(o)], group_of_new[id(n)], o.clause_id, n.clause_id) for o, n in pairs
        )
        lone_o_ids, lone_n_ids = {id(s) for s in lone_o_s}, {id(s) for s in lone_n_s}
        pending_old = [p for p in pending_old if id(p[0]) in lone_o_ids]
        pending_new = [p for p in pending_new if id(p[0]) in lone_n_ids]
    units.extend(Unit(o, None, g, (), o.clause_id, c) for o, g, c in pending_old)
    units.extend(Unit(None, n, (), g, c, n.clause_id) for n, g, c in pending_new)
    return _drop_renames(units)


def _drop_renames(units: list[Unit]) -> list[Unit]:
    """Drop pairs whose only differences are a phrase swapped the same way at least twice."""
    swaps_of: dict[int, list[tuple[str, str]]] = {}
    counts: Counter[tuple[str, str]] = Counter()
    for i, unit in enumerate(units):
        if unit.old is not None and unit.new is not None:
            swaps = _swaps(unit.old, unit.new)
            if swaps is not None:
                swaps_of[i] = swaps
                counts.update(set(swaps))
    return [
        u
        for i, u in enumerate(units)
        if not (i in swaps_of and swaps_of[i] and all(counts[s] >= 2 for s in swaps_of[i]))
    ]


def _announced_units(diff: DocumentDiff, upcoming: Section, view: DocView) -> DocumentUnits:
    """Upcoming clauses against the version in force: announced changes, not changes in force."""
    assert diff.new is not None
    before = list(_iter_clauses(diff.old.upcoming)) if diff.old and diff.old.upcoming else []
    unchanged = {_sentence_spans(c) for c in before}
    already: set[str] | None = None  # sentence keys of the previous upcoming text, read if needed
    fresh: list[tuple[str, list[Sent]]] = []  # upcoming clauses with sentences not announced nor in force
    banners = {cid for a in diff.new.announcements for cid in a.clause_ids}
    for k, clause in enumerate(_iter_clauses(upcoming)):
        if clause.id in banners or _sentence_spans(clause) in unchanged:
            continue  # a clause already announced word for word: all its sentences are in ``already``
        if already is None:
            already = {s.key for i, c in enumerate(before) for s in clause_sentences(c, i)}
        new_sents = [
            s
            for s in clause_sentences(clause, 10**6 + k)
            if s.key not in already and not view.facts.contains(s.text)
        ]
        if new_sents:
            fresh.append((clause.text, new_sents))
    closest = _closest_in_force([text for text, _ in fresh], view.clauses) if fresh else []
    groups = [
        (clause_sentences(best[1], best[0]) if best else [], new_sents)
        for (_, new_sents), best in zip(fresh, closest, strict=True)
    ]
    upcoming_facts = DocumentFacts(fold("\n".join(c.text for c in _iter_clauses(upcoming))))
    units = _units(groups, view.facts, upcoming_facts) if groups else []
    date = next((a.date for a in diff.new.announcements if a.date), None)
    return DocumentUnits(
        tuple(units), announced=True, date=date, old_facts=view.facts, new_facts=upcoming_facts
    )


def _closest_in_force(texts: Sequence[str], in_force: Sequence[Clause]) -> list[tuple[int, Clause] | None]:
    """For each text, the in-force clause (position, clause) with the highest word overlap, if any
    reaches ``PAIR_THRESHOLD``; the earliest on a tie.

    Only clauses sharing one of the text's ``_RARE_WORDS`` rarest words (fewest in-force clauses using
    them) are compared, and the word-to-clauses index holds only the words some text asks about.
    """
    force_words = [_words(c.text) for c in in_force]
    used_by = Counter(chain.from_iterable(force_words))  # word -> how many in-force clauses use it
    wanted = [_words(text) for text in texts]
    rarest = [
        sorted((w for w in words if w in used_by), key=used_by.__getitem__)[:_RARE_WORDS] for words in wanted
    ]
    asked = set(chain.from_iterable(rarest))
    by_word: dict[str, list[int]] = {}
    for k, fw in enumerate(force_words):
        for word in fw & asked:
            by_word.setdefault(word, []).append(k)
    out: list[tuple[int, Clause] | None] = []
    for words, rare in zip(wanted, rarest, strict=True):
        best: tuple[float, int] | None = None
        candidates = sorted({k for w in rare for k in by_word[w]})
        if len(candidates) <= MAX_CROSS:
            for k in candidates:
                shared = len(words & force_words[k])
                union = len(words) + len(force_words[k]) - shared
                score = shared / union if union else 0.0
                if score >= PAIR_THRESHOLD and (best is None or score > best[0]):
                    best = (score, k)
        out.append((best[1], in_force[best[1]]) if best else None)
    return out


def _sentence_spans(clause: Clause) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A clause's text and sentence spans: equal values give equal ``clause_sentences`` keys."""
    return clause.text, tuple((s.start, s.end) for s in clause.sentences)


# ----------------------------------------------------------------------------------------- rules


def _analyses(group: Sequence[Sent], known: dict[str, Analysis]) -> dict[tuple[str, int], Analysis]:
    by_clause: dict[str, list[Sent]] = {}
    for s in group:
        by_clause.setdefault(s.clause_id, []).append(s)
    out: dict[tuple[str, int], Analysis] = {}
    for sents in by_clause.values():
        sents.sort(key=lambda s: s.start)
        plain = [known.get(s.text) or analyse(s.text) for s in sents]
        for s, a in zip(sents, with_context(plain), strict=True):
            out[(s.clause_id, s.start)] = a
    return out


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
    cache: dict[tuple[str, ...], dict[tuple[str, int], Analysis]] = {}

    def group_analyses(
        side: str, group: tuple[Sent, ...], extra: Sent | None
    ) -> dict[tuple[str, int], Analysis]:
        members = group if extra is None or extra in group else (*group, extra)
        key = (side, *(f"{s.clause_id}@{s.start}:{len(s.text)}" for s in members))
        if key not in cache:
            cache[key] = _analyses(members, known)
        return cache[key]

    known: dict[str, Analysis] = {}  # old sentences read as edits of their new version

    def own(side: str, sent: Sent, group: tuple[Sent, ...]) -> Analysis:
        """The unit's sentence, with the frame of its lead-in (``leadin``) and its clause's context."""
        lead = leads[0 if side == "old" else 1].get(sent.clause_id)
        return inherit(plain(side, sent, group), analyse(lead) if lead else None)

    def plain(side: str, sent: Sent, group: tuple[Sent, ...]) -> Analysis:
        """The unit's sentence; read with its clause only when it needs an earlier sentence's data."""
        analysis = known.get(sent.text) or analyse(sent.text)
        needs_context = any(not f.data for f in analysis.frames) and any(
            g.clause_id == sent.clause_id and g.start < sent.start for g in group
        )
        if needs_context:
            # the context flows forward through a clause: its sentences up to this one are enough
            before = tuple(g for g in group if g.clause_id == sent.clause_id and g.start <= sent.start)
            return group_analyses(side, before, sent)[(sent.clause_id, sent.start)]
        return analysis

    def lazy(side: str, group: tuple[Sent, ...], sent: Sent | None) -> Callable[[], tuple[Analysis, ...]]:
        if not group:
            return tuple
        return lambda: tuple(group_analyses(side, group, sent).values())

    for unit in units:
        if unit.old is not None and unit.new is not None:
            old_analysis = analyse_edit(unit.old.text, unit.new.text)
            known.setdefault(unit.old.text, old_analysis)
            if _same_meaning(old_analysis, analyse(unit.new.text)):
                continue
        ctx = Context(
            own("old", unit.old, unit.old_group) if unit.old else None,
            own("new", unit.new, unit.new_group) if unit.new else None,
            lazy("old", unit.old_group, unit.old),
            lazy("new", unit.new_group, unit.new),
            old_facts,
            new_facts,
        )
        fired = [
            Fired(rule, hit, unit, ctx, order)
            for order, rule in enumerate(rules)
            if (hit := rule.fn(ctx)) is not None
        ]
        if fired and unit.check_elsewhere and _elsewhere(unit, old_facts, new_facts):
            continue  # moved or copied from elsewhere in the other version, not written
        yield from fired


def _elsewhere(unit: Unit, old_facts: DocumentFacts, new_facts: DocumentFacts) -> bool:
    """A lone sentence occurs (as whole words) anywhere in the other version."""
    if unit.old is not None:
        return new_facts.contains(unit.old.text)
    assert unit.new is not None
    return old_facts.contains(unit.new.text)


_NUMBER = re.compile(r"\d+")


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


def to_finding(fired: Fired, document: str, *, announced: bool = False, date: str | None = None) -> Finding:
    """A ``Finding`` from a fired rule: exact sentences, evidence offsets into them."""
    unit, hit, rule = fired.unit, fired.hit, fired.rule
    evidence = tuple(
        Evidence(cue=cue.name, text=cue.text, side=side, start=cue.start, end=cue.end)
        for cue, side in hit.evidence
    )
    return Finding(
        rule=rule.id,
        category=rule.category,
        severity=hit.severity or rule.severity,
        direction=hit.direction or rule.direction,
        explanation=hit.explanation,
        document=document,
        old_clause=unit.old_clause,
        new_clause=unit.new_clause,
        old_text=unit.old.text if unit.old else None,
        new_text=unit.new.text if unit.new else None,
        evidence=evidence,
        announced=announced,
        date=date if announced else None,
    )


def rank(findings: Iterable[tuple[Finding, tuple[int, int, int]]]) -> tuple[Finding, ...]:
    """Severity first, then document and position; duplicates (same rule, same sentences) once."""
    seen: set[tuple[object, ...]] = set()
    ordered = sorted(
        findings,
        key=lambda fp: (
            -SEVERITY_RANK[fp[0].severity],
            fp[0].announced,
            fp[0].document,
            fp[1],
            fp[0].rule,
            fp[0].old_text or "",
            fp[0].new_text or "",
            fp[0].related_document or "",
            fp[0].related_clause or "",
        ),
    )
    out: list[Finding] = []
    for finding, _ in ordered:
        key = (
            finding.rule,
            finding.document,
            finding.old_text,
            finding.new_text,
            finding.old_clause,
            finding.new_clause,
            finding.related_document,
            finding.related_clause,
            finding.announced,
        )
        if key in seen:
            continue
        seen.add(key)
        out.append(finding)
    return tuple(out)


def position(unit: Unit, rule_order: int) -> tuple[int, int, int]:
    """Where a unit sits: the new sentence when there is one, else the old."""
    sent = unit.new or unit.old
    assert sent is not None
    return (sent.pos, sent.start, rule_order)
