"""Parties: a new recipient, a wider class of recipients, a new source of data."""

from __future__ import annotations

import re

from policydiff.semantics.context import Context, Hit, Side
from policydiff.semantics.cues import Cue
from policydiff.semantics.frames import SHARING, Analysis, Frame
from policydiff.semantics.lexicon import FIRST_PARTY, is_third_party, label, related, subsumes
from policydiff.semantics.names import OwnNames, named_acting, own_names
from policydiff.semantics.rules.helpers import (
    boilerplate_only,
    data_phrase,
    group_keys,
    group_practices,
    new_cue_texts,
    old_side_group,
    practices,
    q,
    users_own,
)
from policydiff.semantics.rules.sources import source_named_before
from policydiff.semantics.text import squash

_WIDTH = {"service_providers": 1, "government": 1, "acquirer": 1, "affiliates": 2,
          "ai_providers": 2, "advertisers": 3, "data_brokers": 3, "recipients": 3, "another_provider": 3,
          "partners": 4, "public": 5, "third_parties": 5}  # fmt: skip


def _old_parties(ctx: Context) -> set[str]:
    keys: set[str] = set()
    for analysis in old_side_group(ctx):
        for frame in disclosures(analysis):
            keys |= {c.key for c in frame.parties}
    return keys


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


def _parties(frame: Frame, analysis: Analysis, own: OwnNames | None = None) -> tuple[Cue, ...]:
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


# who is indemnified or not liable is no recipient ("protect against legal liability" may be one)
_LIABLE = re.compile(r"indemnif|harmless|liable|damages|disclaim", re.IGNORECASE)


def _new_party(ctx: Context) -> tuple[Frame, Cue] | None:
    new = ctx.new
    if new is None or any(_LIABLE.search(c.text) for c in new.of("boilerplate", "liability")):
        return None  # "indemnify and hold harmless X, its agents", "liable to you or any third party"
    own = ctx.new_facts.once(own_names) if ctx.new_facts.text else None
    candidates = [f for f in disclosures(new) if _parties(f, new, own)]
    if not candidates:
        return None
    old = _old_party_data(ctx)
    for frame in candidates:
        for cue in _parties(frame, new, own):
            strong = bool(frame.purpose_keys & {"ai_training", "own_purposes"})
            if not _covered(old, cue, frame) and (strong or not ctx.known(cue)):
                return frame, cue
    return None


def _old_party_data(ctx: Context) -> list[tuple[str, frozenset[str]]]:
    """Each party of the old clause's practices, with the data it got there."""
    return [(c.key, f.data_keys) for a in old_side_group(ctx) for f in disclosures(a) for c in f.parties]


def _covered(old: list[tuple[str, frozenset[str]]], cue: Cue, frame: Frame) -> bool:
    """The old clause already gave this class of party this kind of data (or named no data either side).

    "We share your content with third parties" does not cover "your purchase receipts may be shared
    with anyone else": the party is of the same class, the data is new to it.
    """
    data = frame.data_keys - {"personal_data"}
    for key, had in old:
        if subsumes(key, cue.key):
            had = had - {"personal_data"}
            if not data or not had or any(related(a, b) for a in data for b in had):
                return True
    return False


_BASE_VERB = {"use": "use", "share": "receive", "train": "train models on", "collect": "collect",
              "sell": "buy", "retain": "keep", "generate": "generate content from"}  # fmt: skip


# a specific recipient the lexicon has no class for: "with the school that enrolled you", "to our email
# delivery provider" (a determiner and a noun phrase after "with", "to" or "by")
_SPECIFIC = re.compile(
    r"\b(?:with|to|by)\s+(?:the|our|its|their|your|a|an)\s+([a-z][\w-]*(?:\s+[a-z][\w-]*){0,3})"
)


def _specific_recipient(ctx: Context) -> bool:
    """The old clause handed data to a specific party that the new sentence no longer names."""
    if ctx.new is None:
        return False
    new_text = squash(ctx.new.text)
    return any(
        squash(m.group(1)) not in new_text
        for a in old_side_group(ctx)
        if not any(users_own(f) for f in a.frames)  # "you can share a file with a colleague": the user's
        for m in _SPECIFIC.finditer(a.text)
    )


def _old_narrow(ctx: Context) -> set[str]:
    """Third parties the old clause names anywhere (a list item names its recipient without a verb)."""
    return {c.key for a in old_side_group(ctx) for c in a.of("actor") if is_third_party(c.key)}


def _generalizes(ctx: Context, cue: Cue) -> bool:
    """The new party replaces narrower ones that are gone from the sentence, or a specific unnamed one."""
    if not old_side_group(ctx):
        return False
    old = _old_parties(ctx) or _old_narrow(ctx)
    if not old:
        return _WIDTH.get(cue.key, 0) >= 3 and _specific_recipient(ctx)
    now = {c.key for f in practices(ctx.new, affirmative=True) for c in f.parties}
    return not (old & now) and all(_WIDTH.get(o, 0) < _WIDTH.get(cue.key, 0) for o in old)


# a proper name inside a sentence ("handled by Paylane, our processor"): a named, narrow recipient
_NAME = re.compile(r"(?:(?<=[\s(,;:])[A-Z][a-z]+(?:[A-Z][a-z]+)*\b|^[A-Z][a-z]+(?:[A-Z][a-z]+)*(?=,))")


