"""Precision on real-text-shaped pairs: one card per reading, nothing found that the old version already said.

Each test pairs a change a reviewer must see with the near miss that must stay quiet (our own words).
"""

from __future__ import annotations

from tests.test_semantics import categories, findings


def test_a_phrase_read_as_a_source_is_not_also_new_data() -> None:
    old = "We collect the information you give us when you create an account."
    new = (
        "We collect the information you give us when you create an account and publicly available "
        "information about you."
    )
    found = findings(old, new)
    assert "source.added" in {f.category for f in found}
    assert "data.broadened" not in {f.category for f in found}
    # new data of its own on the same sentence is still a card
    both = new.replace("about you.", "about you, and your precise location.")
    assert {"source.added", "data.broadened"} <= categories(old, both)


_LAW = (
    "These terms are governed by the laws of the State of Oregon, and disputes go to the courts of Portland."
)


def test_a_governing_law_heading_over_the_same_choice_is_not_a_change() -> None:
    old = ["## Miscellaneous", _LAW, "We may assign these terms."]
    new = ["## Governing law and venue", _LAW, "We may assign these terms."]
    assert "dispute.changed" not in categories(old, new)
    moved = [
        "## Miscellaneous",
        "We may assign these terms.",
        "## Governing Law",
        _LAW.replace(", and", ". Disputes"),
    ]
    assert "dispute.changed" not in categories(old, moved)


def test_a_new_place_for_the_law_or_courts_is_a_change() -> None:
    old = ["## Miscellaneous", _LAW, "We may assign these terms."]
    new = [
        "## Miscellaneous",
        "We may assign these terms.",
        "## Governing law",
        _LAW.replace("Oregon", "Nevada"),
    ]
    assert "dispute.changed" in categories(old, new)
    added = [
        "## Miscellaneous",
        "We may assign these terms.",
        "Any claim must be resolved by binding arbitration.",
    ]
    assert "dispute.changed" in categories(["## Miscellaneous", "We may assign these terms."], added)


def test_law_words_that_choose_no_law_are_not_dispute_terms() -> None:
    old = ["We may assign these terms."]
    agency = "You and we are independent contractors; no relationship arises under the common law of agency."
    ruling = "We no longer rely on the framework struck down by the Court of Justice of the EU."
    assert "dispute.changed" not in categories(old, [old[0], agency])
    assert "dispute.changed" not in categories([old[0], ruling], old)


_ACCESS = "We will not access or view your files except as this agreement provides or as you instruct us."
_OTHER = "You can export your files at any time."


def test_a_promise_with_exceptions_said_as_a_restriction_is_not_removed() -> None:
    reworded = "Our staff will only access or view your files in accordance with this agreement."
    assert "promise.removed" not in categories(
        [_ACCESS, _OTHER], ["We may update this agreement.", _OTHER, reworded]
    )
    # a restriction on other data does not keep it, nor does any restriction keep a promise without exceptions
    other = "We will only access your billing details to charge you."
    assert "promise.removed" in categories(
        [_ACCESS, _OTHER], ["We may update this agreement.", _OTHER, other]
    )
    plain = "We will not access or view your files."
    assert "promise.removed" in categories(
        [plain, _OTHER], ["We may update this agreement.", _OTHER, reworded]
    )
