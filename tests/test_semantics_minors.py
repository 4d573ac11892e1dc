"""Age thresholds as policies write them (rules/minors.py): digits, words, "16 or older", table cells."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policydiff
from policydiff.semantics.rules.minors import _clause_ages


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        ("You must be at least sixteen years old.", {16}),
        ("Users under the age of thirteen may not sign up.", {13}),
        ("Open to people aged 18+.", {18}),
        ("You are 21 or over.", {21}),
        ("Minimum age | 14", {14}),
        ("At least ten (10) calendar days before the hearing.", set()),
        ("We keep logs for at least 30 days.", set()),
        ("Devices with version 14.5 or above are supported.", set()),
    ],
)
def test_clause_ages(text: str, ages: set[int]) -> None:
    assert _clause_ages(text) == ages


@given(st.integers(min_value=10, max_value=99), st.sampled_from(["days", "hours", "percent", "MB"]))
def test_a_number_with_a_unit_is_no_age(number: int, unit: str) -> None:
    assert _clause_ages(f"at least {number} {unit}") == set()


def test_a_threshold_moved_in_a_list_item_is_a_finding() -> None:
    old = "To join:\n\n- you are 18 or older;\n- you accept these terms.\n"
    new = "To join:\n\n- you are 15 or older;\n- you accept these terms.\n"
    found = policydiff.compare(old, new, format="markdown").findings
    children = [f for f in found if f.category == "children.changed"]
    assert children and "18 to 15" in children[0].explanation


def test_a_version_number_is_no_new_age_threshold() -> None:
    old = "Some features need a recent phone."
    new = "Some features need a phone with version 14.5 or above."
    found = policydiff.compare(old, new, format="markdown").findings
    assert not any("age threshold" in f.explanation for f in found)
