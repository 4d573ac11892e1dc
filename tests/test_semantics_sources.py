"""Where data comes from: provenance read by grammar (rules/sources.py), items under a lead naming sources."""

from __future__ import annotations

import pytest

import policydiff
from policydiff.semantics.frames import analyse
from policydiff.semantics.leadin import inherit
from policydiff.semantics.rules.sources import provenances


def _origins(sentence: str) -> list[str]:
    return [c.text for c in provenances(analyse(sentence))]


@pytest.mark.parametrize(
    ("sentence", "origin"),
    [
        ("We also buy details about you from marketing list vendors.", "marketing list vendors"),
        ("Your address is supplied to us by credit reference agencies.", "credit reference agencies"),
        ("We receive information about your purchases from the shops where you shop.", "shops where"),
        (
            "We work with advertising networks and may receive information about you from them.",
            "advertising networks",
        ),
        ("Our picture of you comes from data licensed from research firms.", "research firms"),
    ],
)
def test_provenance_names_the_outside_origin(sentence: str, origin: str) -> None:
    assert any(origin in found for found in _origins(sentence)), _origins(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "We collect the information you give us directly from you.",  # the user is no outside source
        "If you purchase goods from any third party, you do so at your own risk.",  # no data acquired
        "We neither buy nor receive data about you from other companies.",  # negated
        "We send your order to the courier from our warehouse.",  # no verb of acquisition before 'from'
    ],
)
def test_no_provenance(sentence: str) -> None:
    assert _origins(sentence) == []


def _categories(old: str, new: str) -> set[str]:
    return {f.category for f in policydiff.compare(old, new, format="markdown").findings}


def test_a_new_origin_is_a_source_but_the_same_origin_reworded_is_not() -> None:
    old = "We receive information about you from advertisers.\n"
    assert "source.added" in _categories(old, old + "\nWe also obtain data about you from data brokers.\n")
    reworded = "Information about you is also received from advertisers.\n"
    assert "source.added" not in _categories(old, reworded)


def test_an_item_under_a_source_lead_is_a_source_but_not_the_user() -> None:
    lead = analyse("We obtain personal data from these sources:")
    item = inherit(analyse("your employer, when it enrols you in a team plan."), lead)
    assert [c.text for c in item.of("source", "origin")] == ["your employer"]
    user = inherit(analyse("you, when you fill in a form;"), lead)
    assert not user.of("source", "origin")
    plain = inherit(analyse("your employer, when it enrols you."), analyse("We use your data to:"))
    assert not plain.of("source", "origin")


def test_a_row_under_a_source_column_is_a_source() -> None:
    old = "| Source | Examples |\n| --- | --- |\n| You | Name, email address |\n"
    new = old + "| Data resellers | Household income, purchases |\n"
    assert "source.added" in _categories(old, new)
    assert "source.added" not in _categories(old, old + "| You, when you call us | Call notes |\n")


def test_a_named_organisation_we_receive_data_from_is_a_source() -> None:
    # the first party does not receive data from itself: the name after "from" is someone else
    assert _origins("We may receive information from Brightwave about your engagement with their apps.") == [
        "Brightwave"
    ]
    assert _origins("Brightwave receives the files you upload from you.") == []


@pytest.mark.parametrize(
    ("sentence", "giver"),
    [
        ("Our partners may share information about you with us.", "partners"),
        ("Advertisers provide us with information about your purchases.", "Advertisers"),
        ("Third parties may provide us information about you.", "Third parties"),
        ("App developers and publishers can send us information about your activity.", "App developers"),
        ("Your employer may give us your name and work email address.", "Your employer"),
        ("We learn about you from the companies you do business with.", "companies you do business with"),
    ],
)
def test_a_party_that_gives_data_to_us_is_a_source(sentence: str, giver: str) -> None:
    assert any(giver in found for found in _origins(sentence)), _origins(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["We share your data with our partners.", "Our partners may not share information about you with us."],
)
def test_data_we_give_or_that_is_not_given_names_no_source(sentence: str) -> None:
    assert _origins(sentence) == []


def test_a_list_item_that_is_a_source_phrase_is_a_source_but_a_conduct_item_is_not() -> None:
    carrier = "# Notice\n\n## About us\n\nWe sell garden tools.\n"
    item = "\nother websites you visit after you leave our app.\n"
    conduct = "\nuse the service in any way that could damage other websites.\n"
    found = policydiff.compare(carrier, carrier + item, format="markdown").findings
    assert "source.added" in {f.category for f in found}
    found = policydiff.compare(carrier, carrier + conduct, format="markdown").findings
    assert "source.added" not in {f.category for f in found}


