"""Provenance: the grammar of where data comes from, read from one sentence.

"we receive information about you from advertisers", "details supplied to us by credit reference
agencies", "from partners, measurement vendors and other third parties" (each member of the list),
"... and may receive information from them" (the third parties named earlier in the sentence),
"Travel agents that book through us may share your itinerary with us" (the giver of "share ... with
us"), "information that other users provide about you" (a relative clause telling about the user),
"we may rent or buy marketing lists" (a source as the object of acquisition). A provenance is a third
party (actors.toml) or an outside origin (``origin`` in sources.toml). What the user or the first party
supplies ("from you", "from your device") is no provenance; a sentence whose practices are negated
("we neither buy nor receive ...") names none.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from policydiff.semantics.cues import Cue
from policydiff.semantics.frames import Analysis, Frame
from policydiff.semantics.lexicon import FIRST_PARTY, is_third_party
from policydiff.semantics.names import named_agent

FROM = re.compile(
    # the agent of a passive of giving or holding is a provenance too: "data ... is provided by your
    # employer", "data held by our advertising partners"
    r"\b(?:from|via|through|(?:to )?us by|"
    r"(?:(?<=provided )|(?<=supplied )|(?<=given )|(?<=sent )|(?<=passed )|(?<=held )|(?<=maintained )|"
    r"(?<=compiled )|(?<=collected )|(?<=gathered )|(?<=licensed )|(?<=sold )|(?<=offered ))by)\s+",
    re.IGNORECASE,
)
# a verb of acquisition before the provenance ("receive", "obtained", "licensed", "comes", "available");
# matching, supplementing or verifying data against another's takes it in too
ACQUIRE = re.compile(
    r"\b(?:receiv|reciev|obtain|collect|gather|get|gets|got|buy|bought|purchas|acquir|licens|licenc|"
    r"rent(?:s|ed|ing)?\b|enrich|suppl|provided|shared|sent|passed|given|taken|come|comes|came|coming|"
    r"derive|sourced|import|combin|append|learn|record|available(?= from)|"
    r"match|supplement|enhanc|augment|verif|"
    r"add(?:s|ed|ing)?\b)"
    r"\w*",
    re.IGNORECASE,
)
# a pronoun standing for a provenance named earlier in the sentence ("... and receive data from them")
_PRONOUN = re.compile(
    r"(?:them|these|those|it|such (?:parties|companies|partners|services|sources)|"
    r"that (?:service|app|device|provider|company|partner|platform|network|account))\b",
    re.IGNORECASE,
)
_GAP = 48  # the provenance's head noun starts within this many characters after "from"
_LOOK_BACK = 160  # the verb of acquisition lies within this many characters before "from"
# one more member of a coordinated provenance: "from partners, measurement vendors and other third parties"
# (a footnote mark may follow a member: "partners[22], measurement vendors")
_CONJUNCT = re.compile(
    r"(?:\[\d{1,3}\])?(?:\s*,\s*(?:and |or |as well as )?|\s+(?:and|or|as well as)\s+)(?:from\s+)?"
)
_MAX_CONJUNCTS = 12


def outside(cue: Cue) -> bool:
    """An outside origin or a third party: what a provenance can name."""
    return cue.slot == "origin" or (cue.slot == "actor" and is_third_party(cue.key))


_CUE_SPAN = 320  # no cue is longer (cues.py reads at most this far past a trigger word)
_NOWHERE = 1 << 62


class _Index:
    """A sentence's cues by position, built once per ``provenances`` call: a look-up near a point costs
    a bisection, so a sentence naming many provenances stays linear."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.cues = sorted(analysis.cues, key=lambda c: c.start)
        self.starts = [c.start for c in self.cues]
        self.outs = [c for c in self.cues if outside(c)]
        self.out_starts = [c.start for c in self.outs]
        actors = analysis.of("actor")
        self.user_ends = sorted(a.end for a in actors if a.key == "user")
        self.first_party_end = min((a.end for a in actors if a.key in FIRST_PARTY), default=_NOWHERE)
        self.first_data = min((c.start for c in self.cues if _about_data(c)), default=_NOWHERE)
        about = _ABOUT_YOU.search(analysis.text)
        self.about_you_end = about.end() if about else _NOWHERE
        self.last_given = max(
            (c.start for c in self.cues if c.slot == "data" or (c.slot == "actor" and c.key == "user")),
            default=-1,
        )

    def outside_in(self, lo: int, hi: int) -> list[Cue]:
        """The outside parties starting in ``[lo, hi)``."""
        return self.outs[bisect_left(self.out_starts, lo) : bisect_left(self.out_starts, hi)]

    def near_before(self, at: int, reach: int) -> list[Cue]:
        """The cues that end at or before ``at`` and start within ``reach`` + a cue's length of it."""
        lo = bisect_left(self.starts, at - reach - _CUE_SPAN)
        return [c for c in self.cues[lo : bisect_left(self.starts, at)] if c.end <= at]

    def last_user_end(self, at: int) -> int:
        """Where the user's last mention before ``at`` ends (-1: none)."""
        i = bisect_right(self.user_ends, at)
        return self.user_ends[i - 1] if i else -1


