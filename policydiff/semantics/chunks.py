"""Where a frame lies in its sentence, and its force: segments, governing action cues, the auxiliary
chain before an action (modality and negation), coordination with the previous action, and voice.

Every look is local (a segment, a window of characters before the action), so reading a sentence
stays linear in its length.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

import attrs

from policydiff.semantics.analysis import Frame, Modality
from policydiff.semantics.cues import Cue

_AUX_WORDS = (
    r"will|would|may|might|can|could|shall|should|must|do|does|did|is|are|was|were|be|been|being|has|have|"
    r"had|also|only|solely|exclusively|generally|currently|not|never|no longer|\w+n['’]t|cannot|further|"
    r"additionally|directly|otherwise|then|automatically|separately|still|always|ever|help|help to|"
    r"reserves? the right to|(?:is|are) (?:permitted|allowed) to|to|and|or|nor|neither"
)
_CHAIN = re.compile(rf"(?:(?<=\s)|^)((?:(?:{_AUX_WORDS}),?\s+)+)$", re.IGNORECASE)
NEG = re.compile(r"\b(?:not|never|no longer|cannot|nor|neither)\b|n['’]t\b", re.IGNORECASE)
_PERMIT = re.compile(r"\b(?:may|might|can|could|reserves? the right to|permitted|allowed)\b", re.IGNORECASE)
_RESTRICT = re.compile(r"\b(?:only|solely|exclusively)\b", re.IGNORECASE)
_BE = re.compile(
    r"\b(?:is|are|was|were|be|been|being)\s+(?:(?:\w+ly|not|never|no longer|ever|also|still)\s+){0,2}$",
    re.IGNORECASE,
)
_PARTICIPLE = re.compile(
    r"(?:ed|sold|kept|taught|built|shared|made available to|ed to|used|sent|given|shown|known|seen|told)$"
    # a predicate of visibility behaves as a passive: its subject is the data ("are visible to everyone")
    r"|(?:visible|viewable|accessible|available|shown|displayed|searchable|discoverable|seen|viewed|read|found)"
    r" (?:to|by)$|made public$",
    re.IGNORECASE,
)
# a coordination, perhaps over verbs the lexicon does not know ("sell, rent, or give away")
COORD = re.compile(
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
_NOMINAL = re.compile(
    r"\b(?:the|a|an|our|your|their|its|of|for|about|this|that|such|any|whose)\s+$", re.IGNORECASE
)
# a capitalised word after "the" and a capitalised word is part of a name ("the Internet Archive")
_IN_NAME = re.compile(r"\b[Tt]he (?:[A-Z][\w&.-]* )+$")
_AND_BEFORE = re.compile(r"(?:\band|\bor|,)\s+$")
_BE_PARTICIPLE = re.compile(
    r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?\w+(?:ed|en|wn)\b", re.IGNORECASE
)
_TO_END = re.compile(r"\bto\s+$")

REACH = 1000  # no slot of a frame lies further than this from its action: frames stay local, reading linear
_WINDOW = 120  # the auxiliary chain of an action lies within this many characters before it


class Slot:
    """The cues of one slot, sorted by start, for the cues near an action (``bisect``, not a scan)."""

    def __init__(self, cues: Sequence[Cue]) -> None:
        self.cues = sorted(cues, key=lambda c: (c.start, c.end))
        self.starts = [c.start for c in self.cues]

    def within(self, lo: int, hi: int) -> list[Cue]:
        """Cues that start in ``[lo, hi)``."""
        return self.cues[bisect.bisect_left(self.starts, lo) : bisect.bisect_left(self.starts, hi)]


def segments(sentence: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the sentence's segments: split at ";", ":" and list markers ("(a)", "(ii)")."""
    bounds = [0]
    for match in _SEGMENT.finditer(sentence):
        bounds.append(match.start() + (1 if match.group(0).startswith(" ") else 0))
    bounds.append(len(sentence))
    return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]


