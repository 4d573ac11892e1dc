"""Who receives data in a sentence: the plausible parties of a practice, read by grammar.

A party is a frame's actor or recipient that the grammar allows: the subject of the verb (not the
object of a preposition or of another verb: "abusing others", "if you permit others to use"), a
recipient that is no agent of a participle ("sites published by third parties"), a company named by
its own name that is not the document's own (``names.named_acting``). ``disclosures`` are the
service's affirmative practices and the disclosures to third parties whose subject is unknown
("Counselors may be obliged to disclose ... to law enforcement"). Recipients a sentence implies
without a frame's party are read in ``implicit``; the rules of ``recipients`` decide what is new.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from policydiff.semantics.cues import Cue
from policydiff.semantics.frames import SHARING, Analysis, Frame
from policydiff.semantics.lexicon import is_third_party
from policydiff.semantics.mood import unstated
from policydiff.semantics.names import OwnNames, named_acting
from policydiff.semantics.rules.helpers import (
    boilerplate_only,
    practices,
    users_own,
)


def cues_between(analysis: Analysis, slot: str, lo: int, hi: int) -> list[Cue]:
    """The cues of ``slot`` starting in ``[lo, hi)``: cues are ordered by start, so a frame's helpers
    look at their window only (a scan of every cue per frame made one long sentence quadratic)."""
    cues = analysis.cues
    at = bisect_left(cues, max(0, lo), key=lambda c: c.start)
    found = []
    while at < len(cues) and cues[at].start < hi:
        if cues[at].slot == slot:
            found.append(cues[at])
        at += 1
    return found


WINDOW = 200  # characters around a frame's verb its helpers look at


# words between "you" and a verb showing "you" is not its subject ("you should be aware that X may disclose",
# "we will notify you before disclosing")
_NOT_SUBJECT = re.compile(
    r"\b(?:that|which|who|whom|when|if|whether|where|because|aware|required|obliged|before|after|without|upon|while)\b",
    re.IGNORECASE,
)


def _subject_unknown(frame: Frame, text: str) -> bool:
    """No subject was read, or "you" was read where a clause of its own intervenes before the verb."""
    if not frame.actors:
        return not frame.passive
    if not users_own(frame):
        return False
    gap = text[max(a.end for a in frame.actors) : frame.action.start]
    return _NOT_SUBJECT.search(gap) is not None or len(gap.split()) > 6


# a party that is the object of a verb or preposition, not the subject of the frame's verb: "abusing
# others by ...", "if you permit others to use", "contributions to social welfare organizations"
_OBJECT_BEFORE = re.compile(
    r"\b(?:to|of|for|with|from|on|in|at|about|against|into|than|like|\w+ing|permits?|allows?|lets?|"
    r"helps?|enables?|asks?|invites?|authori[sz]es?)\s+((?:[\w-]+\s+){0,2})$",
    re.IGNORECASE,
)
_OBJECT_RIGHT_BEFORE = re.compile(_OBJECT_BEFORE.pattern.replace("{0,2}", "{0}"), re.IGNORECASE)
# a participle right after a noun modifies it ("information obtained from this system")
_REDUCED_RELATIVE = re.compile(r"(?:ed|en|sold|kept|sent|shown|built)$", re.IGNORECASE)
_AUX_END = re.compile(
    r"\b(?:will|would|may|might|can|could|shall|should|must|do|does|did|is|are|was|were|be|been|has|have|had|"
    r"also|then|not|never|\w+ly)\s*$",
    re.IGNORECASE,
)
_LIST_END = re.compile(r"\b(?:or|and|,)\s*$", re.IGNORECASE)
_DETERMINER = re.compile(r"(?:the|a|an|our|its|their|any|some|certain)\s", re.IGNORECASE)
# a party after "by" is the agent of a participle ("sites published by third parties"), no recipient
_AGENT_BEFORE = re.compile(r"\bby\s+(?:the\s+|our\s+|its\s+)?$", re.IGNORECASE)


# a party read from a condition ("as required by law" implies the authorities): a recipient, never an agent
_CONDITION_PHRASE = re.compile(r"\brequired\b", re.IGNORECASE)


def _plausible(frame: Frame, cue: Cue, text: str) -> bool:
    """An actor is the verb's subject; a recipient is no agent of a participle."""
    if cue in frame.recipients:
        # "seen by everyone", "visible by the public": after a verb of visibility, "by" names who sees
        return (
            _AGENT_BEFORE.search(text, max(0, cue.start - 12), cue.start) is None
            or _VISIBLE.match(frame.action.text) is not None
        )
    if text[cue.end : cue.end + 1] in ("'", "’"):
        return False  # a possessor ("other players' use of your content"): the verb is a noun here
    if _CONDITION_PHRASE.search(cue.text):
        return False  # "if required by applicable law, we will send you a reminder": a condition, no subject
    if frame.passive:
        return True  # the agent after "by" ("may be accessed by our affiliates")
    gap = text[cue.end : frame.action.start]
    if _REDUCED_RELATIVE.search(frame.action.text) and gap.strip() and not _AUX_END.search(gap):
        return False  # "any person who relies on information obtained from us": no verb of that person's
    lo = max(0, cue.start - 40)
    if _OBJECT_RIGHT_BEFORE.search(text, lo, cue.start):
        return False  # "to allow the public", "abusing others"
    found = _OBJECT_BEFORE.search(text, lo, cue.start)
    if found is not None and _DETERMINER.match(cue.text) and not _LIST_END.search(found.group(1)):
        return True  # "in some instances the recipients": the words after the preposition are its object
    return found is None  # "from Acme or its affiliates": a list after the preposition is its object too