def _origin(ix: _Index, start: int) -> Cue | None:
    """The third party or outside origin that a provenance phrase starting at ``start`` names."""
    text = ix.analysis.text
    window = text[start : start + _GAP]
    stop = re.search(r"[.;:()]|\b(?:to|for|and use|in order)\b", window)
    end = start + (stop.start() if stop else len(window))
    found = ix.outside_in(start, end)
    if found:  # the longest of those that start first: "measurement vendors", not "vendors" inside it
        first = min(c.start for c in found)
        return max((c for c in found if c.start == first), key=lambda c: c.end)
    if _PRONOUN.match(text, start):  # "... partners, and may receive information from them"
        earlier = ix.outs[: bisect_left(ix.out_starts, start)]
        ended = [c for c in earlier[-8:] if c.end <= start]
        return ended[-1] if ended else None
    name = named_agent(text, start, end)
    if name is not None and ix.first_party_end <= start:
        # "we may receive information from Acme about ...": we do not receive data from ourselves
        return Cue("origin", "origin", name.start, name.end, name.text)
    return None


def _coordinated(ix: _Index, first: Cue) -> Iterator[Cue]:
    """``first`` and the provenances coordinated after it ("from A, B and C"), each a list member whose
    words open on a third party or an outside origin; the list ends at the first member without one."""
    cue: Cue | None = first
    for _ in range(_MAX_CONJUNCTS):
        if cue is None:
            return
        yield cue
        joint = _CONJUNCT.match(ix.analysis.text, cue.end)
        if joint is None:
            return
        member = joint.end()
        comma = ix.analysis.text.find(",", member, member + _GAP)
        cue = _origin(ix, member)
        if cue is not None and (cue.start > member + _HEAD_LEAD or (comma != -1 and cue.start > comma)):
            cue = None  # the member names no party of its own ("and other information about you")


_HEAD_LEAD = 16  # a list member's party noun starts within this many characters ("our trusted partners")


def _about_data(cue: Cue) -> bool:
    return cue.slot == "data" or (cue.slot == "action" and cue.key == "collect")


_ABOUT_YOU = re.compile(r"\babout (?:you|your)\b", re.IGNORECASE)


# the first party as the recipient: "share information about you with us", "send us data", "provide us with"
_TO_US = re.compile(r"(?:\s+us\b|\s+(?:[\w'’-]+\s+){0,6}?(?:with|to) us\b)", re.IGNORECASE)


def _given_to_us(ix: _Index) -> Iterator[Cue]:
    """Third parties that share, send or provide data to the first party ("partners may send us ...")."""
    analysis = ix.analysis
    for frame in analysis.frames:
        if frame.action.key != "share" or frame.passive:
            continue
        if not (
            frame.action.text.lower().endswith((" us with", " us"))
            or _TO_US.match(analysis.text, frame.action.end)
        ):
            continue
        givers = _givers(ix, frame)
        if givers:
            yield givers[0]


def _givers(ix: _Index, frame: Frame) -> list[Cue]:
    """Who gives in a frame of giving to us: its third-party actors, or else the outside party that
    is the verb's subject ("Travel agents that book through us may share ...", "If you connect an
    account, that service may send us ...": the subject after the user's clause)."""
    parties = [a for a in frame.actors if is_third_party(a.key)]
    if parties:
        return parties if len(parties) == len(frame.actors) else []
    return _subject_before(ix, frame.action.start)[-1:]


_SUBJECT_REACH = 80  # the giver's noun lies within this many characters before the verb of giving

# a relative clause naming who tells us about the user: "information that guests provide about you",
# "details other users share with us about you"
_TELLS_ABOUT = re.compile(
    r"\b(?:provides?|provided|gives?|gave|shares?|shared|sends?|sent|supplies|supplied|submits?|submitted|"
    r"posts?|posted|writes?|wrote|uploads?|uploaded|reports?|reported|tells? us|told us)"
    r"\s+(?:(?:to |with )?us\s+)?(?:[\w'’-]+\s+){0,2}?about (?:you|your)\b",
    re.IGNORECASE,
)
_TELLER_REACH = 32  # the teller's noun ends within this many characters before its verb
# an acquisition whose object is a source itself: "we may rent or buy marketing lists", "we license datasets"
_ACQUIRES_SOURCE = re.compile(
    r"\b(?:buy|buys|bought|purchas\w*|rent|rents|rented|licen[cs]\w*|acquir\w*|obtain\w*)"
    r"\s+(?:or \w+\s+)?(?:[\w'’-]+\s+){0,2}?$",
    re.IGNORECASE,
)


