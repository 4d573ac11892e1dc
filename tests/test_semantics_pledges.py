"""What a sentence promises (``rules/pledges``) and the whole-document indexes of duties (``rules/duties``).

A promise is read by grammar and the lexicon: negated practices, restrictions ("only ... to"), negated
purposes, duties to delete or notify. What the user can do, the user's own duties and sanctions are no
promise of the service. The indexes answer a question with set look-ups (subsumption through the
lexicon), so asking again costs nothing more on a longer document.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policydiff
from policydiff.semantics.frames import Frame, analyse
from policydiff.semantics.leadin import inherit
from policydiff.semantics.lexicon import BY_KEY, ancestors
from policydiff.semantics.rules.duties import KeySet, obligation_made, purpose_promised
from policydiff.semantics.rules.helpers import practices
from policydiff.semantics.rules.pledges import (
    commitments,
    feature,
    negated_purposes,
    obligations,
    purpose_restrictions,
)
from policydiff.semantics.text import DocumentFacts, fold


def _promised(sentence: str) -> bool:
    a = analyse(sentence)
    return bool(commitments(a) or negated_purposes(a) or obligations(a) or purpose_restrictions(a))


@pytest.mark.parametrize(
    "sentence",
    [
        "We do not and will not sell your transaction history.",
        "Your location is never shared with advertisers.",
        "We never show you ads.",
        "We won't contact you for marketing unless you ask us to.",
        "We only use your email address to send you receipts.",
        "Your data is used solely to provide the service.",
        "We will delete your personal data within 30 days of your request.",
        "We will notify you of any data breach within 72 hours.",
        "We will never sell student records.",
    ],
)
def test_a_promise_of_the_service_is_read(sentence: str) -> None:
    assert _promised(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "You can hide your profile from search in your settings.",
        "You can always turn off read receipts.",
        "With shared albums, you can let friends add photos to your collection.",
        "You must not sell or share your account with anyone.",
        "We will delete your content within 24 hours if it violates these terms.",
        "We will notify you within 30 days of any change to these terms.",
        "We may delete your data after 30 days.",
        "Your location is shared only with the friends you select.",
        "We care about your privacy and work hard to earn your trust.",
    ],
)
def test_features_duties_and_sanctions_promise_nothing(sentence: str) -> None:
    assert not _promised(sentence)


def test_a_feature_sentence_is_what_the_user_can_do() -> None:
    assert feature(analyse("Only you can see your private notes."))
    assert not feature(analyse("We never read your private notes."))


def test_items_under_a_negated_lead_in_are_negated() -> None:
    item = inherit(analyse("sell your personal data;"), analyse("We keep your data safe. We will never:"))
    frames = practices(item)
    assert frames and all(f.negated for f in frames)
    # an affirmative lead-in gives no negation
    plain = inherit(analyse("sell your personal data;"), analyse("In some cases we may:"))
    assert not any(f.negated for f in plain.frames)


_DATA = sorted(k for k, e in BY_KEY.items() if e.slot == "data")


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_DATA), st.sampled_from(_DATA))
def test_key_sets_match_by_subsumption_both_ways(held: str, asked: str) -> None:
    index = KeySet.of([frozenset({held})])
    related = held in set(ancestors(asked)) or asked in set(ancestors(held))
    if held == "personal_data":
        assert index.covers(frozenset({asked}))  # a promise about all the user's data
    elif asked != "personal_data":
        assert index.covers(frozenset({asked})) == related


def _facts(lines: int) -> DocumentFacts:
    body = [
        f"We will delete your messages within {i + 1} days. We never show ads in region {i}."
        for i in range(lines)
    ]
    return DocumentFacts(fold("\n".join(body)))


def _duty() -> Frame:
    return obligations(analyse("We will delete your contacts within 30 days of closure."))[0]


def _repeated_questions_cpu(facts: DocumentFacts) -> float:
    duty = _duty()
    obligation_made(facts, duty)  # the first question reads the document
    purpose_promised(facts, "ai_training")
    start = time.process_time()
    for _ in range(300):
        obligation_made(facts, duty)
        purpose_promised(facts, "ai_training")
    return time.process_time() - start


def test_a_question_asked_again_does_not_read_the_document_again() -> None:
    small = _repeated_questions_cpu(_facts(20))
    large = _repeated_questions_cpu(_facts(400))  # 20 times the lines
    assert large < 3 * small + 0.02, f"300 repeated questions: {small:.3f} s -> {large:.3f} s"


def test_the_indexes_read_duties_and_forgone_purposes() -> None:
    facts = _facts(3)
    assert purpose_promised(facts, "advertising")
    assert not purpose_promised(facts, "ai_training")
    assert not obligation_made(facts, _duty())  # messages are not contacts
    assert obligation_made(facts, obligations(analyse("We will delete your messages within a week."))[0])


_VERBS = {  # active and passive forms of practices a promise negates
    "sell": ("sell", "sold"),
    "share": ("share", "shared with advertisers"),
    "rent": ("rent", "rented"),
    "disclose": ("disclose", "disclosed to third parties"),
}
_DATA_PHRASES = (
    "your email address",
    "your location",
    "your messages",
    "your photos",
    "your purchase history",
)


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(sorted(_VERBS)), st.sampled_from(_DATA_PHRASES), st.booleans())
def test_a_promise_restated_elsewhere_in_other_words_is_neither_added_nor_removed(
    verb: str, data: str, never: bool
) -> None:
    active, passive = _VERBS[verb]
    old = f"## Sharing\n\nWe do not {active} {data}.\n\n## Security\n\nWe encrypt data in transit.\n"
    subject = data[0].upper() + data[1:]
    be = "are" if data.endswith("s") else "is"
    new = (
        f"## Security\n\nWe encrypt data in transit.\n\n## Our promises\n\n"
        f"{subject} {be} {'never' if never else 'not'} {passive}.\n"
    )
    findings = policydiff.compare(old, new, format="markdown").findings
    assert not [f for f in findings if f.category.startswith("promise")], [f.explanation for f in findings]
