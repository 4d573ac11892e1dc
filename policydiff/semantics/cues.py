"""Cue tagging: the lexicon compiled once into matchers; a sentence becomes tagged spans with offsets.

Every entry's patterns are joined into one case-insensitive expression bounded by non-word characters,
so multi-word entries ("another provider", "going forward", "by default") match as units. Within a
slot, overlapping matches keep the longest ("personal data" over "data"); different slots may
overlap ("train" is an action and part of a purpose).
"""

from __future__ import annotations

import re
import re._constants as sre_constants  # type: ignore[import-not-found]
import re._parser as sre_parse  # type: ignore[import-not-found]
from collections.abc import Callable, Iterator, Sequence

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


def _top_level_split(pattern: str) -> list[str]:
    """``a|b(?:c|d)`` -> ``["a", "b(?:c|d)"]``: alternatives outside any group."""
    parts: list[str] = []
    depth = 0
    current = ""
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            current += pattern[i : i + 2]
            i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(current)
            current = ""
            i += 1
            continue
        current += ch
        i += 1
    parts.append(current)
    return parts


def _closing(pattern: str, start: int) -> int:
    depth = 0
    i = start
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def trigger(pattern: str) -> str | None:
    """A lower-case literal that every match of ``pattern`` contains, or None.

    The longest run of plain letters outside any group (a group may be optional or an alternation),
    e.g. ``(?:on|enabled) by default`` -> ``by default``; ``(?:your )?personal data`` -> ``personal data``.
    """
    runs: list[str] = []
    current = ""
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "(":
            close = _closing(pattern, i)
            if close < 0:
                return None
            runs.append(current)
            current = ""
            i = close + 1
            continue
        if ch == "\\":
            runs.append(current)
            current = ""
            i += 2
            continue
        if ch in "?*{":
            current = current[:-1]
            runs.append(current)
            current = ""
            i += 1
            continue
        if ch.isalpha() or ch in " '":
            current += ch
        elif ch == "@":
            runs.append(current)
            runs.append("@")
            current = ""
        else:
            runs.append(current)
            current = ""
        i += 1
    runs.append(current)
    if "n't" in pattern or "n’t" in pattern:
        return "n't" if "n't" in pattern else "n’t"
    best = max((r.strip() for r in runs), key=len, default="")
    if best == "@":
        return best
    return best.lower() if len(best) >= 2 else None


def needs(pattern: str) -> tuple[str, ...] | None:
    """Literals one of which every match of ``pattern`` (case-sensitive) contains, or None.

    Read from the parsed pattern: a run of required characters, or a required alternation whose every
    branch starts with a literal (``(?:access|correct|delete) ...`` -> the three words). The set whose
    shortest member is longest is kept. A cheap ``str.find`` test that lets ``_scan`` skip patterns
    whose trigger word is missing or too common to index ("we", "to", none at all).
    """
    parsed = sre_parse.parse(pattern)
    if parsed.state.flags & re.IGNORECASE:
        return None
    options: list[tuple[str, ...]] = []
    run = ""
    for op, av in parsed.data:
        if op is sre_constants.LITERAL:
            run += chr(av)
            continue
        if run:
            options.append((run,))
            run = ""
        if op is sre_constants.BRANCH:
            prefixes: list[str] = []
            for branch in av[1]:
                prefix = ""
                for bop, bav in branch.data if hasattr(branch, "data") else branch:
                    if bop is not sre_constants.LITERAL:
                        break
                    prefix += chr(bav)
                if not prefix:
                    break
                prefixes.append(prefix)
            else:
                options.append(tuple(sorted(set(prefixes))))
    if run:
        options.append((run,))
    if not options:
        return None
    return max(options, key=lambda o: min(len(w) for w in o))


@attrs.frozen
class _Matcher:
    entry: Entry
    pattern: re.Pattern[str]
    trigger: str | None
    on_lower: bool  # matched against the lower-cased sentence (fast, case-sensitive engine)
    needs: tuple[str, ...] | None = None  # on_lower only: see ``needs``


def _matchers() -> tuple[_Matcher, ...]:
    out: list[_Matcher] = []
    for entry in ENTRIES:
        for pattern in entry.patterns:
            for part in _top_level_split(pattern):
                # patterns are lower case; the few with their own case rules ("US") see the original
                cased = "(?-i" in part or any(c.isupper() for c in re.sub(r"\\.", "", part))
                compiled = re.compile(part, re.IGNORECASE) if cased else re.compile(part)
                need = None if cased else needs(part)
                trig = trigger(part)
                if need is not None and trig is not None and any(trig in w for w in need):
                    need = None  # the trigger word, already looked for, says as much
                out.append(_Matcher(entry, compiled, trig, not cased, need))
    return tuple(out)


_MATCHERS: tuple[_Matcher, ...] = _matchers()


