"""Hypothesis-generated hostile documents (issue 15): every one ends in a result or a typed
``PolicyDiffError``, within CPU time proportional to its size. Each example runs in a budget worker,
so a hang fails the test instead of stalling the suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hostile_docs import REPRODUCERS, hostile_documents, pipeline
from hypothesis import HealthCheck, given, settings

from policydiff.budget import Budget

HANG = 120.0  # seconds: far beyond any bound below; only a hang or a blow-up reaches it


def allowed_seconds(text: str) -> float:
    """Fixed cost plus 50 µs per character for every stage, twice (text and bytes): ~20x what a
    real policy takes, so only super-linear work fails it."""
    return 1.5 + 50e-6 * len(text)


@pytest.fixture(scope="module")
def budget() -> Iterator[Budget]:
    with Budget(HANG) as worker:
        yield worker


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile_documents(max_repeat=400))
def test_hostile_documents_end_in_a_result_or_a_typed_error(budget: Budget, text: str) -> None:
    outcome, seconds = budget.run(pipeline, text, what=f"a hostile document of {len(text)} characters")
    assert outcome == "ok" or outcome.startswith("typed: ")
    assert seconds < allowed_seconds(text), f"{seconds:.2f} s CPU for {len(text)} characters"


# the issue's reproducers owned by this suite, at sizes that took seconds to hours before
OWN = ("comments", "open_tags", "blank_lines", "nested_tags", "nested_quotes", "nested_lists",
       "entities", "emphasis")  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("name", OWN)
def test_reproducers_at_the_issue_size_run_in_proportional_time(budget: Budget, name: str) -> None:
    _, build, size = REPRODUCERS[name]
    text = build(size)
    outcome, seconds = budget.run(pipeline, text, what=name)
    assert outcome == "ok" or outcome.startswith("typed: ")
    assert seconds < allowed_seconds(text), f"{name}: {seconds:.2f} s CPU for {len(text)} characters"