def actions(sentence: str, cues: Sequence[Cue]) -> list[Cue]:
    """Action cues that govern a frame: not inside a longer data phrase ("screen sharing"), not a noun."""
    data = Slot([c for c in cues if c.slot == "data"])
    found = [
        c
        for c in cues
        if c.slot == "action"
        and not any(
            d.start <= c.start and c.end <= d.end and (d.end - d.start) > (c.end - c.start)
            for d in data.within(c.start - 80, c.start + 1)
        )
    ]
    if any(a.key == "train" for a in found) and not _AI_CONTEXT.search(sentence):
        found = [a for a in found if a.key != "train"]
    return [
        a
        for a in found
        if not _NOMINAL.search(sentence, max(0, a.start - 12), a.start)
        and not (a.text[:1].isupper() and _IN_NAME.search(sentence, max(0, a.start - 40), a.start))
    ]


@attrs.frozen
class Span:
    """Where the frame of ``actions[index]`` may look: its segment (within ``REACH``), the actions
    before and after it, and the auxiliary ``chain`` right before it ("will not ", "may be ")."""

    action: Cue
    index: int
    seg_start: int
    seg_end: int
    prev: Cue | None  # the previous action, when it ends before this one starts
    nxt: Cue | None  # the next action that starts after this one ends
    window_start: int
    chain: str

    @property
    def chain_start(self) -> int:
        return self.action.start - len(self.chain)

    @property
    def right_end(self) -> int:
        """Where the frame's right side ends: the next action in the segment, or the segment's end."""
        nxt = self.nxt
        return nxt.start if nxt is not None and nxt.start < self.seg_end else self.seg_end


def locate(
    sentence: str, found: Sequence[Cue], n: int, parts: Sequence[tuple[int, int]], starts: Sequence[int]
) -> Span:
    """The ``Span`` of ``found[n]`` (``found`` from ``actions``, ``parts`` from ``segments``, ``starts``
    the parts' starts)."""
    action = found[n]
    seg_start, seg_end = parts[max(0, bisect.bisect_right(starts, action.start) - 1)]
    seg_start = max(seg_start, action.start - REACH)
    seg_end = min(seg_end, action.end + REACH)
    prev = found[n - 1] if n > 0 and found[n - 1].end <= action.start else None
    following = n + 1  # the next action that starts after this one ends (few overlap it)
    while following < len(found) and found[following].start < action.end:
        following += 1
    nxt = found[following] if following < len(found) else None
    window_start = max(seg_start, prev.end if prev else seg_start, action.start - _WINDOW)
    match = _CHAIN.search(sentence[window_start : action.start])
    return Span(action, n, seg_start, seg_end, prev, nxt, window_start, match.group(1) if match else "")


def coordinated(sentence: str, span: Span) -> bool:
    """The action is coordinated with the previous one in its segment ("sell, rent or share")."""
    prev = span.prev
    return (
        prev is not None
        and prev.start >= span.seg_start
        and COORD.match(sentence[prev.end : span.action.start]) is not None
    )


def force(chain: str, previous: Frame | None, governing: Frame | None) -> tuple[bool, Modality]:
    """Negation and modality from the auxiliary chain; a coordinated action without a verb of its own
    (``previous``) and an infinitive ("agree not to use") take the force of the frame before."""
    negated = bool(NEG.search(chain))
    modality: Modality
    if _PERMIT.search(chain):
        modality = "permit"
    elif _RESTRICT.search(chain):
        modality = "restrict"
    else:
        modality = "assert"
    if previous is not None and not _OWN_FORCE.search(chain):
        negated = previous.negated
        modality = previous.modality
    infinitive = bool(chain) and _TO_END.search(chain) is not None
    if infinitive and governing is not None and not NEG.search(chain):
        negated = governing.negated
        modality = governing.modality
    if negated:
        modality = "prohibit"
    return negated, modality


def passive(sentence: str, span: Span) -> bool:
    """The action is a participle after a form of "be" ("may be shared"), or coordinated with one."""
    action = span.action
    if _PARTICIPLE.search(action.text) is None:  # the cheap test first
        return False
    if _BE.search(sentence[span.window_start : action.start]) is not None:
        return True
    # "may be reviewed by people and used to train": a participle coordinated with a passive
    return bool(
        _AND_BEFORE.search(sentence, span.seg_start, action.start)
        and _BE_PARTICIPLE.search(sentence, span.seg_start, action.start)
    )