def _by_trigger() -> tuple[tuple[str | None, tuple[_Matcher, ...]], ...]:
    """Matchers grouped by trigger word; those without one stay apart (each is indexed on its own)."""
    groups: dict[str | None, list[_Matcher]] = {}
    loose: list[tuple[str | None, tuple[_Matcher, ...]]] = []
    for m in _MATCHERS:
        if m.trigger is None:
            loose.append((None, (m,)))
        else:
            groups.setdefault(m.trigger, []).append(m)
    return (*((t, tuple(ms)) for t, ms in groups.items()), *loose)


_ORDER = {e.key: i for i, e in enumerate(ENTRIES)}  # ties between equal spans: the earlier entry wins

# one substring test per distinct trigger word, then the patterns that need it
_TRIGGERS = _by_trigger()


def _starts_word(trigger: str, matchers: Sequence[_Matcher]) -> bool:
    """True when every match has ``trigger`` at the start of a word (so a word index can find it)."""
    for m in matchers:
        source = m.pattern.pattern
        at = source.find(trigger)
        if at < 0 or not m.on_lower:
            return False
        if at == 0 or source[at - 1] == " ":
            continue
        if source[at - 2 : at] == ")?" and at >= 3 and source[at - 3] == " ":
            continue  # "(?:your |the )?information"
        if source[at - 2 : at] == "\\b" and (at == 2 or source[at - 3] == " "):
            continue  # \bpii\b
        return False
    return True


def _prefix_key(run: str) -> str | None:
    """The index key of a word known only to start with ``run``: its first five (to two) letters."""
    return run[:5] if len(run) >= 2 else None


def _trigger_keys(word: str, matchers: Sequence[_Matcher]) -> tuple[bool, str] | None:
    """One word of the text that every match of ``word``'s matchers needs: ``(exact, key)`` or None.

    The text has ``word`` at or after a word start; each run of letters of ``word`` that starts a word
    there (it follows a space or apostrophe, or is the first and ``_starts_word`` holds) is either a
    whole word of the text (a non-letter follows it within ``word``) or the start of one. The most
    selective such run is kept.
    """
    best: tuple[float, bool, str] | None = None
    for run in re.finditer(r"[a-z]+", word):
        if run.start() == 0 and not _starts_word(word, matchers):
            continue
        exact = run.end() < len(word)
        if exact:
            score, key = float(len(run.group())), run.group()
        else:
            prefix = _prefix_key(run.group())
            if prefix is None:
                continue
            score, key = len(prefix) + 0.5, prefix
        if best is None or score > best[0]:
            best = (score, exact, key)
    return None if best is None else (best[1], best[2])


def _leading(pattern: str) -> tuple[str, ...] | None:
    """The literals one of which every match of ``pattern`` starts with, or None."""
    data = list(sre_parse.parse(pattern).data)
    run = ""
    for op, av in data:
        if op is not sre_constants.LITERAL:
            break
        run += chr(av)
    if run:
        return (run,)
    if not data or data[0][0] is not sre_constants.BRANCH:
        return None
    out: list[str] = []
    for branch in data[0][1][1]:
        prefix = ""
        for bop, bav in branch.data if hasattr(branch, "data") else branch:
            if bop is not sre_constants.LITERAL:
                break
            prefix += chr(bav)
        if not prefix:
            return None
        out.append(prefix)
    return tuple(out)


def _loose_keys(m: _Matcher) -> list[str] | None:
    """Prefix keys for a matcher without trigger: the start of the word each match starts with."""
    if not m.on_lower:
        return None
    leading = _leading(m.pattern.pattern)
    if leading is None:
        return None
    keys: list[str] = []
    for literal in leading:
        head = re.match(r"[a-z]*", literal)
        key = _prefix_key(head.group()) if head else None
        if key is None:
            return None
        keys.append(key)
    return keys


def _trigger_index() -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]], tuple[int, ...]]:
    """Trigger groups by a whole word of the text, by the first letters of one, and the rest.

    A match's cue starts a word (``_scan`` checks), so a pattern without trigger word is indexed by
    the literals it starts with. Prefix keys are a word's first two to five letters: those of two
    letters are spread over every third letter, so a word's first three, four and five letters are
    the only look-ups.
    """
    exact: dict[str, list[int]] = {}
    by3: dict[str, list[int]] = {}
    by2: dict[str, list[int]] = {}
    by_long: dict[str, list[int]] = {}
    always: list[int] = []
    for i, (word, matchers) in enumerate(_TRIGGERS):
        keys: list[tuple[bool, str]] | None
        if word is None:
            loose = _loose_keys(matchers[0])
            keys = None if loose is None else [(False, k) for k in loose]
        else:
            found = _trigger_keys(word, matchers)
            keys = None if found is None else [found]
        if keys is None:
            always.append(i)
            continue
        for is_exact, key in keys:
            table = exact if is_exact else by_long if len(key) > 3 else by3 if len(key) == 3 else by2
            if i not in table.setdefault(key, []):
                table[key].append(i)
    index: dict[str, tuple[int, ...]] = {k: tuple(v) for k, v in by2.items()}
    for key in set(by3) | {k + c for k in by2 for c in "abcdefghijklmnopqrstuvwxyz"}:
        index[key] = tuple(dict.fromkeys(by3.get(key, []) + by2.get(key[:2], [])))
    for key, ids in by_long.items():  # four or five letters: looked up by a word's first four or five
        index[key] = tuple(ids)
    return {k: tuple(v) for k, v in exact.items()}, index, tuple(always)


