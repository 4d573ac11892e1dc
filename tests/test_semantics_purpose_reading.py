"""Purposes read without a verb of their own, and data kinds read beyond a frame's object (issue 10)."""

from __future__ import annotations

import pytest

import policydiff

CARRIER = "# Privacy notice\n\n## About us\n\nWe run a shop for garden tools.\n"


def _added(sentence: str) -> set[str]:
    new = CARRIER + "\n" + sentence + "\n"
    return {f.category for f in policydiff.compare(CARRIER, new, format="markdown").findings}


@pytest.mark.parametrize(
    "sentence",
    [
        "To show you interest-based ads on other websites.",  # a purpose fragment
        "(3) to provide advertising and other offers to you,",  # a numbered purpose fragment
        "We may recognise your devices to provide you with tailored advertising across the devices you use.",
        "Promoting our partners' products | Email address, purchase history",  # a table row
    ],
)
def test_a_purpose_without_a_practice_of_its_own_is_a_purpose(sentence: str) -> None:
    assert "purpose.added" in _added(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "to send unsolicited advertising or spam;",  # what users must not do
        "You must not use the service to send advertising.",
        "We accept no responsibility for adverts posted by others.",
        "Learn more about the advertising partners we work with.",
    ],
)
def test_conduct_links_and_disclaimers_add_no_purpose(sentence: str) -> None:
    assert "purpose.added" not in _added(sentence)


def test_a_purpose_known_elsewhere_is_new_when_an_edit_gives_it_to_a_third_party() -> None:
    old = "We use your data for advertising.\n\nWe share your data with our affiliates to run the service.\n"
    new = (
        "We use your data for advertising.\n\n"
        "We share your data with our affiliates to run the service and for their advertising.\n"
    )
    findings = policydiff.compare(old, new, format="markdown").findings
    assert any(f.category == "purpose.added" and "affiliates" in (f.new_text or "") for f in findings)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("If you use the map, we use your city.", "If you use the map, we use your exact GPS coordinates."),
        ("We collect your email address.", "We collect personal information about you."),
        (
            "The processing covers your account details.",
            "The processing covers your account details and your health conditions.",
        ),
    ],
)
def test_data_broadened_beyond_the_frame(old: str, new: str) -> None:
    categories = {f.category for f in policydiff.compare(old, new, format="markdown").findings}
    assert "data.broadened" in categories


@pytest.mark.parametrize(
    "sentence",
    [
        "participate in the collection of email addresses and screen names of other users;",
        "You can disable cookies in your browser settings, but some pages may not work.",
        "We do not encourage you to provide biometric or health data.",
    ],
)
def test_data_named_in_conduct_or_negated_sentences_is_not_broadened(sentence: str) -> None:
    assert "data.broadened" not in _added(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Your images may serve as a source for our foundation models.",
        "We may use your data to teach our systems to recognise objects.",
        "Your chats may be used for the training of our machine learning models.",
        "We use the recordings of your calls to improve our speech recognition models.",
    ],
)
def test_ai_training_without_the_verb_train(sentence: str) -> None:
    findings = policydiff.compare(CARRIER, CARRIER + "\n" + sentence + "\n", format="markdown").findings
    assert any(f.rule == "purpose.ai_training.added" for f in findings)


def test_a_purpose_word_inside_a_data_phrase_is_no_purpose() -> None:
    assert _added("We collect your IDFA and other advertising identifiers.") == {"data.broadened"}
