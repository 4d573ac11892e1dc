"""Terms: security, regional scope, notice of changes, disputes, browser signals (minors: ``minors``)."""

from __future__ import annotations

import re

from policydiff.model import Severity
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

# a disclaimer is about security only in a sentence about keeping data safe ("use it at your own risk" in a
# warranty disclaimer is not, nor "reasonable steps to keep the information on the site accurate")
_SECURITY_TOPIC = re.compile(
    r"secur|safeguard|protect|breach|hack|encrypt|transmi|unauthori[sz]ed|password|intercept|"
    r"(?:data|information)\s+(?:\w+\s+){0,3}?(?:safe|lost|loss|stolen|misused|accessed|disclosed|altered|"
    r"destroyed|sent|stored)\b",
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
    lost = [
        *lost_cue_texts(ctx, "security", "safeguard"),
        *lost_cue_texts(ctx, "security", "safeguard_specific"),
    ]
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
_NOT_REGIONAL = frozenset({"located_in", "lives_in", "everyone", "unaffiliated"})


def _carve_out(ctx: Context) -> Hit | None:
    """A reworded clause that covered everyone and now names the places whose users it covers.

    "is switched off for everyone" -> "is switched off for users in Germany", "If you live in California,
    you have the right ...": the old clause named no place, and the new one ties its places to where users
    live (or the old one said "everyone"). A governing law or venue is dispute.changed, not this.
    """
    if ctx.old is None or ctx.new is None or ctx.old.of("region") or ctx.new.of("dispute"):
        return None
    places = [c for c in ctx.new.of("region") if not in_name(ctx.new, c) and not ctx.known(c)]
    if not places:
        return None
    people = [c for c in ctx.new.of("scope", "located_in") if not c.text.lower().startswith("in ")]
    qualified = people or ctx.new.of("scope", "lives_in") or ctx.new.of("scope", "region_outside")
    if not (qualified or ctx.old.of("scope", "everyone")):
        return None
    return Hit(
        f"Limits the clause by where users live: {q(places[0])}; users elsewhere are not covered.",
        ((places[0], "new"),),
    )


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
        return _carve_out(ctx)
    old_regions = group_texts(old_side_group(ctx), "region") | group_texts(old_side_group(ctx), "scope")
    new = [c for c in regions if squash(c.text) not in old_regions]
    if not new:
        return _carve_out(ctx)
    cue = new[0]
    if any(is_promise(f) for f in found):
        promise = next(f for f in found if is_promise(f))
        return Hit(
            f"Limits the promise not to {promise.action.text} to {q(cue)}; users elsewhere are not covered.",
            ((cue, "new"), (promise.action, "new")),
        )
    frame = found[0]
    return Hit(f"Makes {q(frame.action)} depend on region: {q(cue)}.", ((cue, "new"), (frame.action, "new")))


_USER_BEFORE = re.compile(r"\byou\s+(?:\w+ly\s+)?$", re.IGNORECASE)


# a weak-notice cue in a sentence naming the document and a change is about changing the terms, even when
# the cue swallowed the words that say so ("reserves the right to modify this notice at any time")
_DOCUMENT = re.compile(
    r"\b(?:terms|policy|policies|agreement|conditions|tos|tou|eula|"
    r"(?:privacy|this|our|cookie) (?:notice|statement))\b",
    re.IGNORECASE,
)
_CHANGE = re.compile(r"\b(?:modif\w*|amend\w*|chang\w*|updat\w*|revis\w*|alter\w*|additions?)\b", re.I)
# "these" or "them" standing for the document, not "these features" or "this offer"
_PRONOUN = (
    r"(?:them|these|this)(?=\s*(?:[.,;:)]|$)|\s+(?:at|from|in|on|or|and|by|to|with|without|whenever|when|"
    r"as|if|periodically|accordingly)\b)"
)
# ... but only when the document is what changes: changed ("modify these terms", "these terms may be
# revised", "TOS updates"), or changes are accepted by use ("continued use after any changes"). "We may
# remove content that breaks these terms, or modify the service, without notice" changes no terms.
_DOCUMENT_CHANGED = re.compile(
    rf"(?:{_CHANGE.pattern}),?\s+(?:[\w,'’-]+\s+){{0,8}}?(?:{_DOCUMENT.pattern}|{_PRONOUN})"
    rf"|(?:{_DOCUMENT.pattern})\s+(?:changes|modifications|amendments|revisions|updates)\b"
    rf"|(?:{_DOCUMENT.pattern})\s+(?:[\w,'’-]+\s+){{0,4}}?(?:may|can|will|could|might|shall|are|is)\s+"
    rf"(?:[\w'’-]+\s+){{0,3}}?(?:{_CHANGE.pattern})"
    r"|\b(?:after|following|once|when|of|about)\s+(?:[\w'’-]+\s+){0,3}?(?:changes|modifications|amendments|"
    r"revisions|updates)\b",
    re.IGNORECASE,
)


def _about_changes(analysis: Analysis) -> bool:
    if analysis.of("notice", "terms_change"):
        return True
    text = analysis.text
    if not analysis.of("notice") or not _DOCUMENT_CHANGED.search(text):
        return False
    # a weaker notice, consent by use, notice by posting or advance notice about the document changing
    return bool(analysis.keys("notice") & {"notice_bad", "notice_weak", "notice_advance"})


def _weak_notice(ctx: Context) -> list[Cue]:
    """The cues that make notice of changes weaker, new in this clause."""
    return new_cue_texts(ctx, "notice", "notice_bad") + new_cue_texts(ctx, "notice", "notice_weak")


def _lost_notice(ctx: Context) -> Hit | None:
    """A promise of notice dropped: advance notice, a direct channel, a period, a request for consent."""
    lost = lost_cue_texts(ctx, "notice", "notice_good")
    if lost and (ctx.new is None or not ctx.new.of("notice", "notice_good")):
        return Hit(f"Drops {q(lost[0])} about changes.", ((lost[0], "old"),))
    if ctx.old is None or not _CHANGE.search(ctx.old.text):
        return None
    lost = lost_cue_texts(ctx, "notice", "notice_advance")
    if lost and (ctx.new is None or not ctx.new.of("notice", "notice_advance")):
        return Hit(f"Drops {q(lost[0])} about changes.", ((lost[0], "old"),))
    return None


def notice_weakened(ctx: Context) -> Hit | None:
    if ctx.new is not None and any(_about_changes(a) for a in (ctx.new, *ctx.new_group)):
        # a statement about changing the terms: weaker when it adds a discretion, no notice, consent by use,
        # or, in a new clause, when nothing in it promises notice ("We may update this policy")
        bad = _weak_notice(ctx)
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
    return _lost_notice(ctx)


# the law or courts chosen: a mention is a change only with a place the other version does not name
_PLACE_KEYS = frozenset({"governing_law", "venue", "law_applies", "venue_place"})
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
        binding = new_cue_texts(ctx, "dispute_term", "dispute_binding")
        if binding:
            return Hit(f"Makes the dispute route binding: {q(binding[0])}.", ((binding[0], "new"),))
        exits = lost_cue_texts(ctx, "dispute_term", "dispute_exit")
        if exits:
            return Hit(f"Removes a way out of the dispute route: {q(exits[0])}.", ((exits[0], "old"),))
        new_regions = new_cue_texts(ctx, "region")
        if new_regions:
            return Hit(f"Changes the law or venue to {q(new_regions[0])}.", ((new_regions[0], "new"),))
    return None


def signal_changed(ctx: Context) -> Hit | None:
    new = new_cue_texts(ctx, "signal")
    lost = lost_cue_texts(ctx, "signal")
    if new:
        neg = ctx.new is not None and _negated(ctx.new)
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
        cue = ctx.new.of("signal")[0]
        if _signal_limited(ctx.old) != _signal_limited(ctx.new) or _negated(ctx.old) != _negated(ctx.new):
            return Hit(f"Reverses how {q(cue)} is handled.", ((cue, "new"),), severity="medium")
        limits = new_cue_texts(ctx, "signal_stance", "signal_limited")
        if limits:
            why = f"Limits how {q(cue)} is honoured: {q(limits[0])}."
            return Hit(why, ((cue, "new"), (limits[0], "new")), severity="medium", direction="weakens")
    return None


def _signal_limited(analysis: Analysis) -> bool:
    """A sentence that ignores a signal: a refusal word, or a negated honouring ("does not respond to")."""
    limited = bool(analysis.of("signal_stance", "signal_limited"))
    honoured = bool(analysis.of("signal_stance", "signal_honoured"))
    return limited or (honoured and _negated(analysis))


def _negated(analysis: Analysis) -> bool:
    """A negation outside the signal's own name (the "not" of "Do Not Track" negates nothing)."""
    names = [(c.start, c.end) for c in analysis.of("signal")]
    return any(not any(s <= n.start < e for s, e in names) for n in analysis.of("negation"))
