"""Alignment internals: the longest increasing subsequence and word-set similarity."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from test_diff_support import make_doc

from policydiff.diff.align import align, dice, longest_increasing, words_of


def brute_lis_length(values: list[int]) -> int:
    best = 0
    for r in range(len(values) + 1):
        for combo in itertools.combinations(values, r):
            if all(a < b for a, b in itertools.pairwise(combo)):
                best = max(best, r)
    return best


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 20), max_size=9))
def test_longest_increasing_is_longest_and_increasing(values: list[int]) -> None:
    positions = longest_increasing(values)
    assert positions == sorted(positions)
    picked = [values[p] for p in positions]
    assert all(a < b for a, b in itertools.pairwise(picked))
    assert len(picked) == brute_lis_length(values)


def test_similarity_ignores_function_words() -> None:
    a = words_of("We will share your data with the partners we choose.")
    b = words_of("You can ask us to delete your account at any time.")
    assert dice(a, b) < 0.15
    assert words_of("We may") == frozenset({"we", "may"})  # nothing else: keep what there is


def test_split_match_carries_all_parts() -> None:
    whole = (
        "We collect device identifiers, browser type and operating system when you visit. "
        "We retain diagnostic crash reports for ninety days to fix defects."
    )
    first, second = whole.split(". ", 1)
    old = make_doc([("Intro", ["Opening clause about this policy and its scope.", whole])])
    new = make_doc([("Intro", ["Opening clause about this policy and its scope.", first + ".", second])])
    alignment = align(old, new)
    (split,) = [m for m in alignment.matches if m.how == "split"]
    assert split.old == (1,) and split.new == (1, 2)
    assert alignment.added == () and alignment.removed == ()
