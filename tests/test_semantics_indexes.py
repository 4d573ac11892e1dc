"""Whole-document indexes read cheaply give the answers of the full reading (speed changes, same results)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.semantics import text as text_module
from policydiff.semantics.cues import tag, tag_slot
from policydiff.semantics.lexicon import ENTRIES
from policydiff.semantics.rules.minors import _ages, _document_ages
from policydiff.semantics.text import DocumentFacts, SharedLines, fold

_WORDS = [
    "we", "do", "not", "sell", "share", "your", "personal", "data", "with", "third", "parties", "to",
    "train", "AI", "models", "you", "have", "the", "right", "access", "delete", "download", "under",
    "13", "16", "years", "old", "at", "least", "children", "advertising", "partners", "may", "never",
    "location", "unless", "opt", "out", ",", ".", ";", "’s", "ſ", "Yearſ", "US", "EU",
]  # fmt: skip
_sentence = st.lists(st.sampled_from(_WORDS), max_size=30).map(" ".join)
_SLOTS = sorted({e.slot for e in ENTRIES})


@settings(max_examples=200, deadline=None)
@given(_sentence)
def test_one_slot_tagged_alone_equals_that_slot_of_the_full_tagging(sentence: str) -> None:
    full = tag(sentence)
    for slot in _SLOTS:
        assert tag_slot(sentence, slot) == tuple(c for c in full if c.slot == slot)


def test_one_slot_tagging_finds_rights_and_unknown_slots_are_empty() -> None:
    sentence = "You have the right to access and delete your personal data."
    assert {c.key for c in tag_slot(sentence, "rights")} == {"right"}
    assert tag_slot(sentence, "no-such-slot") == ()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [*_WORDS, "\n", "  ", "Under", "AGED", "age", "of", "age of", "of age", "year", "the"]
        ),
        max_size=40,
    )
)
def test_document_ages_on_folded_text_equal_ages(pieces: list[str]) -> None:
    text = " ".join(pieces)
    assert _document_ages(fold(text)) == _ages(fold(text))


def test_each_line_reads_a_line_both_versions_share_once() -> None:
    calls: list[str] = []

    def count(line: str) -> int:
        calls.append(line)
        return len(line)

    shared = SharedLines()
    old = DocumentFacts("kept clause\nold clause", shared)
    new = DocumentFacts("kept clause\nnew clause\nkept clause", shared)
    assert old.each_line(count) == (11, 10)
    assert new.each_line(count) == (11, 10, 11)
    assert new.each_line(count) == (11, 10, 11)
    assert sorted(calls) == ["kept clause", "new clause", "old clause"]


_PIECES = ["we", "share", "data", "don't", "users'", "Data", "’s", ",", ".", " ", "\n", "-", "_", "é", "ﬁ"]
_text = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@settings(max_examples=200, deadline=None)
@given(_text, st.lists(_text, max_size=24))
def test_phrases_looked_up_together_get_the_answers_of_one_at_a_time(text: str, phrases: list[str]) -> None:
    together = DocumentFacts(text).contains_all(phrases)  # 8 or more: one Aho-Corasick pass
    one_by_one = DocumentFacts(text)
    assert together == [one_by_one.contains(p) for p in phrases]


@settings(max_examples=200, deadline=None)
@given(_text, st.lists(_text, max_size=24), st.integers(min_value=1, max_value=12))
def test_phrases_looked_up_window_by_window_get_the_answers_of_one_pass(
    text: str, phrases: list[str], window: int
) -> None:
    """The Aho-Corasick pass decodes the joined words a window at a time: a phrase across the cut
    between two windows is still found (windows of a few bytes cut most phrases)."""
    one_by_one = DocumentFacts(text)
    expected = [one_by_one.contains(p) for p in phrases]
    saved = text_module._WINDOW
    text_module._WINDOW = window
    try:
        assert DocumentFacts(text).contains_all(phrases) == expected
    finally:
        text_module._WINDOW = saved


def test_a_line_both_versions_have_is_split_once_and_not_kept() -> None:
    shared = SharedLines()
    old = DocumentFacts("kept clause\nold clause", shared)
    new = DocumentFacts("kept clause\nnew clause", shared)
    assert old.contains("kept clause") and new.contains("new clause") and not new.contains("old clause")
    assert set(shared.answers(text_module.line_words)) == {"old clause", "new clause"}


def test_every_phrase_of_a_text_is_found_whatever_the_window() -> None:
    text = "We share your data with our partners.\nYou may opt out of sharing with partners at any time."
    found = text.replace("\n", " ").rstrip(".").split()
    phrases = [" ".join(found[i : i + k]) for k in (1, 2, 3) for i in range(len(found) - k + 1)]
    saved = text_module._WINDOW
    try:
        for window in range(1, 40):
            text_module._WINDOW = window
            assert all(DocumentFacts(text).contains_all(phrases)), window
    finally:
        text_module._WINDOW = saved