@pytest.mark.parametrize(
    ("sentence", "origins"),
    [
        # every member of a coordinated provenance, footnote marks between them
        (
            "We receive information from partners[2], measurement vendors and other third parties.",
            ["partners", "measurement vendors", "other third parties"],
        ),
        ("We may get data about you from your doctors, hospitals and pharmacies.", ["doctors", "hospitals"]),
        # the giver of "share ... with us" is the subject, even past "through us"
        ("Travel agents that book through us may share your itinerary with us.", ["agents"]),
        # a relative clause telling us about the user
        ("Your profile shows information that guests provide about you.", ["guests"]),
        # a source as the object of acquisition
        ("We may rent or buy marketing lists that include your email address.", ["marketing lists"]),
        # a pronoun for a device or service named earlier
        ("When you connect a fitness tracker, we receive the data you sync from it.", ["a fitness tracker"]),
        # giving to us in other words, and the agent of holding
        ("Our partners let us know when you install an app after seeing our ad.", ["partners"]),
        ("Your contacts may upload your phone number to our app.", ["contacts"]),
        ("We may match your details with data held by our advertising partners.", ["advertising partners"]),
    ],
)
def test_provenance_grammar(sentence: str, origins: list[str]) -> None:
    found = _origins(sentence)
    for origin in origins:
        assert any(origin.lower() in f.lower() for f in found), (origin, found)


@pytest.mark.parametrize(
    "sentence",
    [
        "Your profile shows information that you provide about yourself.",  # the user tells
        "We receive information from you, and from your device when you use the app.",  # the user's own
        "We may share your itinerary with travel agents.",  # a disclosure, not a provenance
        "Our service providers report to us on the security measures they apply.",  # no data given
        "We do not match the information you give us with data held by other companies.",  # denied
        "Please let us know if you want to close your account.",  # the user tells us
    ],
)
def test_no_outside_provenance(sentence: str) -> None:
    assert _origins(sentence) == []


def test_a_listed_source_that_loses_its_qualifier_is_widened() -> None:
    lead = "We receive information from advertisers and measurement vendors.\n\nSome examples:\n\n"
    old = lead + "- Advertisers\n- Publishers and their measurement vendors\n"
    new = lead + "- Advertisers\n- Publishers and their vendors\n"
    findings = policydiff.compare(old, new, format="markdown").findings
    assert [f.rule for f in findings] == ["source.widened"], findings
    # the same edit in a list of recipients (the lead shares data) is not about sources
    shared = lead.replace("Some examples:", "We share information with:")
    assert "source.added" not in _categories(old.replace(lead, shared), new.replace(lead, shared))
    # nor in a list whose parties the old version never names as sources
    bare = "Some examples:\n\n"
    assert "source.added" not in _categories(old.replace(lead, bare), new.replace(lead, bare))


def test_a_rule_of_conduct_is_no_source() -> None:
    old = "## Rules\n\nWe may close your account at any time.\n"
    conduct = (
        "## Rules\n\nWe may close your account at any time. collect or use any personal information about"
        " other users. use the site in any manner that could overburden other sites.\n"
    )
    assert "source.added" not in _categories(old, conduct)
    # the same words as the service's practice bring data in from other sites
    practice = old + "\nWe use cookies that record your visits to other sites.\n"
    assert "source.added" in _categories(old, practice)


@pytest.mark.parametrize(
    ("stated", "added"),
    [
        # the giver of "share ... with us", named before after "from"
        (
            "We receive information about you from partners, advertisers and data brokers.",
            "Data brokers may share information about you with us.",
        ),
        # a list of sources reordered
        (
            "We receive information about you from partners, advertisers and data brokers.",
            "We also receive information about you from advertisers, data brokers and partners.",
        ),
        # named before as the giver only: the old version's index reads sentences giving "to us"
        (
            "Data brokers may share information about you with us.",
            "We receive information about you from data brokers.",
        ),
    ],
)
def test_a_source_restated_in_other_words_is_not_new(stated: str, added: str) -> None:
    old = f"## Sources\n\n{stated}\n"
    assert "source.added" not in _categories(old, old + "\n## More\n\n" + added + "\n")


_HEADER = "| Category of personal information | Categories of sources | Purposes |\n| --- | --- | --- |\n"


@pytest.mark.parametrize(
    ("cell", "found"),
    [
        ("You; advertising networks", True),  # a party joins the column of sources
        ("You and your employer", True),  # an outside origin, though it opens on "your"
        ("You; your device", False),  # the user's own device is no outside source
        ("You and our website", False),
    ],
)
def test_a_cell_under_a_column_of_sources_names_sources(cell: str, found: bool) -> None:
    old = _HEADER + "| Identifiers | You | Running your account |\n"
    new = _HEADER + f"| Identifiers | {cell} | Running your account |\n"
    assert ("source.added" in _categories(old, new)) is found


def test_a_reordered_cell_of_sources_is_no_new_source() -> None:
    old = _HEADER + "| Identifiers | You, advertising networks | Running your account |\n"
    new = _HEADER + "| Identifiers | Advertising networks, you | Running your account |\n"
    assert not policydiff.compare(old, new, format="markdown").findings
