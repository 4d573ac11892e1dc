"""Comparing hostile documents takes CPU time proportional to their size (issue 15).

Each reproducer is compared with a small base document at two sizes, n and 4n: the CPU time stays
under a budget linear in n (about 5x what the code needs on a quiet machine), and quadrupling the
input does not cost more than about 4x (quadratic work would cost 16x). Before: a 100,000-letter
word took 269 s in the findings stage (a cue pattern scanning ahead over the word from every
position); 100,000 headings or table rows and 50,000 paragraphs took 20-35 s to compare and more
to render, linearly.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from hostile_docs import BASE, headings, long_sentence, long_word, paragraphs, table_rows

import policydiff
from policydiff.model import Comparison, Document

_BASE = policydiff.normalize(BASE)


def _cpu(call: Callable[[], object]) -> tuple[float, object]:
    start = time.process_time()
    value = call()
    return time.process_time() - start, value


def _compare(document: Document) -> Comparison:
    return policydiff.compare(_BASE, document)


def test_a_very_long_word_is_compared_in_linear_time() -> None:
    letters = 200_000
    document = policydiff.normalize(long_word(letters))
    seconds, comparison = _cpu(lambda: _compare(document))
    assert seconds < 2.0 + 20e-6 * letters  # 6 s here; 269 s for 100,000 letters before
    assert isinstance(comparison, Comparison) and comparison.summary.changes >= 1


def test_cues_around_a_very_long_word_are_still_found() -> None:
    """The scan skips the long word only: text on each side of it is read as before. (Each side is a
    clause of its own: a frame's slots are read in a local window, which a 5,000-letter word fills.)"""
    after = "; we share your email address with advertisers.\n"
    text = "# Privacy\n\nWe may sell your personal data; " + "x" * 5_000 + after
    plain = "# Privacy\n\nWe may sell your personal data" + after
    with_word = {f.category for f in policydiff.compare(BASE, text).findings}
    without = {f.category for f in policydiff.compare(BASE, plain).findings}
    assert with_word == without and with_word


@pytest.mark.slow
@pytest.mark.parametrize(
    ("build", "per_item"),
    [(paragraphs, 1.5e-3), (headings, 1.5e-3), (table_rows, 1.5e-3), (long_sentence, 1.5e-3)],
    ids=["paragraphs", "headings", "table_rows", "long_sentence"],
)
def test_compare_and_render_grow_linearly(build: Callable[[int], str], per_item: float) -> None:
    small, large = 1_000, 4_000
    times: dict[int, float] = {}
    for n in (small, large):
        document = policydiff.normalize(build(n))
        compared, comparison = _cpu(lambda document=document: _compare(document))  # type: ignore[misc]
        assert isinstance(comparison, Comparison)
        rendered, page = _cpu(comparison.to_html)
        assert isinstance(page, str) and page.rstrip().endswith("</html>")
        times[n] = compared + rendered
        assert times[n] < 1.0 + per_item * n, (n, compared, rendered)
    assert times[large] < 8 * times[small] + 1.0, times  # quadratic work would cost 16x


@pytest.mark.slow
@pytest.mark.parametrize(
    "build", [headings, table_rows, paragraphs], ids=["headings", "table_rows", "paragraphs"]
)
def test_normalize_grows_linearly(build: Callable[[int], str]) -> None:
    """Full collections of the cyclic GC rescanning every parser token made 100,000 headings
    superlinear (2.4x per doubling); normalize pauses the collector like compare does."""
    small, large = 5_000, 20_000
    times = {n: _cpu(lambda n=n: policydiff.normalize(build(n)))[0] for n in (small, large)}  # type: ignore[misc]
    assert times[large] < 6 * times[small] + 0.5, times
    assert times[large] < 1.0 + 0.5e-3 * large, times
