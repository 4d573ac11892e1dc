"""Promises: weakened, removed or added negative commitments, and hedges."""

from __future__ import annotations

import re

import attrs

from policydiff.semantics.context import Context, Hit, Side
from policydiff.semantics.cues import Cue
from policydiff.semantics.frames import Analysis, Frame
from policydiff.semantics.lexicon import FIRST_PARTY, related, subsumes
from policydiff.semantics.rules.duties import (
    deletion_restated,
    obligation_added,
    obligation_made,
    obligation_removed,
    purpose_promise_added,
    purpose_promise_removed,
)
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
    restriction_kept,
    restriction_made_before,
    sentence_promises,
)
from policydiff.semantics.rules.pledges import (
    commitments,
    feature,
    obligations,
    purpose_restrictions,
    restricted,
)
from policydiff.semantics.text import DocumentFacts, squash


def promise_weakened(ctx: Context) -> Hit | None:
    if ctx.old is None or ctx.new is None:
        return None
    for old in sentence_promises(ctx.old):
        same_new = [f for f in ctx.new.frames if same_practice(old, f)]
        if not same_new:
            continue
        # "do not sell or share" -> "do not sell, but may share": the same verb, no longer negated
        same_verb = [f for f in same_new if f.action.key == old.action.key]
        still = [f for f in (same_verb or same_new) if f.negated]
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
            if c.key in ("exception", "legal_basis")
            and squash(c.text) not in old_exc
            and not ("consent" in old.condition_keys and _AGREES.match(ctx.new.text, c.end))
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
    dropped = _restriction_dropped(ctx)
    if dropped is not None:
        return dropped
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
# an exception that is the user's consent in other words: "unless you agree", "except where you ask us to"
_AGREES = re.compile(
    r"\s+(?:where\s+|when\s+|if\s+)?(?:you|the user|a parent|your parent)\s+(?:have\s+|first\s+)?"
    r"(?:agree|agreed|consent|consented|ask|asked|allow|allowed|authori[sz]e|authori[sz]ed|permit|"
    r"permitted|choose|chose|opt in|opted in|request|requested|instruct|instructed|give us permission)\b",
    re.IGNORECASE,
)


def _restriction_dropped(ctx: Context) -> Hit | None:
    """A limited practice loses its limit ("we use your phone number only to verify your account" ->
    "... to verify your account and for other purposes"), and the new version limits it nowhere."""
    assert ctx.old is not None and ctx.new is not None
    for old in purpose_restrictions(ctx.old):
        same = [f for f in practices(ctx.new, affirmative=True) if same_practice(old, f)]
        if not same or any(restricted(f, ctx.new) for f in same) or restriction_kept(ctx, old):
            continue
        return Hit(
            f"Drops the limit on {q(old.action)} {data_phrase(old)}: no longer only for the purposes named.",
            ((old.action, "old"), (same[0].action, "new")),
        )
    return None


