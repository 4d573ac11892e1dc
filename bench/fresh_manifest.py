"""The fresh evaluation sets' manifests: pairs with their expected findings, and single clauses.

A set is a folder under ``bench/data`` (``fresh``, ``fresh2``, ...) holding ``expected.toml`` (before/after
pairs) and, optionally, ``clauses.toml`` (single clauses labelled with the category their addition must show,
or ``"none"`` for boilerplate). Pure loading and validation, no policydiff calls; ``bench/fresh.py`` scores a
set, and ``tests/test_fresh_manifest.py`` checks that the manifests are well-formed and their files exist.
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
MANIFEST_NAME = "expected.toml"
CLAUSES_NAME = "clauses.toml"
KINDS = ("key", "noise")
SIDES = ("old", "new")
CARRIER_DOCS = ("privacy", "terms")
NO_FINDING = "none"


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


@dataclass(frozen=True)
class FreshClause:
    """One clause of ``clauses.toml``: added to a neutral carrier, it must show ``category`` (or nothing)."""

    id: str
    category: str  # a taxonomy category, or NO_FINDING for boilerplate
    kind: str  # for boilerplate: what sort (contact, definition, ...); else the category
    doc: str  # which carrier: "privacy" or "terms"
    text: str

    @property
    def negative(self) -> bool:
        return self.category == NO_FINDING


def _clause(row: Mapping[str, Any]) -> FreshClause:
    clause_id = str(row.get("id", "?"))
    category, doc, text = (str(row.get(k, "")).strip() for k in ("category", "doc", "text"))
    if not category or not text:
        raise ValueError(f"{clause_id}: each clause needs a category (or {NO_FINDING!r}) and a text")
    if doc not in CARRIER_DOCS:
        raise ValueError(f"{clause_id}: doc must be one of {CARRIER_DOCS}")
    kind = str(row.get("kind", category if category != NO_FINDING else ""))
    if not kind:
        raise ValueError(
            f"{clause_id}: a clause of category {NO_FINDING!r} needs a kind (contact, definition, ...)"
        )
    return FreshClause(clause_id, category, kind, doc, text)


def load_clauses(path: Path) -> list[FreshClause]:
    """The clauses of a set's ``clauses.toml``; ``ValueError`` when malformed."""
    rows = tomllib.loads(path.read_text(encoding="utf-8")).get("clause", [])
    clauses = [_clause(row) for row in rows]
    ids = [c.id for c in clauses]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate clause ids in {path}")
    return clauses
