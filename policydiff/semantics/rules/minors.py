"""Minors: age thresholds (digits, words, "16 or older", a table cell) and how a clause treats minors."""

from __future__ import annotations

import re

from policydiff.model import Direction
from policydiff.semantics.context import Context, Hit, Side
from policydiff.semantics.frames import Analysis
from policydiff.semantics.rules.helpers import (
    lost_cue_texts,
    new_cue_texts,
    new_side_group,
    old_side_group,
    q,
)

_AGE = re.compile(r"\d{1,2}")


_CHILD_AGE = re.compile(
    r"(?:under|below|younger than|age of|aged?|at least)\s+(?:the\s+age\s+of\s+)?(\d{1,2})"
    r"|(\d{1,2})\s+years?\s+(?:old|of age)",
    re.IGNORECASE,
)
_CHILD_WORD = re.compile(r"\b(?:child|children|minors?|teens?|teenagers?|parental)\b", re.IGNORECASE)


# ``_CHILD_AGE`` for folded (lower-case) text, without IGNORECASE: "ſ" is the one character IGNORECASE
# matches for one of these letters that lower-casing does not give. Each alternative alone starts with a
# literal or a digit, which the regex engine skips to at C speed; their union it tries at every position.
_AGE_AFTER_WORD = re.compile(
    r"(?:under|below|younger than|age of|aged?|at lea[sſ]t)\s+(?:the\s+age\s+of\s+)?(\d{1,2})"
)
_AGE_BEFORE_YEARS = re.compile(r"(\d{1,2})\s+year[sſ]?\s+(?:old|of age)")
_FOLDED_CHILD_AGE = re.compile(f"{_AGE_AFTER_WORD.pattern}|{_AGE_BEFORE_YEARS.pattern}")


def _ages(text: str) -> set[int]:
    return {int(m.group(1) or m.group(2)) for m in _CHILD_AGE.finditer(text)}


def _document_ages(folded: str) -> set[int]:
    """``_ages`` of a folded whole document (``DocumentFacts.once``) in a quarter of ``_ages``'s time.

    The matches of ``_FOLDED_CHILD_AGE.finditer``: each starts where the first alternative matching at
    or after the previous match's end starts, so each alternative is searched alone (fast) and the
    union matched there.
    """
    ages: set[int] = set()
    pos = 0
    after = _AGE_AFTER_WORD.search(folded)
    before = _age_before_years(folded, 0)
    while after is not None or before is not None:
        start = min(m.start() for m in (after, before) if m is not None)
        match = _FOLDED_CHILD_AGE.match(folded, start)
        assert match is not None  # an alternative matches at ``start``
        ages.add(int(match.group(1) or match.group(2)))
        pos = match.end()
        if after is not None and after.start() < pos:
            after = _AGE_AFTER_WORD.search(folded, pos)
        if before is not None and before.start() < pos:
            before = _age_before_years(folded, pos)
    return ages


def _age_before_years(folded: str, pos: int) -> re.Match[str] | None:
    """``_AGE_BEFORE_YEARS.search(folded, pos)``, found from the word "year" (a search for a pattern
    opening on a digit stops at every digit of the document). A match ends its digits on the white
    space before a "year", so it starts one or two characters before that white space."""
    year = folded.find("year", pos)
    while year >= 0:
        space = year
        while space > pos and folded[space - 1].isspace():  # ``\s`` is ``str.isspace``
            space -= 1
        for start in (space - 2, space - 1):
            match = _AGE_BEFORE_YEARS.match(folded, start) if start >= pos else None
            if match is not None:
                return match
        year = folded.find("year", year + 1)
    return None


def _mentions_children(text: str) -> bool:
    return _CHILD_WORD.search(text) is not None


# a sentence about children that touches the service's use or data: accounts, sign-up, consent, data
# words, or a practice of the service ("Children's books are discounted", "Bring your children to our
# workshops", "Child seats can be requested" name children and no use of the service by them)
_USE_OR_DATA = re.compile(
    r"\b(?:accounts?|regist\w*|sign(?:ing)?[\s-]?up|log\s?in|use|using|access\w*|consent|parents?|"
    r"guardians?|permission|information|data|personal|collect\w*|profiles?|privacy|verif\w*|"
    r"knowingly|intended|directed|eligible|allowed|permitted)\b",
    re.IGNORECASE,
)


def _about_their_use(analysis: Analysis) -> bool:
    return bool(analysis.of("data")) or _USE_OR_DATA.search(analysis.text) is not None


# an age that limits the service, its users or their data; not one for a prize draw or a purchase of
# alcohol that the sentence names alone ("The prize draw is open to residents aged 21 or older")
_THE_SERVICE = re.compile(
    r"\b(?:users?|members?|customers?|visitors?|you|your|we|our|us|service|services|site|website|app|"
    r"apps|application|platform|products?|software|game|content|these terms|this (?:policy|notice))\b",
    re.IGNORECASE,
)


def _about_the_service(analysis: Analysis) -> bool:
    return _about_their_use(analysis) or _THE_SERVICE.search(analysis.text) is not None


