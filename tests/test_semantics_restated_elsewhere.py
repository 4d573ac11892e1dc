"""A rewrite that restates data or a retention period the old version already gave is not a broadening.

The old version names the data in a list of what is collected (no verb of its own) or keeps it for a period
in another section; a rewritten sentence names the same data or period in other words or in another place.
Each case has the near miss a reviewer must still see: sensitive data, data now given to a third party, a
longer period for data the old version never kept that long. Our own words (fictional services).
"""

from __future__ import annotations

import pytest

import policydiff
from tests.test_semantics import categories

_LIST = [
    "## Information we collect",
    "- Device information, such as your IP address, browser type and operating system.",
    "- Contact details, such as your email address and phone number.",
    "- Your purchase history, billing address and date of birth.",
    "## How we use information",
    "We use your email address to send you receipts.",
]


def _use(sentence: str) -> set[str]:
    """The last clause of ``_LIST`` rewritten."""
    return categories(_LIST, [*_LIST[:-1], sentence])


@pytest.mark.parametrize(
    "rewrite",
    [
        "We use your email address and your IP address to send you receipts.",
        "We use your email address and phone number to send you receipts.",
        "We use your email address and your purchase history to send you receipts and handle returns.",
        "We use your email address, your IP address and your billing address to send you receipts.",
        "We use your phone number to send you receipts.",
        "We use your email address, operating system and browser type to send you receipts.",
    ],
)
def test_data_the_old_version_listed_is_not_new_in_a_rewrite(rewrite: str) -> None:
    assert "data.broadened" not in _use(rewrite)


def test_data_the_old_version_never_named_is_still_new() -> None:
    assert "data.broadened" in _use(
        "We use your email address and your precise location to send you receipts."
    )
    assert "data.broadened" in _use(
        "We use your email address and your voice recordings to send you receipts."
    )


def test_the_same_kind_in_wider_words_is_still_new() -> None:
    # the lexicon files both under financial data, but a reviewer sees more than the listed billing address
    assert "data.broadened" in _use(
        "We use your email address and your bank account details to send you receipts."
    )


def test_listed_data_now_given_to_a_third_party_is_still_new_for_it() -> None:
    assert "data.broadened" in _use("We share your purchase history with advertisers.")


_KEPT = [
    "## Retention",
    "We keep your account information for as long as your account is open.",
    "We keep server logs for 18 months.",
    "## Your account",
    "You can close your account in the settings.",
]


def _kept(sentence: str) -> set[str]:
    """The last clause of ``_KEPT`` rewritten."""
    return categories(_KEPT, [*_KEPT[:-1], sentence])


@pytest.mark.parametrize(
    "rewrite",
    [
        "You can close your account in the settings; we keep your account information while it stays open.",
        "You can close your account in the settings, and server logs are kept for 18 months.",
        "You can close your account in the settings. Our server logs are retained for up to 18 months.",
        "You can close your account in the settings; until then we store your account information.",
        "You can close your account in the settings, after which logs are still kept for 18 months.",
    ],
)
def test_a_period_the_old_version_gave_is_not_an_extension(rewrite: str) -> None:
    assert "retention.extended" not in _kept(rewrite)


def test_a_longer_period_than_the_old_version_gave_is_still_an_extension() -> None:
    assert "retention.extended" in categories(
        ["## Retention", "We keep server logs for 18 months."],
        ["## Retention", "We keep server logs for 36 months."],
    )
    assert "retention.extended" in categories(
        ["## Retention", "We keep server logs for 30 days."],
        ["## Retention", "We keep server logs indefinitely."],
    )


_POLICY = """# Policy

## Information we collect

We collect your name and email address when you sign up. {collect}

## How long we keep it

We keep your information while your account is open, and we keep backups for as long as necessary.
"""


def _moved(old_sentence: str, new_sentence: str) -> set[str]:
    old = _POLICY.format(collect=old_sentence)
    new = _POLICY.format(collect=new_sentence)
    return {f.category for f in policydiff.compare(old, new, format="markdown").findings}


_IDS = "We also collect your device identifiers when you use the app"


@pytest.mark.parametrize(
    "rewrite",
    [
        f"{_IDS}, and we keep them while your account is open.",
        f"{_IDS} and store them until you close your account.",
        f"{_IDS}; we retain them for as long as your account is open.",
        f"{_IDS}, and backups of them are kept for as long as necessary.",
        f"{_IDS} and keep them while you have an account.",
    ],
)
def test_a_retention_the_old_version_states_elsewhere_is_not_an_extension(rewrite: str) -> None:
    old = f"{_IDS}."
    assert "retention.extended" not in _moved(old, rewrite)


def test_a_retention_beyond_what_the_old_version_states_is_still_an_extension() -> None:
    old = f"{_IDS}."
    assert "retention.extended" in _moved(old, old[:-1] + " and keep them indefinitely.")
    assert "retention.extended" in _moved(
        old, old[:-1] + " and keep them even after you delete your account."
    )


_SENSITIVE = [
    "## Location",
    "We collect your precise location when you turn on location services.",
    "We use your voice recordings to answer your voice commands.",
    "We store the messages you send so that you can read them on every device.",
    "## Other",
    "We run the service.",
]


@pytest.mark.parametrize(
    "restated",
    [
        "Our maps use your GPS coordinates to show you places nearby.",
        "If you turn on location services, we use your exact location to show local results.",
        "Audio recordings of your voice are processed to understand what you ask the assistant.",
        "We keep audio recordings to answer voice commands.",
        "We use your real-time location to show you the weather where you are.",
    ],
)
def test_a_sensitive_kind_the_old_version_states_is_not_new_in_a_sentence_moved_elsewhere(
    restated: str,
) -> None:
    assert "data.broadened" not in categories(_SENSITIVE, [*_SENSITIVE, restated])


def test_a_sensitive_kind_never_stated_or_joining_an_edited_list_is_still_new() -> None:
    assert "data.broadened" in categories(
        _SENSITIVE, [*_SENSITIVE, "We use your health records to suggest workouts."]
    )
    # an edited sentence whose list of what it covers gains content: the clause's own question
    old = ["## Browsing", "Browsing data includes your history and your favourites."]
    new = [
        "## Browsing",
        "Browsing data includes your history, your favourites and the content of pages you visit.",
    ]
    assert "data.broadened" in categories(old, new)
