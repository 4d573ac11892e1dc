"""Clause alignment: which clause of the old version became which clause of the new one.

Passes, each over what the previous ones left unmatched:

1. **exact**: identical canonical text; clauses unique on both sides first, then repeated ones, each
   paired with the occurrence nearest to where the unique pairs say it should be.
2. **split / merged**: one old clause whose words are covered by two or more consecutive new clauses,
   each mostly contained in it (and the reverse for merges).
3. **similar**: word-set similarity (Dice) above a threshold. Candidates come from an inverted index of
   each clause's rarest words, so the work per clause is bounded and large documents stay fast.
4. **positional**: what is left between two in-order matches, in the same (mapped) section, paired in
   order when similar enough to be the same clause rewritten.

Then moves: the longest chain of matches in order on both sides is "in order" (ties go to the least
displaced chain, so the result is the same whichever side is old); every other match is a move.
Sections are mapped by where their clauses went, so a renamed or renumbered section is reported
once, as a ``SectionChange``.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Literal

import attrs

from policydiff.diff.chain import in_order_chain
from policydiff.diff.sections import map_sections
from policydiff.diff.sections import section_changes as changed_sections
from policydiff.diff.similarity import CandidateIndex, dice, words_of
from policydiff.model import Clause, Document, SectionChange

__all__ = [
    "DEFAULT_SIMILARITY",
    "Alignment",
    "Match",
    "align",
    "dice",
    "in_order_chain",
    "words_of",
]

DEFAULT_SIMILARITY = 0.5  # Dice over word sets for the "similar" pass
POSITIONAL_SIMILARITY = 0.25  # lower bar for neighbours in the same place of the same section
POSITIONAL_WINDOW = 64  # how far ahead in a gap a positional partner is looked for (bounded work)
LONE_SIMILARITY = 0.15  # a single old and a single new clause alone between two matches
SPLIT_CONTAINED = 0.75  # a part of a split must be mostly made of the whole's words
SPLIT_COVERAGE = 0.75  # the parts together must cover most of the whole's words
How = Literal["exact", "similar", "positional", "split", "merged"]


@attrs.frozen(cache_hash=True)  # matches are set members and dict keys while the passes run
class Match:
    """Old clause(s) paired with new clause(s): indices into ``Alignment.old`` / ``Alignment.new``.

    One index on each side, except ``split`` (one old, several new) and ``merged`` (several old,
    one new). ``moved`` is True when the pair is out of document order.
    """

    old: tuple[int, ...]
    new: tuple[int, ...]
    how: How
    similarity: float
    moved: bool = False


@attrs.frozen
class Alignment:
    """Every clause of both sides, accounted for once: in a match, or removed, or added."""

    old: tuple[Clause, ...]
    new: tuple[Clause, ...]
    matches: tuple[Match, ...]
    removed: tuple[int, ...]  # indices into ``old``
    added: tuple[int, ...]  # indices into ``new``
    section_map: dict[str, str] = attrs.field(factory=dict)  # old section id -> new section id
    section_changes: tuple[SectionChange, ...] = ()


class _State:
    """Mutable bookkeeping while the passes run (never leaves this module)."""

    def __init__(self, old: Sequence[Clause], new: Sequence[Clause]) -> None:
        self.old = old
        self.new = new
        self.old_match: list[int | None] = [None] * len(old)  # index into self.matches
        self.new_match: list[int | None] = [None] * len(new)
        self.matches: list[Match] = []
        self.sizes: dict[Match, int] = {}  # how much canonical text a match holds on both sides
        self._old_words: list[frozenset[str] | None] = [None] * len(old)
        self._new_words: list[frozenset[str] | None] = [None] * len(new)

    def old_words(self, index: int) -> frozenset[str]:
        w = self._old_words[index]
        if w is None:
            w = self._old_words[index] = words_of(self.old[index].canonical)
        return w

    def new_words(self, index: int) -> frozenset[str]:
        w = self._new_words[index]
        if w is None:
            w = self._new_words[index] = words_of(self.new[index].canonical)
        return w

    def add(self, old: Iterable[int], new: Iterable[int], how: How, similarity: float) -> None:
        match = Match(tuple(old), tuple(new), how, similarity)
        index = len(self.matches)
        self.matches.append(match)
        self.sizes[match] = sum(len(self.old[i].canonical) for i in match.old) + sum(
            len(self.new[j].canonical) for j in match.new
        )
        for i in match.old:
            assert self.old_match[i] is None
            self.old_match[i] = index
        for j in match.new:
            assert self.new_match[j] is None
            self.new_match[j] = index

    def free_old(self) -> list[int]:
        return [i for i, m in enumerate(self.old_match) if m is None]

    def free_new(self) -> list[int]:
        return [j for j, m in enumerate(self.new_match) if m is None]


def _key(clause: Clause) -> str:
    """The exact-match key: the canonical text (already whitespace-collapsed by normalize)."""
    return clause.canonical


# --------------------------------------------------------------------------- pass 1: exact


def _exact(state: _State) -> None:
    old_groups: dict[str, list[int]] = defaultdict(list)
    new_groups: dict[str, list[int]] = defaultdict(list)
    for i, clause in enumerate(state.old):
        old_groups[_key(clause)].append(i)
    for j, clause in enumerate(state.new):
        new_groups[_key(clause)].append(j)

    repeated: list[str] = []
    for key, olds in old_groups.items():
        news = new_groups.get(key)
        if not news:
            continue
        if len(olds) == 1 and len(news) == 1:
            state.add(olds, news, "exact", 1.0)
        else:
            repeated.append(key)
    if not repeated:
        return

    projection = _Projection(state)
    for key in repeated:
        olds, news = old_groups[key], new_groups[key]
        if len(olds) * len(news) <= 4096:
            # closest to the projected place first. Ties go by i + j: pairs tied on both never share
            # a clause, so which of them comes first changes nothing and the pairing is the same
            # whichever side is old
            old_shift = {i: projection.shift("old", i) for i in olds}
            new_shift = {j: projection.shift("new", j) for j in news}
            ranked = sorted(
                (projection.distance(i, j, old_shift[i], new_shift[j]), i + j, i, j)
                for i in olds
                for j in news
            )
            for _, _, i, j in ranked:
                if state.old_match[i] is None and state.new_match[j] is None:
                    state.add([i], [j], "exact", 1.0)
            continue
        # a very repeated clause: nearest remaining occurrence, in order (bounded work; unlike the
        # ranking above, ties here go by which side is old)
        free_new = list(news)
        for i in olds:
            if not free_new:
                break
            target = projection.expected(i)
            k = bisect.bisect_left(free_new, target)
            best = min(
                (c for c in (k - 1, k) if 0 <= c < len(free_new)),
                key=lambda c: abs(free_new[c] - target),
            )
            state.add([i], [free_new.pop(best)], "exact", 1.0)


class _Projection:
    """Where a clause should land on the other side, from the in-order unique pairs (anchors):
    at the same offset as the anchor before it, or proportionally when there are no anchors."""

    def __init__(self, state: _State) -> None:
        pairs = sorted((m.old[0], m.new[0]) for m in state.matches)
        keep = in_order_chain(pairs, [(0, 2 * len(state.old[i].canonical)) for i, _ in pairs])
        self.anchor_old = [pairs[k][0] for k in keep]
        self.anchor_new = [pairs[k][1] for k in keep]
        self.offsets = [pairs[k][1] - pairs[k][0] for k in keep]
        self.sizes = (len(state.old), len(state.new))

    def shift(self, side: Literal["old", "new"], index: int) -> int:
        """The shift (new - old position) of the anchor at or before clause ``index`` of ``side``."""
        if not self.offsets:
            return 0
        anchors = self.anchor_old if side == "old" else self.anchor_new
        return self.offsets[max(0, bisect.bisect_right(anchors, index) - 1)]

    def expected(self, i: int) -> float:
        """Where old clause ``i`` should be in the new version."""
        if not self.offsets:
            return i * self.sizes[1] / max(1, self.sizes[0])
        return i + self.shift("old", i)

    def distance(self, i: int, j: int, old_offset: int, new_offset: int) -> int:
        """How far the pair (old ``i``, new ``j``) is from where the anchors put it, seen from both
        sides (``shift`` of ``i`` and of ``j``, given), so the value is the same whichever side is old."""
        if not self.offsets:
            return abs(i * self.sizes[1] - j * self.sizes[0])  # proportional, in exact integers
        shift = j - i
        return abs(shift - old_offset) + abs(shift - new_offset)


# --------------------------------------------------------------------------- pass 2: split / merged


def _split_merge(state: _State) -> None:
    free_old = state.free_old()
    free_new = state.free_new()
    if not free_old or not free_new:
        return
    _parts(state, free_old, free_new, split=True)
    _parts(state, state.free_old(), state.free_new(), split=False)


def _parts(state: _State, free_old: list[int], free_new: list[int], *, split: bool) -> None:
    """Find wholes on one side covered by consecutive parts on the other (split when ``split``)."""
    if split:
        wholes, parts = free_old, free_new
        whole_words, part_words = state.old_words, state.new_words
    else:
        wholes, parts = free_new, free_old
        whole_words, part_words = state.new_words, state.old_words
    index = CandidateIndex((w, whole_words(w)) for w in wholes if len(whole_words(w)) >= 6)
    if not index.words:
        return
    part_of: dict[int, int] = {}
    for p in parts:
        pw = part_words(p)
        if len(pw) < 3:
            continue
        best, best_score = -1, 0.0
        for w in index.candidates(pw, limit=4):
            ww = index.words[w]
            if len(ww) <= len(pw):
                continue
            contained = len(pw & ww) / len(pw)
            if contained >= SPLIT_CONTAINED and contained > best_score:
                best, best_score = w, contained
        if best >= 0:
            part_of[p] = best
    # runs of consecutive parts of the same whole
    taken: set[int] = set()
    for p in sorted(part_of):
        if p in taken or part_of.get(p - 1) == part_of[p]:
            continue  # not the head of a run
        whole = part_of[p]
        run = [p]
        while run[-1] + 1 in part_of and part_of[run[-1] + 1] == whole:
            run.append(run[-1] + 1)
        if len(run) < 2:
            continue
        ww = whole_words(whole)
        union = frozenset().union(*(part_words(r) for r in run))
        coverage = len(ww & union) / len(ww)
        single = max(len(ww & part_words(r)) / len(ww) for r in run)
        if coverage < SPLIT_COVERAGE or coverage - single < 0.1:
            continue
        whole_free = (state.old_match if split else state.new_match)[whole] is None
        if not whole_free:
            continue
        taken.update(run)
        similarity = dice(ww, union)
        if split:
            state.add([whole], run, "split", similarity)
        else:
            state.add(run, [whole], "merged", similarity)


# --------------------------------------------------------------------------- pass 3: similar


def _similar(state: _State, threshold: float) -> None:
    free_old = state.free_old()
    free_new = state.free_new()
    if not free_old or not free_new:
        return
    index = CandidateIndex((i, state.old_words(i)) for i in free_old)
    n_old, n_new = max(1, len(state.old)), max(1, len(state.new))
    scored: list[tuple[float, float, int, int]] = []
    for j in free_new:
        nw = state.new_words(j)
        if not nw:
            continue
        for i in index.candidates(nw):
            sim = dice(index.words[i], nw)
            if sim >= threshold:
                distance = abs(i / n_old - j / n_new)
                scored.append((round(sim, 3), -distance, i, j))
    scored.sort(reverse=True)
    for sim, _, i, j in scored:
        if state.old_match[i] is None and state.new_match[j] is None:
            state.add([i], [j], "similar", sim)


# --------------------------------------------------------------------------- pass 4: positional


def _map_sections(state: _State, old_doc: Document, new_doc: Document) -> dict[str, str]:
    matched = (
        (state.old[i].section_id, state.new[j].section_id)
        for m in state.matches
        for i in m.old
        for j in m.new
    )
    return map_sections(matched, old_doc, new_doc)


def _in_order(state: _State, section_map: dict[str, str]) -> list[Match]:
    """The matches in document order on both sides (the canonical longest chain), sorted."""
    ordered = sorted(state.matches, key=lambda m: (m.old[0], m.new[0]))
    weights = [_weight(state, m, section_map) for m in ordered]
    keep = in_order_chain([(m.old[0], m.new[0]) for m in ordered], weights)
    return [ordered[k] for k in keep]


def _positional(state: _State, section_map: dict[str, str]) -> None:
    anchors = _in_order(state, section_map)
    bounds = [(-1, -1)] + [(max(m.old), max(m.new)) for m in anchors] + [(len(state.old), len(state.new))]
    starts = [(-1, -1)] + [(min(m.old), min(m.new)) for m in anchors] + [(len(state.old), len(state.new))]
    for k in range(len(bounds) - 1):
        lo_old, lo_new = bounds[k]
        hi_old, hi_new = starts[k + 1]
        olds = [i for i in range(lo_old + 1, hi_old) if state.old_match[i] is None]
        news = [j for j in range(lo_new + 1, hi_new) if state.new_match[j] is None]
        if not olds or not news:
            continue
        lone = len(olds) == 1 and len(news) == 1
        start = 0
        for i in olds:
            osec = section_map.get(state.old[i].section_id)
            for pos in range(start, min(len(news), start + POSITIONAL_WINDOW)):
                j = news[pos]
                if osec is not None and osec != state.new[j].section_id:
                    continue
                sim = dice(state.old_words(i), state.new_words(j))
                if sim >= (LONE_SIMILARITY if lone else POSITIONAL_SIMILARITY):
                    state.add([i], [j], "positional", sim)
                    start = pos + 1
                    break


# --------------------------------------------------------------------------- moves


def _mark_moves(state: _State, section_map: dict[str, str]) -> tuple[Match, ...]:
    keep = set(_in_order(state, section_map))
    return tuple(m if m in keep else attrs.evolve(m, moved=True) for m in state.matches)


def _weight(state: _State, match: Match, section_map: dict[str, str]) -> tuple[int, int]:
    """Whether a match stays in its (mapped) section, and how much text it holds on both sides:
    what the in-order chain keeps most of, so that a clause taken to another section is the move."""
    old, new = state.old[match.old[0]], state.new[match.new[0]]
    return int(section_map.get(old.section_id) == new.section_id), state.sizes[match]


# --------------------------------------------------------------------------- entry point


def align(old: Document, new: Document, *, similarity: float = DEFAULT_SIMILARITY) -> Alignment:
    """Match the clauses of ``old`` with those of ``new`` (see the module docstring for the passes)."""
    state = _State(tuple(old.clauses()), tuple(new.clauses()))
    _exact(state)
    _split_merge(state)
    _similar(state, similarity)
    section_map = _map_sections(state, old, new)
    _positional(state, section_map)
    section_map = _map_sections(state, old, new)
    matches = _mark_moves(state, section_map)
    return Alignment(
        old=tuple(state.old),
        new=tuple(state.new),
        matches=tuple(sorted(matches, key=lambda m: (m.new[0], m.old[0]))),
        removed=tuple(state.free_old()),
        added=tuple(state.free_new()),
        section_map=section_map,
        section_changes=changed_sections(old, new, section_map),
    )
