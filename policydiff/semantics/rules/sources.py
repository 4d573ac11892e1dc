"""Sources: data that now comes from someone other than the user (the grammar: ``provenance``).

``source_from_party``: a provenance (a third party or outside origin) that the old version never named;
``source_added``: a phrase of the sources vocabulary ("on other websites", "publicly available
sources") in a sentence that takes data in; ``source_widened``: a clause listing sources of the old
version now names a wider or another kind of party ("their measurement vendors" -> "their vendors").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from policydiff.semantics.context import Context, Hit
from policydiff.semantics.cues import Cue, key_triggers
from policydiff.semantics.frames import SHARING, Analysis, Frame, analyse
from policydiff.semantics.lexicon import BY_KEY, label, subsumes
from policydiff.semantics.mood import unstated
from policydiff.semantics.provenance import ACQUIRE, FROM, outside, provenances
from policydiff.semantics.rules.helpers import new_cue_texts, old_side_group, practices, q, users_own
from policydiff.semantics.text import DocumentFacts

__all__ = ["provenances", "source_added", "source_from_party", "source_named_before", "source_widened"]

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


# a sentence that may name a giver of data without "from": "... share it with us", "... about you"
_TO_US_OR_ABOUT_YOU = re.compile(r"\bus\b|\babout (?:you|your)\b", re.IGNORECASE)
_SENTENCES = re.compile(r"(?<=[.!?;])\s+|\n+")


def _source_key(cue: Cue) -> str:
    """A third party by its concept, an outside origin by its words."""
    return cue.key if cue.slot == "actor" else cue.text.lower()


def _line_sources(line: str) -> frozenset[str]:
    """The sources a folded document line names (``DocumentFacts.each_line``), read only from the
    sentences with a word of acquisition before a "from"."""
    out: set[str] = set()
    for sentence in _SENTENCES.split(line):
        if (FROM.search(sentence) and ACQUIRE.search(sentence)) or _TO_US_OR_ABOUT_YOU.search(sentence):
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


# a rule of conduct opening in lower case on its verb ("use the Site in any manner that could overburden
# other sites", "b) copy or collect ..."): the user's conduct, no practice of the service
_IMPERATIVE = re.compile(r"\W*(?:\(?(?:\d{1,2}|[a-z])[.)]\s*)?(?:[a-z]+,?\s+(?:or|and)\s+)?")


def _conduct(text: str, verb: int) -> bool:
    """The verb at ``verb`` opens a lower-case rule of conduct (``_IMPERATIVE``)."""
    first = next((ch for ch in text if ch.isalpha()), "")
    return first.islower() and _IMPERATIVE.fullmatch(text, 0, verb) is not None


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
    acting = [f for f in acting if not _conduct(ctx.new.text, f.action.start)]
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


# ---------------------------------------------------------------- source.widened

# words that open a noun phrase without qualifying its kind ("their vendors", "and other partners")
_FUNCTION = frozenset(
    "a an the their its our your his her of and or from with to by for such as like including other "
    "these those this that some any all".split()
)
_QUALIFIER_WORDS = 2  # a party's phrase takes at most this many qualifying words before its noun
_QUALIFIER_REACH = 60  # characters read back for them


def _parties(analysis: Analysis) -> dict[str, Cue]:
    """The outside parties a clause names, by the words of their phrase: the cue with the qualifying
    words right before it ("their courier partners" -> "courier partners"); a cue inside a longer one
    ("vendors" inside "measurement vendors") is not a party of its own."""
    cues: list[Cue] = []
    reach = -1  # the furthest end of a party so far: a cue ending within it lies inside it
    for cue in sorted((c for c in analysis.cues if outside(c)), key=lambda c: (c.start, -c.end)):
        if cue.end > reach:
            cues.append(cue)
            reach = cue.end
    out: dict[str, Cue] = {}
    for cue in cues:
        words = analysis.text[max(0, cue.start - _QUALIFIER_REACH) : cue.start].split()
        lead: list[str] = []
        while (
            words
            and len(lead) < _QUALIFIER_WORDS
            and words[-1].isalpha()
            and words[-1].lower() not in _FUNCTION
        ):
            lead.insert(0, words.pop().lower())
        out[" ".join([*lead, cue.text.lower()])] = cue
    return out


def _wider(new: str, cue: Cue, old: dict[str, Cue]) -> str | None:
    """The old party that the new phrase ``new`` widens: the same noun without its qualifier
    ("measurement vendors" -> "vendors") or a wider concept of the lexicon."""
    for phrase, was in old.items():
        if phrase.endswith(" " + new) or (
            cue.slot == was.slot == "actor" and cue.key != was.key and subsumes(cue.key, was.key)
        ):
            return phrase
    return None


def source_widened(ctx: Context) -> Hit | None:
    """An edited clause that lists sources the old version names (a bare list of parties: no practice
    of its own, so not a list of recipients) now names a wider party than before."""
    if ctx.old is None or ctx.new is None or ctx.old.frames or ctx.new.frames:
        return None
    old = _parties(ctx.old)
    if not old:
        return None
    new = _parties(ctx.new)
    for phrase, cue in new.items():
        if phrase in old:
            continue
        was = _wider(phrase, cue, old)
        if was is not None and was not in new:
            # asked last, of a clause that widens a party: the old version's index of sources
            if not any(_named_before(ctx, _source_key(c)) for c in old.values()):
                return None  # the old clause names no source of the old version
            return Hit(
                f"Widens a listed source of data: {was!r} becomes {q(cue)} ({label(cue.key)}).",
                ((cue, "new"), (old[was], "old")),
            )
    return None