def promise_removed(ctx: Context) -> Hit | None:
    if ctx.old is None:
        return None
    olds = [
        f for f in map(_with_antecedent, ctx.old.frames, [ctx.old] * len(ctx.old.frames)) if is_promise(f)
    ]
    starts = {f.action.start for f in olds}
    olds += [f for f in commitments(ctx.old) if f.action.start not in starts]
    if not olds:
        return _commitment_removed(ctx) or obligation_removed(ctx) or purpose_promise_removed(ctx)
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
        promise = as_promise(old, ctx.old) or old
        if kept_in_document(ctx, promise) or deletion_restated(ctx.new_facts, promise, ctx.old):
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
    a regional promise the old version made for everyone is a carve-out (``region.carve_out``), not new.

    A promise is new only if the old version makes the same one nowhere, in any words: the promises of
    both versions are read alike (``pledges``) and matched by frame (``kept``), not by wording."""
    if ctx.new is None:
        return None
    found = commitments(ctx.new)
    if found:
        return _negation_added(ctx, found)
    return (
        restriction(ctx, ctx.new, old_side_group(ctx))
        or _purpose_restriction_added(ctx, ctx.new)
        or _commitment_added(ctx)
        or obligation_added(ctx)
        or purpose_promise_added(ctx)
    )


def _negation_added(ctx: Context, found: list[Frame]) -> Hit | None:
    assert ctx.new is not None
    olds = [f for a in old_side_group(ctx) for f in sentence_promises(a)]
    for new in found:
        if opt_out_conditioned(new):
            continue
        # a promise of the old clause about no data in particular does not cover one about named data
        previous = next(
            (f for f in olds if same_practice(new, f) and (f.data_keys or not new.data_keys)), None
        )
        negs: tuple[tuple[Cue, Side], ...] = tuple(
            (c, "new") for c in new.modal_cues if c.slot == "negation"
        )[:1]
        if previous is None:
            promise = as_promise(new, ctx.new) or new
            if made_before(ctx, promise) or deletion_restated(ctx.old_facts, promise, ctx.new):
                continue  # moved here from elsewhere in the old version, or said there in other words
            return Hit(
                f"Adds a promise: {q(new.action)} is negated for {data_phrase(new)}.",
                ((new.action, "new"), *negs),
            )
        # data the old promise did not cover, by subsumption ("personal data" covers "email address")
        wider = [k for k in new.data_keys if not any(subsumes(o, k) for o in previous.data_keys)]
        unconditioned = "consent" in previous.condition_keys and not new.condition_keys
        if (wider and previous.data_keys) or unconditioned:
            what = "covers more data" if wider else "no longer depends on consent"
            return Hit(
                f"Broadens the promise not to {new.action.text}: it now {what}.", ((new.action, "new"), *negs)
            )
    return None


def _purpose_restriction_added(ctx: Context, analysis: Analysis) -> Hit | None:
    """A practice limited to purposes ("we only use your phone number to verify your account", "your
    data is used solely to provide the service") that the old version did not limit anywhere."""
    frames = purpose_restrictions(analysis)
    # one limit over coordinated verbs ("will only access, use and store") is one commitment: said before
    # if the old version bound any of them
    if not frames or any(restriction_made_before(ctx, f) for f in frames):
        return None
    frame = frames[0]
    return Hit(
        f"Adds a restriction: {q(frame.action)} {data_phrase(frame)} only for the purposes it names.",
        ((frame.action, "new"),),
    )


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
    if feature(ctx.new):
        return None  # what the user can do ("You decide who sees your posts") promises nothing of ours
    data = ctx.new.keys("data")
    for cue in new_cue_texts(ctx, "commitment"):
        if commitment_made(ctx.old_facts, cue.key):
            continue
        if cue.key == "confidential" and data and disclosure_promised(ctx.old_facts, data):
            continue  # "we will not share your messages" said before as a promise
        if _VISIBILITY.search(cue.text) and not any(a.key in FIRST_PARTY for a in ctx.new.of("actor")):
            continue  # "Drafts are private until you publish them": who can see a thing, a feature
        if _frames_stated(ctx.new, ctx.old_facts, ctx, "old"):
            return None  # "IP addresses are deleted after 30 days" said before as "we erase logs within ..."
        return Hit(f"Adds a commitment: {q(cue)}.", ((cue, "new"),))
    return None


# "is private", "stays private" without "kept" or "confidential": a thing's visibility to other users
_VISIBILITY = re.compile(r"^(?!kept\b|keep).*\bprivate$", re.IGNORECASE)


def _frames_stated(analysis: Analysis, facts: DocumentFacts, ctx: Context, side: Side) -> bool:
    """The sentence's duties or promises are all stated in the other version (``facts``), in any words:
    a commitment cue in a reworded sentence is no new (or lost) commitment."""
    duties = obligations(analysis, strict=False)
    promises = sentence_promises(analysis)
    if not duties and not promises:
        return False
    if side == "old":
        kept = all(made_before(ctx, as_promise(f, analysis) or f) for f in promises)
    else:
        kept = all(kept_in_document(ctx, as_promise(f, analysis) or f) for f in promises)
    return kept and all(obligation_made(facts, f) for f in duties)


def _commitment_removed(ctx: Context) -> Hit | None:
    """A promise said without a negation that the new version makes nowhere, in any words."""
    if ctx.old is None or _USER_DUTY.search(ctx.old.text):
        return None
    for cue in lost_cue_texts(ctx, "commitment"):
        if not commitment_made(ctx.new_facts, cue.key) and not _frames_stated(
            ctx.old, ctx.new_facts, ctx, "new"
        ):
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
