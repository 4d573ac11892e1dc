"""Licence grants read as permissions: the grantee is the actor, the licence's scope its actions."""

from __future__ import annotations

import pytest

from policydiff.semantics.frames import analyse
from tests.test_semantics import findings


def _actors(sentence: str, action: str) -> set[str]:
    frame = next(f for f in analyse(sentence).frames if f.action.key == action)
    return {c.key for c in frame.actors}


@pytest.mark.parametrize(
    ("sentence", "actors"),
    [
        ("You grant us a worldwide, royalty-free licence to use your content.", {"first_party"}),
        ("You hereby grant to the Company a license to use User Content.", {"first_party"}),
        ("You grant Acme a non-exclusive licence to use your content.", {"first_party_named"}),
        (
            "You grant Acme Inc. and its affiliates a perpetual licence to host and use your content.",
            {"first_party_named", "affiliates"},
        ),
        ("This licence includes the right to use your content to train AI models.", {"first_party"}),
        ("We grant you a limited licence to use the Services.", {"user"}),
    ],
)
def test_the_grantee_acts_in_the_licence_scope(sentence: str, actors: set[str]) -> None:
    assert _actors(sentence, "use") == actors


def test_a_subject_of_its_own_after_the_grant_keeps_it() -> None:
    a = analyse("You grant us a licence to use your data, but our partners will not sell your data.")
    sell = next(f for f in a.frames if f.action.key == "sell")
    assert {c.key for c in sell.actors} == {"partners"} and sell.negated


def test_licence_extended_to_ai_training_is_a_high_purpose_added() -> None:
    old = "You grant Acme Inc. a worldwide, royalty-free licence to use, copy and modify Your Content."
    new = (
        old + " This licence includes the right to use Your Content to train AI and machine learning models."
    )
    found = [f for f in findings(old, new) if f.category == "purpose.added"]
    assert found and found[0].rule == "purpose.ai_training.added" and found[0].severity == "high"


def test_a_licence_granted_to_the_user_is_no_practice() -> None:
    old = "We grant you a limited licence to use the Services."
    new = "We grant you a limited licence to use the Services and our AI models for any purpose."
    assert not [f for f in findings(old, new) if f.category.startswith("purpose.")]
