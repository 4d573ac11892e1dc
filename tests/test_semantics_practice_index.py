"""The whole-document practice index: an addition is new only when no old practice implies it.

One frame per affirmative practice (action class, purposes, data, third parties), compared with lexicon
subsumption whichever slot a rule asks about. Each restatement has its near miss, a real addition the
index must not hide. Our own words (fictional services).
"""

from __future__ import annotations

from policydiff.semantics.rules.stated import Practice, _lines_naming_party, covers_data, implies
from policydiff.semantics.text import DocumentFacts, fold
from tests.test_semantics import categories

_OLD = [
    "## Sharing",
    "We may share your direct messages with our affiliates to provide our services.",
    "We share your purchase history with service providers that process payments.",
    "## Advertising",
    "We use information about your activity to show you relevant advertising.",
    "## Reminders",
    "If required by applicable law, we will send you a reminder before your plan renews.",
]


def _added(sentence: str) -> set[str]:
    """A clause appended to ``_OLD`` (a sentence moved to another section of a rewrite)."""
    return categories(_OLD, [*_OLD, sentence])


def test_data_passed_on_as_the_old_version_passed_it_on_is_not_new() -> None:
    assert not _added("Your direct messages may be disclosed to our affiliates.")


def test_other_data_passed_to_the_same_party_is_new() -> None:
    assert "data.broadened" in _added("Your precise location may be disclosed to our affiliates.")


def test_a_recipient_named_in_other_words_is_new_only_for_data_it_never_got() -> None:
    assert "recipient.added" in _added("Your precise location may be disclosed to our group companies.")
    assert "recipient.added" not in _added("Your direct messages may be disclosed to our group companies.")


def test_a_narrowed_class_covers_no_other_party_of_it() -> None:
    # "service providers that process payments" do not cover advertisers
    assert "recipient.added" in _added("We share your purchase history with advertisers.")


def test_a_condition_read_as_a_party_gives_no_one_data() -> None:
    # "if required by applicable law" in the old version gave no government body any data
    assert "recipient.added" in _added(
        "We may disclose your purchase history to a tax authority without notice."
    )


def test_a_purpose_in_known_words_is_new_for_sensitive_data() -> None:
    assert "purpose.added" in _added("We use your direct messages for advertising.")
    assert "purpose.added" not in _added("We use your activity for advertising.")


def test_implication_follows_subsumption_of_parties_and_data() -> None:
    old = Practice("share", frozenset({"advertising"}), frozenset({"content"}), frozenset({"third_parties"}))
    new = Practice("share", frozenset({"advertising"}), frozenset({"messages"}), frozenset({"advertisers"}))
    assert implies(old, new, frozenset({"advertising"}))
    assert not implies(new, old, frozenset({"advertising"}))  # a narrower party covers no wider one
    assert not implies(old, new, frozenset({"ai_training"}))  # a purpose the old never had
    assert not implies(attrs_kind(old, "handle"), new, frozenset())  # using is not passing on


def test_data_in_general_covers_no_sensitive_kind() -> None:
    assert covers_data(frozenset(), frozenset({"device_identifiers"}))
    assert not covers_data(frozenset(), frozenset({"messages"}))
    assert not covers_data(frozenset(), frozenset({"device_identifiers"}), general=False)
    assert covers_data(frozenset({"contact"}), frozenset())


def attrs_kind(practice: Practice, kind: str) -> Practice:
    return Practice(kind, practice.purposes, practice.data, practice.parties)


_LISTED = [
    "## How we use information",
    "We use the information we collect to:",
    "- provide and maintain the service;",
    "- show you personalised advertising;",
    "- carry out analytics about how the service is used.",
    "## Contact",
    "Write to us.",
]


def test_a_purpose_listed_under_a_lead_in_is_stated() -> None:
    assert not categories(_LISTED, [*_LISTED, "We may use your information to serve you targeted ads."])


def test_a_listed_purpose_states_nothing_about_sensitive_data_or_other_purposes() -> None:
    assert "purpose.added" in categories(
        _LISTED, [*_LISTED, "We may use your messages to serve you targeted ads."]
    )
    assert "purpose.added" in categories(
        _LISTED, [*_LISTED, "We use your information to train our AI models."]
    )


def test_a_party_that_received_data_acts_on_it_in_a_rewrite() -> None:
    old = [
        "## Sharing",
        "We share information with our service providers, who process it for us.",
        "## Contact",
        "Write to us.",
    ]
    assert "recipient.added" not in categories(old, [*old, "Our vendors process your information for us."])
    assert "recipient.added" in categories(old, [*old, "Our advertisers process your information."])


_TRAINED = [
    "## AI",
    "We use your posts to develop AI models.",
    "## Contact",
    "Write to us.",
]


def test_training_is_a_use_told_apart_by_its_purpose() -> None:
    assert not categories(_TRAINED, [*_TRAINED, "We train our AI models on your posts."])
    assert "purpose.added" in categories(
        ["We use your posts to provide the service."],
        ["We use your posts to provide the service.", "We train our AI models on your posts."],
    )


def test_the_index_reads_lines_as_written() -> None:
    # folded, "trained by acme or another provider" loses its agents; as written it keeps them
    facts = DocumentFacts(
        fold("Intro.\nThese models may be trained by Acme or another provider."),
        source=lambda: "Intro.\nThese models may be trained by Acme or another provider.",
    )
    line = fold("These models may be trained by Acme or another provider.")
    assert facts.original(line) == "These models may be trained by Acme or another provider."
    assert DocumentFacts(fold("Intro.")).original("intro.") == "intro."
    lines = facts.derived(_lines_naming_party("another_provider"))
    assert any("another_provider" in p.parties for s in lines for p in s.practices)
