"""Kinds of data (semantics/data/data.toml) and the data a practice derives (rules/data.py).

The vocabulary follows public categories (CCPA categories of personal information, PoliGraph and
OPP-115 data types), written as our own entries: each phrase lands on its kind, and a kind that is a
sibling of what the old version names (vehicle identifiers beside a car's make and model, household
beside a postcode) is new data, where a child of a named kind is not.
"""

from __future__ import annotations

import pytest

import policydiff
from policydiff.semantics.frames import analyse
from policydiff.semantics.lexicon import subsumes


@pytest.mark.parametrize(
    ("phrase", "kind"),
    [
        ("the mood entries you log", "health"),
        ("your mental health", "health"),
        ("special educational needs", "health"),
        ("your sort code and IBAN", "financial"),
        ("transcripts of your conversations", "messages"),
        ("the web addresses of the sites you visit", "usage"),
        ("your likely income", "inferences"),
        ("your ethnic origin", "sensitive"),
        ("disciplinary records", "education"),
        ("its licence plate", "vehicle_identifiers"),
        ("your driving behaviour", "driving"),
        ("the number of children you have", "household"),
        ("a liveness check", "biometrics"),
    ],
)
def test_phrase_names_its_kind(phrase: str, kind: str) -> None:
    keys = {c.key for c in analyse(f"We collect {phrase}.").of("data")}
    assert any(subsumes(kind, k) for k in keys), keys


def _categories(old: str, new: str) -> set[str]:
    return {f.category for f in policydiff.compare(old, new, format="markdown").findings}


def test_a_sibling_kind_is_new_data_but_a_restatement_is_not() -> None:
    old = "We use the make and model of your car to find parts."
    assert "data.broadened" in _categories(old, "We use your car's licence plate to find parts.")
    assert "data.broadened" not in _categories(old, "We use your car's make and model to find parts.")


@pytest.mark.parametrize(
    "new",
    [
        "When you call us, we analyse your voice to create a voiceprint.",
        "We check your ID and extract a facial template from your photo.",
    ],
)
def test_what_a_practice_derives_is_data(new: str) -> None:
    assert "data.broadened" in _categories("When you call us, we ask for your account number.", new)


def test_deriving_needs_a_practice() -> None:
    # no practice of the service: a user creating a profile is no data the service derives
    assert "data.broadened" not in _categories("You can sign up.", "You can sign up and create a profile.")
