"""``corpus`` with a budget (issue 15): a pathological version is an error row, the run goes on."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")

from policydiff.corpus.partitions import read_table  # imported after the optional-extra skip
from policydiff.corpus.run import run_corpus
from policydiff.errors import InputError


def policy(n: int) -> str:
    clauses = "".join(f"<p>We collect your data of kind {i} and keep it {i + n} days.</p>" for i in range(12))
    return f"<html><body><h1>Privacy</h1>{clauses}<p>We may share it with {n} partners.</p></body></html>"


HUGE = "<html><body>" + "".join(f"<p>We collect item {i}.</p>" for i in range(50_000)) + "</body></html>"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """One history of four versions, the third a page that takes many seconds to read and compare."""
    folder = tmp_path / "source" / "acme" / "privacy"
    folder.mkdir(parents=True)
    for day, text in (("01", policy(1)), ("02", policy(2)), ("03", HUGE), ("04", policy(4))):
        (folder / f"2024-01-{day}.html").write_text(text)
    return tmp_path / "source"


def test_a_version_past_the_budget_is_an_error_row_and_the_history_goes_on(
    source: Path, tmp_path: Path
) -> None:
    start = time.monotonic()
    summary = run_corpus(source, tmp_path / "out", workers=1, budget=1.0)
    elapsed = time.monotonic() - start
    rows = sorted(read_table(tmp_path / "out", "pairs").to_pylist(), key=lambda row: row["index"])
    assert [row["index"] for row in rows] == [0, 1, 2, 3]
    errors = {row["index"]: row["error"] for row in rows if row["error"]}
    assert list(errors) == [2] and "took longer than 1 s" in errors[2], errors
    assert rows[3]["old_version"] == rows[1]["new_version"]  # compared with the last good version
    assert summary.errors == 1 and summary.compared == 3
    assert elapsed < 120  # the huge version alone takes over 20 s to read and compare unbudgeted


@pytest.mark.parametrize("budget", [-1.0, float("nan"), float("inf"), "5"])
def test_a_bad_budget_is_an_input_error(source: Path, tmp_path: Path, budget: object) -> None:
    with pytest.raises(InputError, match="budget"):
        run_corpus(source, tmp_path / "out", workers=1, budget=budget)  # type: ignore[arg-type]


def test_the_cli_takes_the_budget(source: Path, tmp_path: Path) -> None:
    cli = [sys.executable, "-m", "policydiff", "corpus", str(source), str(tmp_path / "out")]
    done = subprocess.run(
        [*cli, "--workers", "1", "--budget", "1"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 1, done.stderr  # one error row
    assert "(1 errors)" in done.stdout and "Traceback" not in done.stderr
