"""Word redline: exact ops on original text, whole-token numbers, deliberate time budget."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.diff.words import new_text, old_text, token_key, tokenize, word_diff, word_keys


def changed(ops: tuple[object, ...]) -> list[tuple[str, str]]:
    return [(op.op, op.text) for op in ops if op.op != "equal"]  # type: ignore[attr-defined]


def test_renamed_word_is_one_word_edit() -> None:
    diff = word_diff(
        "We use Messages to improve the service.", "We use Communications to improve the service."
    )
    assert changed(diff.ops) == [("delete", "Messages"), ("insert", "Communications")]
    assert not diff.degraded


def test_numbers_are_whole_tokens() -> None:
    diff = word_diff("We keep logs for 30 days.", "We keep logs for 300 days.")
    assert changed(diff.ops) == [("delete", "30"), ("insert", "300")]


def test_insertion_keeps_surrounding_text_equal() -> None:
    old = "We use your data to provide the service."
    new = "We use your data to provide the service and to train AI models."
    diff = word_diff(old, new)
    assert changed(diff.ops) == [("insert", " and to train AI models")]


def test_typography_only_tokens_keep_both_texts_exact() -> None:
    old = "We don\u2019t sell \u201cpersonal data\u201d."
    new = 'We don\'t sell "personal data".'
    diff = word_diff(old, new)
    assert old_text(diff.ops) == old and new_text(diff.ops) == new
    assert word_keys(old) == word_keys(new)


def test_tokenize_is_lossless_and_keeps_words_whole() -> None:
    text = "Section 4.2: we'll keep 1,000 records \u2014 for 30\u00a0days."
    tokens = tokenize(text)
    assert "".join(tokens) == text
    words = [t.strip() for t in tokens]
    assert "we'll" in words and "30" in words and "1" in words and "000" in words


def test_token_key_folds_presentation_only() -> None:
    assert token_key("\u2019") == token_key("'")
    assert token_key("\u2014") == token_key("-")
    assert token_key("\n  ") == token_key(" ")
    assert token_key(" party") == token_key("party")  # re-wrapping never decides a match
    assert token_key("Messages") != token_key("messages")


def test_time_budget_hit_is_reported_as_degraded() -> None:
    rng = random.Random(7)
    vocab = [f"w{n}" for n in range(3000)]
    old = " ".join(rng.choice(vocab) for _ in range(4000))
    new = " ".join(rng.choice(vocab) for _ in range(4000))
    diff = word_diff(old, new, timeout=1e-6)
    assert diff.degraded
    assert old_text(diff.ops) == old and new_text(diff.ops) == new
    full = word_diff(old[:400], new[:400], timeout=0)
    assert not full.degraded


TEXT = st.lists(
    st.sampled_from([*"ab cd\n\t.,;'\u2019\u201c\u201d\u2014-0123", "data", "AI", " we "]),
    max_size=40,
).map("".join)


@settings(max_examples=100, deadline=None)
@given(TEXT, TEXT)
def test_ops_rebuild_both_texts_exactly(old: str, new: str) -> None:
    diff = word_diff(old, new)
    assert old_text(diff.ops) == old
    assert new_text(diff.ops) == new
    # ops are tidy: no empty ops, no two neighbours of the same kind
    assert all(op.text for op in diff.ops)
    assert all(a.op != b.op for a, b in zip(diff.ops, diff.ops[1:], strict=False))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["we", "may", "share", "data", "30", "300", "days", ",", "."]), max_size=30))
def test_ops_never_split_a_token(words: list[str]) -> None:
    old = " ".join(words)
    new = " ".join(reversed(words))
    tokens_old = {t.strip() for t in tokenize(old)}
    for op in word_diff(old, new).ops:
        if op.op == "delete":
            # every deleted piece is made of whole tokens of the old text ("300" never loses a "0")
            assert all(t.strip() in tokens_old for t in tokenize(op.text) if not t.isspace())
