"""The semantic lexicon: every word or phrase the semantic stage recognises, loaded from data files.

The entries live in ``policydiff/semantics/data/*.toml``, one file per slot family (actors, actions,
data, purposes, conditions, scope, modality, terms). Each entry has a ``key`` (stable, used in
evidence as ``slot:key``), a ``slot`` (what kind of cue it is), regular-expression ``patterns`` (lower
case, matched on word boundaries) and a ``parent`` key for subsumption: ``voiceprint`` is under
``biometrics`` is under ``sensitive`` is under ``personal_data``; ``data_brokers`` is under
``third_parties``. Rules never contain words; they ask the lexicon. The files are read once, at import.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from typing import Any

import attrs

from policydiff.errors import PolicyDiffError

# the data files, in load order (within a slot, an earlier entry wins a tie between equal spans)
FILES = ("actors", "actions", "data", "purposes", "conditions", "scope", "modality", "terms", "sources")


def _strs(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen
class Entry:
    """One lexicon entry: a concept, the phrases that express it, and its parent concept."""

    key: str
    slot: str
    patterns: tuple[str, ...] = attrs.field(converter=_strs)
    parent: str | None = None
    label: str = ""


class LexiconError(PolicyDiffError):
    """A lexicon data file is malformed (a packaging error, never the user's input)."""


def _entry(raw: Any, source: str) -> Entry:
    if not (isinstance(raw, dict) and isinstance(raw.get("key"), str) and isinstance(raw.get("slot"), str)):
        raise LexiconError(f"{source}: every [[entry]] needs a string key and slot, got {raw!r}")
    patterns = raw.get("patterns", [])
    if not isinstance(patterns, list) or not patterns or not all(isinstance(p, str) for p in patterns):
        raise LexiconError(f"{source}: entry {raw['key']!r} needs a non-empty list of string patterns")
    return Entry(raw["key"], raw["slot"], patterns, raw.get("parent"), str(raw.get("label", "")))


def load_entries(names: Iterable[str] = FILES) -> tuple[Entry, ...]:
    """Every entry of the named data files, in file order."""
    out: list[Entry] = []
    root = resources.files("policydiff.semantics") / "data"
    for name in names:
        source = f"semantics/data/{name}.toml"
        try:
            table = tomllib.loads((root / f"{name}.toml").read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise LexiconError(f"{source}: cannot read the lexicon ({exc})") from exc
        out.extend(_entry(raw, source) for raw in table.get("entry", []))
    return tuple(out)


def word_list(name: str, table: str, key: str) -> tuple[str, ...]:
    """A list of patterns kept in a data file beside its entries (``[table] key = [...]``), not cues."""
    source = f"semantics/data/{name}.toml"
    try:
        raw = tomllib.loads(
            (resources.files("policydiff.semantics") / "data" / f"{name}.toml").read_text("utf-8")
        )
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LexiconError(f"{source}: cannot read the lexicon ({exc})") from exc
    values = raw.get(table, {}).get(key)
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        raise LexiconError(f"{source}: [{table}] needs a non-empty list of strings {key!r}")
    return tuple(values)


def _index(entries: tuple[Entry, ...]) -> Mapping[str, Entry]:
    index: dict[str, Entry] = {}
    for entry in entries:
        if entry.key in index:
            raise LexiconError(f"duplicate lexicon key {entry.key!r}")
        index[entry.key] = entry
    for entry in entries:
        if entry.parent is not None and entry.parent not in index:
            raise LexiconError(f"lexicon entry {entry.key!r} has unknown parent {entry.parent!r}")
    return index


ENTRIES: tuple[Entry, ...] = load_entries()
BY_KEY: Mapping[str, Entry] = _index(ENTRIES)

FIRST_PARTY = frozenset({"first_party", "first_party_named"})


def ancestors(key: str) -> Iterator[str]:
    """``key`` and every concept above it, nearest first (subsumption)."""
    seen: set[str] = set()
    current: str | None = key
    while current is not None and current not in seen:
        seen.add(current)
        yield current
        entry = BY_KEY.get(current)
        current = entry.parent if entry else None


def subsumes(general: str, specific: str) -> bool:
    """True when ``specific`` is ``general`` or falls under it: ``subsumes("content", "messages")``."""
    return general in set(ancestors(specific))


def related(a: str, b: str) -> bool:
    """True when one concept subsumes the other (they can describe the same data or party)."""
    return subsumes(a, b) or subsumes(b, a)


def label(key: str) -> str:
    """A reader-facing name for a lexicon key."""
    entry = BY_KEY.get(key)
    return entry.label or key if entry else key


def is_third_party(key: str) -> bool:
    """True for any party that is not the first party."""
    return key not in FIRST_PARTY and subsumes("third_parties", key)
