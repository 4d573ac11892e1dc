"""Promises: weakened, removed or added negative commitments, and hedges."""

from __future__ import annotations

import re

import attrs

from policydiff.semantics.context import Context, Hit, Side
from policydiff.semantics.cues import Cue
from policydiff.semantics.frames import SHARING, Analysis, Frame
from policydiff.semantics.lexicon import FIRST_PARTY, is_third_party, related
from policydiff.semantics.rules.helpers import (
    data_phrase,
    is_promise,
    lost_cue_texts,
    matching_promise,
    narrowed_recipient,
    new_cue_texts,
    new_side_group,
    old_side_group,
    opt_out_conditioned,
    practices,
    q,
    same_practice,
)
from policydiff.semantics.rules.kept import (
    as_promise,
    commitment_made,
    disclosure_promised,
    kept_in_document,
    made_before,
    restriction_made_before,
)
from policydiff.semantics.text import squash


def promise_weakened(ctx: Context) -> Hit | None:
    if ctx.old is None or ctx.new is None:
        return None
    for old in ctx.old.frames:
        if not is_promise(old):
            continue
        same_new = [f for f in ctx.new.frames if same_practice(old, f)]
        if not same_new:
            continue
        # "do not sell or share" -> "do not sell, but may share": the same verb, no longer negated
        same_verb = [f for f in same_new if f.action.key == old.action.key]
        still = [f for f in (same_verb or same_new) if is_promise(f)]
        if not still:
            new = same_new[0]
            return Hit(
                f"Turns the promise {q(old.action)} (negated) into {q(new.action)} "
                f"with '{new.modality}' force.",
                ((old.action, "old"), (new.action, "new"), *tuple((c, "new") for c in new.modal_cues[:1])),
            )
        old_exc = {squash(c.text) for c in old.conditions if c.key in ("exception", "legal_basis")}
        added = [
            c
            for c in still[0].conditions
            if c.key in ("exception", "legal_basis") and squash(c.text) not in old_exc
        ]
        if added:
            return Hit(
                f"Adds an exception, {q(added[0])}, to the promise not to {old.action.text}.",
                ((added[0], "new"), (still[0].action, "new")),
            )
        narrowed = narrowed_recipient(ctx.old, old, ctx.new, still[0])
        if narrowed is not None:
            return Hit(
                f"Narrows whom the promise not to {old.action.text} covers: {q(narrowed)}.",
                ((narrowed, "new"), (still[0].action, "new")),
            )
    # a condition that protected the user disappears: "only with your consent" -> (nothing)
    for old in practices(ctx.old, affirmative=True):
        guard = [
            c
            for c in old.conditions
            if c.key == "consent" and re.search(r"with|upon|based|subject|if", c.text, re.I)
        ]
        if not guard:
            continue
        for new in practices(ctx.new, affirmative=True):
            if not same_practice(old, new):
                continue
            if "consent" not in new.condition_keys:
                return Hit(
                    f"Drops the condition {q(guard[0])} from {q(new.action)}.",
                    ((guard[0], "old"), (new.action, "new")),
                )
            # "only with your consent" -> "with your consent or where we have a legitimate interest"
            other = [c for c in new.conditions if c.key in _OTHER_BASES and c.key not in old.condition_keys]
            if other:
                return Hit(
                    f"Adds {q(other[0])} beside {q(guard[0])} for {q(new.action)}.",
                    ((other[0], "new"), (guard[0], "old")),
                )
    # positive obligations that protect the user: "we will notify" -> "we may notify"
    for old in ctx.old.frames:
        if old.action.key in ("notify", "delete") and old.modality == "assert" and not old.negated:
            for new in ctx.new.frames:
                if new.action.key == old.action.key and new.modality == "permit" and not new.negated:
                    return Hit(
                        f"Softens the obligation {q(old.action)} from 'will' to 'may'.",
                        ((old.action, "old"), *tuple((c, "new") for c in new.modal_cues[:1])),
                    )
    return None


_OTHER_BASES = frozenset({"legitimate_interests", "legal_basis", "exception"})


