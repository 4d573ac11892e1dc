"""Negation scope: which actions of a sentence a negation governs, beyond the auxiliaries right before them.

``frames`` reads "will not sell" from the auxiliary chain before a verb. Policy English also negates
- across an interruption: "does not now, nor will it in the future, sell", "do not (and will never) sell",
  "is particularly not permitted to make available";
- every verb of a coordination, including verbs the lexicon does not know and verbs with their own
  preposition: "will not sell, license, sub-license or share", "will not share with or sell";
- from the subject or a fronted adverbial: "None of the information we collect is ever shared",
  "Under no circumstances will your data be sold or passed on", "No personal data is rented",
  "No one at our company reads your notes", with the inversion "At no time will we sell";
- across an aside between commas: "will not, under any circumstances, sell";
- by the meaning of the verb before the practice: "we refrain from selling", "staff are prohibited from
  accessing" (the word lists are data: ``[negation_scope]`` in ``semantics/data/modality.toml``).

``scope_negations`` works on positions only (no frames): given each action's span and whether its own
chain already negates it, it says which actions are negated. A verb with a force of its own ("we do not
sell your data and we will share it") keeps it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from policydiff.semantics.lexicon import word_list

_NEGATION = re.compile(r"\b(?:not|never|no longer|cannot|nor)\b|n['’]t\b", re.IGNORECASE)
_PARENTHESIS = re.compile(r"\([^()]{0,80}\)")
# what may stand between a negation and the verb it governs ("not now, nor will it in the future, sell"),
# including participles of a coordination the lexicon does not know ("cannot be assigned, gifted, sold")
_FILLER = re.compile(
    r"^(?:[\s,\"'“”‘’]|\b(?:will|would|may|might|can|could|shall|should|must|do|does|did|is|are|was|were|be|been|"
    r"being|has|have|had|it|we|they|he|she|now|ever|again|also|otherwise|even|further|and|or|nor|to|"
    r"in the business of|engag(?:e|es|ing) in|in the "
    r"future|at any time|any longer|in any (?:other )?(?:way|manner)|(?:permitted|allowed|able|going|"
    r"authori[sz]ed|entitled|obliged|intend(?:s|ed)?|plan(?:s|ned)?) to|\w+ly|by|from|through|"
    r"involv(?:e|es|ing)|entail(?:s|ing)?|"
    r"\w+(?:ed|en)(?=\s*,|\s+(?:or|and)\b))\b)*$",
    re.IGNORECASE,
)
# a verb with a force of its own: it does not inherit the negation of the verb before it
_OWN_FORCE = re.compile(
    r"\b(?:will|would|may|might|can|could|shall|should|must|do|does|did|we|you|they|but|however|except|"
    r"unless|only)\b",
    re.IGNORECASE,
)
_GLUE = frozenset({",", "or", "and", "and/or", "nor", "otherwise", "also", "even", "with", "to", "from",
                   "on", "in", "any", "other", "way", "manner", "directly", "indirectly"})  # fmt: skip
_WORD = re.compile(r"[a-z][a-z-]*$")
_QUOTES = re.compile("[\"'“”‘’]")
# a negative subject or fronted negative adverbial at the start of a clause
_NEGATIVE_START = re.compile(
    r"(?:^|[.;:!?]\s+|^\s*(?:\d+\.|[-*•])\s*|\b(?:and|but|so)\s+)"
    rf"(?:{'|'.join(word_list('modality', 'negation_scope', 'subjects'))}|"
    r"no (?!longer\b|later\b|more than\b|less than\b|matter\b|one\b)\w+)\b",
    re.IGNORECASE,
)
# the inversion after a fronted negative: "at no time will we sell", "under no circumstances do we share"
_INVERTED = re.compile(
    r"[\s,]*(?:will|would|may|might|can|could|shall|should|must|do|does|did|has|have|had)\s+"
    r"(?:we|they|it|he|she|you)\s+(?:(?:ever|also|\w+ly|have|be)\s+)*$",
    re.IGNORECASE,
)
# a verb that negates the practice right after it by its meaning ("we refrain from selling")
_NEGATIVE_VERB = re.compile(
    rf"\b(?:{'|'.join(word_list('modality', 'negation_scope', 'verbs'))})\s+(?:\w+ly\s+)?$", re.IGNORECASE
)
# a negated verb of letting ("we do not allow advertisers to collect"): it negates what the party would do
_LETTING = "|".join(word_list("modality", "negation_scope", "permissions"))
_NOT_LETTING = re.compile(rf"(?:\b(?:not|never)\s+|n['’]t\s+)(?:{_LETTING})\b", re.IGNORECASE)
# a practice named by a noun, the object of a negated verb ("we do not use any third-party tracking")
_OBJECT_WORDS = re.compile(
    rf"\s*(?:(?:{'|'.join(word_list('modality', 'negation_scope', 'objects'))})\s+){{0,3}}$", re.IGNORECASE
)
# an aside between commas inside a negated chain ("will not, under any circumstances, sell")
_ASIDE = re.compile(r",[^,;:.()]{1,40},")
# a relative clause inside the negative subject ("none of the information we do collect is shared")
_RELATIVE = re.compile(
    r"\b(?:we|you|they|that|which|who)\s+(?:(?:do|does|did|may|might|can|will|would|have|has|had|also)\s+)*$",
    re.IGNORECASE,
)
_BOUNDARY = re.compile(r"[;:]|\.\s")
# the auxiliaries right before a verb; a "be" before them is a predicate of its own ("will not be liable")
_TAIL_CHAIN = re.compile(
    r"(?:\b(?:will|would|may|might|can|could|shall|should|must|be|been|being|is|are|was|were|ever|also|"
    r"\w+ly)\s+)*$",
    re.IGNORECASE,
)
_BE = re.compile(r"\b(?:be|is|are|was|were|been)\b", re.IGNORECASE)
# a negative determiner on an action noun: "no tracking", "no third-party analytics"
_NO_BEFORE = re.compile(r"\b(?:no|without any|free of)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)


def _interrupted(sentence: str, lo: int, start: int) -> bool:
    """A negation in ``sentence[lo:start]`` whose only words up to ``start`` are auxiliaries or fillers."""
    window = _PARENTHESIS.sub(_blank, sentence[lo:start])
    found = list(_NEGATION.finditer(window))
    last = found[-1] if found else None
    if last is None or _bounded(sentence, lo + last.end(), start):
        return False
    rest = window[last.end() :]
    # an aside between commas is read past only when the words alone do not reach ("not, as a rule, sell")
    return _FILLER.match(rest) is not None or _FILLER.match(_ASIDE.sub(_blank, rest)) is not None


def _let(sentence: str, lo: int, start: int) -> bool:
    """A negated verb of letting, the party it lets and "to" (nothing after "let"), up to ``start``."""
    found = list(_NOT_LETTING.finditer(sentence, lo, start))
    if not found or _bounded(sentence, found[-1].end(), start):
        return False
    words = sentence[found[-1].end() : start].split()
    let = found[-1].group(0).lower().endswith("let")
    return 1 <= len(words) <= 6 and (words[-1].lower() == "to" or (let and len(words) <= 3))


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def _coordinated(gap: str) -> bool:
    """``gap`` joins two verbs of one list: commas, "or", "and", prepositions, a few other verbs."""
    if _OWN_FORCE.search(gap):
        return False
    tokens = _QUOTES.sub(" ", gap).replace(",", " , ").lower().split()  # 'not "sell" or "share"'
    if not tokens or not any(t in (",", "or", "and", "and/or", "nor") for t in tokens):
        return False
    others = [t for t in tokens if t not in _GLUE]
    return len(others) <= 3 and all(_WORD.match(t) for t in others)


def _bounded(sentence: str, lo: int, hi: int) -> bool:
    return _BOUNDARY.search(sentence, lo, hi) is not None


def scope_negations(sentence: str, spans: Sequence[tuple[int, int]], negated: Sequence[bool]) -> list[bool]:
    """Which actions (``spans``, in order) are negated, given which ones their own chain negates."""
    out = list(negated)
    for i, (start, _end) in enumerate(spans):
        lo = max(0, start - 120, spans[i - 1][1] if i else 0)
        if not out[i] and (
            _interrupted(sentence, lo, start)
            or _NO_BEFORE.search(sentence, lo, start)
            or _NEGATIVE_VERB.search(sentence, lo, start)
            or _let(sentence, lo, start)
        ):
            out[i] = True
    for match in _NEGATIVE_START.finditer(sentence):
        for i, (start, _end) in enumerate(spans):
            if start < match.end() or _bounded(sentence, match.end(), start):
                continue
            lo = max(match.end(), spans[i - 1][1] if i else 0)
            if _INVERTED.match(sentence, match.end(), start):
                out[i] = True  # "at no time will we sell"
                break
            if _RELATIVE.search(sentence, lo, start):
                continue  # a verb of the subject's relative clause
            gap = sentence[match.end() : start]
            if _BE.search(_TAIL_CHAIN.sub("", gap, count=1)):
                break  # the negation belongs to another predicate ("in no event will we be liable for ...")
            own = _NEGATION.search(sentence, lo, start)
            if own is None or (own.group(0).lower() == "nor" and match.group(0).lower().endswith("neither")):
                out[i] = True  # "neither we nor our partners sell": the "nor" belongs to the subject
            break
    for i in range(1, len(spans)):
        gap = sentence[spans[i - 1][1] : spans[i][0]]
        if out[i - 1] and not out[i] and (_coordinated(gap) or _OBJECT_WORDS.match(gap)):
            out[i] = True
    return out
