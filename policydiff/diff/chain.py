"""The canonical in-order chain of clause matches: the longest chain in order on both sides, with
tie-breaks that give the same answer whichever side is old (used for alignment anchors and moves)."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["in_order_chain"]


def in_order_chain(pairs: Sequence[tuple[int, int]], weights: Sequence[tuple[int, int]]) -> list[int]:
    """Positions (into ``pairs`` of ``(old, new)`` indices) of the canonical in-order chain.

    Several chains are often equally long (a clause moved past its duplicate, two blocks swapped),
    and which one is "in order" decides what is reported as moved and which gaps the positional
    pass sees. So the choice must not depend on which side is old. Each pair has two ``weights``
    (whether it stays in its section, how much text it holds); among the longest chains, the one
    with the most of the first, then the one whose pairs are displaced least (sum of
    ``|old - new|``), then the most of the second. All are symmetric in the two sides. O(n log n)."""
    if not pairs:
        return []
    news = sorted({j for _, j in pairs})
    rank = {j: r for r, j in enumerate(news)}
    # Fenwick tree over new ranks: best (score, position) of a chain ending at a smaller new index
    zero = (0, 0, 0, 0)
    tree: list[tuple[tuple[int, int, int, int], int]] = [(zero, -1)] * (len(news) + 1)
    back = [-1] * len(pairs)
    score = [zero] * len(pairs)
    # by old index, and larger new first within one old index so that those never chain
    for pos in sorted(range(len(pairs)), key=lambda p: (pairs[p][0], -pairs[p][1])):
        i, j = pairs[pos]
        best, prev = zero, -1
        r = rank[j]  # prefix over ranks < rank[j]
        while r > 0:
            if tree[r][0] > best:
                best, prev = tree[r]
            r -= r & -r
        stays, size = weights[pos]
        score[pos] = (best[0] + 1, best[1] + stays, best[2] - abs(i - j), best[3] + size)
        back[pos] = prev
        r = rank[j] + 1
        while r <= len(news):
            if score[pos] > tree[r][0]:
                tree[r] = (score[pos], pos)
            r += r & -r
    pos = max(range(len(pairs)), key=lambda p: score[p])
    out: list[int] = []
    while pos != -1:
        out.append(pos)
        pos = back[pos]
    out.reverse()
    return out
