"""Cue tagging: the lexicon compiled once into matchers; a sentence becomes tagged spans with offsets.

Every entry's patterns are joined into one case-insensitive expression bounded by non-word characters,
so multi-word entries ("another provider", "going forward", "by default") match as units. Within a
slot, overlapping matches keep the longest ("personal data" over "data"); different slots may
overlap ("train" is an action and part of a purpose).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from policydiff.semantics.lexicon import ENTRIES, Entry


@attrs.frozen
class Cue:
    """One lexicon match in a sentence: ``text == sentence[start:end]``."""

    slot: str
    key: str
    start: int
    end: int
    text: str

    @property
    def name(self) -> str:
        """``slot:key``, the name used in evidence."""
        return f"{self.slot}:{self.key}"


def _compile(entry: Entry) -> re.Pattern[str]:
    body = "|".join(f"(?:{p})" for p in entry.patterns)
    return re.compile(rf"(?<![\w@-])(?:{body})(?![\w]|-\w)", re.IGNORECASE)


_MATCHERS: tuple[tuple[Entry, re.Pattern[str]], ...] = tuple((e, _compile(e)) for e in ENTRIES)

# A cheap prefilter: entries whose slot only matters when one of these words is present could be skipped,
# but every matcher is a single compiled expression, so tagging stays linear in the sentence length.


def tag(sentence: str) -> tuple[Cue, ...]:
    """All cues of ``sentence``, ordered by start then slot; longest wins within a slot."""
    found: list[Cue] = []
    for entry, pattern in _MATCHERS:
        for match in pattern.finditer(sentence):
            if match.end() > match.start():
                found.append(Cue(entry.slot, entry.key, match.start(), match.end(), match.group(0)))
    return _resolve(found)


def _resolve(cues: Sequence[Cue]) -> tuple[Cue, ...]:
    """Drop cues that lie inside a longer cue of the same slot (ties: the earlier entry wins)."""
    by_slot: dict[str, list[Cue]] = {}
    for cue in cues:
        by_slot.setdefault(cue.slot, []).append(cue)
    kept: list[Cue] = []
    for slot_cues in by_slot.values():
        ordered = sorted(slot_cues, key=lambda c: (-(c.end - c.start), c.start))
        taken: list[Cue] = []
        for cue in ordered:
            if any(cue.start < t.end and t.start < cue.end for t in taken):
                continue
            taken.append(cue)
        kept.extend(taken)
    return tuple(sorted(kept, key=lambda c: (c.start, c.end, c.slot, c.key)))
