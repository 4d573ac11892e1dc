"""What reading a sentence gives: ``Frame`` (one practice with its slots) and ``Analysis`` (a sentence's
cues and frames), the values every later step of the semantic stage reads."""

from __future__ import annotations

from typing import Literal

import attrs

from policydiff.semantics.cues import Cue
from policydiff.semantics.lexicon import is_third_party
from policydiff.semantics.text import squash

Modality = Literal["prohibit", "restrict", "permit", "assert"]

MODAL_RANK: dict[str, int] = {"prohibit": 0, "restrict": 1, "permit": 2, "assert": 3}

PRACTICES = frozenset({"collect", "use", "share", "sell", "train", "retain", "generate"})
SHARING = frozenset({"share", "sell"})


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


def _by_slot(cues: tuple[Cue, ...]) -> dict[str, tuple[Cue, ...]]:
    by: dict[str, list[Cue]] = {}
    for cue in cues:
        by.setdefault(cue.slot, []).append(cue)
    return {slot: tuple(found) for slot, found in by.items()}


@attrs.frozen
class Analysis:
    """A sentence with its cues and frames (the cues also by slot: rules ask for one slot at a time,
    tens of thousands of times in a large document)."""

    text: str
    cues: tuple[Cue, ...]
    frames: tuple[Frame, ...]
    _slots: dict[str, tuple[Cue, ...]] = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(lambda self: _by_slot(self.cues), takes_self=True),
    )

    def of(self, slot: str, key: str | None = None) -> tuple[Cue, ...]:
        cues = self._slots.get(slot, ())
        return cues if key is None else tuple(c for c in cues if c.key == key)

    def keys(self, slot: str) -> frozenset[str]:
        return frozenset(c.key for c in self._slots.get(slot, ()))

    def texts(self, slot: str) -> frozenset[str]:
        return frozenset(squash(c.text) for c in self._slots.get(slot, ()))
