"""Sentence mood: parts of a sentence that state no practice of the service.

A question ("Do we sell your data?", "Who can see my posts?") asks; a definition ('"Sale" means ...',
'as "sell" is defined under state law') defines a word; a non-commitment ("we cannot guarantee that
your data will not be disclosed") withholds a promise. ``unstated(sentence, offset)`` is true when the
word at ``offset`` lies in such a part. Every pattern is linear (no nested quantifiers).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

import attrs

__all__ = ["unstated"]

_QUOTES = "\"'\u201c\u201d\u2018\u2019"
# a clause ends at ., ! or ? (a question mark may be followed by closing quotes, brackets or emphasis)
_CLAUSE = re.compile(r"[^.!?]*(?:[.!?]+|$)")
# "Do we ...", "Will you ...", "Who can ..." opening a heading without its question mark
_ASKING = re.compile(
    r"\W*(?:(?:do|does|did|will|would|can|could|shall|should|is|are|may|might)\s+"
    r"(?:we|you|i|they|it|my|our|your|the|any)\b|(?:who|what|why|how|when|where|which)\s+"
    r"(?:do|does|did|will|would|can|could|is|are|may)\s)",
    re.IGNORECASE,
)
# '"Sale" means', '"Personal data" refers to': a quoted term being defined
_DEFINED_TERM = re.compile(
    rf"\W*[{_QUOTES}][^{_QUOTES}]{{1,60}}[{_QUOTES}]\s+(?:means|refers\s+to|shall\s+mean|is\s+defined)\b",
    re.IGNORECASE,
)
# 'as "sell" is defined', 'have the meaning(s) given'
_DEFINED_AS = re.compile(
    r"\bis\s+defined\b|\bhave\s+the\s+meanings?\b|\bhas\s+the\s+meaning\b", re.IGNORECASE
)
# "cannot guarantee that", "can't promise", "do not warrant", "unable to ensure"
_WITHHELD = re.compile(
    r"\b(?:cannot|can\s+not|can[\u2019']t|do\s+not|does\s+not|don[\u2019']t|doesn[\u2019']t|unable\s+to|"
    r"no\s+way\s+to)\s+(?:fully\s+|completely\s+|absolutely\s+)?"
    r"(?:guarantee|ensure|promise|warrant|assure)\b",
    re.IGNORECASE,
)


@attrs.frozen
class _Clause:
    start: int
    asks_or_defines: bool  # a question or a defined term: nothing in it is stated
    withheld_from: int  # offset after "cannot guarantee": words after it are not promised (-1: none)
    defines_as: bool  # 'as "sell" is defined': a quoted word in it is a term, not a practice


@lru_cache(maxsize=4096)
def _clauses(sentence: str) -> tuple[_Clause, ...]:
    """Each clause of ``sentence`` read once, so that asking about many words costs linear time."""
    found = []
    for match in _CLAUSE.finditer(sentence):
        clause = match.group()
        if not clause:
            continue
        text = clause.rstrip(" *_)]" + _QUOTES)
        asks = text.endswith("?") or (_ASKING.match(clause) is not None and not text.endswith((".", "!")))
        withheld = _WITHHELD.search(clause)
        found.append(
            _Clause(
                match.start(),
                asks or _DEFINED_TERM.match(clause) is not None,
                match.start() + withheld.end() if withheld else -1,
                _DEFINED_AS.search(clause) is not None,
            )
        )
    return tuple(found)


def unstated(sentence: str, offset: int) -> bool:
    """Is the word at ``offset`` of ``sentence`` in a question, a definition or a withheld promise?"""
    clauses = _clauses(sentence)
    at = bisect_right(clauses, offset, key=lambda c: c.start) - 1
    if at < 0:
        return False
    clause = clauses[at]
    if clause.asks_or_defines or 0 <= clause.withheld_from <= offset:
        return True
    return clause.defines_as and offset > 0 and sentence[offset - 1] in _QUOTES
