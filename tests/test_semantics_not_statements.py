"""Sentences that state no practice: questions, defined terms and non-commitments (issue 10 precision).

A question heading or FAQ item ("Do we sell your personal information?") asks; it does not say the
service sells. A definition ('"Sale" means ...', 'as "sell" is defined under state law') defines a word.
"We cannot guarantee that your data will never be disclosed" withholds a promise; it makes none. Each
case is a clause added to a neutral carrier policy; its answer (``"No, we never sell ..."``) still counts.
Our own words, written before the rule change.
"""

from __future__ import annotations

import pytest

import policydiff

CARRIER = """\
## Information we collect

We collect the email address and name you give us when you create an account.

## How we use it

We use this information to run your account and to answer your support requests.
"""


def _categories(added: str) -> set[str]:
    new = CARRIER + "\n" + added.strip() + "\n"
    return {f.category for f in policydiff.compare(CARRIER, new, format="markdown").findings}


QUESTIONS = [
    "## Do we sell your personal information?",
    "### Does the service share my data with advertisers?",
    "## Who can see the posts I publish?",
    "## Will you use my photos to train artificial intelligence models?",
    "**Can our partners buy the data we hold about you?**",
    "## Do we use your location for targeted advertising?",
    "- Is my contact list ever sold or rented to marketers?",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_question_states_no_practice(question: str) -> None:
    found = _categories(question)
    assert not found & {"sale.added", "recipient.added", "purpose.added", "promise.added"}, found


@pytest.mark.parametrize(
    ("added", "expected"),
    [
        (
            "## Do we sell your personal information?\n\nYes, we sell your personal information to brokers.",
            "sale.added",
        ),
        (
            "## Do we sell your personal information?\n\nNo, we never sell your personal information.",
            "promise.added",
        ),
        (
            "## Will you use my photos to train AI?\n\nYes, we use your photos to train our AI models.",
            "purpose.added",
        ),
    ],
)
def test_the_answer_after_a_question_still_counts(added: str, expected: str) -> None:
    assert expected in _categories(added)


DEFINITIONS = [
    'In this policy, "sell" and "sale" have the meanings given to them under California law.',
    'We use the word "share" as "share" is defined under the California Consumer Privacy Act.',
    'The terms "sale" and "sharing" have the meanings given in applicable state privacy laws.',
    '"Selling" means renting, releasing or disclosing personal data to a third party for money.',
    '"Targeted advertising" means showing ads to a person based on their activity on other sites.',
    '"Personal data" means any information that is linked to an identified or identifiable person.',
]


@pytest.mark.parametrize("definition", DEFINITIONS)
def test_a_definition_states_no_practice(definition: str) -> None:
    found = _categories(definition)
    assert not found & {"sale.added", "recipient.added", "purpose.added", "promise.added"}, found


NON_COMMITMENTS = [
    "We cannot guarantee that your information will not be disclosed to unauthorised people.",
    "We can't promise that your messages will never be read by others.",
    "We do not guarantee that your personal data will not be accessed, disclosed or altered.",
    "Although we take care, we cannot ensure that information you send us will never be intercepted.",
    "No method of transmission is perfect, so we are unable to guarantee that your data will not be shared"
    " with unauthorised parties.",
]


@pytest.mark.parametrize("hedge", NON_COMMITMENTS)
def test_a_non_commitment_is_not_a_promise(hedge: str) -> None:
    assert "promise.added" not in _categories(hedge)


def test_a_real_promise_is_still_a_promise() -> None:
    assert "promise.added" in _categories("We will never disclose your messages to anyone else.")


RECIPIENT_ROWS = [
    "## Who we share your information with\n\n- Advertising networks\n- Cloud hosting providers",
    "## Who we share information with\n\n| Recipient | Data |\n|---|---|\n| Advertising networks | IDs |",
    "## Categories of recipients\n\n- Advertising partners\n- Analytics providers",
    "## Who receives your data\n\n- Ad networks",
    "## Third parties we share data with\n\n- Advertising and marketing partners",
]


@pytest.mark.parametrize("rows", RECIPIENT_ROWS)
def test_a_recipient_row_is_not_an_advertising_purpose(rows: str) -> None:
    assert "purpose.added" not in _categories(rows)
