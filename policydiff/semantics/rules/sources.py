"""Sources: data that now comes from someone other than the user, read from the grammar of provenance.

"we receive information about you from advertisers", "details supplied to us by credit reference
agencies", "data licensed from marketing companies", "... and may receive information from them"
(the third parties named earlier in the sentence). A provenance is a third party (actors.toml) or an
outside origin (``origin`` in terms.toml: data brokers, employers, public records, shops, social
networks) after "from", "via", "through" or "to us by", in a sentence that acquires data (a verb of
collection before it). What the user or the first party supplies ("from you", "from your device") is
no new source. Sentences whose practices are negated ("we neither buy nor receive ...") name none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from policydiff.semantics.context import Context, Hit
from policydiff.semantics.cues import Cue, key_triggers
from policydiff.semantics.frames import SHARING, Analysis, Frame, analyse
from policydiff.semantics.lexicon import BY_KEY, FIRST_PARTY, is_third_party, label
from policydiff.semantics.mood import unstated
from policydiff.semantics.names import named_agent
from policydiff.semantics.rules.helpers import new_cue_texts, old_side_group, practices, q, users_own
from policydiff.semantics.text import DocumentFacts

_FROM = re.compile(
    # the agent of a passive of giving is a provenance too: "data ... is provided by your employer"
    r"\b(?:from|via|through|(?:to )?us by|"
    r"(?:(?<=provided )|(?<=supplied )|(?<=given )|(?<=sent )|(?<=passed ))by)\s+",
    re.IGNORECASE,
)
# a verb of acquisition before the provenance ("receive", "obtained", "licensed", "comes")
_ACQUIRE = re.compile(
    r"\b(?:receiv|obtain|collect|gather|get|gets|got|buy|bought|purchas|acquir|licens|enrich|suppl|provided|"
    r"shared|sent|passed|given|taken|come|comes|came|coming|derive|sourced|import|combin|append|learn|record|"
    r"add(?:s|ed|ing)?\b)"
    r"\w*",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"(?:them|these|those|such (?:parties|companies|partners))\b", re.IGNORECASE)
_GAP = 48  # the provenance's head noun starts within this many characters after "from"
_LOOK_BACK = 160  # the verb of acquisition lies within this many characters before "from"


def _origin(analysis: Analysis, start: int) -> Cue | None:
    """The third party or outside origin that a provenance phrase starting at ``start`` names."""
    text = analysis.text
    window = text[start : start + _GAP]
    stop = re.search(r"[.;:()]|\b(?:to|for|and use|in order)\b", window)
    end = start + (stop.start() if stop else len(window))
    for cue in analysis.cues:
        if start <= cue.start < end and (
            cue.slot == "origin" or (cue.slot == "actor" and is_third_party(cue.key))
        ):
            return cue
    if _PRONOUN.match(text, start):  # "... partners, and may receive information from them"
        earlier = [c for c in analysis.of("actor") if c.end <= start and is_third_party(c.key)]
        return earlier[-1] if earlier else None
    name = named_agent(text, start, end)
    if name is not None and any(c.key in FIRST_PARTY and c.end <= start for c in analysis.of("actor")):
        # "we may receive information from Acme about ...": we do not receive data from ourselves
        return Cue("origin", "origin", name.start, name.end, name.text)
    return None


def _about_data(cue: Cue) -> bool:
    return cue.slot == "data" or (cue.slot == "action" and cue.key == "collect")


_ABOUT_YOU = re.compile(r"\babout (?:you|your)\b", re.IGNORECASE)


# the first party as the recipient: "share information about you with us", "send us data", "provide us with"
_TO_US = re.compile(r"(?:\s+us\b|\s+(?:[\w'’-]+\s+){0,6}?(?:with|to) us\b)", re.IGNORECASE)


def _given_to_us(analysis: Analysis) -> Iterator[Cue]:
    """Third parties that share, send or provide data to the first party ("partners may send us ...")."""
    for frame in analysis.frames:
        if frame.action.key != "share" or frame.passive:
            continue
        # the giver: third-party actors, or an outside origin as the subject ("Your employer may give us")
        givers = (
            [a for a in frame.actors if is_third_party(a.key)] if frame.actors else _subject(analysis, frame)
        )
        if frame.actors and not givers and all(a.key == "user" for a in frame.actors):
            # "If you connect an account, that service may send us ...": an origin after the user's clause
            givers = [o for o in _subject(analysis, frame) if o.start > frame.actors[-1].end]
        elif not givers or len(givers) < len(frame.actors):
            continue
        if not givers:
            continue
        if frame.action.text.lower().endswith((" us with", " us")) or _TO_US.match(
            analysis.text, frame.action.end
        ):
            yield givers[0]


def _subject(analysis: Analysis, frame: Frame) -> list[Cue]:
    start = frame.action.start
    return [c for c in analysis.of("origin") if start - 40 <= c.start and c.end <= start][-1:]


def provenances(analysis: Analysis) -> Iterator[Cue]:
    """The outside origins of data that ``analysis`` names (none when its practices are negated)."""
    if any(f.negated for f in analysis.frames) or analysis.of("boilerplate") or analysis.of("dispute"):
        return
    yield from _given_to_us(analysis)
    text = analysis.text
    for match in _FROM.finditer(text):
        if not _ACQUIRE.search(text, max(0, match.start() - _LOOK_BACK), match.start()):
            continue
        if not any(
            c.start < match.start() and _about_data(c) for c in analysis.cues
        ) and not _ABOUT_YOU.search(text, 0, match.start()):
            continue  # "purchase goods from any third party" acquires no data ("learn about you from" does)
        cue = _origin(analysis, match.end())
        if cue is not None:
            yield cue


_OPENING = re.compile(r"(?:other|the|any|all|some|third[- ]party)?\s*", re.IGNORECASE)


def _listed(ctx: Context) -> list[Cue]:
    """An item under a lead naming sources ("We obtain data from these sources: - your employer")."""
    assert ctx.new is not None
    if ctx.old is not None or ctx.old_group or any(f.negated for f in ctx.new.frames):
        return []
    found = [c for c in ctx.new.of("source", "origin") if not ctx.known(c)]
    if not found and not ctx.new.frames and ctx.new.text[:1].islower():
        # a list item that is itself a source phrase ("websites you visit when you leave our services"):
        # it opens with the phrase (conduct items open with a verb: "use the site to harm other sites")
        text = ctx.new.text
        found = [
            c
            for c in ctx.new.of("source", "source")
            if _OPENING.fullmatch(text, 0, c.start) and not ctx.known(c)
        ]
    return found


def source_from_party(ctx: Context) -> Hit | None:
    if ctx.new is None:
        return None
    found = [c for c in provenances(ctx.new) if not (ctx.old is None and ctx.known(c))]
    found += _listed(ctx)
    if not found:
        return None
    old = {c.key for a in old_side_group(ctx) for c in provenances(a)}
    old_texts = {c.text.lower() for a in old_side_group(ctx) for c in provenances(a)}
    for cue in found:
        if cue.text.lower() in old_texts or (cue.slot == "actor" and cue.key in old):
            continue
        if _named_before(ctx, _source_key(cue)):
            continue  # the old version names this source elsewhere (a section rewritten and moved)
        return Hit(f"Adds a new source of data: {q(cue)} ({label(cue.key)}).", ((cue, "new"),))
    return None


_SENTENCES = re.compile(r"(?<=[.!?;])\s+|\n+")


def _source_key(cue: Cue) -> str:
    """A third party by its concept, an outside origin by its words."""
    return cue.key if cue.slot == "actor" else cue.text.lower()


def _line_sources(line: str) -> frozenset[str]:
    """The sources a folded document line names (``DocumentFacts.each_line``), read only from the
    sentences with a word of acquisition before a "from"."""
    out: set[str] = set()
    for sentence in _SENTENCES.split(line):
        if _FROM.search(sentence) and _ACQUIRE.search(sentence):
            out |= {_source_key(c) for c in provenances(analyse(sentence.strip()))}
    return frozenset(out)


def _named_before(ctx: Context, key: str) -> bool:
    """True when the old version names the source ``key`` anywhere: one answer per document and key."""
    return ctx.old_facts.derived(_naming_source(key))


@lru_cache(maxsize=4096)  # an origin's words are keys too: bounded
def _naming_source(key: str) -> Callable[[DocumentFacts], bool]:
    """For ``DocumentFacts.derived``: whether a document's lines name the source ``key`` (a third
    party's concept or an origin's words), read only among the lines that may name it: those with
    the words, or a trigger literal of the concept (``key_triggers``); every line for a key of no
    lexicon entry ("named_company")."""
    literals: tuple[str, ...] | None = (key,)
    if "_" in key or key in BY_KEY:
        found = key_triggers("actor", key)
        literals = None if found is None else (*found, key)

    def names(facts: DocumentFacts) -> bool:
        return any(key in sources for _, sources in facts.answers(_line_sources, literals))

    return names


def source_named_before(ctx: Context, analysis: Analysis, cue: Cue) -> bool:
    """True when each provenance inside the source phrase ``cue`` is a source the old version names."""
    inside = [p for p in provenances(analysis) if cue.start <= p.start < cue.end]
    return bool(inside) and all(_named_before(ctx, _source_key(p)) for p in inside)


# ---------------------------------------------------------------- source.added (moved from rules/parties.py)


def _takes_in(frame: Frame) -> bool:
    """A practice taking data in: not a disclosure, unless it lets others collect ("allow X to collect")."""
    return frame.action.key not in SHARING or frame.action.text.lower().startswith("allow")


def source_added(ctx: Context) -> Hit | None:
    if ctx.new is None or ctx.new.of("boilerplate") or ctx.new.of("dispute"):
        return None
    # data comes in by a practice that takes it (not a disclosure), of the service or with data named:
    # "use the site in a way that overburdens other sites" or "links to other websites" bring in nothing
    acting = [f for f in practices(ctx.new, affirmative=True) if _takes_in(f)] or [
        f
        for f in ctx.new.frames
        if not users_own(f) and _takes_in(f) and (f.data_keys or f.passive or f.actors)
    ]
    if not acting and (ctx.new.frames or not ctx.new.of("data")):
        return None  # a noun phrase naming data and where it comes from still counts ("data from partners")
    if any(f.negated for f in ctx.new.frames):
        return None
    new = [
        c
        for c in new_cue_texts(ctx, "source")
        if not ctx.known(c)
        and not source_named_before(ctx, ctx.new, c)  # moved and reworded
        and not unstated(ctx.new.text, c.start)  # "do not post links to other websites": the user's conduct
    ]
    if not new:
        return None
    return Hit(f"Adds a new source of data: {q(new[0])}.", ((new[0], "new"),))
