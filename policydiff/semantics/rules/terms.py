"""Terms: security, regional scope, children, notice of changes, disputes, browser signals."""

from __future__ import annotations

import re

from policydiff.model import Direction, Severity
from policydiff.semantics.context import Context, Hit, Side
from policydiff.semantics.cues import Cue
from policydiff.semantics.frames import Analysis
from policydiff.semantics.rules.helpers import (
    group_keys,
    group_texts,
    in_name,
    is_promise,
    lost_cue_texts,
    new_cue_texts,
    new_side_group,
    old_side_group,
    practices,
    q,
)
from policydiff.semantics.rules.said import named_before, still_named
from policydiff.semantics.text import squash

# a disclaimer is about security only in a sentence about security or data ("use it at your own risk" in a
# warranty disclaimer is not)
_SECURITY_TOPIC = re.compile(
    r"secur|safeguard|protect|breach|hack|encrypt|transmi|unauthori[sz]ed|password|data|information",
    re.IGNORECASE,
)
# a court that may find a term invalid while the rest remains is severability, not a venue ("if a court holds
# any provision invalid, the remaining provisions stay in effect"); claims severed from arbitration: a venue
_SEVERABILITY = (
    re.compile(r"\b(?:invalid|unenforceable|severab\w*|void|illegal)\b", re.IGNORECASE),
    re.compile(r"\b(?:remain(?:s|ing)?|the rest|other (?:provisions|terms))\b", re.IGNORECASE),
    re.compile(r"^(?!.*\b(?:arbitra|class)).*$", re.IGNORECASE | re.DOTALL),  # no arbitration term severed
)
_VENUE_ONLY = re.compile(
    r"^(?:courts?|(?:exclusive )?jurisdiction|(?:state|federal|competent) courts)\b", re.I
)


def security_weakened(ctx: Context) -> Hit | None:
    lost = lost_cue_texts(ctx, "security", "safeguard")
    if lost:
        return Hit(f"Drops the safeguard {q(lost[0])}.", ((lost[0], "old"),))
    disclaimer = [
        c
        for c in new_cue_texts(ctx, "security", "security_disclaimer")
        if ctx.new is not None and _SECURITY_TOPIC.search(ctx.new.text)
    ]
    if disclaimer:
        return Hit(f"Adds a security disclaimer: {q(disclaimer[0])}.", ((disclaimer[0], "new"),))
    return None


# scope cues that say nothing about where users are: "members located in" names no place itself,
# "non-affiliated" narrows parties (promise.weakened reads it)
_NOT_REGIONAL = frozenset({"located_in", "unaffiliated"})


def region_scope(ctx: Context) -> Hit | None:
    if ctx.new is None:
        return None
    found = [f for f in practices(ctx.new) if f.data_keys or is_promise(f)]
    regions = [
        c
        for c in ctx.new.cues
        if c.slot in ("region", "scope") and c.key not in _NOT_REGIONAL and not in_name(ctx.new, c)
    ]
    if not found or not regions:
        return None
    old_regions = group_texts(old_side_group(ctx), "region") | group_texts(old_side_group(ctx), "scope")
    new = [c for c in regions if squash(c.text) not in old_regions]
    if not new:
        return None
    cue = new[0]
    if any(is_promise(f) for f in found):
        promise = next(f for f in found if is_promise(f))
        return Hit(
            f"Limits the promise not to {promise.action.text} to {q(cue)}; users elsewhere are not covered.",
            ((cue, "new"), (promise.action, "new")),
        )
    frame = found[0]
    return Hit(f"Makes {q(frame.action)} depend on region: {q(cue)}.", ((cue, "new"), (frame.action, "new")))


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
    before = _AGE_BEFORE_YEARS.search(folded)
    while after is not None or before is not None:
        start = min(m.start() for m in (after, before) if m is not None)
        match = _FOLDED_CHILD_AGE.match(folded, start)
        assert match is not None  # an alternative matches at ``start``
        ages.add(int(match.group(1) or match.group(2)))
        pos = match.end()
        if after is not None and after.start() < pos:
            after = _AGE_AFTER_WORD.search(folded, pos)
        if before is not None and before.start() < pos:
            before = _AGE_BEFORE_YEARS.search(folded, pos)
    return ages


