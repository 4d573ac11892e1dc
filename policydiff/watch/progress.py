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
    fetch = fetcher or network_fetcher(config)
    say = log or (lambda message: None)
    if not progress:

        def plain(attempt: Attempt) -> None:
            if attempt.failure_reason:
                state = f"failed ({attempt.failure_reason}: {attempt.failure_message})"
            else:
                state = "not modified" if attempt.not_modified else "fetched"
            say(f"fetch {attempt.target.key}: {state} in {attempt.elapsed:.2f}s")

        return run_watch(
            targets,
            store_dir,
            report_dir,
            options=options,
            fail_on=fail_on,
            webhook=webhook,
            fetcher=fetch,
            log=say,
            progress=plain,
        )

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
        task = bar.add_task("fetching", total=len(targets), last="")
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

        summary = run_watch(
            targets,
            store_dir,
            report_dir,
            options=options,
            fail_on=fail_on,
            webhook=webhook,
            fetcher=fetch,
            log=quiet,
            progress=advance,
        )
        bar.update(task, description="done")
    return summary
