"""Sentence mood: parts of a sentence that state no practice of the service.

A question ("Do we sell your data?", "Who can see my posts?") asks; a definition ('"Sale" means ...',
'as "sell" is defined under state law') defines a word; a non-commitment ("we cannot guarantee that
your data will not be disclosed", "we are not obliged to monitor posts", "we may refuse to publish")
withholds a promise. What users must or must not do ("you agree not to scrape or sell ...", "Do not
share your password", "Crawling is not allowed", "... may not be copied without our permission") and
the grounds of a sanction ("we may ban players for cheating or selling items") are the user's conduct.
``unstated(sentence, offset)`` is true when the word at ``offset`` lies in such a part. Every pattern
is linear (no nested quantifiers).
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
# "cannot guarantee that", "can't promise", "do not warrant", "unable to ensure"; a duty disowned ("not
# obliged to", "under no obligation to"); a discretion to refuse ("may refuse to publish", "can decline to")
_WITHHELD = re.compile(
    r"\b(?:cannot|can\s+not|can[\u2019']t|do\s+not|does\s+not|don[\u2019']t|doesn[\u2019']t|unable\s+to|"
    r"no\s+way\s+to)\s+(?:fully\s+|completely\s+|absolutely\s+)?"
    r"(?:guarantee|ensure|promise|warrant|assure)\b"
    r"|\bnot\s+(?:be\s+)?(?:obliged|obligated|required|bound|under\s+(?:any|an)\s+obligation)\s+to\b"
    r"|\b(?:under|have|has|assumes?|with)\s+no\s+(?:obligation|duty|responsibility)\s+to\b"
    r"|\b(?:may|can|could|might|reserves?\s+the\s+right\s+to)\s+(?:\w+\s+(?:or|and)\s+)?"
    r"(?:refuse|decline)\s+to\b",
    re.IGNORECASE,
)

_APOS = "[\u2019']"
# what a user must (not) do, from the marker on: "you agree not to", "members must not", "users shall",
# "Do not ..." or "Please ..." opening the clause, a "do not:" lead-in
_CONDUCT_LEAD = re.compile(
    r"\b(?:you|users?|members?|players?|customers?|visitors?|participants?|sellers?|buyers?|drivers?|"
    r"hosts?|guests?|students?|subscribers?|account\s+holders?)\s+(?:"
    rf"(?:agree|undertake|promise)\s+not\s+to|(?:must|shall|may|should)\s*not|(?:mustn|shan){_APOS}t|"
    r"must|shall|should|are\s+not\s+(?:allowed|permitted)\s+to|are\s+(?:prohibited|forbidden)\s+from)\b"
    r"|\b(?:your|their)\s+(?:failure|obligation|responsibility|duty)\s+to\b"
    r"|\bit\s+is\s+your\s+(?:responsibility|obligation|duty)\s+to\b"
    rf"|^\W*(?:please\s+)?(?:do\s+not|don{_APOS}t|never|avoid|please)\b"
    r"|\bdo\s+not\s*:"
    # an instruction to the reader: "Follow us on social media for offers", "Click 'Settings' to ..."
    r"|^\W*(?:(?:follow|contact|email|call|write\s+to|message)\s+(?:us|our)\b|"
    r"(?:visit|click|tap|see|read|check|go\s+to|select|learn|find\s+out)\b)",
    re.IGNORECASE,
)
# a prohibition with no actor: "Crawling is not allowed", "Spam is strictly prohibited"
_BANNED = re.compile(
    r"\b(?:is|are|be)\s+(?:strictly\s+|expressly\s+)?(?:not\s+(?:allowed|permitted|authori[sz]ed|tolerated)|"
    r"prohibited|forbidden|banned)\b",
    re.IGNORECASE,
)
# "... may not be copied or used without our permission": others need the service's leave
_LEAVE_NEEDED = re.compile(
    r"\b(?:may|must|shall)\s+not\s+be\s+\w+[^.;]{0,80}?\bwithout\s+(?!your\b)"
    r"(?:(?:the|our|its|prior|express|explicit|written|specific)\s+)*(?:permission|consent|approval|"
    r"authori[sz]ation)\b",
    re.IGNORECASE,
)
# the grounds of a sanction: "we may ban players for cheating or selling items", "suspend ... if you"
_SANCTION_GROUNDS = re.compile(
    r"\b(?:suspend(?:s|ed|ing)?|terminat(?:e|es|ed|ing)|ban(?:s|ned|ning)?|close[sd]?|closing|"
    r"disabl(?:e|es|ed|ing)|block(?:s|ed|ing)?|expel(?:s|led|ling)?|deactivat(?:e|es|ed|ing)|"
    r"bar(?:s|red|ring)?)\s+(?:[\w'-]+,?\s+){0,12}?"
    r"(?:for|if\s+you|if\s+we\s+(?:believe|suspect|think|find)|because\s+you|when\s+you|where\s+you)\b",
    re.IGNORECASE,
)
# a turn ends a withheld promise ("we cannot guarantee ..., but we never sell ..."); the service speaking
# again ends the user's part ("you must not ... and we may ...", "your obligation to pay ... Acme may")
_TURN = re.compile(r"\b(?:but|however|although|whereas)\b|;", re.IGNORECASE)
_SERVICE_AGAIN = re.compile(
    r"\b(?:we|but|however|whereas)\b|\b(?-i:[A-Z])[\w&'\u2019-]+\s+(?:may|will|can|shall|might|could)\b",
    re.IGNORECASE,
)
_FIRST_PARTY = re.compile(r"\b(?:we|us|our)\b", re.IGNORECASE)
_USERS_DATA = re.compile(r"\b(?:your|personal)\b", re.IGNORECASE)


@attrs.frozen
class _Clause:
    start: int
    asks_or_defines: bool  # a question or a defined term: nothing in it is stated
    withheld: tuple[int, int]  # after "cannot guarantee" up to "but": not promised ((0, 0): none)
    defines_as: bool  # 'as "sell" is defined': a quoted word in it is a term, not a practice
    conduct: tuple[int, int]  # the user's conduct in it, [start, end) in the sentence ((0, 0): none)


def _conduct(clause: str, start: int) -> tuple[int, int]:
    """Where ``clause`` (at ``start`` in its sentence) says what users must or must not do."""
    if _LEAVE_NEEDED.search(clause) or (
        _BANNED.search(clause) and not _FIRST_PARTY.search(clause) and not _USERS_DATA.search(clause)
    ):
        return start, start + len(clause)
    return _span(
        clause, start, _CONDUCT_LEAD.search(clause) or _SANCTION_GROUNDS.search(clause), _SERVICE_AGAIN
    )


def _span(
    clause: str, start: int, marker: re.Match[str] | None, end: re.Pattern[str], *, after: bool = False
) -> tuple[int, int]:
    """From ``marker`` (or ``after`` it) to the next ``end`` or the clause's end, as sentence offsets."""
    if marker is None:
        return 0, 0
    stop = end.search(clause, marker.end())
    begin = marker.end() if after else marker.start()
    return start + begin, start + (stop.start() if stop else len(clause))


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
        found.append(
            _Clause(
                match.start(),
                asks or _DEFINED_TERM.match(clause) is not None,
                _span(clause, match.start(), _WITHHELD.search(clause), _TURN, after=True),
                _DEFINED_AS.search(clause) is not None,
                _conduct(clause, match.start()),
            )
        )
    return tuple(found)


def unstated(sentence: str, offset: int) -> bool:
    """Is the word at ``offset`` of ``sentence`` in a question, a definition, a withheld promise or what
    users must or must not do?"""
    clauses = _clauses(sentence)
    at = bisect_right(clauses, offset, key=lambda c: c.start) - 1
    if at < 0:
        return False
    clause = clauses[at]
    if clause.asks_or_defines:
        return True
    if any(start <= offset < end for start, end in (clause.withheld, clause.conduct)):
        return True
    return clause.defines_as and offset > 0 and sentence[offset - 1] in _QUOTES
