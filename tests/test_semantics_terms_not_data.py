"""Contract clauses are not data practices: a sale needs data as its object and the service as its seller.

Each test pairs the near miss that must stay quiet with the change a reviewer must still see (our own words).
"""

from __future__ import annotations

from tests.test_semantics import categories

_OLD = ["## General", "These terms are the whole agreement between you and us."]


def _added(sentence: str) -> set[str]:
    return categories(_OLD, [*_OLD, sentence])


def test_assigning_the_contract_in_a_merger_is_not_a_sale_of_data() -> None:
    assert "sale.added" not in _added(
        "We may assign our rights or transfer our duties under these terms at any time, without notice, "
        "in connection with a merger or a sale of our business, or to one of our affiliates."
    )
    # data handed over in the same event is still a sale without limits
    assert "sale.added" in _added(
        "We may transfer your personal information to a buyer in connection with a merger or a sale of our "
        "business."
    )


def test_a_users_compliance_duty_that_names_licensing_is_not_a_sale() -> None:
    assert "sale.added" not in _added(
        "You are responsible for following every law about your uploads, including laws that require you "
        "to get permission from other people to use, license or publish those uploads."
    )
    # the service licensing the user's data to others is still a sale
    assert "sale.added" in _added("We may license your uploads and profile data to third parties.")


def test_a_product_that_offers_generative_ai_is_not_ai_training() -> None:
    old = ["## Our products", "We build tools for teams."]
    offered = (
        "We bring artificial intelligence into many of our apps, including by adding generative AI tools."
    )
    assert "purpose.added" not in categories(old, [*old, offered])
    # training models on what users give us is still a new purpose
    trained = "We may use the files you upload to train our generative AI models."
    assert "purpose.added" in categories(old, [*old, trained])


def test_a_feature_heading_is_not_a_purpose() -> None:
    old = ["## Your account", "You can change your settings at any time."]
    heading = (
        "Generative AI Features: by using the service, you may come across features we provide that automate "
        "content generation for you."
    )
    assert "purpose.added" not in categories(old, [*old, heading])
    # a sentence that uses data for AI features after a label is still a purpose
    used = "AI features: we use your posts to power generative AI features."
    assert "purpose.added" in categories(old, [*old, used])


def test_marketing_messages_given_as_an_example_of_what_users_receive_are_not_a_purpose() -> None:
    old = ["## What we collect", "We collect information when you send or read messages on the service."]
    example = (
        "We collect information when you interact with others on the service (e.g., when you send, read or "
        "reply to messages, invitations or our marketing emails)."
    )
    assert "purpose.added" not in categories(old, [example])
    # the same data put to marketing is still a new purpose
    used = "We collect information when you send or read messages on the service and use it for marketing."
    assert "purpose.added" in categories(old, [used])


def test_examples_in_a_definition_of_a_kind_already_covered_are_not_new_data() -> None:
    old = [
        "## Your content",
        "You give us a licence to the content you post.",
        "We keep your account details while your account is open.",
    ]
    defined = "Content includes, for example, comments, photos, videos and articles you share."
    assert "data.broadened" not in categories(old, [*old, defined])
    # a definition of a kind the old version never covered still adds data
    fresh = "Device data includes, for example, your IP address and browser type."
    assert "data.broadened" in categories(old, [*old, fresh])
