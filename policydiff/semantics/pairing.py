"""Sentence pairing by word overlap: which old sentence became which new one.

Sentences are compared by the Jaccard overlap of their word sets; pairing is greedy, best score
first, ties broken by position, so it is deterministic. Sentences present on both sides are dropped
first, and a pair whose differences are all short replacements yields its swapped phrases (a defined
term renamed throughout is found by counting them, see ``units``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

from policydiff.semantics.context import Sent

_WORD = re.compile(r"[a-z0-9]+")

Pairing = tuple[list[tuple[Sent, Sent]], list[Sent], list[Sent]]  # pairs, lone old, lone new


def words(text: str) -> frozenset[str]:
    """The set of lower-case words and numbers of ``text``."""
    return frozenset(_WORD.findall(text.lower()))


def similarity(a: Sent, b: Sent) -> float:
    """Word overlap (Jaccard) of two sentences; 0 when either has no word."""
    wa, wb = words(a.text), words(b.text)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def _edges(old: Sequence[Sent], new: Sequence[Sent], threshold: float) -> list[tuple[float, int, int]]:
    """``(score, i, j)`` for every pair at or above ``threshold`` (``similarity``, word sets made once)."""
    old_words = [words(o.text) for o in old]
    new_words = [words(n.text) for n in new]
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


def pair(old: Sequence[Sent], new: Sequence[Sent], threshold: float) -> Pairing:
    """Greedy best-first pairing by word overlap; deterministic (ties broken by position)."""
    return _greedy(old, new, _edges(old, new, threshold))


def _greedy(old: Sequence[Sent], new: Sequence[Sent], edges: Iterable[tuple[float, int, int]]) -> Pairing:
    """``pair`` given its ``_edges``: best score first, ties broken by position."""
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


def drop_common(old: list[Sent], new: list[Sent]) -> tuple[list[Sent], list[Sent]]:
    """Both sides without the sentences (by key, counted) present on the other side."""
    common = Counter(s.key for s in old) & Counter(s.key for s in new)
    return _without(old, common), _without(new, common)


def _without(sents: list[Sent], common: Counter[str]) -> list[Sent]:
    remaining = Counter(common)
    left: list[Sent] = []
    for s in sents:
        if remaining[s.key] > 0:
            remaining[s.key] -= 1
        else:
            left.append(s)
    return left


def swaps(old: Sent, new: Sent) -> list[tuple[str, str]] | None:
    """Phrases swapped between two sentences, when every difference is a short replacement."""
    a, b = old.key.split(), new.key.split()
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag != "replace" or i2 - i1 > 3 or j2 - j1 > 3:
            return None
        out.append((" ".join(a[i1:i2]), " ".join(b[j1:j2])))
    return out
