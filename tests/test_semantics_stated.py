"""Additions are judged against the whole old document: a practice it already stated is no news.

A rewrite into longer prose restates, in a later section and other words, practices the old version
stated in an earlier one. Those restatements are not new purposes, data or sources; a practice the
old version only denied, one given to a new recipient, wider data and sensitive data still are.
"""

from __future__ import annotations

import pytest

from tests.test_semantics import categories

_OLD = [
    "1. About this policy. This policy explains how the service handles information.",
    "2. How we use information. We use your browsing activity to personalize ads you see. "
    "We use your usage data for analytics and to develop new features. "
    "We collect device identifiers and your approximate location. "
    "We receive information about you from our affiliates.",
    "3. Your choices. You can change your settings at any time.",
]


def _rewritten(*section_five: str) -> list[str]:
    """The old document restructured: section 2 trimmed to a lead, a new section 5 in other words."""
    return [
        _OLD[0],
        "2. How we use information. The sections below explain our practices in more detail.",
        _OLD[2],
        "4. Contact. Write to our privacy team with any question.",
        "5. More about our practices. " + " ".join(section_five),
    ]


@pytest.mark.parametrize(
    "restated",
    [
        "We use your browsing activity to show you ads that match your interests.",
        "We may collect your approximate location, such as your city, from your IP address.",
        "When you open the app, we collect information about your device, including your advertising ID.",
        "We may obtain information about you from our affiliates.",
        "We use usage data to understand how people use our service and to develop new features.",
    ],
)
def test_a_practice_restated_elsewhere_in_other_words_is_not_new(restated: str) -> None:
    assert not {"purpose.added", "data.broadened", "source.added"} & categories(_OLD, _rewritten(restated))


def test_a_purpose_the_old_version_only_denied_is_new() -> None:
    old = [
        "1. Our use. We use your usage data to provide the service.",
        "2. Advertising. We do not use your usage data for advertising.",
    ]
    new = [
        "1. Our use. We use your usage data to provide the service.",
        "2. Advertising. The sections below explain our practices.",
        "5. More. We use your usage data for advertising.",
    ]
    assert "purpose.added" in categories(old, new)


def test_a_purpose_given_to_a_new_recipient_is_new() -> None:
    new = _rewritten(
        "We share your browsing activity with advertising partners so that they can personalize ads.",
    )
    assert {"purpose.added", "sharing.added", "recipient.added"} & categories(_OLD, new)


def test_wider_data_than_the_old_version_stated_is_new() -> None:
    old = ["1. Data. We collect device identifiers.", "2. Choices. You can change your settings."]
    new = [
        "1. Data. The sections below explain what we collect.",
        old[1],
        "5. More. We collect information about your device, such as the apps you have installed.",
    ]
    assert "data.broadened" in categories(old, new)


def test_sensitive_data_is_not_covered_by_a_wider_kind_stated_before() -> None:
    new = _rewritten("We collect your precise location, such as your GPS coordinates.")
    assert "data.broadened" in categories(_OLD, new)


def test_a_source_the_old_version_never_named_is_new() -> None:
    new = _rewritten("We may obtain information about you from data brokers.")
    assert "source.added" in categories(_OLD, new)


def test_known_data_put_to_a_new_use_is_a_new_purpose_not_new_data() -> None:
    old = [
        "1. Data. We collect your usage data, such as the features you use.",
        "2. Choices. You can change.",
    ]
    new = ["1. Data. The sections below explain what we collect.", old[1], "5. More. "]
    new[2] += "We may train our AI models on your usage data."
    found = categories(old, new)
    assert "purpose.added" in found
    assert "data.broadened" not in found