def _mentions_children(text: str) -> bool:
    return _CHILD_WORD.search(text) is not None


def _side_ages(ctx: Context, side: str) -> set[int]:
    """The ages one side's clause group and whole document name (the document's read only when a
    cue asks: once per document, ``DocumentFacts.once``)."""
    if side == "old":
        return _ages(" ".join(a.text for a in old_side_group(ctx))) | ctx.old_facts.once(_document_ages)
    return _ages(" ".join(a.text for a in new_side_group(ctx))) | ctx.new_facts.once(_document_ages)


def children_changed(ctx: Context) -> Hit | None:
    new = [c for c in new_cue_texts(ctx, "children")]
    lost = [c for c in lost_cue_texts(ctx, "children")]
    if not new and not lost:
        return None
    if ctx.old is not None and ctx.new is not None:
        a, b = _ages(ctx.old.text), _ages(ctx.new.text)
        if a and b and a != b:
            cue = next((c for c in ctx.new.of("children") if _ages(c.text)), ctx.new.of("children")[0])
            direction: Direction = "weakens" if min(b) < min(a) else "strengthens"
            return Hit(
                f"Changes the age threshold from {min(a)} to {min(b)}: {q(cue)}.",
                ((cue, "new"),),
                direction=direction,
            )
    for cue in new:
        ages = _ages(cue.text)
        if ages and not ages <= _side_ages(ctx, "old"):
            return Hit(f"Adds an age threshold: {q(cue)}.", ((cue, "new"),))
        if (
            not ages
            and ctx.old_facts.text
            and not ctx.old_facts.once(_mentions_children)
            and not _side_ages(ctx, "old")
        ):
            return Hit(f"Starts addressing children's data: {q(cue)}.", ((cue, "new"),))
    for cue in lost:
        ages = _ages(cue.text)
        if ages and not ages <= _side_ages(ctx, "new"):
            return Hit(f"Removes the age threshold {q(cue)}.", ((cue, "old"),))
    return None


_USER_BEFORE = re.compile(r"\byou\s+(?:\w+ly\s+)?$", re.IGNORECASE)


# a weak-notice cue in a sentence naming the document and a change is about changing the terms, even when
# the cue swallowed the words that say so ("reserves the right to modify this notice at any time")
_DOCUMENT = re.compile(
    r"\b(?:terms|policy|policies|agreement|conditions|tos|tou|eula|"
    r"(?:privacy|this|our|cookie) (?:notice|statement))\b",
    re.IGNORECASE,
)
_CHANGE = re.compile(r"\b(?:modif\w*|amend\w*|chang\w*|updat\w*|revis\w*|alter\w*|additions?)\b", re.I)


def _about_changes(analysis: Analysis) -> bool:
    if analysis.of("notice", "terms_change"):
        return True
    text = analysis.text
    return bool(analysis.of("notice", "notice_bad")) and bool(_DOCUMENT.search(text) and _CHANGE.search(text))


def notice_weakened(ctx: Context) -> Hit | None:
    if ctx.new is not None and any(_about_changes(a) for a in (ctx.new, *ctx.new_group)):
        # a statement about changing the terms: weaker when it adds a discretion, no notice, consent by use,
        # or, in a new clause, when nothing in it promises notice ("We may update this policy")
        bad = new_cue_texts(ctx, "notice", "notice_bad")
        if bad:
            return Hit(f"Weakens notice of changes: {q(bad[0])}.", ((bad[0], "new"),))
        change = new_cue_texts(ctx, "notice", "terms_change")
        # "we may update this policy", not a banner "Update to our terms" nor "you may subscribe to updates"
        stated = any(not _USER_BEFORE.search(ctx.new.text, 0, c.start) for c in ctx.new.of("modal"))
        promised = group_keys(new_side_group(ctx), "notice") & {"notice_good"}
        if change and stated and ctx.old is None and not promised:
            if not any(f.negated for f in ctx.new.frames):
                why = f"Adds a right to change the terms without promised notice: {q(change[0])}."
                return Hit(why, ((change[0], "new"),))
    lost = lost_cue_texts(ctx, "notice", "notice_good")
    if lost and (ctx.new is None or not ctx.new.of("notice", "notice_good")):
        return Hit(f"Drops {q(lost[0])} about changes.", ((lost[0], "old"),))
    return None


