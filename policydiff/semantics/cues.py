"""Cue tagging: the lexicon compiled once into matchers; a sentence becomes tagged spans with offsets.

Every entry's patterns are joined into one case-insensitive expression bounded by non-word characters,
so multi-word entries ("another provider", "going forward", "by default") match as units. Within a
slot, overlapping matches keep the longest ("personal data" over "data"); different slots may
overlap ("train" is an action and part of a purpose).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import cache

import ahocorasick
import attrs

from policydiff.semantics.lexicon import ENTRIES, Entry
from policydiff.semantics.literals import top_level_split, trigger_lead


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


_AHEAD = 320  # no cue runs this far past its trigger word


@attrs.frozen
class _Matcher:
    """One top-level alternative of a lexicon pattern, compiled, with the literal it cannot match without."""

    entry: Entry
    pattern: re.Pattern[str]
    trigger: tuple[str, ...] | None  # one of these literals occurs in every match (None: always run)
    on_lower: bool  # matched against the lower-cased sentence (patterns are lower case)
    lead: int | None = None  # a match starts at most this far before its trigger literal (None: unknown)


def _matchers() -> tuple[_Matcher, ...]:
    out: list[_Matcher] = []
    for entry in ENTRIES:
        for pattern in entry.patterns:
            for part in top_level_split(pattern):
                # patterns are lower case; the few with their own case rules ("US") see the original
                cased = "(?-i" in part or any(c.isupper() for c in re.sub(r"\\.", "", part))
                # the match must end a word: "stor(?:e|ed)" then backtracks to "stored", not stop at "store"
                bounded = f"(?:{part})(?!\\w|-\\w)"
                compiled = re.compile(bounded, re.IGNORECASE) if cased else re.compile(bounded)
                needed, lead = trigger_lead(part, cased, _AHEAD) or (None, None)
                out.append(_Matcher(entry, compiled, needed, not cased, lead))
    return tuple(out)


def _by_trigger(
    matchers: Sequence[_Matcher],
) -> tuple[tuple[tuple[str, ...] | None, tuple[_Matcher, ...]], ...]:
    """Matchers grouped by trigger literals (one substring test per group); those without any apart."""
    groups: dict[tuple[str, ...] | None, list[_Matcher]] = {}
    for m in matchers:
        groups.setdefault(m.trigger, []).append(m)
    return tuple((word, tuple(ms)) for word, ms in groups.items())


def _triggers(groups: Sequence[tuple[tuple[str, ...] | None, tuple[_Matcher, ...]]]) -> ahocorasick.Automaton:
    """Every trigger literal, with its length and the groups it opens, in one Aho-Corasick automaton.

    One C-level pass over a sentence reports every literal it contains (overlapping ones too), where
    a substring test per literal cost ~700 Python-level tests per sentence: half the tagging time.
    """
    opens: dict[str, list[int]] = {}
    for i, (words, _) in enumerate(groups):
        for word in words or ():
            opens.setdefault(word, []).append(i)
    automaton = ahocorasick.Automaton()
    for word, ids in opens.items():
        automaton.add_word(word, (len(word), tuple(ids)))
    if opens:  # an automaton without words stays empty (a slot whose patterns all run always)
        automaton.make_automaton()
    return automaton


@attrs.frozen
class _Tagger:
    """Matchers grouped by trigger, the groups without one, and the trigger automaton."""

    groups: tuple[tuple[tuple[str, ...] | None, tuple[_Matcher, ...]], ...]
    always: tuple[int, ...]
    triggers: ahocorasick.Automaton

    @classmethod
    def of(cls, matchers: Sequence[_Matcher]) -> _Tagger:
        groups = _by_trigger(matchers)
        always = tuple(i for i, (words, _) in enumerate(groups) if words is None)
        return cls(groups, always, _triggers(groups))


_MATCHERS = _matchers()
_ALL = _Tagger.of(_MATCHERS)
_BY_SLOT = {
    slot: _Tagger.of([m for m in _MATCHERS if m.entry.slot == slot]) for slot in {e.slot for e in ENTRIES}
}
_ORDER = {e.key: i for i, e in enumerate(ENTRIES)}  # ties between equal spans: the earlier entry wins
_BACK = 48  # the longest optional lead-in before a trigger word ("your members' personal data")
_BEFORE = re.compile(r"[\w@-]")
_AFTER = re.compile(r"\w|-\w")


def _lower(sentence: str) -> str:
    lower = sentence.lower()
    if len(lower) != len(sentence):  # a few characters change length when lower-cased: keep offsets right
        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in sentence)
    return lower


def tag(sentence: str) -> tuple[Cue, ...]:
    """All cues of ``sentence``, ordered by start then slot; longest wins within a slot.

    A pattern runs only when its trigger literal occurs in the sentence (all triggers are found in
    one pass, ``_Tagger.triggers``), so tagging is a few dozen regex scans per sentence, each linear
    in its length.
    """
    return _resolve(_scan_pieces(sentence, _lower(sentence), 0, len(sentence)))


_LONGEST_WORD = 64  # no cue holds a longer run of word characters
_LONG_WORD = re.compile(rf"\w{{{_LONGEST_WORD},}}")


def _scan_pieces(sentence: str, lower: str, lo: int, hi: int) -> list[Cue]:
    """``_scan`` on the text between runs of word characters too long to be in any cue: patterns
    that scan ahead over a word from every position never see one (a 100,000-letter "word" took
    minutes, issue 15). Sentences without such a run are scanned whole, as before."""
    spans = [m.span() for m in _LONG_WORD.finditer(sentence)] if len(sentence) > _LONGEST_WORD else []
    if not spans:
        return _scan(sentence, lower, lo, hi)
    found: list[Cue] = []
    start = 0
    for a, b in [*spans, (len(sentence), len(sentence))]:
        if max(lo, start) < min(hi, a):
            cues = _scan(sentence[start:a], lower[start:a], max(lo, start) - start, min(hi, a) - start)
            found += [Cue(c.slot, c.key, c.start + start, c.end + start, c.text) for c in cues]
        start = b
    return found


@cache
def key_triggers(slot: str, key: str) -> tuple[str, ...] | None:
    """Literals one of which every sentence with a ``slot:key`` cue contains, lower-cased (a pattern
    runs only where its trigger is): the lines that may name the key are those with one of them.
    None when a pattern of it runs everywhere (or the key is not in the lexicon)."""
    matchers = [m for m in _MATCHERS if m.entry.slot == slot and m.entry.key == key]
    if not matchers or any(m.trigger is None for m in matchers):
        return None
    return tuple(sorted({word for m in matchers for word in m.trigger or ()}))


def tag_slot(sentence: str, slot: str) -> tuple[Cue, ...]:
    """The cues of ``tag(sentence)`` in ``slot``, found by that slot's patterns only (overlaps are
    resolved within a slot, so the other slots' cues change nothing): for a whole-document index."""
    tagger = _BY_SLOT.get(slot)
    if tagger is None:
        return ()
    return _resolve(_scan(sentence, _lower(sentence), 0, len(sentence), tagger))