# data that comes to the service: "partners send us", "tell us when", "share with us" (the subject gives)
_TO_US_AFTER = re.compile(r"\s*(?:with\s+|to\s+)?us\b", re.IGNORECASE)
_US_END = re.compile(r"\bus(?:\s+with)?$", re.IGNORECASE)


def gives_to_us(frame: Frame, text: str) -> bool:
    """The frame hands data to the first party: its subject is a giver, not a recipient."""
    return frame.action.key in SHARING and (
        _US_END.search(frame.action.text) is not None
        or _TO_US_AFTER.match(text, frame.action.end) is not None
    )


def plausible_parties(frame: Frame, analysis: Analysis, own: OwnNames | None = None) -> tuple[Cue, ...]:
    """The frame's plausible parties, and a party inside its verb phrase ("allow third parties to access").

    A company named by its own name is a party unless it is the document's own (``own``).
    """
    text = analysis.text
    parties = tuple(
        c
        for c in (
            *frame.parties,
            *named_acting(frame, text, own),
            *relative_head(frame, analysis),
            *_later_agents(frame, analysis),
            *_requiring(frame, analysis),
            *_publicly(frame),
        )
        if _plausible(frame, c, text)
        and not (c.key == "named_company" and own is not None and c.text in own)
        and not (c in frame.actors and gives_to_us(frame, text))
    )
    if " " not in frame.action.text:
        return parties  # a one-word verb holds no party (the usual case, checked cheaply)
    inside = tuple(
        c
        for c in cues_between(analysis, "actor", frame.action.start + 1, frame.action.end)
        if c.end <= frame.action.end and is_third_party(c.key)
    )
    return (*parties, *inside)


