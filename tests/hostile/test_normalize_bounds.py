"""Hostile inputs normalize in time proportional to their size (CPU-time budgets per character)."""

from __future__ import annotations

import time
import unicodedata

import pytest

from policydiff.normalize import canonical, normalize
from policydiff.normalize.nfkc import MAX_MARKS, nfkc

# a budget ~20x what the linear code needs on a loaded 2-core machine, far below the quadratic cost
SECONDS_PER_CHAR = 10e-6


def _cpu(fn: object, *args: object) -> float:
    start = time.process_time()
    fn(*args)  # type: ignore[operator]
    return time.process_time() - start


@pytest.mark.parametrize("marks", [50_000, 200_000])
def test_long_run_of_mixed_combining_marks_normalizes_in_linear_time(marks: int) -> None:
    # two marks of different combining classes: NFKC's canonical reordering is quadratic on them
    text = "Text a" + "\u0301\u0323" * (marks // 2) + " end.\n"
    assert _cpu(normalize, text) < 0.5 + SECONDS_PER_CHAR * len(text)


def test_marks_beyond_the_stream_safe_limit_are_cut_only_in_the_comparison_form() -> None:
    run = "\u0323\u0301" * 1_000
    text = "We use data" + run + " and more words " * 80
    doc = normalize(text + "\n", format="text")
    clause = next(doc.clauses())
    assert run in clause.text  # the text the document shows is untouched
    assert 0 < sum(1 for ch in clause.canonical if unicodedata.combining(ch)) <= MAX_MARKS
    assert clause.canonical.startswith("We use dat")


def test_nfkc_matches_unicodedata_on_ordinary_text() -> None:
    for text in ["café", "ﬁle ①", "e\u0301\u0323" * 5, "plain ascii", "Ａ" * 3000 + "\u0301" * 10]:
        assert nfkc(text) == unicodedata.normalize("NFKC", text)
    assert canonical("ﬁle") == "file"


def test_long_runs_are_capped_at_the_stream_safe_limit() -> None:
    text = "x" * 2_000 + "a" + "\u0301" * 500
    out = nfkc(text)
    assert out.endswith("\u0301" * (MAX_MARKS - 1)) and len(out) < len(text)
