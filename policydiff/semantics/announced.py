"""Announced changes: upcoming clauses (a version not yet in force) against the version in force.

Only sentences neither announced before nor already in force are read; each upcoming clause is
compared with the in-force clause closest by word overlap, found through the rarest words they share.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import chain

from policydiff.model import Clause, DocumentDiff, Section
from policydiff.semantics.context import Sent, clause_sentences
from policydiff.semantics.pairing import words
from policydiff.semantics.text import DocumentFacts, SharedLines, fold
from policydiff.semantics.units import (
    MAX_CROSS,
    PAIR_THRESHOLD,
    DocumentUnits,
    DocView,
    iter_clauses,
    sentence_units,
)

_RARE_WORDS = 6  # an upcoming clause is compared with in-force clauses sharing one of its rarest words


def announced_units(
    diff: DocumentDiff, upcoming: Section, view: DocView, shared: SharedLines | None = None
) -> DocumentUnits:
    """Upcoming clauses against the version in force: announced changes, not changes in force.

    ``shared``: the per-clause answers of the version in force (``SharedLines``), for the clauses the
    upcoming text keeps."""
    assert diff.new is not None
    fresh = _fresh(diff, upcoming, view)
    closest = _closest_in_force([text for text, _ in fresh], view.clauses) if fresh else []
    groups = [
        (clause_sentences(best[1], best[0]) if best else [], new_sents)
        for (_, new_sents), best in zip(fresh, closest, strict=True)
    ]
    upcoming_facts = DocumentFacts(fold("\n".join(c.text for c in iter_clauses(upcoming))), shared)
    units = sentence_units(groups, view.facts, upcoming_facts) if groups else []
    date = next((a.date for a in diff.new.announcements if a.date), None)
    return DocumentUnits(
        tuple(units), announced=True, date=date, old_facts=view.facts, new_facts=upcoming_facts
    )


def _fresh(diff: DocumentDiff, upcoming: Section, view: DocView) -> list[tuple[str, list[Sent]]]:
    """Upcoming clauses (text, sentences) with sentences neither announced before nor in force."""
    assert diff.new is not None
    before = list(iter_clauses(diff.old.upcoming)) if diff.old and diff.old.upcoming else []
    unchanged = {_sentence_spans(c) for c in before}
    already: set[str] | None = None  # sentence keys of the previous upcoming text, read if needed
    unread: list[tuple[str, list[Sent]]] = []  # clauses with sentences not announced before
    banners = {cid for a in diff.new.announcements for cid in a.clause_ids}
    for k, clause in enumerate(iter_clauses(upcoming)):
        if clause.id in banners or _sentence_spans(clause) in unchanged:
            continue  # a clause already announced word for word: all its sentences are in ``already``
        if already is None:
            already = {s.key for i, c in enumerate(before) for s in clause_sentences(c, i)}
        unread.append((clause.text, [s for s in clause_sentences(clause, 10**6 + k) if s.key not in already]))
    in_force = iter(view.facts.contains_all([s.text for _, sents in unread for s in sents]))
    fresh = [(text, [s for s in sents if not next(in_force)]) for text, sents in unread]
    return [(text, sents) for text, sents in fresh if sents]


def _closest_in_force(texts: Sequence[str], in_force: Sequence[Clause]) -> list[tuple[int, Clause] | None]:
    """For each text, the in-force clause (position, clause) with the highest word overlap, if any
    reaches ``PAIR_THRESHOLD``; the earliest on a tie.

    Only clauses sharing one of the text's ``_RARE_WORDS`` rarest words (fewest in-force clauses using
    them) are compared, and the word-to-clauses index holds only the words some text asks about.
    """
    force_words = [words(c.text) for c in in_force]
    used_by = Counter(chain.from_iterable(force_words))  # word -> how many in-force clauses use it
    wanted = [words(text) for text in texts]
    # rarest first, ties by the word itself: a set's order changes with the hash seed
    rarest = [
        sorted((w for w in ws if w in used_by), key=lambda w: (used_by[w], w))[:_RARE_WORDS] for ws in wanted
    ]
    asked = set(chain.from_iterable(rarest))
    by_word: dict[str, list[int]] = {}
    for k, fw in enumerate(force_words):
        for word in fw & asked:
            by_word.setdefault(word, []).append(k)
    out: list[tuple[int, Clause] | None] = []
    for ws, rare in zip(wanted, rarest, strict=True):
        best: tuple[float, int] | None = None
        candidates = sorted({k for w in rare for k in by_word[w]})
        if len(candidates) <= MAX_CROSS:
            for k in candidates:
                shared = len(ws & force_words[k])
                union = len(ws) + len(force_words[k]) - shared
                score = shared / union if union else 0.0
                if score >= PAIR_THRESHOLD and (best is None or score > best[0]):
                    best = (score, k)
        out.append((best[1], in_force[best[1]]) if best else None)
    return out


def _sentence_spans(clause: Clause) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A clause's text and sentence spans: equal values give equal ``clause_sentences`` keys."""
    return clause.text, tuple((s.start, s.end) for s in clause.sentences)
