"""``PhraseIndex``: its answers equal the definition (consecutive whole words), shared word lists or not."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.semantics.text import PhraseIndex, SharedLines, words

_PIECES = ["we", "share", "data", "don't", "users'", "Data", "’s", ",", ".", " ", "\n", "-", "_", "'", "é"]
_text = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


def _defined(text: str, phrase: str) -> bool:
    doc, wanted = words(text), words(phrase)
    n = len(wanted)
    return n > 0 and any(doc[i : i + n] == wanted for i in range(len(doc) - n + 1))


@settings(max_examples=300, deadline=None)
@given(_text, _text, st.lists(_text, max_size=6))
def test_contains_is_consecutive_whole_words(old: str, new: str, phrases: list[str]) -> None:
    shared = SharedLines()
    old_index, new_index = PhraseIndex(old, shared), PhraseIndex(new, shared)
    for phrase in [*phrases, *phrases]:  # asked twice: the kept answer is the same
        assert old_index.contains(phrase) == _defined(old, phrase)
        assert new_index.contains(phrase) == _defined(new, phrase)
