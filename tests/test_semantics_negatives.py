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


@pytest.mark.parametrize(
    ("doc", "added", "expected"),
    [
        # the user's conduct ends where the service speaks again
        ("terms", "Users must not scrape the site, and we may share your email address with advertisers.",
         "recipient.added"),
        # a withheld duty or a discretion to refuse ends at a turn: the promise after it counts
        ("privacy", "We are not obliged to monitor posts, but we will never sell your messages.",
         "promise.added"),
        ("terms", "We may refuse to publish a review; we sell your purchase history to data brokers.",
         "sale.added"),
        # "without notice" about the terms themselves is still a weaker notice of changes
        ("terms", "We may remove content without notice, and we may change these terms at any time without"
         " notice.", "notice.weakened"),
        ("terms", "Your continued use of the app after any changes are posted means you accept them.",
         "notice.weakened"),
        ("terms", "These terms are part of your contract, and we may change them at any time without notice.",
         "notice.weakened"),
        # an instruction to the reader or a user's duty ends where the service speaks
        ("privacy", "Click Settings to change your plan; we use your purchase history to show you"
         " targeted ads.", "purpose.added"),
        ("terms", "You should keep your password secret, and we may share your posts with advertising"
         " partners.", "recipient.added"),
        # children using the service or their data, and "a minor" as a noun, still count
        ("privacy", "We do not knowingly collect information from children.", "children.changed"),
        ("terms", "If you are a minor, your parent must agree to these terms for you.", "children.changed"),
        ("terms", "Children's accounts are private by default.", "children.changed"),
        ("terms", "Users must be at least 16 years old.", "children.changed"),
        ("terms", "Minimum age to open an account: 18.", "children.changed"),
        # a disclaimer about keeping data safe is still a security disclaimer
        ("privacy", "We cannot guarantee the security of information sent to us over the internet.",
         "security.weakened"),
        # grounds of a sanction end where the service's own practice begins
        ("terms", "We may suspend accounts for spamming, and we sell your contact details to data brokers.",
         "sale.added"),
    ],
)  # fmt: skip
def test_the_near_miss_a_reviewer_must_still_see(doc: str, added: str, expected: str) -> None:
    old, new = carried(doc, added)
    assert expected in {f.category for f in policydiff.compare(old, new, format="markdown").findings}
