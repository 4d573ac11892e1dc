"""Parties: a new recipient, a wider class of recipients, a new source of data."""

from __future__ import annotations

from policydiff.semantics.context import Context, Hit, Side
from policydiff.semantics.cues import Cue
from policydiff.semantics.frames import Frame
from policydiff.semantics.lexicon import label, subsumes
from policydiff.semantics.rules.helpers import (
    data_phrase,
    group_practices,
    new_cue_texts,
    old_side_group,
    practices,
    q,
)

_WIDTH = {"microsoft": 0, "service_providers": 1, "government": 1, "acquirer": 1, "affiliates": 2,
          "ai_providers": 2, "advertisers": 3, "data_brokers": 3, "recipients": 3, "another_provider": 3,
          "partners": 4, "public": 5, "third_parties": 5}  # fmt: skip


def _old_parties(ctx: Context) -> set[str]:
    keys: set[str] = set()
    for frame in group_practices(old_side_group(ctx), affirmative=True):
        keys |= {c.key for c in frame.parties}
    return keys


def _new_party(ctx: Context) -> tuple[Frame, Cue] | None:
    candidates = [f for f in practices(ctx.new, affirmative=True) if f.parties]
    if not candidates:
        return None
    old = _old_parties(ctx)
    for frame in candidates:
        for cue in frame.parties:
            strong = bool(frame.purpose_keys & {"ai_training", "own_purposes"})
            if not any(subsumes(o, cue.key) for o in old) and (strong or not ctx.known(cue)):
                return frame, cue
    return None


_BASE_VERB = {"use": "use", "share": "receive", "train": "train models on", "collect": "collect",
              "sell": "buy", "retain": "keep", "generate": "generate content from"}  # fmt: skip


def _generalizes(ctx: Context, cue: Cue) -> bool:
    """The new party replaces narrower ones that are gone from the sentence."""
    old = _old_parties(ctx) if ctx.old is not None else set()
    now = {c.key for f in practices(ctx.new, affirmative=True) for c in f.parties}
    return bool(old) and not (old & now) and all(_WIDTH.get(o, 0) < _WIDTH.get(cue.key, 0) for o in old)


def recipient_added(ctx: Context) -> Hit | None:
    found = _new_party(ctx)
    if found is None:
        return None
    frame, cue = found
    if _generalizes(ctx, cue):
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
    found = _new_party(ctx)
    if found is None or ctx.old is None:
        return None
    _frame, cue = found
    if not _generalizes(ctx, cue):
        return None
    old_cue = next((c for f in practices(ctx.old, affirmative=True) for c in f.parties), None)
    evidence: tuple[tuple[Cue, Side], ...] = ((cue, "new"),) + (((old_cue, "old"),) if old_cue else ())
    was = f" instead of {q(old_cue)}" if old_cue else ""
    return Hit(f"Widens who receives data to {q(cue)}{was}.", evidence)


def source_added(ctx: Context) -> Hit | None:
    if ctx.new is None or not practices(ctx.new, affirmative=True):
        return None
    new = [c for c in new_cue_texts(ctx, "source") if not ctx.known(c)]
    if not new:
        return None
    return Hit(f"Adds a new source of data: {q(new[0])}.", ((new[0], "new"),))