def promise_removed(ctx: Context) -> Hit | None:
    if ctx.old is None:
        return None
    olds = [
        f for f in map(_with_antecedent, ctx.old.frames, [ctx.old] * len(ctx.old.frames)) if is_promise(f)
    ]
    if not olds:
        return _commitment_removed(ctx)
    new_group = new_side_group(ctx)
    for old in olds:
        match = matching_promise(old, new_group)
        if match is not None:
            dropped = _dropped_data(ctx, old, match)
            if dropped:
                return Hit(
                    f"Drops {q(dropped[0])} from the promise not to {old.action.text}.",
                    ((dropped[0], "old"), (old.action, "old")),
                )
            continue
        if ctx.new is not None and any(same_practice(old, f) for f in ctx.new.frames):
            continue  # changed, not removed: promise.weakened looks at it
        if kept_in_document(ctx, as_promise(old, ctx.old) or old):
            continue  # reworded or moved elsewhere in the new version
        return Hit(
            f"Removes the promise not to {old.action.text} {data_phrase(old)}.", ((old.action, "old"),)
        )
    return None


# a relative clause on the data: "Biometric templates, which we never share with anyone, are stored ..."
_RELATIVE = re.compile(r",\s*(?:which|that)\s+(?:\w+\s+){1,3}$", re.IGNORECASE)


def _with_antecedent(frame: Frame, analysis: Analysis) -> Frame:
    """A negated practice in a relative clause takes the data the clause is about."""
    if frame.data_keys or not frame.negated:
        return frame
    at = frame.action.start
    clause = _RELATIVE.search(analysis.text, max(0, at - 40), at)
    if clause is None:
        return frame
    keys = tuple(sorted({c.key for c in analysis.of("data") if c.end <= clause.start()}))
    return attrs.evolve(frame, inherited_data=keys) if keys else frame


def _dropped_data(ctx: Context, old: Frame, new: Frame) -> list[Cue]:
    """Data the promise named that its new wording no longer covers, and no promise of the new version
    covers ("we do not sell your name, email address or purchase history" -> "... your name or email")."""
    dropped = [c for c in old.data if not any(related(c.key, k) for k in new.data_keys)]
    return [c for c in dropped if not kept_in_document(ctx, attrs.evolve(old, data=(c,), inherited_data=()))]