def _widened(ctx: Context) -> tuple[Cue, Cue | None, str] | None:
    """A wide class of recipients in the new sentence where the old one named a narrower or named one.

    Read on cues, not frames, so a table row or a list item widens too: (new class, old party, old name).
    """
    if ctx.old is None or ctx.new is None or not (practices(ctx.new) or ctx.new.of("data")):
        return None
    if ctx.new.of("boilerplate") or ctx.new.of("dispute"):
        return None
    old_text, new_text = squash(ctx.old.text), squash(ctx.new.text)
    had = group_keys(old_side_group(ctx), "actor")
    wide = [
        c
        for c in ctx.new.of("actor")
        if is_third_party(c.key)
        and _WIDTH.get(c.key, 0) >= 3
        and squash(c.text) not in old_text
        and c.key not in had
    ]
    if not wide:
        return None
    cue = wide[0]
    narrow = [
        c
        for c in ctx.old.of("actor")
        if is_third_party(c.key) and _WIDTH.get(c.key, 0) < _WIDTH[cue.key] and squash(c.text) not in new_text
    ]
    covered = [(c.start, c.end) for c in ctx.old.cues]
    names = [
        m.group(0)
        for m in _NAME.finditer(ctx.old.text)
        if not any(s <= m.start() < e for s, e in covered) and m.group(0).lower() not in new_text
    ]
    if not narrow and not names:
        return None
    return cue, (narrow[0] if narrow else None), (names[0] if names else "")


_TO_BEFORE = re.compile(r"\b(?:to|with)\s+$", re.IGNORECASE)


def _receives(cue: Cue, text: str) -> bool:
    """The party is named as a recipient: any third party, or the user after "to"/"with" (not "about you")."""
    return is_third_party(cue.key) or _TO_BEFORE.search(text, max(0, cue.start - 8), cue.start) is not None


_TO_US = re.compile(r"\b(?:us|me)\b", re.IGNORECASE)


def _unnamed_recipient(ctx: Context) -> Frame | None:
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


def _leading_recipient(ctx: Context) -> Cue | None:
    """A third party at the head of an item that starts with "with" or "to": its elided verb shares."""
    new = ctx.new
    lead = _LEADING_TO.match(new.text) if new is not None and not new.frames else None
    if new is None or lead is None or boilerplate_only(new) or old_side_group(ctx):
        return None
    first = min(new.of("actor"), key=lambda c: c.start, default=None)
    if first is None or first.start > lead.end() + 4 or not is_third_party(first.key) or ctx.known(first):
        return None
    return first


def recipient_added(ctx: Context) -> Hit | None:
    found = _new_party(ctx)
    if found is None and (leading := _leading_recipient(ctx)) is not None:
        return Hit(
            f"Adds a new recipient, {q(leading)} ({label(leading.key)}), in a list of recipients.",
            ((leading, "new"),),
        )
    if found is None:
        unnamed = _unnamed_recipient(ctx)
        if unnamed is None:
            return None
        return Hit(
            f"Adds a disclosure of {data_phrase(unnamed)} ({q(unnamed.action)}) to unnamed recipients.",
            ((unnamed.action, "new"),),
        )
    frame, cue = found
    if _generalizes(ctx, cue) or _widened(ctx) is not None:
        return None
    if frame.passive and frame.action.key == "train":
        how = f"who may train models on {data_phrase(frame)} ('{frame.action.text} by ... {cue.text}')"
    elif frame.passive:
        how = f"by whom {data_phrase(frame)} may be {frame.action.text}"
    elif cue in frame.recipients:
        how = f"to whom {data_phrase(frame)} may be {frame.action.text}"
    else:
        verb = _BASE_VERB.get(frame.action.key, frame.action.key)
        how = f"who may {verb} {data_phrase(frame)} ('{frame.action.text}')"
    return Hit(
        f"Adds a new recipient, {q(cue)} ({label(cue.key)}), {how}.",
        ((cue, "new"), (frame.action, "new")),
    )


def recipient_generalized(ctx: Context) -> Hit | None:
    widened = _widened(ctx)
    if widened is not None:
        cue, old_cue, name = widened
        was = q(old_cue) if old_cue is not None else f"'{name}'"
        evidence: tuple[tuple[Cue, Side], ...] = ((cue, "new"),) + (((old_cue, "old"),) if old_cue else ())
        return Hit(f"Widens who receives data to {q(cue)} instead of {was}.", evidence)
    found = _new_party(ctx)
    if found is None or ctx.old is None:
        return None
    _frame, cue = found
    if not _generalizes(ctx, cue):
        return None
    old_cue = next((c for f in practices(ctx.old, affirmative=True) for c in f.parties), None)
    evidence = ((cue, "new"),) + (((old_cue, "old"),) if old_cue else ())
    was = f" instead of {q(old_cue)}" if old_cue else ""
    return Hit(f"Widens who receives data to {q(cue)}{was}.", evidence)


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
        if not ctx.known(c) and not source_named_before(ctx, ctx.new, c)  # moved and reworded
    ]
    if not new:
        return None
    return Hit(f"Adds a new source of data: {q(new[0])}.", ((new[0], "new"),))
