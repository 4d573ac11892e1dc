"""Choice: defaults and opt-outs, and the user's rights."""

from __future__ import annotations

import re

from policydiff.model import Severity
from policydiff.semantics.context import Context, Hit
from policydiff.semantics.frames import PRACTICES
from policydiff.semantics.rules.helpers import (
    frames,
    group_keys,
    group_texts,
    lost_cue_texts,
    new_cue_texts,
    new_side_group,
    old_side_group,
    practices,
    q,
)
from policydiff.semantics.rules.kept import RIGHT_VERB, right_kept
from policydiff.semantics.text import squash


def default_changed(ctx: Context) -> Hit | None:
    if ctx.new is None:
        return None
    if not ctx.new.of("condition"):
        return _opt_out_basis(ctx)  # the opt-out may be a sentence of its own in the clause
    old_conditions: frozenset[str] | None = None  # the old clause is read only when something is new

    def had(key: str) -> bool:
        nonlocal old_conditions
        if old_conditions is None:
            old_conditions = group_keys(old_side_group(ctx), "condition")
        return key in old_conditions

    default = [
        c
        for c in ctx.new.of("condition", "default_on")
        if not ctx.known(c)
        and (
            squash(c.text) != "by default"
            or practices(ctx.new)
            or re.search(r"\bsetting|\bdata\b|personali|sharing|tracking", ctx.new.text, re.IGNORECASE)
        )
    ]
    if default:
        if had("default_on"):  # the old clause already had a default: nothing changes
            return None
        return Hit(f"Makes the choice opt-out: {q(default[0])}.", ((default[0], "new"),))
    for frame in practices(ctx.new, affirmative=True):
        opt = [
            c for c in frame.conditions if c.key == "opt_out" and re.search(r"unless|not|don", c.text, re.I)
        ]
        if opt and had("default_on"):
            return None
        if opt and not had("opt_out"):
            had_consent = had("consent")
            how = "from opt-in to opt-out" if had_consent else "to opt-out"
            return Hit(f"Moves consent {how}: {q(opt[0])}.", ((opt[0], "new"), (frame.action, "new")))
    return _consent_dropped_for_default(ctx) or _opt_out_basis(ctx)


def _consent_dropped_for_default(ctx: Context) -> Hit | None:
    """An opt-in ("we will ask for your consent") replaced by a default or an opt-out ("automatically; you
    may opt out", "you can turn this off at any time")."""
    assert ctx.new is not None
    old_group, new_group = old_side_group(ctx), new_side_group(ctx)
    if "consent" not in group_keys(old_group, "condition") or "consent" in group_keys(new_group, "condition"):
        return None
    before = group_texts(old_group, "condition")
    gained = [
        c
        for a in new_group
        for c in a.cues
        if c.slot == "condition"
        and c.key in ("opt_out_default", "continued_use", "default_on", "opt_out")
        and squash(c.text) not in before
    ]
    if not gained:
        return None
    return Hit(f"Replaces asking for consent with a default: {q(gained[0])}.", ((gained[0], "new"),))


_ON_UNTIL_ACTED = frozenset({"legitimate_interests", "opt_out_default"})
_OPT_OUT_WORDS = re.compile(r"\bopt[- ]?out\b|\bobject\b", re.IGNORECASE)


def _opt_out_basis(ctx: Context) -> Hit | None:
    """A practice is now on until the user acts: it rests on legitimate interests, or it is new and
    comes with an opt-out ("We rely on legitimate interests to train our models. You can opt out.").
    """
    assert ctx.new is not None
    if not any(f.action.key in PRACTICES for f in ctx.new.frames):
        return None
    opt_outs = [
        c
        for a in new_side_group(ctx)
        for c in a.of("condition", "opt_out_default")
        if _OPT_OUT_WORDS.search(c.text)
    ]
    if not opt_outs or group_keys(old_side_group(ctx), "condition") & {
        "legitimate_interests",
        "opt_out_default",
    }:
        return None
    basis = [c for c in ctx.new.of("condition", "legitimate_interests") if not ctx.known(c)]
    if basis:
        return Hit(
            f"Rests a practice on {q(basis[0])} with an opt-out instead of asking.", ((basis[0], "new"),)
        )
    fresh = ctx.old is None and not ctx.old_group
    purposes = [c for f in practices(ctx.new, affirmative=True) for c in f.purposes if not ctx.known(c)]
    if fresh and purposes:
        return Hit(
            f"Adds a use for {q(purposes[0])} that is on until the user opts out ({q(opt_outs[0])}).",
            ((purposes[0], "new"), (opt_outs[0], "new")),
        )
    return None


def optout_limited(ctx: Context) -> Hit | None:
    if ctx.new is None:
        return None
    limits = new_cue_texts(ctx, "optout", "not_retroactive")
    if not limits:
        return None
    context = group_keys(new_side_group(ctx), "condition") | group_keys(new_side_group(ctx), "optout")
    if not ({"opt_out", "default_off_choice"} & context):
        return None
    best = max(limits, key=lambda c: c.end - c.start)
    return Hit(f"Limits the opt-out: {q(best)}.", ((best, "new"),))


def rights_narrowed(ctx: Context) -> Hit | None:
    lost = [
        c
        for c in lost_cue_texts(ctx, "rights", "right")
        if "@" not in c.text
        or (
            ctx.old is not None
            and re.search(r"contact|data protection|privacy|question|complain", ctx.old.text, re.I)
        )
    ]
    if lost and "@" not in lost[0].text:
        # "access your data" -> "access and download your data": the right is still named
        after = " ".join(a.text for a in new_side_group(ctx)).lower()
        verbs = set(RIGHT_VERB.findall(lost[0].text.lower()))
        if (verbs and all(v in after for v in verbs)) or right_kept(ctx, verbs):
            lost = []  # still named in the clause, or elsewhere in the new version
    if lost:
        severity: Severity | None = "high" if re.search(r"delet|eras", lost[0].text, re.I) else None
        return Hit(f"Removes {q(lost[0])}.", ((lost[0], "old"),), severity=severity)
    limits = new_cue_texts(ctx, "rights", "rights_limit")
    if limits and ctx.new is not None:
        group = new_side_group(ctx)
        if group_keys(group, "rights") & {"right"} or any(f.action.key == "delete" for f in frames(group)):
            return Hit(f"Limits a user right: {q(limits[0])}.", ((limits[0], "new"),))
    return None
