"""``watch_with_progress``: ``run_watch`` with a progress bar on a terminal, log lines elsewhere."""

from __future__ import annotations

import os
import tracemalloc
from collections.abc import Callable
from typing import Any

from policydiff.targets import Targets
from policydiff.watch.fetching import Fetcher, network_fetcher
from policydiff.watch.options import WatchOptions
from policydiff.watch.run import run_watch
from policydiff.watch.values import Attempt, RunSummary


def peak_memory_mb() -> float | None:
    """Peak traced memory in MiB when ``tracemalloc`` is tracing (benchmarks), else None."""
    if not tracemalloc.is_tracing():
        return None
    return tracemalloc.get_traced_memory()[1] / 2**20


def watch_with_progress(
    targets: Targets,
    store_dir: str | os.PathLike[str],
    report_dir: str | os.PathLike[str],
    *,
    options: WatchOptions | None = None,
    fail_on: str | None = None,
    webhook: str | None = None,
    config: Any = None,
    progress: bool = False,
    log: Callable[[str], None] | None = None,
    fetcher: Fetcher | None = None,
) -> RunSummary:
    """``run_watch`` with a rich progress bar (on a terminal) or plain log lines (otherwise)."""
    budget = (options or WatchOptions()).budget
    fetch = fetcher or network_fetcher(config, budget=budget)
    say = log or (lambda message: None)

    def run(log_line: Callable[[str], None], on_attempt: Callable[[Attempt], None]) -> RunSummary:
        return run_watch(
            targets,
            store_dir,
            report_dir,
            options=options,
            fail_on=fail_on,
            webhook=webhook,
            fetcher=fetch,
            log=log_line,
            progress=on_attempt,
        )

    if not progress:
        return run(say, lambda attempt: say(_fetch_line(attempt)))
    return _with_bar(len(targets), run)


def _fetch_line(attempt: Attempt) -> str:
    if attempt.failure_reason:
        state = f"failed ({attempt.failure_reason}: {attempt.failure_message})"
    else:
        state = "not modified" if attempt.not_modified else "fetched"
    return f"fetch {attempt.target.key}: {state} in {attempt.elapsed:.2f}s"


def _with_bar(
    total: int, run: Callable[[Callable[[str], None], Callable[[Attempt], None]], RunSummary]
) -> RunSummary:
    """Run with a progress bar on stderr: one step per fetched target, failures logged above it."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[last]}"),
        console=console,
        transient=False,
    ) as bar:
        task = bar.add_task("fetching", total=total, last="")
        failures = 0

        def advance(attempt: Attempt) -> None:
            nonlocal failures
            if attempt.failure_reason:
                failures += 1
            bar.update(
                task, advance=1, last=f"{attempt.target.key}" + (f"  ({failures} failed)" if failures else "")
            )

        def quiet(message: str) -> None:
            if ": failed:" in message:
                console.log(message)

        summary = run(quiet, advance)
        bar.update(task, description="done")
    return summary
