"""The fresh evaluation set's manifest (``bench/data/fresh/expected.toml``): pairs, expected findings.

Pure loading and validation, no policydiff calls; ``bench/fresh.py`` scores the set, and
``tests/test_fresh_manifest.py`` checks that the manifest is well-formed and its files exist.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FRESH = Path(__file__).resolve().parent / "data" / "fresh"
MANIFEST = FRESH / "expected.toml"
KINDS = ("key", "noise")
SIDES = ("old", "new")


@dataclass(frozen=True)
class Expected:
    """One expected finding: its category and the sentence (of the old or new side) that carries it."""

    category: str
    side: str
    sentence: str


@dataclass(frozen=True)
class Pair:
    """One before/after pair of the manifest."""

    id: str
    kind: str
    old: Path
    new: Path
    expected: tuple[Expected, ...]
    also_acceptable: tuple[str, ...]

    def categories(self) -> set[str]:
        return {e.category for e in self.expected}

    def acceptable(self) -> set[str]:
        return self.categories() | set(self.also_acceptable)


def squash(text: str) -> str:
    """Whitespace runs as one space: manifest sentences match the documents up to line wrapping."""
    return re.sub(r"\s+", " ", text).strip()


def _expected(pair_id: str, rows: Sequence[Mapping[str, Any]]) -> tuple[Expected, ...]:
    out = []
    for row in rows:
        if row.get("side") not in SIDES or not row.get("category") or not row.get("sentence"):
            raise ValueError(f"{pair_id}: each expected entry needs category, side (old/new) and sentence")
        out.append(Expected(str(row["category"]), str(row["side"]), str(row["sentence"])))
    return tuple(out)


def _pair(row: Mapping[str, Any], base: Path) -> Pair:
    pair_id = str(row.get("id", "?"))
    if row.get("kind") not in KINDS:
        raise ValueError(f"{pair_id}: kind must be one of {KINDS}")
    expected = _expected(pair_id, row.get("expected", []))
    if (row["kind"] == "key") != bool(expected):
        raise ValueError(f"{pair_id}: a key pair lists expected findings, a noise pair none")
    return Pair(
        id=pair_id,
        kind=str(row["kind"]),
        old=base / str(row["old"]),
        new=base / str(row["new"]),
        expected=expected,
        also_acceptable=tuple(str(c) for c in row.get("also_acceptable", [])),
    )


def load_manifest(path: Path = MANIFEST) -> list[Pair]:
    """The manifest's pairs, with paths resolved against its folder; ``ValueError`` when malformed."""
    rows = tomllib.loads(path.read_text(encoding="utf-8")).get("pair", [])
    pairs = [_pair(row, path.parent) for row in rows]
    ids = [p.id for p in pairs]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate pair ids in {path}")
    return pairs
