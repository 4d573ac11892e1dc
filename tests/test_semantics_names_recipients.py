"""Organisations named by their own name are third parties, unless the name is the document's own.

A policy names its processors, ad networks and mail services by name ("processed by Paymentco"); the
document names itself too ("Quillfeather ("we", "us")", its title). Each case adds one sentence to a
small policy and checks whether a new recipient is reported. Near misses name the document's own
party in the same positions and must give no ``recipient.added``. Cases the rules do not read yet are
strict xfail (known gaps), so the day they pass the marker must go.
"""

from __future__ import annotations

import pytest

import policydiff
from policydiff.semantics.names import own_names
from policydiff.semantics.text import fold

_OLD = """# Quillfeather Privacy Policy

Quillfeather ("we", "us") runs a note-taking app.

## What we collect

We collect your email address and the notes you write.

## Contact

Write to our privacy team with any question.
"""


def _with(sentence: str) -> str:
    return _OLD.replace("the notes you write.\n", f"the notes you write.\n\n{sentence}\n")


def _categories(sentence: str) -> list[str]:
    return [f.category for f in policydiff.compare(_OLD, _with(sentence), format="markdown").findings]


_GAP = "named third party not read yet (issue 10, names as recipients)"


def _case(sentence: str, gap: bool = False) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=_GAP)] if gap else []
    return pytest.param(sentence, marks=marks, id=sentence[:48])


@pytest.mark.parametrize(
    "sentence",
    [
        _case("Payments are processed by Paymentco."),
        _case("Your card details are shared with Paymentco, our payment processor."),
        _case("Adnet may use cookies to collect your browsing data."),
        _case("We send your email address to Mailbird to deliver newsletters."),
        _case("Our newsletters are delivered by Mailbird. We provide them with your email address."),
        _case("Third-party services we use may collect your device identifiers."),
        _case("Notes you mark as shared are visible to everyone."),
        _case("Your profile picture is made public."),
    ],
)
def test_a_named_third_party_is_a_new_recipient(sentence: str) -> None:
    assert "recipient.added" in _categories(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        # the document's own name, in the positions a third party's name would take
        _case("Payments are processed by Quillfeather."),
        _case("Quillfeather may use cookies to collect your browsing data."),
        _case("Quillfeather Inc. operates the service from Ireland."),
        # a name that receives nothing: a place, a standard, a product feature of the service
        _case("We store your notes in Dublin."),
        _case("Our app follows the Markdown syntax for notes."),
        # "them" that refers to the user's own notes, not to a company
        _case("We keep your notes and let you export them at any time."),
        # visible to the user only
        _case("Your notes are visible only to you."),
        # a number after "to" is no name
        _case("We keep notes shared by partners for up to 90 days."),
        # a capitalised imperative verb coordinated with another, not a company
        _case("Post or transmit any content that is unlawful."),
        # what the user made public, or data in a state named by a condition, is no disclosure of ours
        _case("We may read information that you have made public on other sites."),
        _case("We may process health data where you have made it public."),
        # a possessor is no party: "other members' use" names the use
        _case("You waive any claim about other members' use of the notes you share."),
        # a pronoun that refers to the user's own notes, or with no third party before it
        _case("We store your notes and give them back to you on request."),
        _case("We never give them your email address."),
        # an authority that sets how long data is kept receives nothing
        _case("We keep your invoices for as long as the tax authority requires."),
        # data that comes to us: the subject gives, it receives nothing
        _case("Our partners send us the purchases you make in their shops."),
        _case("Advertisers tell us when you buy something after seeing an ad."),
    ],
)
def test_the_document_own_name_or_no_recipient_is_no_new_recipient(sentence: str) -> None:
    assert "recipient.added" not in _categories(sentence)


@pytest.mark.parametrize(
    ("document", "own"),
    [
        ('Quillfeather ("we", "us") runs a note app. We share data with Mailbird.', {"quillfeather"}),
        ('Words such as "we" and "us" refer to Quillfeather Ltd. Adnet may use cookies.', {"quillfeather"}),
        ("Quillfeather Inc. operates the app. Adnet may use cookies.", {"quillfeather"}),
        ("# Quillfeather Privacy Policy\nAdnet may use cookies.", {"quillfeather"}),
        # no defined term, title or operator: the name most often collecting or using data
        ("Quillfeather collects notes. Quillfeather uses them. Adnet may use cookies.", {"quillfeather"}),
        ("We collect notes. You may use the app.", set()),
    ],
)
def test_the_document_own_name_is_read_from_the_whole_document(document: str, own: set[str]) -> None:
    assert own_names(fold(document)).names == own


def test_a_name_mentioned_more_than_the_defined_one_is_the_document_own() -> None:
    document = fold('Words such as "we" refer to Quillfeather. Inkwell keeps notes. Inkwell uses them.')
    own = own_names(document)
    assert "Inkwell" in own
    assert "Quillfeather" in own
    assert "Mailbird" not in own


def _explanations(sentence: str) -> list[str]:
    findings = policydiff.compare(_OLD, _with(sentence), format="markdown").findings
    return [f.explanation for f in findings if f.category == "recipient.added"]


def test_a_recipient_is_named_to_whom_data_goes_and_an_agent_by_whom() -> None:
    (to,) = _explanations("Your card details are shared with Paymentco, our payment processor.")
    assert "to whom" in to
    (by,) = _explanations("Payments are processed by Paymentco.")
    assert "by whom" in by


def test_a_passive_agent_name_ends_before_the_sentence_period() -> None:
    (by,) = _explanations("Payments are processed by Paymentco.")
    assert "'Paymentco'" in by
    (legal,) = _explanations("Payments are processed by Paymentco Inc.")
    assert "'Paymentco Inc.'" in legal


def test_a_pronoun_recipient_names_the_party_it_refers_to() -> None:
    (found,) = _explanations("Our newsletters are delivered by Mailbird. We give them your email address.")
    assert "'them'" in found and "'Mailbird'" in found


@pytest.mark.parametrize(
    ("document", "own"),
    [
        # a defined term after function words: the name is the last run of other words before it
        ('The app is provided by Quillfeather Notes Ltd. ("we", "us").', {"quillfeather"}),
        ('These terms are between you and Quillfeather (together, "we" or "our").', {"quillfeather"}),
        ('Words such as "we" and "our" refer to the Quillfeather group.', {"quillfeather"}),
        # a parenthesis that mentions "we" without defining it, or words that are no name
        ("We keep logs (which we delete after a month) and share them with Mailbird.", set()),
        ('Your data is used by the service and the app ("we").', set()),
    ],
)
def test_the_document_own_name_is_never_a_function_word(document: str, own: set[str]) -> None:
    assert own_names(fold(document)).names == own


def test_the_own_names_of_a_long_concatenated_document_are_names() -> None:
    parts = [
        'Quillfeather Ltd. ("we") runs the app. Data goes to the partners and the vendors (as "we" say).',
        'Services are provided by Inkwell Inc. (together, "us"). You may use the app.',
    ]
    names = own_names(fold("\n".join(parts * 2000))).names
    assert names == {"quillfeather", "inkwell"}