# the words between a relative clause's subject and the main verb: "Third-party services [we] use may
# collect", "Analytics tools that [we] embed in the app will read" (a verb of the clause, then the chain)
_RELATIVE_GAP = re.compile(r"\s*(?:that|which|who|whom)?\s*$", re.IGNORECASE)
_CLAUSE_VERB = re.compile(
    r"\s+[a-z]+(?:\s+\S+){0,6}?\s+(?:may|might|can|could|will|would|also|do|does|are|is)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)


def relative_head(frame: Frame, analysis: Analysis) -> tuple[Cue, ...]:
    """A third party modified by a relative clause whose own subject the frame took for its subject.

    "Third-party services we use may collect your device identifiers": "we" is the subject of "use",
    the services collect. Read when the frame's first actor follows a third party with at most a
    relative pronoun between, and a verb of the clause and an auxiliary or modal lead to the action.
    """
    if not frame.actors or frame.passive:
        return ()
    first, last = frame.actors[0], frame.actors[-1]
    if _CLAUSE_VERB.match(analysis.text, last.end, frame.action.start) is None:
        return ()
    heads = [
        c
        for c in cues_between(analysis, "actor", first.start - WINDOW, first.start)
        if c.end <= first.start
        and is_third_party(c.key)
        and _RELATIVE_GAP.match(analysis.text, c.end, first.start) is not None
    ]
    return tuple(heads[-1:])


# "accessed by our staff and by contractors": an agent after a second "by" (the first named no party)
_LATER_BY = re.compile(r"\bby\s+(?:the\s+|our\s+|its\s+|their\s+)?$", re.IGNORECASE)
_AGENT_REACH = 80  # characters after the verb a coordinated agent may start


def _later_agents(frame: Frame, analysis: Analysis) -> tuple[Cue, ...]:
    """Third parties after a "by" of a passive whose agent the frame builder did not read."""
    if not frame.passive or frame.actors:
        return ()
    return tuple(
        c
        for c in cues_between(analysis, "actor", frame.action.end, frame.action.end + _AGENT_REACH + 1)
        if frame.action.end <= c.start <= frame.action.end + _AGENT_REACH
        and is_third_party(c.key)
        and _LATER_BY.search(analysis.text, max(0, c.start - 12), c.start) is not None
    )[:1]


# an authority whose requirement conditions the practice: "processed where a regulatory authority requires
# it", "when a court orders us to", "if it is required by a law enforcement authority"
_REQUIRES_AFTER = re.compile(
    r"\s+(?:\w+\s+){0,3}?(?:requires?|requests?|orders?|demands?|compels?)\b", re.IGNORECASE
)
_REQUIRES_IN = re.compile(r"(?:requires?|requests?|orders?|demands?)$", re.IGNORECASE)
_REQUIRED_BY = re.compile(
    r"\b(?:required|requested|ordered|demanded|compelled)\s+by\s+(?:\w+\s+){0,6}$", re.IGNORECASE
)
_CONDITION_OPEN = re.compile(r"\b(?:where|if|when|whenever|because)\s+(?:\w+\s+){0,3}$", re.IGNORECASE)


def _requiring(frame: Frame, analysis: Analysis) -> tuple[Cue, ...]:
    """The authority that requires the practice, named in a condition after it: it receives the data."""
    if frame.action.key == "retain":
        return ()  # "we keep invoices for as long as the tax authority requires": kept, not handed over
    text = analysis.text
    return tuple(
        c
        for c in cues_between(analysis, "actor", frame.action.end, frame.action.end + WINDOW)
        if c.key == "government"
        and c.start >= frame.action.end
        and (
            (
                (_REQUIRES_AFTER.match(text, c.end) is not None or _REQUIRES_IN.search(c.text) is not None)
                and _CONDITION_OPEN.search(text, max(0, c.start - 40), c.start) is not None
            )
            or _REQUIRED_BY.search(text, max(0, c.start - 60), c.start) is not None
        )
    )[:1]


def _publicly(frame: Frame) -> tuple[Cue, ...]:
    """The public, named by the adverb of a predicate of visibility ("publicly displayed")."""
    at = frame.action.text.lower().find("publicly")
    if at < 0 or not visible(frame):
        return ()
    start = frame.action.start + at
    return (Cue("actor", "public", start, start + len("publicly"), frame.action.text[at : at + 8]),)


# a predicate of visibility: the data is seen by the parties after it ("visible to everyone", "made
# public"); its subject is the data, whoever a relative clause before names ("notes you mark as shared")
_VISIBLE = re.compile(
    r"^(?:(?:publicly\s+)?(?:visible|viewable|accessible|available|shown|displayed|published|searchable|discoverable)"
    r"\s+(?:to|by)\b|(?:seen|viewed|read|found|indexed|crawled)\s+by\b|ma(?:de|ke|kes|king)\b.*\bpublic|publicly\s"
    r"|\w+\s+publicly$)",
    re.IGNORECASE,
)


def visible(frame: Frame) -> bool:
    """The frame's verb is a predicate of visibility ("visible to", "made public", "seen by")."""
    return _VISIBLE.match(frame.action.text) is not None


# a condition about the data's state, not a disclosure: "where such data has been made public", "if you
# make your profile visible to everyone" (the words from the clause's start to the predicate)
_CONDITION_BEFORE = re.compile(
    r"\b(?:where|if|when|whenever|unless|whether|once|in case)\b[^,;:.()]*$", re.IGNORECASE
)


def _conditional(frame: Frame, analysis: Analysis) -> bool:
    start = frame.action.start
    return _CONDITION_BEFORE.search(analysis.text, max(0, start - WINDOW), start) is not None


def _visible_to_others(frame: Frame, analysis: Analysis) -> bool:
    """Data made visible to third parties (the public, other users), by whoever's choice."""
    if not visible(frame) or _conditional(frame, analysis) or (users_own(frame) and not frame.passive):
        return False  # "information you have made public": the user's own act, no disclosure of ours
    return (
        bool(_publicly(frame))
        or any(is_third_party(c.key) for c in frame.recipients)
        or any(
            c.end <= frame.action.end and is_third_party(c.key)
            for c in cues_between(analysis, "actor", frame.action.start, frame.action.end)
        )
    )


# verbs that always hand data to someone ("we share the information we collect"), unlike "send" or "publish"
HANDS_OVER = re.compile(
    r"^(?:shar|disclos|transfer|pass|hand|releas|reveal|unveil|exchang|communicat|mak|made|provid|giv|gave\b|sent\b"
    r"|surrender|turn)",
    re.IGNORECASE,
)


def disclosures(analysis: Analysis | None) -> list[Frame]:
    """The service's affirmative practices, and disclosures to third parties whose subject is unknown.

    "Counselors may be obliged to disclose information to law enforcement", "Disclose your identity to
    law enforcement officials" (a list item): whoever discloses, the recipient is new to the user. A
    disclosure only defined or asked about ('"Selling" means disclosing ...') is none (``mood``).
    """
    listed = practices(analysis, affirmative=True)
    if analysis is None or boilerplate_only(analysis):
        return listed
    seen = {id(f) for f in listed}
    listed = [f for f in listed if not (visible(f) and _conditional(f, analysis))]
    extra = [
        f
        for f in analysis.frames
        if f.affirmative
        and f.action.key in SHARING
        and id(f) not in seen
        and not unstated(analysis.text, f.action.start)  # '"Selling" means disclosing data to a third party'
        and (
            (
                any(is_third_party(c.key) for c in f.recipients)
                and HANDS_OVER.match(f.action.text) is not None
                and _subject_unknown(f, analysis.text)
            )
            or _visible_to_others(f, analysis)
        )
    ]
    return listed + extra