# the user or their things as the object of a negated practice ("does not track you", "log your searches")
# or a thing the user makes, named by a relative clause ("sell the recipes you save")
_USER_OBJECT = re.compile(
    r"\s+(?:you\b|your\s+\w+|(?:our\s+)?(?:users|members|visitors)\b|the\s+\w+(?:\s+\w+)?\s+(?:that\s+|which\s+)?"
    r"you\s+(?!agree|accept|acknowledge)\w+)",
    re.IGNORECASE,
)
# a practice named as a noun and negated: "no tracking", "without any profiling"
# or the object of a negated use ("we do not use any third-party tracking")
# the subject of a passive: the user's things ("Your details will not be passed to ...")
_USER_SUBJECT = re.compile(
    r"(?:^|\s)(?:you\b|your\s+\w+|(?:our\s+)?(?:users|members|visitors|customers)\b)", re.IGNORECASE
)
_NO_ACTION = re.compile(
    r"\b(?:no|without any|(?:use|employ|deploy|embed|install|run|allow|permit)\s+(?:any|such)?)\s+"
    r"(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
_TO_USER = re.compile(r"\s+to\s+(?:you|the (?:user|customer|licensee))\b", re.IGNORECASE)
# a negation inside a condition is no commitment ("a refund only if the content has not been accessed")
_CONDITION_CLAUSE = re.compile(r"\b(?:if|unless|whether|provided that)\b[^,;:]*$", re.IGNORECASE)
# the main clause after a condition without a comma: "If you live in California we do not sell ..."
_MAIN_CLAUSE = re.compile(
    r"\bwe\s+(?:\w+\s+)?(?:do|does|will|shall|would|never|not|don['’]t|won['’]t)\b", re.IGNORECASE
)


def commitments(analysis: Analysis) -> list[Frame]:
    """Negated practices of the service, about data named anywhere in the sentence or about the user.

    Wider than ``is_promise``: the object may sit outside the frame ("none of the information we collect
    is ever shared"), be the user ("this site does not track you") or a practice ("no analytics"), or be
    left unsaid by a disclosure to third parties ("... will not be sold to third parties"). Not
    liability boilerplate ("in no event will we be liable"), not a negation inside a condition.
    """
    if any(c.key == "liability" for c in analysis.of("boilerplate")):
        return []  # liability boilerplate
    # "Do not post or send ...": a rule for the user, no promise ("Don't worry, we never sell" is one)
    imperative = _IMPERATIVE.match(analysis.text) is not None
    text = analysis.text
    has_data = bool(analysis.of("data"))
    purposes = [c.start for c in analysis.of("purpose")]
    out = []
    for frame in practices(analysis, affirmative=False):
        at, end = frame.action.start, frame.action.end
        if imperative and not any(a.key in FIRST_PARTY for a in frame.actors):
            continue
        if _in_condition(text, at) or _TO_USER.match(text, end):
            continue  # a condition, or a sale to the user ("the software has not been sold to you")
        if (
            is_promise(frame)
            or has_data
            or any(p >= end for p in purposes)
            or _USER_OBJECT.match(text, end) is not None
            or (frame.passive and _USER_SUBJECT.search(text, max(0, at - 200), at) is not None)
            or (frame.action.key in SHARING and any(is_third_party(r.key) for r in frame.recipients))
            or _NO_ACTION.search(text, max(0, at - 30), at) is not None
        ):
            out.append(frame)
    return out


def _in_condition(text: str, at: int) -> bool:
    """The action at ``at`` lies in an "if"/"unless" clause, not in a main clause after it ("If you live in
    California we do not sell ..." is a promise; "If we do not receive payment, ..." is none)."""
    condition = _CONDITION_CLAUSE.search(text, max(0, at - 200), at)
    if condition is None:
        return False
    main = _MAIN_CLAUSE.search(text, condition.start(), at)
    return main is None or " " not in text[condition.start() : main.start()].strip()


# a sentence that tells the user what not to do
_IMPERATIVE = re.compile(r"^\W*(?:please\s+)?(?:do not|don['’]t|never)\s+(?!we\b|will\b)", re.IGNORECASE)
_WITHOUT = re.compile(r"without\b", re.IGNORECASE)
_ONLY = re.compile(r"\b(?:only|solely|exclusively)\b", re.IGNORECASE)


# the user's own act or approval bounds a practice ("the data you approve", "the information you give us")
_USER_CHOICE = re.compile(
    r"\byou\s+(?:have\s+)?(?:approve|approved|authori[sz]e|authori[sz]ed|allow|allowed|choose|chose|select|"
    r"selected|give|gave|provide|provided|enter|entered|submit|submitted|agree|agreed|consent|consented)\b",
    re.IGNORECASE,
)


def _bounded_by_user(ctx: Context, analysis: Analysis, old_group: tuple[Analysis, ...]) -> Hit | None:
    """A practice limited to what the user gives or approves ("we only collect the information you give
    us", "third parties only have access to the data you approve")."""
    last_data = max((c.start for c in analysis.of("data")), default=-1)  # read once: frames are many
    for frame in practices(analysis, affirmative=True):
        if frame.modality != "restrict" or not (frame.data or last_data >= frame.action.end):
            continue
        choice = _USER_CHOICE.search(analysis.text, frame.action.end, frame.action.end + 80)
        if choice is None:
            continue
        if any(f.modality == "restrict" and same_practice(frame, f) for a in old_group for f in a.frames):
            return None
        if restriction_made_before(ctx, frame):
            continue  # moved here, or the old version's promise said the other way round
        return Hit(
            f"Adds a restriction: {q(frame.action)} only {data_phrase(frame)} '{choice.group(0)}'.",
            ((frame.action, "new"),),
        )
    return None


def restriction(ctx: Context, analysis: Analysis, old_group: tuple[Analysis, ...]) -> Hit | None:
    """A disclosure bound to consent ("we only share your data with third parties when you consent"), or
    a practice bound to what the user gives or approves."""
    for frame in practices(analysis, affirmative=True):
        if frame.action.key not in ("share", "sell"):
            continue
        consent = [c for c in frame.conditions if c.key == "consent" and not _WITHOUT.match(c.text)]
        if not consent:
            continue
        lo, hi = min(frame.action.start, consent[0].start), max(frame.action.end, consent[0].end)
        only = frame.modality == "restrict" or _ONLY.search(analysis.text, max(0, lo - 30), hi) is not None
        if (
            only
            and not any("consent" in f.condition_keys for a in old_group for f in a.frames)
            and not restriction_made_before(ctx, frame)
        ):
            return Hit(
                f"Adds a restriction: {q(frame.action)} {data_phrase(frame)} only {q(consent[0])}.",
                ((frame.action, "new"), (consent[0], "new")),
            )
    return _bounded_by_user(ctx, analysis, old_group)


def promise_added(ctx: Context) -> Hit | None:
    """A new promise, also one for some places only ("we do not sell the data of California residents"):
    a regional promise the old version made for everyone is a carve-out (``region.carve_out``), not new."""
    found = commitments(ctx.new) if ctx.new is not None else []
    if ctx.new is not None and not found:
        return restriction(ctx, ctx.new, old_side_group(ctx)) or _commitment_added(ctx)
    if ctx.new is None or not found:
        return None
    old_group = old_side_group(ctx)
    for new in found:
        if opt_out_conditioned(new):
            continue
        previous = matching_promise(new, old_group)
        negs: tuple[tuple[Cue, Side], ...] = tuple(
            (c, "new") for c in new.modal_cues if c.slot == "negation"
        )[:1]
        if previous is None:
            if made_before(ctx, as_promise(new, ctx.new) or new):
                continue  # moved here from elsewhere in the old version
            return Hit(
                f"Adds a promise: {q(new.action)} is negated for {data_phrase(new)}.",
                ((new.action, "new"), *negs),
            )
        wider = new.data_keys - previous.data_keys
        dropped = previous.condition_keys - new.condition_keys
        if wider or ("consent" in dropped):
            what = "covers more data" if wider else "no longer depends on consent"
            return Hit(
                f"Broadens the promise not to {new.action.text}: it now {what}.", ((new.action, "new"), *negs)
            )
    return None


# a commitment the user owes, not the service ("you must keep your password confidential")
_USER_DUTY = re.compile(
    r"\b(?:password|passcode|credentials?|log-?in details|username|pin)\b|"
    r"\b(?:you|users?|members?)\s+(?:must|should|shall|agree|are (?:responsible|required|obliged))\b",
    re.IGNORECASE,
)


def _commitment_added(ctx: Context) -> Hit | None:
    """A promise said without a negation ("kept strictly confidential", "we will respect that choice")
    that the old version made nowhere, in any words."""
    if ctx.new is None or _USER_DUTY.search(ctx.new.text):
        return None
    data = ctx.new.keys("data")
    for cue in new_cue_texts(ctx, "commitment"):
        if commitment_made(ctx.old_facts, cue.key):
            continue
        if cue.key == "confidential" and data and disclosure_promised(ctx.old_facts, data):
            continue  # "we will not share your messages" said before as a promise
        return Hit(f"Adds a commitment: {q(cue)}.", ((cue, "new"),))
    return None


def _commitment_removed(ctx: Context) -> Hit | None:
    """A promise said without a negation that the new version makes nowhere, in any words."""
    if ctx.old is None or _USER_DUTY.search(ctx.old.text):
        return None
    for cue in lost_cue_texts(ctx, "commitment"):
        if not commitment_made(ctx.new_facts, cue.key):
            return Hit(f"Removes the commitment {q(cue)}.", ((cue, "old"),))
    return None


def hedge_added(ctx: Context) -> Hit | None:
    if ctx.new is None or ctx.old is None or not (ctx.new.frames or ctx.new.of("negation")):
        return None
    new = new_cue_texts(ctx, "hedge")
    if not new:
        return None
    promise = any(is_promise(f) for f in ctx.new.frames)
    return Hit(f"Adds the qualifier {q(new[0])}.", ((new[0], "new"),), severity="medium" if promise else None)
