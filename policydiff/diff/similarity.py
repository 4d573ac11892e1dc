"""What clause similarity is computed on: content-word sets, the Dice coefficient, and an inverted
index of rare words that bounds the candidates each clause is compared with."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

__all__ = ["CandidateIndex", "dice", "words_of"]

RARE_TOKENS = 8  # index probes per clause
POSTING_CAP = 400  # probe lists longer than this are not rare: skip them
CANDIDATES = 12  # exact similarity computed for at most this many candidates per clause


_WORD = re.compile(r"\w+", re.UNICODE)


# function words carry no identity: two unrelated paragraphs share most of them
_STOP = frozenset(
    """a an and are as at be by can do does for from has have if in into is it its may not of on
    or our that the their them these they this those to under us we when where which who will
    with you your""".split()
)


def words_of(text: str) -> frozenset[str]:
    """The lower-cased content-word set of a (canonical) text: what similarity is computed on.

    Function words are left out (unless the text has nothing else), so that two unrelated clauses
    of the same policy do not look alike just because both say "we", "your" and "the"."""
    words = set(_WORD.findall(text.lower()))
    content = words - _STOP
    return frozenset(content or words)


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice coefficient of two word sets (1.0 for two empty sets)."""
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


class CandidateIndex:
    """Inverted index over one side's free clauses: word -> clause indices, probed by rare words."""

    def __init__(self, items: Iterable[tuple[int, frozenset[str]]]) -> None:
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.words: dict[int, frozenset[str]] = {}
        for index, words in items:
            self.words[index] = words
            for word in words:
                self.postings[word].append(index)

    def candidates(self, words: frozenset[str], limit: int = CANDIDATES) -> list[int]:
        """Indices sharing the most of ``words``' rarest words (bounded work)."""
        probes = sorted(
            (len(self.postings[w]), w) for w in words if w in self.postings and len(self.postings[w])
        )
        hits: Counter[int] = Counter()
        used = 0
        for size, word in probes:
            if size > POSTING_CAP or used >= RARE_TOKENS:
                break
            hits.update(self.postings[word])
            used += 1
        if not hits:
            return []
        return [index for index, _ in hits.most_common(limit)]
