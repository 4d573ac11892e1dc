"""Who receives data in a sentence: the plausible parties of a practice, read by grammar.

A party is a frame's actor or recipient that the grammar allows: the subject of the verb (not the
object of a preposition or of another verb: "abusing others", "if you permit others to use"), a
recipient that is no agent of a participle ("sites published by third parties"), a company named by
its own name that is not the document's own (``names.named_acting``). ``disclosures`` are the
service's affirmative practices and the disclosures to third parties whose subject is unknown
("Counselors may be obliged to disclose ... to law enforcement"). A disclosure without a named
recipient (``unnamed_recipient``) and a list item that names only where data goes
(``leading_recipient``) are read here too; the rules of ``recipients`` decide what is new.
"""

from __future__ import annotations

import re

from policydiff.semantics.context import Context
from policydiff.semantics.cues import Cue
from policydiff.semantics.frames import SHARING, Analysis, Frame
from policydiff.semantics.lexicon import FIRST_PARTY, is_third_party
from policydiff.semantics.names import OwnNames, named_acting
from policydiff.semantics.rules.helpers import (
    boilerplate_only,
    group_practices,
    old_side_group,
    practices,
    users_own,
)

# words between "you" and a verb showing "you" is not its subject ("you should be aware that X may disclose")
_NOT_SUBJECT = re.compile(
    r"\b(?:that|which|who|whom|when|if|whether|where|because|aware|required|obliged)\b", re.IGNORECASE
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
        return _AGENT_BEFORE.search(text, max(0, cue.start - 12), cue.start) is None
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


def plausible_parties(frame: Frame, analysis: Analysis, own: OwnNames | None = None) -> tuple[Cue, ...]:
    """The frame's plausible parties, and a party inside its verb phrase ("allow third parties to access").

    A company named by its own name is a party unless it is the document's own (``own``).
    """
    text = analysis.text
    parties = tuple(
        c
        for c in (*frame.parties, *named_acting(frame, text, own))
        if _plausible(frame, c, text) and not (c.key == "named_company" and own is not None and c.text in own)
    )
    if frame.action.text.count(" ") < 2:
        return parties  # a one- or two-word verb holds no party (the usual case, checked cheaply)
    inside = tuple(
        c
        for c in analysis.of("actor")
        if frame.action.start < c.start and c.end <= frame.action.end and is_third_party(c.key)
    )
    return (*parties, *inside)


# verbs that always hand data to someone ("we share the information we collect"), unlike "send" or "publish"
_HANDS_OVER = re.compile(
    r"^(?:shar|disclos|transfer|pass|hand|releas|unveil|exchang|communicat|mak|made|provid|sent\b)",
    re.IGNORECASE,
)


def disclosures(analysis: Analysis | None) -> list[Frame]:
    """The service's affirmative practices, and disclosures to third parties whose subject is unknown.

    "Counselors may be obliged to disclose information to law enforcement", "Disclose your identity to
    law enforcement officials" (a list item): whoever discloses, the recipient is new to the user.
    """
    listed = practices(analysis, affirmative=True)
    if analysis is None or boilerplate_only(analysis):
        return listed
    seen = {id(f) for f in listed}
    extra = [
        f
        for f in analysis.frames
        if f.affirmative
        and f.action.key in SHARING
        and id(f) not in seen
        and any(is_third_party(c.key) for c in f.recipients)
        and _HANDS_OVER.match(f.action.text) is not None
        and _subject_unknown(f, analysis.text)
    ]
    return listed + extra


_TO_BEFORE = re.compile(r"\b(?:to|with)\s+$", re.IGNORECASE)


def _receives(cue: Cue, text: str) -> bool:
    """The party is named as a recipient: any third party, or the user after "to"/"with" (not "about you")."""
    return is_third_party(cue.key) or _TO_BEFORE.search(text, max(0, cue.start - 8), cue.start) is not None


_TO_US = re.compile(r"\b(?:us|me)\b", re.IGNORECASE)


def unnamed_recipient(ctx: Context) -> Frame | None:
    """The service now discloses data without naming to whom: someone outside receives it."""
    if ctx.new is None or any(f.action.key in SHARING for f in group_practices(old_side_group(ctx))):
        return None
    for frame in practices(ctx.new, affirmative=True):
        if (
            frame.action.key == "share"
            and not any(_receives(c, ctx.new.text) for c in frame.recipients)
            and (frame.passive or any(a.key in FIRST_PARTY for a in frame.actors))
            and frame.data_keys
            and _HANDS_OVER.match(frame.action.text)
            and not frame.action.text.lower().endswith("ing")  # "file sharing" names a feature
            and not _TO_US.search(frame.action.text)  # "a child has provided us with": data comes in
            and not ctx.known(frame.action)
        ):
            return frame
    return None


# a list item that names only where data goes ("With third parties who help us ...", "to our partners, who")
_LEADING_TO = re.compile(r"^\W*(?:with|to)\s+", re.IGNORECASE)


def leading_recipient(ctx: Context) -> Cue | None:
    """A third party at the head of an item that starts with "with" or "to": its elided verb shares."""
    new = ctx.new
    lead = _LEADING_TO.match(new.text) if new is not None and not new.frames else None
    if new is None or lead is None or boilerplate_only(new) or old_side_group(ctx):
        return None
    first = min(new.of("actor"), key=lambda c: c.start, default=None)
    if first is None or first.start > lead.end() + 4 or not is_third_party(first.key) or ctx.known(first):
        return None
    return first
