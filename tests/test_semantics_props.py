"""Semantic stage properties (hypothesis): deterministic, order-independent, verbatim, quiet on self."""

from __future__ import annotations

import random

from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_semantics import diff_of, document

from policydiff.model import ClauseChange, DocumentDiff
from policydiff.semantics import find_findings

POOL = [
    "We use your profile data to provide the service.",
    "We may use your personal data to develop and train artificial intelligence models.",
    "The models may be trained by us or another provider.",
    "We do not sell your personal data.",
    "We will not share your messages with advertisers without your consent.",
    "We may share your posts with our affiliates, including Microsoft.",
    "This setting is on by default; you can turn it off in settings.",
    "Opting out does not affect training that has already taken place.",
    "We do not use data of members in the EU, EEA or Switzerland to train AI models.",
    "We keep logs for 30 days.",
    "We retain your data as long as necessary.",
    "Your messages are encrypted at rest.",
    "You can delete your account and all data at any time.",
    "Our services are not for children under 13.",
    "We will email you 30 days before material changes take effect.",
    "Disputes are resolved by binding individual arbitration.",
    "We honour Global Privacy Control signals.",
    "We collect data about your activity on our site and on sites that use our pixel.",
    "Contact us by mail if you have questions.",
    "The service is provided as is.",
]

sentences = st.sampled_from(POOL)
clauses = st.lists(sentences, min_size=1, max_size=3).map(" ".join)
documents = st.lists(clauses, min_size=1, max_size=6)


def _key(finding: object) -> str:
    return repr(finding)


@settings(max_examples=60, deadline=None)
@given(documents, documents)
@example(  # a rule read a cue of the clause's next sentence: evidence must lie in the finding's own text
    old=["We will not share your messages with advertisers without your consent."],
    new=[
        "Opting out does not affect training that has already taken place. "
        "This setting is on by default; you can turn it off in settings."
    ],
)
def test_findings_are_deterministic_and_verbatim(old: list[str], new: list[str]) -> None:
    diff = diff_of(old, new)
    first = find_findings([diff])
    assert first == find_findings([diff])
    old_texts = [c.text for c in diff.old.clauses()] if diff.old else []
    new_texts = [c.text for c in diff.new.clauses()] if diff.new else []
    for f in first:
        if f.old_text is not None:
            assert any(f.old_text in t for t in old_texts)
        if f.new_text is not None:
            assert any(f.new_text in t for t in new_texts)
        for ev in f.evidence:
            text = f.old_text if ev.side == "old" else f.new_text
            assert text is not None and text[ev.start : ev.end] == ev.text


@settings(max_examples=60, deadline=None)
@given(documents, documents, st.randoms(use_true_random=False))
def test_findings_do_not_depend_on_the_order_of_changes(
    old: list[str], new: list[str], rnd: random.Random
) -> None:
    diff = diff_of(old, new)
    shuffled = list(diff.changes)
    rnd.shuffle(shuffled)
    other = DocumentDiff(diff.name, diff.old, diff.new, tuple(shuffled))
    assert find_findings([diff]) == find_findings([other])


@settings(max_examples=60, deadline=None)
@given(documents)
def test_a_document_compared_with_itself_has_no_finding(texts: list[str]) -> None:
    doc = document(texts)
    # even when every clause is (wrongly) reported as modified, identical text means nothing changed
    changes = tuple(
        ClauseChange("modified", True, c.id, c.id, old_text=c.text, new_text=c.text) for c in doc.clauses()
    )
    assert find_findings([DocumentDiff("d", doc, doc, changes)]) == ()
    assert find_findings([diff_of(texts, texts)]) == ()


@settings(max_examples=40, deadline=None)
@given(documents, documents)
def test_bundle_order_does_not_matter(a: list[str], b: list[str]) -> None:
    d1 = diff_of(a, b, name="faq")
    d2 = diff_of(b, a, name="terms")
    assert find_findings([d1, d2]) == find_findings([d2, d1])
