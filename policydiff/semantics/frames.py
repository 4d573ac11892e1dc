"""Frame building: a sentence read into frames (actor, action, data, recipient, purpose, modality ...).

A small chunker over the tagged cues. Each action cue anchors a frame; the auxiliaries right before
it give its modality and negation ("will not use", "won't use", "may be trained"); the actor is the
subject to its left (a list such as "Acme and its affiliates" counts whole) or, in the passive, the
agent after "by" ("trained by Acme or another provider"); data and recipients sit to its right
up to the purpose; purposes ("to train AI models", "for advertising"), conditions ("unless you opt
out"), time ("going forward") and regions are read over the sentence. "without your consent" is a
condition, not a negation: only auxiliaries govern an action.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

import attrs

from policydiff.semantics.cues import Cue, tag, tag_edited
from policydiff.semantics.grants import find_grants, grantee_for
from policydiff.semantics.lexicon import FIRST_PARTY, is_third_party
from policydiff.semantics.names import named_agent, named_list_head, named_subject
from policydiff.semantics.negation import scope_negations
from policydiff.semantics.text import squash

Modality = Literal["prohibit", "restrict", "permit", "assert"]

MODAL_RANK: dict[str, int] = {"prohibit": 0, "restrict": 1, "permit": 2, "assert": 3}

PRACTICES = frozenset({"collect", "use", "share", "sell", "train", "retain", "generate"})

_AUX_WORDS = (
    r"will|would|may|might|can|could|shall|should|must|do|does|did|is|are|was|were|be|been|being|has|have|"
    r"had|also|only|solely|exclusively|generally|currently|not|never|no longer|\w+n['’]t|cannot|further|"
    r"additionally|directly|otherwise|then|automatically|separately|still|always|ever|help|help to|"
    r"reserves? the right to|(?:is|are) (?:permitted|allowed) to|to|and|or|nor|neither"
)
_CHAIN = re.compile(rf"(?:(?<=\s)|^)((?:(?:{_AUX_WORDS}),?\s+)+)$", re.IGNORECASE)
_NEG = re.compile(r"\b(?:not|never|no longer|cannot|nor|neither)\b|n['’]t\b", re.IGNORECASE)
_PERMIT = re.compile(r"\b(?:may|might|can|could|reserves? the right to|permitted|allowed)\b", re.IGNORECASE)
_RESTRICT = re.compile(r"\b(?:only|solely|exclusively)\b", re.IGNORECASE)
_BE = re.compile(
    r"\b(?:is|are|was|were|be|been|being)\s+(?:(?:\w+ly|not|never|no longer|ever|also|still)\s+){0,2}$",
    re.IGNORECASE,
)
_PARTICIPLE = re.compile(r"(?:ed|sold|kept|taught|built|shared|made available to|used)$", re.IGNORECASE)
_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)
_LIST_GLUE = re.compile(
    r"^\s*(?:,|and|or|and/or|,\s*and|,\s*or|and its|or its|and our|or our|including|,\s*including"
    r"|such as)\s*$",
    re.IGNORECASE,
)
# a coordination, perhaps over verbs the lexicon does not know ("sell, rent, or give away")
_COORD = re.compile(
    r"^(?:\s*(?:,|and|or|and/or|nor)\s+(?:otherwise\s+)?[a-z]+(?=\s*,|\s+(?:and|or)\b)){0,3}"
    r"\s*(?:,|and|or|and/or|,\s*and|,\s*or|nor)\s*(?:(?:to|also|otherwise|in any (?:other )?way|even)\s+)*$",
    re.IGNORECASE,
)
# a verb of its own in a coordinated action's chain ("we do not sell and will share"): no inherited force
_OWN_FORCE = re.compile(
    r"\b(?:will|would|may|might|can|could|shall|should|must|do|does|did|not|never)\b|n't", re.I
)
_SEGMENT = re.compile(r"[;:]|\s\((?:\d+|[ivx]+|[a-z])\)\s")
_AI_CONTEXT = re.compile(
    r"\b(?:models?|ai|artificial intelligence|machine learning|algorithms?|llms?|train(?:s|ed|ing)? on)\b",
    re.IGNORECASE,
)
_PURPOSE_MARK = re.compile(r"\b(?:to|for|in order to|purposes?|such as|including)\b", re.IGNORECASE)
_NOMINAL = re.compile(
    r"\b(?:the|a|an|our|your|their|its|of|for|about|this|that|such|any|whose)\s+$", re.IGNORECASE
)
_PREPOSED = re.compile(r"\b(?:on|in|at|from|to|with|of|by|for|about|than)\s+(?:the\s+)?$", re.IGNORECASE)
# a capitalised word after "the" and a capitalised word is part of a name ("the Internet Archive")
_IN_NAME = re.compile(r"\b[Tt]he (?:[A-Z][\w&.-]* )+$")
_AND_BEFORE = re.compile(r"(?:\band|\bor|,)\s+$")
_BE_PARTICIPLE = re.compile(
    r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?\w+(?:ed|en|wn)\b", re.IGNORECASE
)


def _chain(window: str) -> str:
    """The auxiliaries ending ``window`` ("will not ", "may be "), or "" (windows are short)."""
    match = _CHAIN.search(window)
    return match.group(1) if match else ""


def _preposed(sentence: str, end: int) -> bool:
    """A preposition ("on", "to the") right before ``end``: the party there is not a subject."""
    return _PREPOSED.search(sentence, max(0, end - 24), end) is not None


_TO_END = re.compile(r"\bto\s+$")
SHARING = frozenset({"share", "sell"})
_PURPOSE_START = re.compile(r"\b(?:to|for|in order to|so that)\s", re.IGNORECASE)


@attrs.frozen
class Frame:
    """One practice read from a sentence; every slot keeps the cues that filled it (offsets included)."""

    action: Cue
    modality: Modality = "assert"
    negated: bool = False
    passive: bool = False
    actors: tuple[Cue, ...] = ()
    data: tuple[Cue, ...] = ()
    recipients: tuple[Cue, ...] = ()
    purposes: tuple[Cue, ...] = ()
    conditions: tuple[Cue, ...] = ()
    scope: tuple[Cue, ...] = ()
    modal_cues: tuple[Cue, ...] = ()
    inherited_data: tuple[str, ...] = ()

    @property
    def affirmative(self) -> bool:
        return not self.negated

    @property
    def data_keys(self) -> frozenset[str]:
        return frozenset(c.key for c in self.data) | frozenset(self.inherited_data)

    @property
    def purpose_keys(self) -> frozenset[str]:
        keys = {c.key for c in self.purposes}
        if self.action.key == "train":
            keys.add("ai_training")
        return frozenset(keys)

    @property
    def parties(self) -> tuple[Cue, ...]:
        """Who besides the first party gets or acts on the data: recipients, agents, third-party actors."""
        return tuple(c for c in (*self.recipients, *self.actors) if is_third_party(c.key))

    @property
    def condition_keys(self) -> frozenset[str]:
        return frozenset(c.key for c in self.conditions)


@attrs.frozen
class Analysis:
    """A sentence with its cues and frames."""

    text: str
    cues: tuple[Cue, ...]
    frames: tuple[Frame, ...]

    def of(self, slot: str, key: str | None = None) -> tuple[Cue, ...]:
        return tuple(c for c in self.cues if c.slot == slot and (key is None or c.key == key))

    def keys(self, slot: str) -> frozenset[str]:
        return frozenset(c.key for c in self.cues if c.slot == slot)

    def texts(self, slot: str) -> frozenset[str]:
        return frozenset(squash(c.text) for c in self.cues if c.slot == slot)


def _segments(sentence: str) -> list[tuple[int, int]]:
    bounds = [0]
    for match in _SEGMENT.finditer(sentence):
        bounds.append(match.start() + (1 if match.group(0).startswith(" ") else 0))
    bounds.append(len(sentence))
    return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]


def _chain_left(cues: Sequence[Cue], index: int, sentence: str, lower: int) -> list[Cue]:
    """The list of party cues ending at ``cues[index]``, extended left over "and", "or", commas."""
    chain = [cues[index]]
    i = index - 1
    while i >= 0 and cues[i].start >= lower:
        gap = sentence[cues[i].end : chain[0].start]
        if _LIST_GLUE.match(gap):
            chain.insert(0, cues[i])
            i -= 1
        else:
            break
    return chain


_AGENT_DETERMINERS = frozenset(
    {"", "the", "our", "its", "their", "a", "an", "any", "one of our", "one of the"}
)


def _chain_right(parties: Sequence[Cue], sentence: str, start: int, upper: int) -> list[Cue]:
    """Party cues starting at ``start`` and continuing over list glue (for "by X or Y")."""
    chain: list[Cue] = []
    pos = start
    for cue in parties:
        if cue.start < pos or cue.start > upper:
            continue
        gap = sentence[pos : cue.start]
        if not chain and gap.strip().lower() in _AGENT_DETERMINERS:
            chain.append(cue)
            pos = cue.end
        elif chain and _LIST_GLUE.match(gap):
            chain.append(cue)
            pos = cue.end
        elif chain:
            break
    return chain


class _Slot:
    """The cues of one slot, sorted by start, for the cues near an action (``bisect``, not a scan)."""

    def __init__(self, cues: Sequence[Cue]) -> None:
        self.cues = sorted(cues, key=lambda c: (c.start, c.end))
        self.starts = [c.start for c in self.cues]

    def within(self, lo: int, hi: int) -> list[Cue]:
        """Cues that start in ``[lo, hi)``."""
        return self.cues[bisect.bisect_left(self.starts, lo) : bisect.bisect_left(self.starts, hi)]


_REACH = 1000  # no slot of a frame lies further than this from its action: frames stay local, reading linear


def _actions(sentence: str, cues: Sequence[Cue]) -> list[Cue]:
    """Action cues that govern a frame: not inside a longer data phrase ("screen sharing"), not a noun."""
    data = _Slot([c for c in cues if c.slot == "data"])
    actions = [
        c
        for c in cues
        if c.slot == "action"
        and not any(
            d.start <= c.start and c.end <= d.end and (d.end - d.start) > (c.end - c.start)
            for d in data.within(c.start - 80, c.start + 1)
        )
    ]
    if any(a.key == "train" for a in actions) and not _AI_CONTEXT.search(sentence):
        actions = [a for a in actions if a.key != "train"]
    return [
        a
        for a in actions
        if not _NOMINAL.search(sentence, max(0, a.start - 12), a.start)
        and not (a.text[:1].isupper() and _IN_NAME.search(sentence, max(0, a.start - 40), a.start))
    ]


def build_frames(sentence: str, cues: Sequence[Cue]) -> tuple[Frame, ...]:
    """Frames of ``sentence`` from its ``cues`` (see the module docstring)."""
    actions = _actions(sentence, cues)
    if not actions:
        return ()
    party_slot = _Slot([c for c in cues if c.slot == "actor"])
    data_slot = _Slot([c for c in cues if c.slot == "data"])
    purpose_slot = _Slot([c for c in cues if c.slot == "purpose"])
    condition_slot = _Slot([c for c in cues if c.slot == "condition"])
    scope_slot = _Slot([c for c in cues if c.slot in ("region", "scope", "time")])
    modal_slot = _Slot([c for c in cues if c.slot in ("modal", "negation")])
    grants = find_grants(sentence, cues)
    segments = _segments(sentence)
    seg_starts = [s for s, _ in segments]
    frames: list[Frame] = []
    for n, action in enumerate(actions):
        seg_start, seg_end = segments[max(0, bisect.bisect_right(seg_starts, action.start) - 1)]
        seg_start = max(seg_start, action.start - _REACH)
        seg_end = min(seg_end, action.end + _REACH)
        parties = party_slot.within(seg_start, seg_end)
        data = data_slot.within(seg_start, seg_end)
        # conditions and scope hold over the sentence, not only the segment ("...; except for ...")
        near = (action.start - _REACH, action.end + _REACH)
        conditions = tuple(condition_slot.within(*near))
        scope = tuple(scope_slot.within(*near))
        purposes = purpose_slot.within(*near)
        prev = actions[n - 1] if n > 0 and actions[n - 1].end <= action.start else None
        following = n + 1  # the next action that starts after this one ends (few overlap it)
        while following < len(actions) and actions[following].start < action.end:
            following += 1
        nxt = actions[following] if following < len(actions) else None
        window_start = max(seg_start, prev.end if prev else seg_start, action.start - 120)
        window = sentence[window_start : action.start]
        chain = _chain(window)
        chain_start = action.start - len(chain)
        coordinated = (
            prev is not None and prev.start >= seg_start and _COORD.match(sentence[prev.end : action.start])
        )
        previous_frame = frames[-1] if frames and coordinated else None
        negated = bool(_NEG.search(chain))
        if _PERMIT.search(chain):
            modality: Modality = "permit"
        elif _RESTRICT.search(chain):
            modality = "restrict"
        else:
            modality = "assert"
        if previous_frame is not None and not _OWN_FORCE.search(chain):
            negated = previous_frame.negated
            modality = previous_frame.modality
        infinitive = bool(chain) and _TO_END.search(chain) is not None
        governing = frames[-1] if frames and frames[-1].action.start >= seg_start else None
        if infinitive and governing is not None and not _NEG.search(chain):
            negated = governing.negated
            modality = governing.modality
        if negated:
            modality = "prohibit"
        participle = _PARTICIPLE.search(action.text) is not None  # the cheap test first
        passive = participle and _BE.search(sentence[window_start : action.start]) is not None
        if not passive and participle and _AND_BEFORE.search(sentence, seg_start, action.start):
            # "may be reviewed by people and used to train": a participle coordinated with a passive
            passive = bool(_BE_PARTICIPLE.search(sentence, seg_start, action.start))
        modal_cues = tuple(c for c in modal_slot.within(chain_start, action.start) if c.end <= action.start)
        right_end = nxt.start if nxt is not None and nxt.start < seg_end else seg_end
        # actor / agent
        actors: list[Cue] = []
        agent_match = _BY.match(sentence[action.end : seg_end])
        if passive and agent_match:
            agent_at = action.end + agent_match.end()
            name = named_agent(sentence, agent_at, seg_end)
            agents = sorted([*parties, name], key=lambda c: c.start) if name else parties
            actors = _chain_right(agents, sentence, agent_at, seg_end)
        if not actors and not passive and not (previous_frame and previous_frame.actors):
            # an unknown company name as the subject ("Meta may use ..."): the first party
            subject = named_subject(sentence, seg_start, chain_start)
            actors = [subject] if subject else []
        if not actors and not passive:
            left = [
                i
                for i, c in enumerate(parties)
                if seg_start <= c.start and c.end <= chain_start and not _preposed(sentence, c.start)
            ]
            if left:
                actors = _chain_left(parties, left[-1], sentence, seg_start)
                head = named_list_head(sentence, seg_start, actors[0].start)
                actors = [head, *actors] if head else actors
            elif previous_frame is not None:
                actors = list(previous_frame.actors)
        granted = grantee_for(grants, action, actors) if grants and not passive else None
        if granted is not None:
            actors = list(granted)
        actor_ids = {id(a) for a in actors}
        # data: to the right up to the purpose (active) or to the left (passive)
        purpose_here = _PURPOSE_START.search(sentence, action.end, right_end)
        data_end = purpose_here.start() if purpose_here else right_end
        if passive:
            data_left = max(seg_start, prev.end if prev else seg_start)
            frame_data = [c for c in data if data_left <= c.start and c.end <= chain_start]
        else:
            frame_data = [c for c in data if action.end <= c.start and c.end <= data_end]
        if not frame_data and previous_frame is not None:
            frame_data = list(previous_frame.data)
        # a relative clause inside the object ("information we collect about you to law enforcement")
        # does not end a disclosure: third parties up to the next sharing verb are its recipients
        share_end = next(
            (a.start for a in actions[n + 1 :] if a.key in SHARING and a.start >= action.end), seg_end
        )
        recipients = [
            c
            for c in parties
            if action.key in SHARING
            and action.end <= c.start
            and (c.end <= right_end or (c.end <= min(share_end, seg_end) and is_third_party(c.key)))
            and id(c) not in actor_ids
            and c.key not in FIRST_PARTY
        ]
        frame_purposes = [
            c for c in purposes if c.start >= action.end and _PURPOSE_MARK.search(sentence, action.end, c.end)
        ]
        if action.key in ("train", "generate"):
            frame_purposes += [c for c in purposes if c.start <= action.start < c.end]
        frames.append(
            Frame(
                action=action,
                modality=modality,
                negated=negated,
                passive=passive,
                actors=tuple(actors),
                data=tuple(frame_data),
                recipients=tuple(recipients),
                purposes=tuple(sorted(set(frame_purposes), key=lambda c: c.start)),
                conditions=conditions,
                scope=scope,
                modal_cues=modal_cues,
            )
        )
    # "do not sell or share your data": coordinated actions share the object named after the last one
    for i in range(len(frames) - 2, -1, -1):
        if (
            not frames[i].data
            and frames[i + 1].data
            and _COORD.match(sentence[frames[i].action.end : frames[i + 1].action.start])
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
