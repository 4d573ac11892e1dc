"""Negation scope (semantics/negation.py) and what it changes for promises and recipients.

Sentences are our own. Each case names the construction: an interrupted chain, a coordination of verbs
the lexicon does not know, a negative subject, a verb with a force of its own that keeps it.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policydiff
from policydiff.semantics.frames import analyse
from policydiff.semantics.negation import scope_negations


def _negated(sentence: str) -> dict[str, bool]:
    return {f.action.text.lower(): f.negated for f in analyse(sentence).frames}


@pytest.mark.parametrize(
    ("sentence", "verbs"),
    [
        ("We do not now, nor will we in the future, sell, rent or lease your entries.", ["sell", "rent"]),
        ("We do not (and will never) sell, license, sub-license or share your data.", ["sell", "share"]),
        (
            "Acme is particularly not permitted to make available to third parties your files.",
            ["make available to"],
        ),
        ("Acme will not share with or sell your details to other companies.", ["share", "sell"]),
        ("None of the information we collect is ever shared.", ["shared"]),
        (
            "Under no circumstances will your routes be sold or passed on to third parties.",
            ["sold", "passed on"],
        ),
        ("Neither we nor our partners sell your data.", ["sell"]),
        ("This licence cannot be assigned, gifted, sold or transferred.", ["sold"]),
        ("At no time will we sell the recipes you save.", ["sell"]),  # inversion after a fronted negative
        ("Under no circumstances do we rent or sell your lists.", ["rent", "sell"]),
        ("We will not, under any circumstances, pass your history to publishers.", ["pass"]),  # an aside
        ("Tallyho refrains from selling or sharing the details of its members.", ["selling", "sharing"]),
        ("Our staff are prohibited from accessing your files.", ["accessing"]),
        ("No one at Quillstack reads the notes you write.", ["reads"]),
        ("We do not allow advertising partners to collect information about you.", ["collect"]),
        ("We don't let advertisers track you.", ["track"]),
        ("We do not use any third-party tracking on our pages.", ["tracking"]),
        ('We do not "sell" or "share" your personal information.', ["sell", "share"]),  # quoted verbs
        ("We earn money from subscriptions, not from selling your data.", ["selling"]),
        ("Our business model does not involve selling your data.", ["selling"]),
    ],
)
def test_negation_reaches_the_verbs_it_governs(sentence: str, verbs: list[str]) -> None:
    negated = _negated(sentence)
    for verb in verbs:
        # the verb may be read inside a longer action ("allow advertising partners to collect")
        frames = [neg for action, neg in negated.items() if f" {verb} " in f" {action} "]
        assert frames and all(frames), (verb, negated)


@pytest.mark.parametrize(
    ("sentence", "verb"),
    [
        ("We do not sell your data, and we will share it with partners.", "share"),  # a force of its own
        ("None of the information we collect is ever shared.", "collect"),  # the subject's relative clause
        ("In no event will we be liable for any damages relating to access to or use of the service.", "use"),
        ("We do not sell your data. We share it with partners.", "share"),  # another sentence
        ("We do not sell your data, but, if you agree, share it with partners.", "share"),
        ("We allow partners to collect your data.", "allow partners to collect"),  # not negated
        ("We do not want you to lose access, so we collect your email address.", "collect"),
    ],
)
def test_negation_stops_where_its_scope_ends(sentence: str, verb: str) -> None:
    assert not _negated(sentence)[verb]


@given(
    st.text(alphabet="abcdefg ,;:.()no", max_size=80),
    st.lists(st.tuples(st.integers(0, 79), st.integers(1, 8)), max_size=6),
    st.data(),
)
def test_scope_only_adds_negations(text: str, raw: list[tuple[int, int]], data: st.DataObject) -> None:
    """A verb its own chain negates stays negated; the answer has one flag per action."""
    spans = sorted((min(a, len(text)), min(a + n, len(text))) for a, n in raw)
    negated = data.draw(st.lists(st.booleans(), min_size=len(spans), max_size=len(spans)))
    out = scope_negations(text, spans, negated)
    assert len(out) == len(spans)
    assert all(o or not n for o, n in zip(out, negated, strict=True))


def _categories(old: str, new: str) -> set[str]:
    return {f.category for f in policydiff.compare(old, new, format="markdown").findings}


def test_a_negated_sale_is_a_promise_never_a_sale() -> None:
    old = "We keep your journal entries on our servers.\n"
    new = old + "\nWe do not now, nor will we in the future, sell or rent your entries to anyone.\n"
    found = _categories(old, new)
    assert "promise.added" in found
    assert "sale.added" not in found


def test_a_negation_inside_a_condition_is_no_promise() -> None:
    old = "## Refunds\n\nRefunds are handled by our support team.\n"
    new = old.rstrip() + " We refund your fee only if the content of your plan has not been accessed.\n"
    assert "promise.added" not in _categories(old, new)


def test_a_party_that_is_an_object_is_no_recipient() -> None:
    old = "## Your account\n\nKeep your password private.\n"
    new = old.rstrip() + " If you permit others to use your login, you are responsible for what they do.\n"
    assert "recipient.added" not in _categories(old, new)


def test_a_disclosure_to_unnamed_recipients_is_a_recipient() -> None:
    old = "We collect the address you give us.\n"
    new = old.rstrip() + " We may disclose the information we collect without notifying you.\n"
    assert "recipient.added" in _categories(old, new)


@pytest.mark.parametrize(
    "sentence",
    [
        "We do not sell your personal information, or share it with third parties for targeted advertising.",
        "We don't sell or share your personal information for cross-context behavioral advertising.",
        "Under no circumstances do we sell your information.",
        "We refrain from selling or renting your contact details.",
    ],
)
def test_negation_over_coordination_is_a_promise_never_a_sale(sentence: str) -> None:
    old = "## Sharing\n\nWe share order details with the courier.\n"
    found = _categories(old, old.rstrip() + " " + sentence + "\n")
    assert "promise.added" in found
    assert "sale.added" not in found


def test_a_practice_named_as_the_object_of_a_negated_use_is_no_new_data() -> None:
    old = "## Cookies\n\nOur shop remembers your basket.\n"
    found = _categories(old, old.rstrip() + " We do not use tracking cookies.\n")
    assert found == {"promise.added"}