_EXACT, _BY_PREFIX, _ALWAYS = _trigger_index()
_WORD_START = re.compile(r"(?<![a-z0-9])[a-z]+")
_BACK = 48  # the longest optional lead-in before a trigger word ("your members' personal data")
_BEFORE = re.compile(r"[\w@-]")
_AFTER = re.compile(r"\w|-\w")

# per trigger: its word and, per matcher, what the scan needs (no attribute look-ups in the loop)
_Run = tuple[bool, Callable[[str, int], Iterator[re.Match[str]]], tuple[str, ...] | None, str, str]
_GROUPS: tuple[tuple[str | None, tuple[_Run, ...]], ...] = tuple(
    (word, tuple((m.on_lower, m.pattern.finditer, m.needs, m.entry.slot, m.entry.key) for m in ms))
    for word, ms in _TRIGGERS
)


def _lower(sentence: str) -> str:
    lower = sentence.lower()
    if len(lower) != len(sentence):  # a few characters change length when lower-cased: keep offsets right
        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in sentence)
    return lower


def tag(sentence: str) -> tuple[Cue, ...]:
    """All cues of ``sentence``, ordered by start then slot; longest wins within a slot.

    Each pattern runs only when its first literal word occurs in the sentence (a substring test),
    so tagging costs a few dozen scans per sentence rather than one per lexicon pattern.
    """
    return _resolve(_scan(sentence, _lower(sentence), 0, len(sentence)))


def _scan(sentence: str, lower: str, lo: int, hi: int) -> list[Cue]:
    """Cues that start in ``[lo, hi)`` (they may end later)."""
    found: list[Cue] = []
    before, after = _BEFORE.match, _AFTER.match
    # only the triggers keyed by the first two or three letters of a word of the text, plus the few
    # that cannot be indexed that way: a dictionary lookup per word instead of a substring test per trigger
    candidates = set(_ALWAYS)
    get = _BY_PREFIX.get
    get_exact = _EXACT.get
    for word in set(_WORD_START.findall(lower, lo)):
        ids = get_exact(word)
        if ids:
            candidates.update(ids)
        ids = get(word[:3])
        if ids:
            candidates.update(ids)
        if len(word) > 3:
            ids = get(word[:4])
            if ids:
                candidates.update(ids)
            if len(word) > 4:
                ids = get(word[:5])
                if ids:
                    candidates.update(ids)
    present: dict[str, bool] = {}
    limit = hi + _AHEAD
    find = lower.find
    for index in candidates:  # any order: _resolve sorts
        word, runs = _GROUPS[index]
        pos = lo
        if word is not None:
            at = find(word, lo)
            if at < 0 or at > limit:
                continue
            pos = max(lo, at - _BACK)
        for on_lower, finditer, need, slot, key in runs:
            if need is not None:  # every match contains one of these: skip when none occurs from lo on
                for w in need:
                    ok = present.get(w)
                    if ok is None:
                        ok = present[w] = find(w, lo) >= 0
                    if ok:
                        break
                else:
                    continue
            for match in finditer(lower if on_lower else sentence, pos):
                start, end = match.span()
                if start >= hi:
                    break
                if end <= start or (start > 0 and before(sentence, start - 1)) or after(sentence, end):
                    continue
                found.append(Cue(slot, key, start, end, sentence[start:end]))
    return found


_MARGIN = 120  # identical text kept around an edit: longer than any cue or look-ahead
_AHEAD = 320  # no cue runs this far past its trigger word


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
    kept += _scan(old, _lower(old), a, b_old)
    return _resolve(kept)


def _resolve(cues: Sequence[Cue]) -> tuple[Cue, ...]:
    """Drop cues that lie inside a longer cue of the same slot (ties: the earlier entry wins)."""
    # one stable sort by slot, then longest first (the order a per-slot sort of ``cues`` gives)
    ordered = sorted(cues, key=lambda c: (c.slot, c.start - c.end, c.start, _ORDER[c.key]))
    kept: list[Cue] = []
    taken: list[Cue] = []
    slot = None
    for cue in ordered:
        if cue.slot != slot:
            slot, taken = cue.slot, []
        start, end = cue.start, cue.end
        for t in taken:
            if start < t.end and t.start < end:
                break
        else:
            taken.append(cue)
            kept.append(cue)
    return tuple(sorted(kept, key=lambda c: (c.start, c.end, c.slot, c.key)))
