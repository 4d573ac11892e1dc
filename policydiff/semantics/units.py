"""Sentence units: what the rules look at, built from the changed clauses of a document diff.

For each material change the sentences of the old and new clauses are compared: sentences present on
both sides, or anywhere in the other version of the document (moved), are dropped; the rest are
paired by word overlap (``pairing``), and a phrase swapped the same way in several places (a defined
term renamed throughout) is not a change of meaning. A unit is such a pair, or a sentence that
appeared or disappeared, with the sentences of its aligned clauses as context.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

import attrs

from policydiff.model import Clause, ClauseChange, Document, Section
from policydiff.semantics.context import Sent, clause_sentences
from policydiff.semantics.pairing import drop_common, pair, similarity, swaps
from policydiff.semantics.text import DocumentFacts, SharedLines, fold

PAIR_THRESHOLD = 0.3
CROSS_THRESHOLD = 0.5
LAST_PAIR_THRESHOLD = 0.15
MAX_CROSS = 250_000

Pending = tuple[Sent, tuple[Sent, ...], str | None]  # a lone sentence, its group, the other side's clause


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


def document_view(doc: Document | None, shared: SharedLines | None = None) -> DocView:
    """The ``DocView`` of ``doc`` (empty for a missing document).

    ``shared``: per-clause answers for both versions of a document (a clause they have in common is
    read once, see ``SharedLines``).
    """
    if doc is None:
        return DocView([], {}, DocumentFacts(""))
    clauses = list(doc.clauses())
    index = {c.id: i for i, c in enumerate(clauses)}  # a repeated id keeps its last position
    folded = "\n".join(fold(c.text) for c in clauses)
    return DocView(clauses, index, DocumentFacts(folded, shared, lambda: "\n".join(c.text for c in clauses)))


def iter_clauses(section: Section) -> Iterator[Clause]:
    """Every clause under ``section``, in document order."""
    for s in section.walk():
        yield from s.clauses


def change_side(change: ClauseChange, side: str, view: DocView) -> list[Sent]:
    """The sentences of one side of a change (its clauses as read in ``view``, else its text)."""
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


def sentence_units(
    groups: Sequence[tuple[list[Sent], list[Sent]]], old_facts: DocumentFacts, new_facts: DocumentFacts
) -> list[Unit]:
    """Pairs, additions and removals of sentences over all changed clause groups of a document.

    A sentence that only moved between changed clauses is dropped (same key on the other side); a
    sentence left without a partner is also looked up in the whole other version (its phrase
    index): found there, it was moved or copied, not written.
    """
    old_keys = {s.key for old, _ in groups for s in old}
    new_keys = {s.key for _, new in groups for s in new}
    units: list[Unit] = []
    pending_old: list[Pending] = []
    pending_new: list[Pending] = []
    for old, new in groups:
        o_left, n_left = drop_common(old, new)
        if not o_left and not n_left:
            continue
        o_left = [s for s in o_left if s.key not in new_keys]
        n_left = [s for s in n_left if s.key not in old_keys]
        og, ng = tuple(old), tuple(new)
        oc = old[0].clause_id if old else None
        nc = new[0].clause_id if new else None
        pairs, lone_o, lone_n = pair(o_left, n_left, PAIR_THRESHOLD)
        if len(lone_o) == 1 and len(lone_n) == 1 and similarity(lone_o[0], lone_n[0]) >= LAST_PAIR_THRESHOLD:
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
    in_new = new_facts.contains_all([p[0].text for p in pending_old])
    in_old = old_facts.contains_all([p[0].text for p in pending_new])
    pending_old = [p for p, found in zip(pending_old, in_new, strict=True) if not found]
    pending_new = [p for p, found in zip(pending_new, in_old, strict=True) if not found]
    units.extend(_cross(pending_old, pending_new))
    return drop_renames(units)


def _cross(pending_old: list[Pending], pending_new: list[Pending]) -> list[Unit]:
    """Sentences of removed clauses that reappear, edited, in added clauses elsewhere: paired; the rest
    stay lone removals and additions."""
    units: list[Unit] = []
    if pending_old and pending_new and len(pending_old) * len(pending_new) <= MAX_CROSS:
        pairs, lone_o_s, lone_n_s = pair(
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
    return units


def drop_renames(units: list[Unit]) -> list[Unit]:
    """Drop pairs whose only differences are a phrase swapped the same way at least twice."""
    swaps_of: dict[int, list[tuple[str, str]]] = {}
    counts: Counter[tuple[str, str]] = Counter()
    for i, unit in enumerate(units):
        if unit.old is not None and unit.new is not None:
            found = swaps(unit.old, unit.new)
            if found is not None:
                swaps_of[i] = found
                counts.update(set(found))
    return [
        u
        for i, u in enumerate(units)
        if not (i in swaps_of and swaps_of[i] and all(counts[s] >= 2 for s in swaps_of[i]))
    ]