# giving to us in other words: "Our partners let us know when ...", "Your contacts may upload your number
# to our app"
_GIVES_US = re.compile(
    r"\b(?:let(?:s)? us know|inform(?:s|ed)? us|notif(?:y|ies|ied) us|keep(?:s)? us (?:informed|updated)|"
    r"report(?:s|ed)? (?:back )?to us|(?:upload|add|enter|import|sync|submit)(?:s|ed|ing)?\s+"
    r"(?:[\w'’-]+\s+){0,4}?(?:to|into|with) (?:us|our (?:apps?|services?|platform|site|website)))\b",
    re.IGNORECASE,
)


def _gives_us(ix: _Index) -> Iterator[Cue]:
    """The outside subject of a phrase of giving to us (``_GIVES_US``), after any clause of the user's."""
    for match in _GIVES_US.finditer(ix.analysis.text):
        if _denied(ix.analysis.text, match.start()) or ix.last_given < match.start():
            continue  # "we never let them tell us ..."; "partners report to us on their security" (no data)
        yield from _subject_before(ix, match.start())[-1:]


# a negation right before a verb the lexicon does not read as an action ("we do not match ...")
_DENIED = re.compile(r"\b(?:not|never|neither|nor)\s+(?:[\w'’-]+\s+){0,2}$|n't\s+(?:[\w'’-]+\s+){0,2}$", re.I)


def _denied(text: str, start: int) -> bool:
    return _DENIED.search(text, max(0, start - 40), start) is not None


def _subject_before(ix: _Index, start: int) -> list[Cue]:
    """The outside parties before ``start`` that may be its subject: within reach, after the user."""
    after = ix.last_user_end(start)
    return [c for c in ix.outside_in(max(start - _SUBJECT_REACH, after + 1), start) if c.end <= start]


def _told_about_you(ix: _Index) -> Iterator[Cue]:
    """The outside party of a relative clause telling us about the user (``_TELLS_ABOUT``)."""
    for match in _TELLS_ABOUT.finditer(ix.analysis.text):
        start = match.start()
        before = [c for c in ix.near_before(start, _TELLER_REACH) if start - c.end <= _TELLER_REACH]
        if before and outside(before[-1]):
            yield before[-1]


def _acquired_sources(analysis: Analysis) -> Iterator[Cue]:
    """An outside origin that is the object of a verb of acquisition (``_ACQUIRES_SOURCE``)."""
    text = analysis.text
    for cue in analysis.of("origin"):
        if _ACQUIRES_SOURCE.search(text, max(0, cue.start - 40), cue.start):
            yield cue


_RECENT: list[tuple[Analysis, tuple[Cue, ...]]] = []  # the last few sentences read (rules ask again)
_KEEP = 8


def provenances(analysis: Analysis) -> Iterator[Cue]:
    """The outside origins of data that ``analysis`` names (none when its practices are negated).

    Rules ask about the same sentence many times (once per source cue in it): the last few answers
    are kept, by identity, so a sentence naming many sources is read once."""
    for seen, found in _RECENT:
        if seen is analysis:
            return iter(found)
    found = tuple(_read(analysis))
    _RECENT.insert(0, (analysis, found))
    del _RECENT[_KEEP:]
    return iter(found)


def _read(analysis: Analysis) -> Iterator[Cue]:
    if any(f.negated for f in analysis.frames) or analysis.of("boilerplate") or analysis.of("dispute"):
        return
    ix = _Index(analysis)
    yield from _given_to_us(ix)
    yield from _gives_us(ix)
    yield from _told_about_you(ix)
    yield from _acquired_sources(analysis)
    text = analysis.text
    for match in FROM.finditer(text):
        verb = ACQUIRE.search(text, max(0, match.start() - _LOOK_BACK), match.start())
        if verb is None or _denied(text, verb.start()):
            continue
        if ix.first_data >= match.start() and ix.about_you_end > match.start():
            continue  # "purchase goods from any third party" acquires no data ("learn about you from" does)
        cue = _origin(ix, match.end())
        if cue is not None:
            yield from _coordinated(ix, cue)
