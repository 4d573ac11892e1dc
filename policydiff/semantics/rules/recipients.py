"""Recipients: a new recipient or class of recipients, and a wider class replacing a narrow one.

Who receives data is read by ``disclosures``; here is what is new. A party is new when the old
version never named it and the old clause did not already give its class this kind of data
(``recipient.added``); a wide class (third parties, partners, the public) that replaces narrower or
named recipients gone from the sentence widens who receives data (``recipient.generalized``).
"""

from __future__ import annotations

import re

from policydiff.semantics.context import Context, Hit, Side
from policydiff.semantics.cues import Cue
from policydiff.semantics.frames import Analysis, Frame
from policydiff.semantics.lexicon import is_third_party, label, related, subsumes
from policydiff.semantics.names import own_names
from policydiff.semantics.rules.disclosures import (
    disclosures,
    engaged_provider,
    leading_recipient,
    plausible_parties,
    unnamed_recipient,
    visible,
)
from policydiff.semantics.rules.helpers import (
    boilerplate_only,
    data_phrase,
    group_keys,
    narrowed,
    old_side_group,
    practices,
    q,
    users_own,
)
from policydiff.semantics.rules.pronouns import pronoun_recipient
from policydiff.semantics.rules.stated import party_stated
from policydiff.semantics.text import squash

_WIDTH = {"service_providers": 1, "government": 1, "acquirer": 1, "affiliates": 2,
          "ai_providers": 2, "advertisers": 3, "data_brokers": 3, "recipients": 3, "another_provider": 3,
          "partners": 4, "public": 5, "other_users": 5, "third_parties": 5}  # fmt: skip


def _old_parties(ctx: Context) -> set[str]:
    keys: set[str] = set()
    for analysis in old_side_group(ctx):
        for frame in disclosures(analysis):
            keys |= {c.key for c in frame.parties}
    return keys


# who is indemnified or not liable is no recipient ("protect against legal liability" may be one)
_LIABLE = re.compile(r"indemnif|harmless|liable|damages|disclaim", re.IGNORECASE)


def _new_party(ctx: Context) -> tuple[Frame, Cue] | None:
    new = ctx.new
    if new is None or any(_LIABLE.search(c.text) for c in new.of("boilerplate", "liability")):
        return None  # "indemnify and hold harmless X, its agents", "liable to you or any third party"
    own = ctx.new_facts.once(own_names) if ctx.new_facts.text else None
    candidates = [f for f in disclosures(new) if plausible_parties(f, new, own)]
    if not candidates:
        return None
    old = _old_party_data(ctx)
    for frame in candidates:
        for cue in plausible_parties(frame, new, own):
            strong = bool(frame.purpose_keys & {"ai_training", "own_purposes"})
            if not _covered(old, cue, frame) and (strong or not ctx.known(cue)):
                if party_stated(ctx, frame, cue.key):
                    continue  # the old version gave this class of party related data elsewhere
                return frame, cue
    return None


_OldParty = tuple[str, frozenset[str], str]  # (party key or "" when narrowed, data keys, party words)


def _old_party_data(ctx: Context) -> list[_OldParty]:
    """Each party of the old clause's practices, with the data it got there."""
    found = []
    for a in old_side_group(ctx):
        for f in disclosures(a):
            for c in f.parties:
                found.append(("" if narrowed(a, c) else c.key, f.data_keys, squash(c.text)))
    return found


def _covered(old: list[_OldParty], cue: Cue, frame: Frame) -> bool:
    """The old clause already gave this class of party this kind of data (or named no data either side).

    "We share your content with third parties" does not cover "your purchase receipts may be shared
    with anyone else": the party is of the same class, the data is new to it. A class narrowed by a
    relative clause covers only itself.
    """
    data = frame.data_keys - {"personal_data"}
    for key, had, words in old:
        if subsumes(key, cue.key) if key else words == squash(cue.text):
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


