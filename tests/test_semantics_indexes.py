"""Whole-document indexes read cheaply give the answers of the full reading (speed changes, same results)."""

from __future__ import annotations

from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.semantics import text as text_module
from policydiff.semantics.cues import tag, tag_slot
from policydiff.semantics.lexicon import ENTRIES
from policydiff.semantics.rules.minors import _AGE_BEFORE_YEARS, _age_before_years, _ages, _document_ages
from policydiff.semantics.text import DocumentFacts, SharedLines, Unfolding, fold

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


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["1", "23", "456", " ", "\n", "\u2003", "year", "yearſ", "s", "old", "of age", "x"])
    )
)
def test_age_before_years_equals_the_search_from_every_position(pieces: list[str]) -> None:
    text = "".join(pieces)
    for pos in range(len(text) + 1):
        found, expected = _age_before_years(text, pos), _AGE_BEFORE_YEARS.search(text, pos)
        assert (found and found.span()) == (expected and expected.span()), (text, pos)


def test_each_line_reads_a_line_both_versions_share_once() -> None:
    calls: list[str] = []

    def count(line: str) -> int:
        calls.append(line)
        return len(line)

    shared = SharedLines()
    old = DocumentFacts("kept clause\nold clause", shared)
    new = DocumentFacts("kept clause\nnew clause\nkept clause", shared)
    assert old.each_line(count) == (11, 10)
    assert new.each_line(count) == (11, 10)  # each distinct line once, in order of first occurrence
    assert new.each_line(count) == (11, 10)
    assert sorted(calls) == ["kept clause", "new clause", "old clause"]


def test_derived_builds_an_index_once_per_document() -> None:
    built: list[DocumentFacts] = []

    def longest(facts: DocumentFacts) -> int:
        built.append(facts)
        return max(facts.each_line(len))

    facts = DocumentFacts("a clause\na longer clause\na clause")
    assert facts.derived(longest) == 15
    assert facts.derived(longest) == 15
    assert built == [facts]


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


@given(_text, st.lists(st.sampled_from(_PIECES), max_size=12))
def test_lines_containing_literals_are_the_lines_with_one(text: str, literals: list[str]) -> None:
    facts = DocumentFacts(text)
    distinct = list(dict.fromkeys(text.split("\n")))
    wanted = tuple(literals)
    assert facts.lines() == distinct
    assert facts.lines(wanted) == [line for line in distinct if any(w in line for w in wanted)]
    assert list(facts.answers(len, wanted)) == [(line, len(line)) for line in facts.lines(wanted)]
    assert facts.each_line(len, wanted) == tuple(n for _, n in facts.answers(len, wanted))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(), max_size=20), st.lists(st.integers(min_value=0, max_value=25), max_size=6))
def test_an_unfolding_reads_its_items_once_as_far_as_asked(items: list[int], stops: list[int]) -> None:
    read: list[int] = []

    def source() -> Iterator[int]:
        for item in items:
            read.append(item)
            yield item

    unfolding = Unfolding(source())
    for stop in stops:  # questions settled after ``stop`` items, some nested in others
        seen = [x for _, x in zip(range(stop), unfolding, strict=False)]
        assert seen == items[:stop]
        assert list(zip(unfolding, unfolding, strict=False)) == list(zip(items, items, strict=False))
    assert list(unfolding) == items
    assert read == items  # each item read from the source once, in order
