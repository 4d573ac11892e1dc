"""Trigger literals: the words a lexicon pattern cannot match without, so it runs only where they occur.

``cues`` runs a pattern over a sentence only when one of its trigger literals is in the sentence (one
Aho-Corasick pass finds them all). A pattern without one runs on every sentence, and a trigger found
in most sentences ("to", "of") barely filters: that was 94% of the regex time, almost all of it on
sentences the pattern did not match. ``required_literals`` reads the literals from the pattern's parse
tree (Python's own regex parser): a literal run outside optional parts, or a required group whose
every alternative has one ("(?:your )?(?:age|gender|date of birth)" -> age, gender, date of birth).
``trigger`` and ``leading_words`` are the older readings of the pattern text, kept where they are
better. ``trigger_lead`` also says how far before its trigger literal a match may start, so a pattern
is run from there, not from the start of the sentence.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from typing import Any

_PARSER = importlib.import_module("re._parser")  # the stdlib regex parser (no public name, no stubs)
_C = importlib.import_module("re._constants")
_REPEATS = {_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT}
_ZERO_WIDTH = {_C.AT, _C.ASSERT, _C.ASSERT_NOT}

Literals = tuple[str, ...]
_Found = list[tuple[frozenset[str], int]]  # alternatives one of which every match holds, and where
# the last of them ends at the latest (characters from the start of the match)


def triggers(pattern: str, cased: bool, reach: int) -> Literals | None:
    """The trigger literals of a lexicon pattern: the most selective of ``trigger``, ``leading_words``
    and (for a pattern matched on lower-case text, ``cased`` False) ``required_literals``; None when
    the pattern must run on every sentence."""
    found = trigger_lead(pattern, cased, reach)
    return None if found is None else found[0]


def trigger_lead(pattern: str, cased: bool, reach: int) -> tuple[Literals, int | None] | None:
    """``triggers`` and its lead: every match starts at most this many characters before the start of
    a trigger literal it holds, so no match starts earlier than the first trigger literal of the text
    minus the lead. None when not known: a ``leading_words`` reading, a literal the parse tree does
    not show at the top level, or a ``cased`` pattern (matched ignoring case, so its literal may be
    written in the text in a way that does not lower-case to it: "ſ")."""
    parsed = _parse(pattern)
    word = trigger(pattern)
    older: tuple[Literals, int | None] | None = None
    if word is not None:
        older = ((word,), None if parsed is None else _run_lead(list(parsed), word))
    elif not cased and (leading := leading_words(pattern)) is not None:
        older = (leading, None)
    found = None if cased or parsed is None else _required(list(parsed), reach)
    candidates = [c for c in (older, found) if c is not None]
    if not candidates:
        return None
    literals, lead = max(candidates, key=lambda c: _selectivity(c[0]))
    return literals, None if cased else lead


# words in almost every sentence of a policy: as a trigger they filter nothing
_COMMON = frozenset(
    "a an and any are as at be by for from in is it of on or our the to us we with you your".split()
)


def _selectivity(literals: Literals | frozenset[str]) -> tuple[int, int]:
    """Longer literals are rarer (a common word counts as none); fewer alternatives are found less
    often."""
    return min(0 if w.strip() in _COMMON else len(w.strip()) for w in literals), -len(literals)


def required_literals(pattern: str, reach: int) -> Literals | None:
    """Literals one of which every match of ``pattern`` (flags: none) contains, each ending within
    ``reach`` characters of the match's start; the most selective such set (longest shortest literal,
    then fewest), or None."""
    parsed = _parse(pattern)
    found = None if parsed is None else _required(list(parsed), reach)
    return None if found is None else found[0]


def _parse(pattern: str) -> Any:
    try:
        return _PARSER.parse(pattern)
    except re.error:
        return None


def _required(items: Sequence[Any], reach: int) -> tuple[Literals, int] | None:
    """``required_literals`` of a parsed pattern, with its lead (see ``trigger_lead``)."""
    found = [(alts, end) for alts, end in _scan(items, 0) if end <= reach and min(map(len, alts)) >= 2]
    if not found:
        return None
    best, end = max(found, key=lambda f: _selectivity(f[0]))
    return tuple(sorted(best)), end - min(map(len, best))


def _run_lead(items: Sequence[Any], word: str) -> int | None:
    """How far into a match ``word`` starts at the latest, when it lies in a run of literal characters
    at the top level of the parsed pattern (so in every match); else None."""
    offset = 0
    run, run_start = "", 0
    for op, arg in [*items, (None, None)]:  # a sentinel item ends the last run
        if op is _C.LITERAL:
            if not run:
                run_start = offset
            run += chr(arg)
            offset += 1
            continue
        if word in run:
            return run_start + run.index(word)
        run = ""
        if op is None:
            return None
        if op not in _ZERO_WIDTH:
            offset += _width([(op, arg)])
    return None


def _width(items: Sequence[Any]) -> int:
    return int(_PARSER.SubPattern(_PARSER.State(), list(items)).getwidth()[1])


def _scan(items: Sequence[Any], offset: int) -> _Found:
    """The literal sets of a sequence of parsed items that starts at most ``offset`` characters into
    the match."""
    found: _Found = []
    run, run_start = "", offset
    for op, arg in items:
        if op is _C.LITERAL:
            if not run:
                run_start = offset
            run += chr(arg)
            offset += 1
            continue
        if run:
            found.append((frozenset({run}), run_start + len(run)))
            run = ""
        if op is _C.SUBPATTERN and not (arg[1] or arg[2]):  # a group without flags of its own
            found += _scan(list(arg[3]), offset)
        elif op is _C.BRANCH:
            found += _branch(arg[1], offset)
        elif op in _REPEATS and arg[0] >= 1:
            found += _scan(list(arg[2]), offset)
        if op not in _ZERO_WIDTH:
            offset += _width([(op, arg)])
    if run:
        found.append((frozenset({run}), run_start + len(run)))
    return found


def _branch(alternatives: Sequence[Any], offset: int) -> _Found:
    """One literal set for alternatives that each have one: the union of each one's best."""
    union: set[str] = set()
    end = offset
    for alternative in alternatives:
        found = [f for f in _scan(list(alternative), offset) if min(map(len, f[0])) >= 2]
        if not found:
            return []
        alts, last = max(found, key=lambda f: _selectivity(f[0]))
        union |= alts
        end = max(end, last)
    return [(frozenset(union), end)]


def top_level_split(pattern: str) -> list[str]:
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


def leading_words(pattern: str) -> tuple[str, ...] | None:
    """Literals one of which every match of ``pattern`` starts with, read from a leading group.

    ``(?:retain|keep|store)s? ...`` -> ``("retain", "keep", "store")``. None when the pattern does not
    start with a required group whose every alternative starts with two letters or more.
    """
    if not pattern.startswith("(?:"):
        return None
    close = _closing(pattern, 0)
    if close < 0 or pattern[close + 1 : close + 2] in ("?", "*", "{"):
        return None
    out: list[str] = []
    for alternative in top_level_split(pattern[3:close]):
        head = re.match(r"[a-z' -]*", alternative)
        literal = head.group(0).strip() if head else ""
        if len(literal) < 2 or alternative[len(head.group(0)) if head else 0 :][:1] in ("?", "*", "{"):
            return None
        out.append(literal.split("(")[0])
    return tuple(out)
