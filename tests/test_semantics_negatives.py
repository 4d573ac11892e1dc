"""Boilerplate that must give no finding when it is added to a policy (issue 10 precision).

Data: tests/data/negatives.toml, our own clauses in the kinds real terms and privacy policies are made of
(account suspension, content removal, prohibited conduct, licences the user gets, disclaimers, indemnity,
severability, definitions, cookie-banner text, accessibility statements, billing, beta features, help-desk
text ...). Each is added as a new paragraph to the neutral carrier of ``bench/findings.py``
(``bench/data/carrier-<doc>.md``, before "## Other provisions") and the comparison must report nothing.

A clause with ``known_gap = "why"`` still gives a finding today: it is a strict xfail, so the day it stays
clean the test reports XPASS and the mark must go.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import policydiff

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "negatives.toml"
CLAUSES: list[dict[str, Any]] = tomllib.loads(DATA.read_text(encoding="utf-8"))["clause"]
INSERT_BEFORE = "\n## Other provisions"


def carried(doc: str, text: str) -> tuple[str, str]:
    """The carrier policy of kind ``doc`` without (old) and with (new) ``text`` as its own paragraph."""
    old = (REPO / "bench" / "data" / f"carrier-{doc}.md").read_text(encoding="utf-8")
    head, sep, tail = old.partition(INSERT_BEFORE)
    assert sep, f"carrier-{doc}.md lacks '{INSERT_BEFORE.strip()}'"
    return old, f"{head}\n{text}\n{sep}{tail}"


def _params() -> list[Any]:
    seen: Counter[str] = Counter()
    params = []
    for clause in CLAUSES:
        seen[clause["kind"]] += 1
        gap = clause.get("known_gap")
        marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
        params.append(pytest.param(clause, id=f"{clause['kind']}-{seen[clause['kind']]}", marks=marks))
    return params


@pytest.mark.parametrize("clause", _params())
def test_boilerplate_gives_no_finding(clause: dict[str, Any]) -> None:
    old, new = carried(clause["doc"], clause["text"])
    findings = policydiff.compare(old, new, format="markdown").findings
    described = "; ".join(f"{f.category} [{f.rule}] {f.explanation}" for f in findings)
    assert not findings, f"boilerplate gave: {described}"


def test_the_set_is_broad() -> None:
    kinds = Counter(c["kind"] for c in CLAUSES)
    assert len(CLAUSES) >= 150
    assert len(kinds) >= 15 and max(kinds.values()) <= len(CLAUSES) // 5
    assert {c["doc"] for c in CLAUSES} == {"terms", "privacy"}
    assert len({c["text"] for c in CLAUSES}) == len(CLAUSES), "a clause is listed twice"


def test_the_carrier_still_reports_a_real_addition() -> None:
    """The harness can fail: a clause that does state a practice gives its finding in the same carrier."""
    old, new = carried("privacy", "We sell your email address and purchase history to data brokers.")
    assert "sale.added" in {f.category for f in policydiff.compare(old, new, format="markdown").findings}
