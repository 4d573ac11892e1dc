"""Hand-written before/after clause pairs, each naming the category a reviewer must see.

Data: tests/data/clause_pairs/*.toml, read by tests/clause_pairs.py. At least ten pairs per taxonomy
category, in several constructions each (passive, nominalisation, licence grant, list item under a
lead-in, table row, coordinated negation, hedge, relative clause, heading frame), and negative pairs
(rewording, typo fixes, renamed defined terms, moved paragraphs) that must give no finding. The pairs are
our own text, written before the rules meant to catch them (issue 10).

A pair may carry ``known_gap = "why"``: it is then expected to fail (strict xfail), so the day a rule
catches it the test reports XPASS and the marker must go.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from clause_pairs import load_pairs

import policydiff

PAIRS: list[dict[str, Any]] = load_pairs()
TAXONOMY = Path(__file__).resolve().parents[2] / "shared" / "taxonomy.md"


def _ids() -> list[str]:
    seen: Counter[str] = Counter()
    ids = []
    for pair in PAIRS:
        seen[pair["category"]] += 1
        ids.append(f"{pair['category']}-{seen[pair['category']]}-{pair['form']}")
    return ids


def _params() -> list[Any]:
    marks = []
    for pair, pair_id in zip(PAIRS, _ids(), strict=True):
        gap = pair.get("known_gap")
        mark = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
        marks.append(pytest.param(pair, id=pair_id, marks=mark))
    return marks


def _findings(pair: dict[str, Any]) -> tuple[policydiff.Finding, ...]:
    old, new = pair["old"], pair["new"]
    if isinstance(old, dict) != isinstance(new, dict):
        raise AssertionError("a pair compares two documents or two bundles, not one of each")
    return policydiff.compare(old, new, format="markdown").findings


def _describe(findings: tuple[policydiff.Finding, ...]) -> str:
    return "; ".join(f"{f.category} [{f.rule}] {f.explanation}" for f in findings) or "no finding"


@pytest.mark.parametrize("pair", _params())
def test_pair(pair: dict[str, Any]) -> None:
    findings = _findings(pair)
    if pair["category"] == "none":
        assert not findings, f"an edit with no consent change gave: {_describe(findings)}"
        return
    categories = {f.category for f in findings}
    assert pair["category"] in categories, f"expected {pair['category']}, got: {_describe(findings)}"
    if pair["category"] == "bundle.contradiction":
        contradiction = next(f for f in findings if f.category == "bundle.contradiction")
        assert contradiction.related_document and contradiction.related_document != contradiction.document


def test_every_category_has_ten_pairs_in_five_constructions() -> None:
    if not TAXONOMY.is_file():
        pytest.skip(f"{TAXONOMY} is absent")
    text = TAXONOMY.read_text(encoding="utf-8")
    categories = {line.split("`")[1] for line in text.splitlines() if line.startswith("| `")}
    assert len(categories) >= 20
    counts = Counter(p["category"] for p in PAIRS)
    forms: dict[str, set[str]] = {}
    for pair in PAIRS:
        forms.setdefault(pair["category"], set()).add(pair["form"])
    for category in sorted(categories):
        assert counts[category] >= 10, category
        assert len(forms[category]) >= 5, category
    assert set(counts) - {"none"} <= categories, "only taxonomy names"
    assert counts["none"] >= 10
