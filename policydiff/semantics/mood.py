"""Sentence mood: parts of a sentence that state no practice of the service.

A question ("Do we sell your data?", "Who can see my posts?") asks; a definition ('"Sale" means ...',
'as "sell" is defined under state law') defines a word; a non-commitment ("we cannot guarantee that
your data will not be disclosed") withholds a promise. ``unstated(sentence, offset)`` is true when the
word at ``offset`` lies in such a part. Every pattern is linear (no nested quantifiers).
"""

from __future__ import annotations

import re

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


def _clause_at(sentence: str, offset: int) -> tuple[int, str]:
    for match in _CLAUSE.finditer(sentence):
        if match.start() <= offset < match.end() or match.end() == len(sentence):
            return match.start(), match.group()
    return 0, sentence


def unstated(sentence: str, offset: int) -> bool:
    """Is the word at ``offset`` of ``sentence`` in a question, a definition or a withheld promise?"""
    start, clause = _clause_at(sentence, offset)
    text = clause.rstrip(" *_)]" + _QUOTES)
    if text.endswith("?") or (_ASKING.match(clause) and not text.endswith((".", "!"))):
        return True
    if _DEFINED_TERM.match(clause):
        return True
    before = sentence[start:offset]
    if _WITHHELD.search(before):
        return True
    quoted = offset > 0 and sentence[offset - 1] in _QUOTES
    return quoted and bool(_DEFINED_AS.search(clause))