# ages written as words ("sixteen", "under thirteen") read as digits; longest first ("twenty-one")
_NUMBER_WORDS = {
    "twenty-one": 21, "twenty one": 21, "twenty": 20, "nineteen": 19, "eighteen": 18, "seventeen": 17,
    "sixteen": 16, "fifteen": 15, "fourteen": 14, "thirteen": 13, "twelve": 12, "eleven": 11, "ten": 10,
}  # fmt: skip
_NUMBER_WORD = re.compile(r"\b(?:" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
# thresholds as "16 or older", "13+", "18 and over", a table cell "Minimum age | 16", "age: 16"
_AGE_AT_LEAST = re.compile(
    r"(?<![\d.])(\d{1,2})\s*(?:\+|(?:years?\s+)?(?:or|and)\s+(?:older|over|above|up)\b)"
    r"|\bage\s*(?:[|:]|is|of at least|requirement is)\s*(\d{1,2})\b",
    re.IGNORECASE,
)
# "at least 30 days", "under 10 MB": a number with a unit is no age
_UNIT = re.compile(
    r"\s*(?:\(\d+\)\s*)?(?:calendar |business |working )?"
    r"(?:%|percent|days?|weeks?|months?|hours?|minutes?|seconds?|times|characters?|[kmg]b)\b",
    re.I,
)


def _after_number(text: str, start: int) -> bool:
    """ "version 14.5 or above": a cue starting inside a decimal number reads no age."""
    return start > 0 and text[start - 1] in "0123456789."


def _clause_ages(text: str) -> set[int]:
    """The age thresholds of one clause, in every way policies write them (digits or words)."""
    text = _NUMBER_WORD.sub(lambda m: str(_NUMBER_WORDS[m.group(0).lower()]), text)
    ages: set[int] = set()
    for pattern in (_CHILD_AGE, _AGE_AT_LEAST):
        for m in pattern.finditer(text):
            if not _UNIT.match(text, m.end()):
                ages.add(int(m.group(1) or m.group(2)))
    return ages


def _age_changed(ctx: Context) -> Hit | None:
    """A clause about minors whose age threshold moved ("at least 15" -> "at least 13")."""
    if ctx.old is None or ctx.new is None or not (ctx.old.of("children") or ctx.new.of("children")):
        return None
    a, b = _clause_ages(ctx.old.text), _clause_ages(ctx.new.text)
    if not a or not b or a == b:
        return None
    cues = ctx.new.of("children")
    side: Side = "new" if cues else "old"
    cue = cues[0] if cues else ctx.old.of("children")[0]
    direction: Direction = "weakens" if min(b) < min(a) else "strengthens"
    return Hit(
        f"Changes the age threshold from {min(a)} to {min(b)}: {q(cue)}.",
        ((cue, side),),
        direction=direction,
    )


def _treatment_changed(ctx: Context) -> Hit | None:
    """A clause about minors that turns a protection around: a negation or a protective setting flips."""
    if ctx.old is None or ctx.new is None or not (ctx.old.of("children") and ctx.new.of("children")):
        return None
    flipped = bool(ctx.old.of("negation")) != bool(ctx.new.of("negation"))
    settings = ctx.old.keys("minor_setting") != ctx.new.keys("minor_setting")
    if not (flipped or settings):
        return None
    cue = (ctx.new.of("minor_setting") or ctx.new.of("children"))[0]
    return Hit(f"Changes how minors are treated: {q(cue)}.", ((cue, "new"),))


def children_changed(ctx: Context) -> Hit | None:
    hit = _age_changed(ctx)
    if hit is not None:
        return hit
    new = [c for c in new_cue_texts(ctx, "children")]
    lost = [c for c in lost_cue_texts(ctx, "children")]
    if not new and not lost:
        return _treatment_changed(ctx)
    old_ages = _ages(" ".join(a.text for a in old_side_group(ctx))) | ctx.old_facts.once(_document_ages)
    new_ages = _ages(" ".join(a.text for a in new_side_group(ctx))) | ctx.new_facts.once(_document_ages)
    for cue in new:
        assert ctx.new is not None  # a new cue is read in the new sentence
        ages = set() if _after_number(ctx.new.text, cue.start) else _clause_ages(cue.text)
        if ages and not ages <= old_ages and _about_the_service(ctx.new):
            return Hit(f"Adds an age threshold: {q(cue)}.", ((cue, "new"),))
        if (
            not ages
            and ctx.old_facts.text
            and not ctx.old_facts.once(_mentions_children)
            and not old_ages
            and _about_their_use(ctx.new)
        ):
            return Hit(f"Starts addressing children's data: {q(cue)}.", ((cue, "new"),))
    for cue in lost:
        ages = _ages(cue.text)
        if ages and not ages <= new_ages:
            return Hit(f"Removes the age threshold {q(cue)}.", ((cue, "old"),))
        if cue.key == "age_words" and (ctx.new is None or not ctx.new.of("children")):
            return Hit(f"Drops the age limit {q(cue)}.", ((cue, "old"),))
    return _treatment_changed(ctx)
