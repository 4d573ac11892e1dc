"""Frame building: a sentence read into frames (actor, action, data, recipient, purpose, modality ...).

A small chunker over the tagged cues. Each action cue anchors a frame (``chunks``): the auxiliaries
right before it give its modality and negation ("will not use", "won't use", "may be trained"); its
slots are read around it (``roles``): the actor to its left or, in the passive, the agent after "by";
data and recipients to its right up to the purpose; purposes ("to train AI models", "for
advertising"), conditions ("unless you opt out"), time ("going forward") and regions over the
sentence. "without your consent" is a condition, not a negation: only auxiliaries govern an action.

The values (``Frame``, ``Analysis``) live in ``analysis`` and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import attrs

from policydiff.semantics import chunks, roles
from policydiff.semantics.analysis import MODAL_RANK, PRACTICES, SHARING, Analysis, Frame, Modality
from policydiff.semantics.chunks import COORD, REACH, Slot, Span
from policydiff.semantics.cues import Cue, tag, tag_edited
from policydiff.semantics.grants import Grant, find_grants
from policydiff.semantics.negation import scope_negations

__all__ = [
    "MODAL_RANK",
    "PRACTICES",
    "SHARING",
    "Analysis",
    "Frame",
    "Modality",
    "analyse",
    "analyse_edit",
    "build_frames",
    "with_context",
]


@attrs.frozen
class _Slots:
    """A sentence's cues by slot, each sorted for the cues near an action."""

    parties: Slot
    data: Slot
    purposes: Slot
    conditions: Slot
    scope: Slot
    modal: Slot

    @classmethod
    def of(cls, cues: Sequence[Cue]) -> _Slots:
        def slot(*names: str) -> Slot:
            return Slot([c for c in cues if c.slot in names])

        return cls(
            slot("actor"),
            slot("data"),
            slot("purpose"),
            slot("condition"),
            slot("region", "scope", "time"),
            slot("modal", "negation"),
        )


def build_frames(sentence: str, cues: Sequence[Cue]) -> tuple[Frame, ...]:
    """Frames of ``sentence`` from its ``cues`` (see the module docstring)."""
    actions = chunks.actions(sentence, cues)
    if not actions:
        return ()
    slots = _Slots.of(cues)
    grants = find_grants(sentence, cues)
    parts = chunks.segments(sentence)
    starts = [s for s, _ in parts]
    frames: list[Frame] = []
    for n in range(len(actions)):
        span = chunks.locate(sentence, actions, n, parts, starts)
        frames.append(_frame(sentence, span, actions, slots, grants, frames))
    return _share_objects(sentence, frames)


def _frame(
    sentence: str,
    span: Span,
    actions: Sequence[Cue],
    slots: _Slots,
    grants: Sequence[Grant],
    before: Sequence[Frame],
) -> Frame:
    """The frame of ``span``'s action; ``before``: the frames of the sentence's earlier actions."""
    action = span.action
    last = before[-1] if before else None
    previous = last if last is not None and chunks.coordinated(sentence, span) else None
    governing = last if last is not None and last.action.start >= span.seg_start else None
    negated, modality = chunks.force(span.chain, previous, governing)
    passive = chunks.passive(sentence, span)
    parties = slots.parties.within(span.seg_start, span.seg_end)
    actors = roles.actors(sentence, span, parties, passive, previous, grants)
    # conditions and scope hold over the sentence, not only the segment ("...; except for ...")
    near = (action.start - REACH, action.end + REACH)
    return Frame(
        action=action,
        modality=modality,
        negated=negated,
        passive=passive,
        actors=tuple(actors),
        data=tuple(
            roles.data(sentence, span, slots.data.within(span.seg_start, span.seg_end), passive, previous)
        ),
        recipients=tuple(roles.recipients(sentence, span, parties, actions, actors)),
        purposes=roles.purposes(sentence, action, slots.purposes.within(*near)),
        conditions=tuple(slots.conditions.within(*near)),
        scope=tuple(slots.scope.within(*near)),
        modal_cues=tuple(
            c for c in slots.modal.within(span.chain_start, action.start) if c.end <= action.start
        ),
    )


def _share_objects(sentence: str, frames: list[Frame]) -> tuple[Frame, ...]:
    """ "do not sell or share your data": coordinated actions share the object named after the last one."""
    for i in range(len(frames) - 2, -1, -1):
        if (
            not frames[i].data
            and frames[i + 1].data
            and COORD.match(sentence[frames[i].action.end : frames[i + 1].action.start])
        ):
            frames[i] = attrs.evolve(frames[i], data=frames[i + 1].data)
    # negation beyond the auxiliary chain: interrupted, over a coordination, from a negative subject
    spans = [(f.action.start, f.action.end) for f in frames]
    scoped = scope_negations(sentence, spans, [f.negated for f in frames])
    return tuple(
        attrs.evolve(f, negated=True, modality="prohibit") if now and not f.negated else f
        for f, now in zip(frames, scoped, strict=True)
    )


@lru_cache(maxsize=8192)
def analyse(sentence: str) -> Analysis:
    """Cues and frames of one sentence (cached: the same sentence is read once per process)."""
    cues = tag(sentence)
    return Analysis(sentence, cues, build_frames(sentence, cues))


@lru_cache(maxsize=8192)
def analyse_edit(old: str, new: str) -> Analysis:
    """``analyse(old)`` when ``new`` is an edit of it: only the edited stretch of ``old`` is re-tagged."""
    cues = tag_edited(old, new, analyse(new).cues)
    return Analysis(old, cues, build_frames(old, cues))


def with_context(analyses: Sequence[Analysis]) -> tuple[Analysis, ...]:
    """Give frames without data the data of the clause's previous frames ("... may be trained by X")."""
    out: list[Analysis] = []
    context: tuple[str, ...] = ()
    for analysis in analyses:
        frames: list[Frame] = []
        for frame in analysis.frames:
            if not frame.data and context:
                frame = attrs.evolve(frame, inherited_data=context)
            frames.append(frame)
            if frame.data:
                context = tuple(sorted({c.key for c in frame.data}))
        out.append(
            attrs.evolve(analysis, frames=tuple(frames)) if frames != list(analysis.frames) else analysis
        )
    return tuple(out)
