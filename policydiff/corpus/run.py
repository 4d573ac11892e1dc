"""``run_corpus``: every consecutive pair of every document history of a source, into the output tables.

The client lists the histories, skips the pairs the tables already hold, cuts the rest into tasks of
at most ``chunk`` pairs of one history, hands them to an executor, and writes each result as one
partition as soon as it arrives. Running it again continues where it stopped; over a grown history it
only compares the new pairs; over a finished one it does nothing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import attrs

from policydiff import __version__
from policydiff.corpus.engine import Task, TaskResult, run_task
from policydiff.corpus.execute import Executor, check_options, make_executor
from policydiff.corpus.partitions import check_output, done_pairs, locked, prepare, write_partition
from policydiff.corpus.progress import Progress, Silent
from policydiff.corpus.sources import History, SourceSpec, histories, open_source
from policydiff.corpus.tables import SCHEMAS, pair_id
from policydiff.errors import InputError

__all__ = ["RunSummary", "plan", "run_corpus"]

DEFAULT_CHUNK = 50


@attrs.frozen
class RunSummary:
    """What a run did, with the figures the benchmark quotes."""

    histories: int
    pairs: int  # rows of the pairs table the source makes: consecutive pairs, and baselines
    already: int  # of those, rows the tables held before this run
    compared: int  # consecutive pairs compared by this run (error rows included)
    baselines: int  # first versions read against an empty document by this run
    errors: int
    failed: int  # pairs of tasks that failed (a worker died): not written, retried by the next run
    seconds: float
    normalized: int  # versions normalized by this run
    cached: int  # versions read from the normalized-document cache
    workers: int
    peak_rss_kb: int  # the largest peak resident memory of any process that ran a task
    cpu_seconds: float = 0.0  # CPU time of all tasks: over ``seconds``, the cores the run really had

    @property
    def headline(self) -> str:
        rate = self.compared / self.seconds if self.seconds > 0 else 0.0
        failed = f", {self.failed} left for the next run (a task failed)" if self.failed else ""
        head = f"{self.compared} pairs compared, {self.baselines} first versions read ({self.errors} errors)"
        speed = f"{self.seconds:.1f} s ({rate:.1f} pairs/s on {self.workers} workers)"
        return f"{head}{failed}, {self.already} already done, {self.histories} histories, {speed}"


def run_corpus(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    chunk: int = DEFAULT_CHUNK,
    cache: bool = True,
    findings: bool = True,
    baseline: bool = True,
    progress: Progress | None = None,
    log: Callable[[str], None] | None = None,
    budget: float = 0.0,
) -> RunSummary:
    """Compare every consecutive pair of every history in ``source`` into the tables under ``output``.

    ``workers``: local processes (default: the machine's cores; 1 runs in this process); with
    ``scheduler="local"`` a ``LocalCluster`` of that many processes, with ``tcp://HOST:PORT`` that Dask
    cluster. ``cache=False`` normalizes every version afresh (for measuring what the cache saves).
    ``baseline=False`` does not read first versions against an empty document (their findings tell the
    stance table what a history said from the start). ``log`` receives a line for each task that
    failed (its pairs are retried by the next run). ``budget`` (seconds): reading and comparing each
    version run in a worker process stopped at the deadline; a version past it is an error row
    ("took longer than N s") and the run goes on (0: no limit, no worker).
    """
    began = time.perf_counter()
    _check_budget(budget)
    workers = workers or os.cpu_count() or 1
    check_options(scheduler, workers)
    spec = open_source(source)
    out = Path(output)
    check_output(out)
    with locked(out):
        prepare(out, _manifest(spec))
        found = list(histories(spec))
        done = done_pairs(out)
        total, todo = _count(found, done, 0 if baseline else 1)
        cache_dir = str(out / "cache") if cache else None
        tasks = plan(
            spec,
            found,
            done,
            chunk=chunk,
            cache_dir=cache_dir,
            findings=findings,
            baseline=baseline,
            budget=budget,
        )
        bar = progress or Silent()
        bar.start(todo, f"comparing {spec.kind} {Path(spec.root).name}")
        executor = make_executor(scheduler, workers) if todo else None
        try:
            counts = _execute(out, executor, tasks, bar, log or (lambda message: None))
        finally:
            if executor is not None:
                executor.close()
            bar.close()
    return RunSummary(
        histories=len(found),
        pairs=total,
        already=total - todo,
        seconds=time.perf_counter() - began,
        workers=executor.workers if executor is not None else 0,
        cpu_seconds=counts.pop("cpu_ms") / 1000,
        peak_rss_kb=counts.pop("rss"),
        **counts,
    )


def _count(found: Sequence[History], done: frozenset[str], first: int) -> tuple[int, int]:
    """Rows the source makes (pairs, and baselines from index 0) and how many are not done yet."""
    total = sum(max(0, len(h.versions) - first) for h in found)
    todo = sum(
        1 for h in found for v in h.versions[first:] if pair_id(h.service, h.document, v.id) not in done
    )
    return total, todo


def _execute(
    out: Path, executor: Executor | None, tasks: Iterable[Task], bar: Progress, say: Callable[[str], None]
) -> dict[str, int]:
    """Run the tasks, write each result as it comes; a failed task is reported and left for next time."""
    counts = dict.fromkeys(
        ("compared", "baselines", "errors", "failed", "normalized", "cached", "rss", "cpu_ms"), 0
    )
    for task, result in executor.map_unordered(run_task, tasks) if executor is not None else ():
        if isinstance(result, BaseException):
            counts["failed"] += task.pairs
            why = f"{type(result).__name__}: {result}" if str(result) else type(result).__name__
            say(f"{task.history.key}: {task.pairs} pairs not compared, their task failed ({why}); run again")
        else:
            _absorb(out, result, counts)
        bar.advance(task.pairs)
    return counts


def _absorb(out: Path, result: TaskResult, counts: dict[str, int]) -> None:
    write_partition(out, result.name, result.tables)
    pairs = result.tables["pairs"]
    counts["baselines"] += sum(1 for row in pairs if row["baseline"])
    counts["compared"] += sum(1 for row in pairs if not row["baseline"])
    counts["errors"] += sum(1 for row in pairs if row["error"] is not None)
    counts["normalized"] += result.normalized
    counts["cached"] += result.cached
    counts["rss"] = max(counts["rss"], result.peak_rss_kb)
    counts["cpu_ms"] += round(result.cpu_seconds * 1000)


def plan(
    spec: SourceSpec,
    found: Sequence[History],
    done: frozenset[str],
    *,
    chunk: int = DEFAULT_CHUNK,
    cache_dir: str | None = None,
    findings: bool = True,
    baseline: bool = True,
    budget: float = 0.0,
) -> Iterator[Task]:
    """Tasks for the pairs not yet ``done``: runs of at most ``chunk`` missing pairs of one history
    (with ``baseline``, the first version of each history counts as one, read against nothing)."""
    for history in found:
        versions = history.versions
        missing = [
            i
            for i in range(0 if baseline else 1, len(versions))
            if pair_id(history.service, history.document, versions[i].id) not in done
        ]
        for first in range(0, len(missing), chunk):
            group = missing[first : first + chunk]
            start, stop = group[0], group[-1] + 1
            wanted = set(group)
            skip = frozenset(versions[i].id for i in range(start, stop) if i not in wanted)
            yield Task(spec, history, start, stop, skip, cache_dir, findings, budget)


def _check_budget(budget: object) -> None:
    number = isinstance(budget, int | float) and not isinstance(budget, bool)
    if not number or not 0 <= budget < float("inf"):  # type: ignore[operator]  # a number by now
        raise InputError(f"budget must be a number of seconds (0 for none), not {budget!r}")


def _manifest(spec: SourceSpec) -> dict[str, object]:
    return {
        "source": {"kind": spec.kind, "root": spec.root},
        "policydiff_version": __version__,
        "schemas": {name: schema.metadata[b"schema"].decode() for name, schema in SCHEMAS.items()},
    }
