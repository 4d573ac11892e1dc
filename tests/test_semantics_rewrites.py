"""Paraphrase invariance: a wholesale rewrite of a policy that states the same practices is no finding.

Our own fictional policies (``policydiff/demo_snapshots``) rewritten by hand in other styles
(``tests/data/rewrites/rewrites.toml``): every section reworded, reordered, merged or split, lists turned
into prose and prose into tables, defined terms renamed. compare(original, rewrite) must give no finding; a
category it still gives is listed as ``known`` for that rewrite (strict xfail: a fix must remove it). Each
variant edits ONE practice of a rewrite and must bring exactly its categories (the findings the unedited
rewrite does not give): the check that keeps rewrites quiet must not hide a real addition or removal. A
variant the rules miss for a reason outside the whole-document check is a ``known_gap`` (strict xfail).
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import policydiff
from policydiff.semantics.rules import CLAUSE_RULES

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = tomllib.loads((ROOT / "tests/data/rewrites/rewrites.toml").read_text(encoding="utf-8"))
REWRITES: dict[str, dict[str, Any]] = {r["name"]: r for r in MANIFEST["rewrite"]}
VARIANTS: list[dict[str, Any]] = MANIFEST["variant"]
CATEGORIES = sorted({r.category for r in CLAUSE_RULES})
# the kinds a wholesale rewrite most often trips: a practice the old version stated elsewhere read as new
ADDED_KINDS = frozenset(c for c in CATEGORIES if c.rsplit(".", 1)[1] in ("added", "broadened", "removed"))


@cache
def _findings(name: str, variant: str | None = None) -> tuple[policydiff.Finding, ...]:
    spec = REWRITES[name]
    original = ROOT / spec["original"]
    text = (ROOT / spec["rewrite"]).read_text(encoding="utf-8")
    if variant is not None:
        edit = next(v for v in VARIANTS if v["rewrite"] == name and v["name"] == variant)
        text = text.replace(edit["find"], edit["replace"])
    return policydiff.compare(original, text.encode("utf-8"), format="markdown").findings


def _cases() -> list[Any]:
    cases = []
    for name, spec in REWRITES.items():
        for category in CATEGORIES:
            marks = []
            if category in spec["known"]:
                marks.append(pytest.mark.xfail(strict=True, reason="baseline: the rewrite still gives it"))
            cases.append(pytest.param(name, category, marks=marks, id=f"{name}-{category}"))
    return cases


def test_the_manifest_is_sound() -> None:
    assert len(REWRITES) >= 2 and all(k in CATEGORIES for r in REWRITES.values() for k in r["known"])
    for name in REWRITES:
        assert sum(v["rewrite"] == name for v in VARIANTS) >= 5, name
    for v in VARIANTS:
        text = (ROOT / REWRITES[v["rewrite"]]["rewrite"]).read_text(encoding="utf-8")
        assert text.count(v["find"]) == 1, (v["rewrite"], v["name"])


@pytest.mark.parametrize(("name", "category"), _cases())
def test_a_rewrite_gives_no_finding_of_the_category(name: str, category: str) -> None:
    got = [f for f in _findings(name) if f.category == category]
    assert not got, [(f.rule, f.old_text, f.new_text) for f in got]


def _key(finding: policydiff.Finding) -> tuple[str, str, str]:
    return (finding.category, finding.old_text or "", finding.new_text or "")


def _variant_params() -> list[Any]:
    params = []
    for v in VARIANTS:
        marks = [pytest.mark.xfail(strict=True, reason=v["known_gap"])] if "known_gap" in v else []
        params.append(pytest.param(v, marks=marks, id=f"{v['rewrite']}-{v['name']}"))
    return params


@pytest.mark.parametrize("variant", _variant_params())
def test_a_variant_gives_exactly_its_categories(variant: dict[str, Any]) -> None:
    """The findings the edit brings (those the unedited rewrite does not give) are of its categories:
    every expected one, and no other added, broadened or removed kind."""
    before = {_key(f) for f in _findings(variant["rewrite"])}
    brought = [f for f in _findings(variant["rewrite"], variant["name"]) if _key(f) not in before]
    got = {f.category for f in brought}
    expected = set(variant["expect"])
    assert expected <= got, [(f.category, f.old_text, f.new_text) for f in brought]
    extra = (got & ADDED_KINDS) - expected
    assert not extra, [(f.category, f.old_text, f.new_text) for f in brought if f.category in extra]