def _scan(sentence: str, lower: str, lo: int, hi: int, tagger: _Tagger = _ALL) -> list[Cue]:
    """Cues that start in ``[lo, hi)`` (they may end later). A pattern runs from where the first of its
    trigger literals starts, less its lead (no match of it starts earlier)."""
    found: list[Cue] = []
    windowed = lo > 0 or hi < len(lower)
    base = max(0, lo - _BACK) if windowed else 0
    window = lower[base : hi + _AHEAD + 64] if windowed else lower
    first = dict.fromkeys(tagger.always, lo)  # group -> where its first trigger literal starts
    if window and tagger.triggers.kind == ahocorasick.AHOCORASICK:
        for end, (size, groups) in tagger.triggers.iter(window):
            at = base + end - size + 1
            for index in groups:
                if at < first.get(index, hi + len(window)):
                    first[index] = at
    for index, at in first.items():  # any order: _resolve sorts
        for m in tagger.groups[index][1]:
            start = lo if m.lead is None else max(lo, at - m.lead)
            for match in m.pattern.finditer(lower if m.on_lower else sentence, start):
                start, end = match.span()
                if start >= hi:
                    break
                if (
                    end <= start
                    or (start > 0 and _BEFORE.match(sentence, start - 1))
                    or _AFTER.match(sentence, end)
                ):
                    continue
                found.append(Cue(m.entry.slot, m.entry.key, start, end, sentence[start:end]))
    return found


_MARGIN = 120  # identical text kept around an edit: longer than any cue or look-ahead


def _common_prefix(a: str, b: str) -> int:
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:  # binary search with C-level slice comparisons
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str, limit: int) -> int:
    lo, hi = 0, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid :] == b[len(b) - mid :]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def tag_edited(old: str, new: str, new_cues: Sequence[Cue]) -> tuple[Cue, ...]:
    """The cues of ``old`` given those of ``new``, an edit of it: only the edited stretch is re-read.

    Text far enough (``_MARGIN``) before and after the edit is identical in both sentences, so its
    cues are those of ``new`` (shifted after the edit); the stretch in between is tagged afresh.
    The result equals ``tag(old)`` (a property test checks it).
    """
    p = _common_prefix(old, new)
    q = _common_suffix(old, new, min(len(old), len(new)) - p)
    if p + q < len(old) // 3:
        return tag(old)
    shift = len(new) - len(old)
    a = max(0, p - _MARGIN)
    b_new = min(len(new), len(new) - q + _MARGIN)
    changed = True
    while changed:  # never cut through a cue of the new sentence
        changed = False
        for c in new_cues:
            if c.start < a < c.end:
                a, changed = c.start, True
            if c.start < b_new < c.end:
                b_new, changed = c.end, True
    b_old = b_new - shift
    if b_old <= a:
        return tag(old)
    kept = [c for c in new_cues if c.end <= a]
    kept += [Cue(c.slot, c.key, c.start - shift, c.end - shift, c.text) for c in new_cues if c.start >= b_new]
    kept += _scan_pieces(old, _lower(old), a, b_old)
    return _resolve(kept)


def _resolve(cues: Sequence[Cue]) -> tuple[Cue, ...]:
    """Drop cues that overlap a longer cue of the same slot (ties: the earlier entry wins).

    Longest first; the spans kept in a slot never overlap, so they are held sorted and a new span
    is checked against its two neighbours only (``bisect``): linear-logarithmic in the cue count.
    """
    ordered = sorted(cues, key=lambda c: (c.slot, c.start - c.end, c.start, _ORDER[c.key]))
    kept: list[Cue] = []
    starts: list[int] = []
    ends: list[int] = []
    slot = None
    for cue in ordered:
        if cue.slot != slot:
            slot, starts, ends = cue.slot, [], []
        at = bisect.bisect_right(starts, cue.start)
        if (at > 0 and ends[at - 1] > cue.start) or (at < len(starts) and starts[at] < cue.end):
            continue
        starts.insert(at, cue.start)
        ends.insert(at, cue.end)
        kept.append(cue)
    return tuple(sorted(kept, key=lambda c: (c.start, c.end, c.slot, c.key)))
