"""A kind of data broadens the data covered only in the data role of a practice (our own words).

Nouns elsewhere in the frame (who gets the data, where it goes, the condition a clause applies under) are
not the data handled; and a specific, non-sensitive kind the old version covered with a general term it
subsumes is not new when it goes to the same kind of recipient. Each test pairs the quiet case with the
near miss a reviewer must still see.
"""

from __future__ import annotations

import pytest

from tests.test_semantics import categories

_OLD = ["## Sharing", "We share information about you with our service providers."]


def _changed(old: str, new: str) -> set[str]:
    return categories(["## Sharing", old], ["## Sharing", new])


def test_a_recipient_named_with_a_data_word_is_not_data() -> None:
    old = "We share your posts with the people you choose."
    assert "data.broadened" not in _changed(old, "We share your posts with your friends and your contacts.")
    # new data given to the same people is still new data
    assert "data.broadened" in _changed(
        old, "We share your posts and your precise location with your friends."
    )


def test_the_country_of_a_transfer_is_not_data() -> None:
    old = "We may transfer your information to our affiliates."
    new = "We may transfer your information to our affiliates in the United States and other countries."
    assert "data.broadened" not in _changed(old, new)
    # a new kind transferred there is still new data
    assert "data.broadened" in _changed(
        old,
        "We may transfer your information and your health records to our affiliates in the United States.",
    )


def test_an_age_condition_in_a_childrens_clause_is_not_data() -> None:
    old = "We do not knowingly collect personal information from children."
    new = "If you are under 13 years of age, we do not knowingly collect personal information from you."
    assert "data.broadened" not in _changed(old, new)
    # a clause that now collects a child's age and birth date is still new data
    assert "data.broadened" in _changed(
        "We collect your email address.", "We collect your email address and your date of birth."
    )


def test_a_narrower_kind_shared_with_the_same_recipients_is_not_new() -> None:
    old = "We share information about you with our service providers."
    assert "data.broadened" not in _changed(old, "We share your activity with our service providers.")
    # a sensitive kind is not covered by the general term
    assert "data.broadened" in _changed(old, "We share your health information with our service providers.")
    # the same kind given to a new class of recipient is new for that recipient
    assert "data.broadened" in _changed(old, "We share your activity with advertisers.")


# who receives the data, in five phrasings: the noun after "with"/"to" once the object is named
_RECIPIENT_ROLE = [
    (
        "We share your posts with the people you choose.",
        "We share your posts with your friends and your contacts.",
    ),
    ("We show your profile to other members.", "We show your profile to your connections and followers."),
    (
        "Your photos are visible to people you approve.",
        "Your photos are visible to your friends and followers.",
    ),
    ("You can send your playlists to anyone.", "We let you send your playlists to your friends list."),
    (
        "We make your reviews available to other shoppers.",
        "We make your reviews available to your followers.",
    ),
]


@pytest.mark.parametrize(("old", "new"), _RECIPIENT_ROLE)
def test_people_who_receive_data_are_not_data(old: str, new: str) -> None:
    assert "data.broadened" not in _changed(old, new)


# where, and under which status, in five phrasings: a place or the user's status is no data handled
_PLACE_OR_STATUS = [
    (
        "We store your files on our servers.",
        "We store your files on our servers in your country of residence.",
    ),
    ("We process your information in the United States.", "We process your information in your country."),
    (
        "We collect your email address.",
        "If you are under 16 years old, we collect your email address only with your parent's consent.",
    ),
    (
        "We collect your email address.",
        "Where you are in a country that requires it, we collect your email address.",
    ),
    (
        "We ask for your email address.",
        "When you are located in another country, we ask for your email address to verify your account.",
    ),
]


@pytest.mark.parametrize(("old", "new"), _PLACE_OR_STATUS)
def test_a_place_or_the_users_status_is_not_data(old: str, new: str) -> None:
    assert "data.broadened" not in _changed(old, new)


def test_data_named_after_with_is_still_data_when_it_is_the_object() -> None:
    # "provide us with ...": the noun after "with" is what is handed over
    assert "data.broadened" in _changed(
        "We ask you to provide us with your email address.",
        "We ask you to provide us with your email address and your precise location.",
    )
    # a new kind of data given to the same people is still new data
    assert "data.broadened" in _changed(
        "We disclose your profile to other members.",
        "We disclose your profile and your precise location to other members.",
    )


# a narrower, non-sensitive kind under a general term the old sentence used, same recipients, five phrasings
_NARROWER = [
    (
        "We share information about you with our service providers.",
        "We share your activity with our service providers.",
    ),
    (
        "We may disclose your personal data to our affiliates.",
        "We may disclose your device information to our affiliates.",
    ),
    ("We use your information to run the service.", "We use your purchase history to run the service."),
    ("We share your data with our vendors.", "We share your profile information with our vendors."),
    (
        "We collect information about you when you use the app.",
        "We collect your app activity when you use the app.",
    ),
]


@pytest.mark.parametrize(("old", "new"), _NARROWER)
def test_a_narrower_kind_under_the_general_term_is_not_new(old: str, new: str) -> None:
    assert "data.broadened" not in _changed(old, new)
