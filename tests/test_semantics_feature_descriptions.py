"""A feature described is no purpose of processing (our own words, fictional features).

"Stories let you share moments with friends" tells what a feature lets people do; it states no use the
service makes of their data. Each group has the near miss a reviewer must still see: the service itself
putting data to the purpose in the same sentence.
"""

from __future__ import annotations

import pytest

import policydiff
from tests.test_semantics import categories

_USE = ["## How we use your information", "We use your information to provide our services."]
_ABOUT = ["## Our features", "The app has several features."]


@pytest.mark.parametrize("old", [_USE, _ABOUT])
@pytest.mark.parametrize(
    "feature",
    [
        "Insights help creators understand how their posts perform.",
        "Creator tools let you measure how your posts perform and promote them with ads.",
        "Shop pages allow businesses to sell products and show ads to people who might like them.",
        "Studio gives creators analytics about who watches their videos.",
        "Boards enable members to research ideas and plan projects with friends.",
        "The planner helps you track how your campaigns perform with analytics.",
    ],
)
def test_what_a_feature_lets_people_do_is_no_purpose(old: list[str], feature: str) -> None:
    found = categories(old, [*old, feature])
    assert "purpose.added" not in found
    assert "data.broadened" not in found


def test_the_service_using_data_for_the_purpose_is_still_a_purpose() -> None:
    assert "purpose.added" in categories(
        _ABOUT,
        [*_ABOUT, "Creator tools let you promote your posts, and we use what you post to show you ads."],
    )
    assert "purpose.added" in categories(_ABOUT, [*_ABOUT, "We use your viewing history to show you ads."])


def _item_added(lead: str, item: str) -> set[str]:
    """``item`` added to a list under ``lead`` (parsed from Markdown, so the lead-in governs the items)."""
    body = f"{lead}\n\n- Provide and improve our services.\n- Keep our services safe.\n"
    old = f"# Policy\n\n## How we use information\n\n{body}\n## Contact\n\nWrite to us.\n"
    new = old.replace("- Keep our services safe.\n", f"- Keep our services safe.\n{item}\n")
    return {f.category for f in policydiff.compare(old, new, format="markdown").findings}


@pytest.mark.parametrize(
    "item",
    [
        "- Help you discover content you might like.",
        "- Personalise your experience, such as suggesting friends and content.",
        "- Let you send messages and photos to your friends.",
        "- Show you posts from the people you follow.",
        "- Remind you of memories, such as photos from past years.",
    ],
)
def test_nouns_in_a_purpose_item_are_no_data(item: str) -> None:
    assert "data.broadened" not in _item_added("We use your information to:", item)


def test_data_named_in_an_item_under_a_data_lead_is_still_data() -> None:
    # the lead names no purpose: its items are the data
    assert "data.broadened" in _item_added(
        "We collect the following information:", "- Your precise location."
    )
    # a purpose lead's item that names new data to use still counts through the purpose rules
    assert "purpose.added" in _item_added("We use your information to:", "- Show you personalised ads.")


def _paragraph_added(title: str, paragraph: str) -> set[str]:
    """``paragraph`` added as a paragraph of its own under section ``title``."""
    body = "We use your information to provide our services and to keep them safe."
    old = f"# Policy\n\n## {title}\n\n{body}\n\n## Contact\n\nWrite to us.\n"
    new = old.replace(f"{body}\n", f"{body}\n\n{paragraph}\n")
    return {f.category for f in policydiff.compare(old, new, format="markdown").findings}


@pytest.mark.parametrize("title", ["How we use information", "Information we collect", "Our products"])
@pytest.mark.parametrize(
    "heading",
    [
        "Personalised advertising",
        "Research and development",
        "Ads and measurement",
        "Product improvement",
        "Analytics and insights",
    ],
)
def test_a_heading_of_its_own_is_no_purpose(title: str, heading: str) -> None:
    assert "purpose.added" not in _paragraph_added(title, heading)


@pytest.mark.xfail(
    strict=True,
    reason="a nominal training action in a heading kept as a paragraph reads as a practice: rules do not see"
    " the clause kind that tells it from a list item ('- Training our AI models')",
)
def test_a_heading_naming_ai_training_is_no_purpose() -> None:
    assert "purpose.added" not in _paragraph_added("Our products", "Product improvement and AI training")


def test_a_short_item_under_a_purpose_lead_in_is_still_a_purpose() -> None:
    assert "purpose.added" in _item_added("We use your information for:", "- Personalised advertising")
    assert "purpose.added" in _item_added("We use your information for:", "- Training our AI models")
