"""Alignment internals: the longest increasing subsequence and word-set similarity."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from test_diff_support import make_doc

from policydiff.diff.align import align, dice, in_order_chain, words_of


def brute_chain_length(pairs: list[tuple[int, int]]) -> int:
    best = 0
    for r in range(len(pairs) + 1):
        for combo in itertools.combinations(sorted(pairs), r):
            if all(a[0] < b[0] and a[1] < b[1] for a, b in itertools.pairwise(combo)):
                best = max(best, r)
    return best


@st.composite
def matchings(draw: st.DrawFn) -> list[tuple[int, int]]:
    """(old, new) pairs using each old and each new index at most once, like the matches."""
    size = draw(st.integers(0, 8))
    news = draw(st.permutations(range(size)))
    olds = draw(st.lists(st.booleans(), min_size=size, max_size=size))
    return [(i, news[i]) for i in range(size) if olds[i]]


@settings(max_examples=150, deadline=None)
@given(matchings(), st.data())
def test_in_order_chain_is_longest_increasing_and_symmetric(
    pairs: list[tuple[int, int]], data: st.DataObject
) -> None:
    weight = st.tuples(st.integers(0, 1), st.integers(1, 3))
    weights = data.draw(st.lists(weight, min_size=len(pairs), max_size=len(pairs)))
    chain = [pairs[p] for p in in_order_chain(pairs, weights)]
    assert all(a[0] < b[0] and a[1] < b[1] for a, b in itertools.pairwise(chain))
    assert len(chain) == brute_chain_length(pairs)
    # the same chain whichever side is old, unless two chains tie on every criterion (length,
    # weights, displacement): then only the criteria must agree
    swapped = [(j, i) for i, j in pairs]
    back = [swapped[p] for p in in_order_chain(swapped, weights)]
    by_pair = dict(zip(pairs, weights, strict=True))

    def criteria(c: list[tuple[int, int]]) -> tuple[int, int, int, int]:
        stays, size = sum(by_pair[p][0] for p in c), sum(by_pair[p][1] for p in c)
        return len(c), stays, sum(abs(i - j) for i, j in c), size

    assert criteria(chain) == criteria([(i, j) for j, i in back])


def test_in_order_chain_keeps_the_least_displaced_of_equally_long_chains() -> None:
    # a clause moved past its duplicate: (0, 3) or (2, 2) can start a chain of 3; the undisplaced
    # (2, 2) wins, and from the other side too
    pairs = [(0, 3), (2, 2), (3, 4), (4, 5)]
    assert [pairs[p] for p in in_order_chain(pairs, [(1, 1)] * 4)] == [(2, 2), (3, 4), (4, 5)]
    swapped = sorted((j, i) for i, j in pairs)
    assert [swapped[p] for p in in_order_chain(swapped, [(1, 1)] * 4)] == [(2, 2), (4, 3), (5, 4)]


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
