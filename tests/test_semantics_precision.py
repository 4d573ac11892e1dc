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


def test_a_user_subscribing_to_updates_is_no_right_to_change_the_terms() -> None:
    old = ["## Changes", "We post every version of these terms on this page."]
    subscribe = "In most cases you may sign up with your email address to receive updates to these terms."
    assert "notice.weakened" not in categories(old, [*old, subscribe])
    assert "notice.weakened" in categories(old, [*old, "We may update these terms from time to time."])


def test_examples_of_a_kind_already_kept_are_not_new_data() -> None:
    old = "We keep your profile information for as long as your account is open."
    examples = "We keep your profile information, such as your user name and email address, while it is open."
    assert "data.broadened" not in categories(old, examples)
    # a sensitive example, or a new kind with examples, is still new data
    sensitive = "We keep your profile information, such as your name and precise location, while open."
    assert "data.broadened" in categories(old, sensitive)
    wider = "We keep your profile information and your contacts, such as email addresses while it is open."
    assert "data.broadened" in categories(old, wider)


def test_how_long_known_data_is_kept_is_retention_not_new_data() -> None:
    old = [
        "We collect audio recordings when you talk to the assistant.",
        "## Retention",
        "We keep your profile information while your account is open.",
    ]
    kept = [*old, "We keep your voice recordings for three years after you make them."]
    assert "data.broadened" not in categories(old, kept)
    never_named = [old[1], old[2]]
    assert "data.broadened" in categories(never_named, [*never_named, kept[-1]])


def test_the_same_retention_wording_about_data_in_general_is_not_new() -> None:
    base = ["We delete your information when you close your account.", "## Exceptions"]
    said = "We may keep certain information longer than stated here to meet our legal duties."
    again = "Where needed, we store your information longer in order to investigate abuse."
    assert "retention.extended" not in categories([*base, said], [*base, said, again])
    assert "retention.extended" in categories(base, [*base, again])
    specific = "Where needed, we store your voice recordings longer in order to investigate abuse."
    assert "retention.extended" in categories([*base, said], [*base, said, specific])


def test_a_promise_whose_recipients_gain_a_narrowing_qualifier_is_weakened() -> None:
    old = "We do not share your personal data with any third-party advertisers, except hashed identifiers."
    new = old.replace("any third-party", "any non-affiliated third-party")
    assert "promise.weakened" in categories(old, new)
    reworded = old.replace("any third-party advertisers", "any third-party advertisers or ad networks")
    assert "promise.weakened" not in categories(old, reworded)
    assert "region.scope_changed" not in categories(old, new)


def test_legitimate_interests_with_an_opt_out_is_a_default() -> None:
    old = [
        "## AI features",
        "We ask for your consent before we use your posts to improve our writing assistant.",
    ]
    basis = "We now rely on our legitimate interests to use your posts to improve our writing assistant."
    new = [old[0], f"{basis} You can opt out at any time in your settings."]
    assert "default.changed" in categories(old, new)
    asked = [old[0], f"{basis} We will ask you before we start."]
    assert "default.changed" not in categories(old, asked)


def test_a_new_practice_that_comes_with_an_opt_out_is_on_by_default() -> None:
    old = ["## How we use your data", "We use your posts to show them to your followers."]
    new_use = "We use your posts to train our recommendation models."
    assert "default.changed" in categories(old, [*old, f"{new_use} You can opt out in your settings."])
    assert "default.changed" not in categories(old, [*old, f"{new_use} We ask for your consent first."])


def test_a_licence_now_for_any_purpose_is_broadened_though_the_words_occur_elsewhere() -> None:
    duty = "You may not use the service for any purpose that is unlawful."
    licence = "You grant us a licence to use, copy and display the photos you post in any media."
    old = [duty, licence]
    new = [duty, licence.replace("in any media.", "in any media, for any purpose.")]
    assert "purpose.broadened" in categories(old, new)
    assert "purpose.broadened" not in categories(old, [duty, licence.replace("copy and", "copy, and")])


def test_a_condition_that_the_law_requires_is_no_new_party() -> None:
    old = ["## Renewals", "Your plan renews each year."]
    reminder = "If required by applicable law, we will send you a reminder before your plan renews."
    assert "recipient.added" not in categories(old, [*old, reminder])
    disclose = "We may disclose your messages to law enforcement agencies when a court orders it."
    assert "recipient.added" in categories(old, [*old, disclose])


def test_data_a_child_gives_the_service_is_no_disclosure() -> None:
    old = ["## Children", "Our service is not meant for children."]
    deleted = "If we learn that a child has provided us with personal information, we delete it."
    assert "recipient.added" not in categories(old, [*old, deleted])