# the law or courts chosen: a mention is a change only with a place the other version does not name
_PLACE_KEYS = frozenset({"governing_law", "venue"})
_PLACE = re.compile(
    r"\b(?:of|in|at|located in)\s+(?:the\s+)?(?:(?:State|Province|Commonwealth|Republic|County)\s+of\s+)?"
    r"([A-Z][a-z]+(?: [A-Z][a-z]+)?)"
)


def _same_choice(ctx: Context, cue: Cue, side: Side) -> bool:
    """A governing-law or venue cue that the other version also makes, at no place it lacks."""
    if cue.key not in _PLACE_KEYS:
        return False
    analysis = ctx.new if side == "new" else ctx.old
    assert analysis is not None
    if side == "new" and not named_before(ctx, cue.key):
        return False
    if side == "old" and not still_named(ctx, cue.key):
        return False
    other = ctx.known if side == "new" else ctx.kept
    places = [m for m in _PLACE.finditer(analysis.text) if m.group(1) not in _NOT_PLACES]
    return all(other(Cue("place", "place", m.start(1), m.end(1), m.group(1))) for m in places)


_NOT_PLACES = frozenset({"Law", "Laws", "Agreement", "Terms", "Section", "Service", "Services", "Justice"})


def dispute_changed(ctx: Context) -> Hit | None:
    new = [c for c in new_cue_texts(ctx, "dispute") if not _same_choice(ctx, c, "new")]
    if ctx.new is not None and all(r.search(ctx.new.text) for r in _SEVERABILITY):
        new = [c for c in new if not _VENUE_ONLY.match(c.text)]
    lost = [c for c in lost_cue_texts(ctx, "dispute") if not _same_choice(ctx, c, "old")]
    if new:
        severity: Severity | None = "high" if re.search(r"arbitra|class", new[0].text, re.I) else None
        return Hit(f"Changes dispute terms: adds {q(new[0])}.", ((new[0], "new"),), severity=severity)
    if lost:
        return Hit(f"Changes dispute terms: removes {q(lost[0])}.", ((lost[0], "old"),))
    if ctx.old is not None and ctx.new is not None and ctx.new.of("dispute"):
        new_regions = new_cue_texts(ctx, "region")
        if new_regions:
            return Hit(f"Changes the law or venue to {q(new_regions[0])}.", ((new_regions[0], "new"),))
    return None


def signal_changed(ctx: Context) -> Hit | None:
    new = new_cue_texts(ctx, "signal")
    lost = lost_cue_texts(ctx, "signal")
    if new:
        neg = ctx.new is not None and bool(ctx.new.of("negation"))
        return Hit(
            f"Changes how browser signals are handled: {q(new[0])}.",
            ((new[0], "new"),),
            direction="weakens" if neg else None,
        )
    if lost:
        return Hit(
            f"Drops a statement on {q(lost[0])}.",
            ((lost[0], "old"),),
            severity="medium",
            direction="weakens",
        )
    if ctx.old is not None and ctx.new is not None and ctx.old.of("signal") and ctx.new.of("signal"):
        if bool(ctx.old.of("negation")) != bool(ctx.new.of("negation")):
            cue = ctx.new.of("signal")[0]
            return Hit(f"Reverses how {q(cue)} is handled.", ((cue, "new"),), severity="medium")
    return None
