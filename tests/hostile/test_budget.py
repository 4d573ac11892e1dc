"""The per-document budget: work in a worker process, stopped at its deadline (issue 15)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from policydiff import BudgetError, InputError, ParseError, compare
from policydiff.budget import Budget, run_within

OLD = "# Privacy\n\nWe collect your email address.\n\nWe keep it for a year.\n"
NEW = "# Privacy\n\nWe collect your email address.\n\nWe may sell your data to partners.\n"


def test_a_call_past_its_deadline_is_stopped_and_the_next_one_runs() -> None:
    with Budget(1.0) as budget:
        start = time.monotonic()
        with pytest.raises(BudgetError, match=r"sleeping: took longer than 1 s"):
            budget.run(time.sleep, 60, what="sleeping")
        assert time.monotonic() - start < 30  # stopped, not waited for (60 s)
        assert budget.run(sum, [1, 2, 3], what="adding") == 6  # a fresh worker


def test_the_result_is_the_same_as_without_a_budget() -> None:
    direct = compare(OLD, NEW, title="Acme")
    budgeted = compare(OLD, NEW, title="Acme", budget=60)
    assert budgeted.to_json() == direct.to_json()
    assert [f.rule for f in budgeted.findings] == [f.rule for f in direct.findings]


def test_errors_in_the_worker_come_back_as_they_are() -> None:
    with pytest.raises(ParseError, match="empty"):
        compare("   ", NEW, budget=60)
    with pytest.raises(ValueError, match="invalid literal") as info:
        run_within(60, int, "x", what="a bug")
    assert any("in the budget worker" in note for note in info.value.__notes__)


def test_a_memory_budget_turns_a_huge_allocation_into_a_budget_error() -> None:
    with pytest.raises(BudgetError, match="more than 512 MB"):
        run_within(60, bytearray, 4 * 1024**3, what="allocating", memory_mb=512)


@pytest.mark.parametrize("budget", [-1, float("nan"), float("inf"), 10**400, "5"])
def test_bad_budgets_are_input_errors(budget: object) -> None:
    with pytest.raises(InputError):
        compare(OLD, NEW, budget=budget)


def test_cli_budget_stops_a_slow_comparison(tmp_path: Path) -> None:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(OLD)
    clauses = "\n\n".join(f"Clause {i}: we may share your data with partner {i}." for i in range(400))
    new.write_text(f"# Privacy\n\n{clauses}\n")
    cli = [sys.executable, "-m", "policydiff", "compare", str(old), str(new)]
    slow = subprocess.run([*cli, "--budget", "0.001"], capture_output=True, text=True, timeout=300)
    assert slow.returncode == 2
    assert slow.stderr.startswith("policydiff: error: comparing ")
    assert "took longer than 0.001 s" in slow.stderr and "Traceback" not in slow.stderr
    ok = subprocess.run([*cli, "--budget", "120"], capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0 and "partner 399" in ok.stdout
