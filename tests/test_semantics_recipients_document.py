"""A recipient is new only when the old version never handed data to that class of party anywhere.

A rewrite moves and rewords a disclosure ("companies in our corporate group" in one section becomes "our
affiliates" in another): the old version's practices are looked through once per document and class of
party (``rules.stated.party_stated``). The near misses a reviewer must still see: a party the old version
only named in a denial, a class the old version gave data in general where the rewrite gives it a
specific kind, a class the old version never gave data to, a generic class narrowed there by a relative
clause. Our own words (fictional services).
"""

from __future__ import annotations

import pytest

from tests.test_semantics import categories

_OLD = [
    "## Sharing",
    "{sharing}",
    "## Newsletters",
    "We send you our newsletter once a month.",
]


def _rewrite(sharing: str, added: str) -> set[str]:
    """The sharing section rewritten, and ``added`` appended to the newsletter section."""
    old = [line.format(sharing=sharing) for line in _OLD]
    new = ["## Sharing", "The sections below say who receives what.", "## Newsletters", f"{_OLD[3]} {added}"]
    return categories(old, new)


@pytest.mark.parametrize(
    ("sharing", "added"),
    [
        (
            "We share your purchase history with companies in our corporate group.",
            "Our affiliates may receive your purchase history to tailor the newsletter.",
        ),
        (
            "Your email address is disclosed to our email delivery vendor.",
            "The newsletter is sent by our vendors, who receive your email address.",
        ),
        (
            "We may disclose your information to law enforcement when the law requires it.",
            "We may also pass your information to the police in response to a court order.",
        ),
    ],
)
def test_a_recipient_the_old_version_named_elsewhere_is_not_new(sharing: str, added: str) -> None:
    assert "recipient.added" not in _rewrite(sharing, added)


@pytest.mark.parametrize(
    ("sharing", "added"),
    [
        # named only in a denial: handing data to them now is new
        (
            "We never share your purchase history with other companies in our group.",
            "Our affiliates may receive your purchase history to tailor the newsletter.",
        ),
        # the old version gave the class data in general; the rewrite gives it a specific kind
        (
            "We may disclose your information to law enforcement when the law requires it.",
            "We may also pass your health records to the police in response to a court order.",
        ),
        # the old version gave data to another class
        (
            "We share your purchase history with companies in our corporate group.",
            "Data brokers may receive your purchase history.",
        ),
        # a generic class narrowed by a relative clause names no whole class
        (
            "We share your card number with other companies that process card payments.",
            "We may share your email address with outside companies.",
        ),
    ],
)
def test_a_class_the_old_version_never_gave_data_to_is_new(sharing: str, added: str) -> None:
    assert "recipient.added" in _rewrite(sharing, added)