def _sentence_before(ctx: Context) -> Analysis | None:
    """The sentence ahead of the new one in its clause (what a pronoun may refer to)."""
    if ctx.new is None:
        return None
    texts = [a.text for a in ctx.new_group]
    at = texts.index(ctx.new.text) if ctx.new.text in texts else 0
    return ctx.new_group[at - 1] if at > 0 else None


def _pronoun_hit(ctx: Context) -> Hit | None:
    """A pronoun receives data ("we give them your address") and refers to a party new to the document."""
    new = ctx.new
    if new is None or boilerplate_only(new):
        return None
    own = ctx.new_facts.once(own_names) if ctx.new_facts.text else None
    found = pronoun_recipient(new, _sentence_before(ctx), own)
    if found is None or ctx.known(found[1]):
        return None
    pronoun, antecedent = found
    data = [c.text for c in new.of("data") if c.start > pronoun.start] or ["data"]
    return Hit(
        f"Adds a new recipient, {q(pronoun)} (that is {q(antecedent)}, {label(antecedent.key)}), "
        f"who receives {', '.join(dict.fromkeys(data))}.",
        ((pronoun, "new"),),
    )


def _engaged_hit(ctx: Context) -> Hit | None:
    """The company now uses an outside service that the old clause and document never named."""
    cue = engaged_provider(ctx.new) if ctx.new is not None else None
    if cue is None or ctx.known(cue) or _old_narrow(ctx) & {"service_providers", "another_provider", cue.key}:
        return None
    return Hit(
        f"Adds a new recipient, {q(cue)} ({label(cue.key)}): an outside service the company uses "
        "receives the data it works on.",
        ((cue, "new"),),
    )


def recipient_added(ctx: Context) -> Hit | None:
    found = _new_party(ctx)
    if found is None and (pronoun := _pronoun_hit(ctx) or _engaged_hit(ctx)) is not None:
        return pronoun
    if found is None and (leading := leading_recipient(ctx)) is not None:
        return Hit(
            f"Adds a new recipient, {q(leading)} ({label(leading.key)}), in a list of recipients.",
            ((leading, "new"),),
        )
    if found is None:
        unnamed = unnamed_recipient(ctx)
        if unnamed is None:
            return None
        return Hit(
            f"Adds a disclosure of {data_phrase(unnamed)} ({q(unnamed.action)}) to unnamed recipients.",
            ((unnamed.action, "new"),),
        )
    frame, cue = found
    if _generalizes(ctx, cue) or _widened(ctx) is not None:
        return None
    return Hit(
        f"Adds a new recipient, {q(cue)} ({label(cue.key)}), {_how(ctx, frame, cue)}.",
        ((cue, "new"), (frame.action, "new")),
    )


def _how(ctx: Context, frame: Frame, cue: Cue) -> str:
    """How the party gets the data: "to whom" a recipient, "by whom" an agent, "who can see" an audience."""
    if frame.passive and frame.action.key == "train":
        return f"who may train models on {data_phrase(frame)} ('{frame.action.text} by ... {cue.text}')"
    if cue.key == "government" and cue.start > frame.action.end and cue not in frame.parties:
        return f"which may require that {data_phrase(frame)} be {frame.action.text} ('... requires it')"
    if visible(frame):
        seen = [c.text for c in ctx.new.of("data") if c.end <= frame.action.start] if ctx.new else []
        what = ", ".join(dict.fromkeys(seen)) if seen else data_phrase(frame)
        return f"who can see {what} ('{frame.action.text}')"
    if frame.action.start == cue.start:  # a row under a "who receives it" header: no verb of its own
        return f"listed as receiving {data_phrase(frame)}"
    if cue in frame.recipients and frame.passive:
        return f"to whom {data_phrase(frame)} may be {frame.action.text}"
    if cue in frame.recipients:
        return f"who may receive {data_phrase(frame)} ('{frame.action.text}')"
    if frame.passive:
        return f"by whom {data_phrase(frame)} may be {frame.action.text}"
    verb = _BASE_VERB.get(frame.action.key, frame.action.key)
    return f"who may {verb} {data_phrase(frame)} ('{frame.action.text}')"


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
