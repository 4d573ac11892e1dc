"""The pair engine: one task compares a run of consecutive versions of one document history.

A task is plain data (``Task``), so it can be sent to a Dask worker; ``run_task`` reads each version
once through the normalized-document cache, compares it with the last readable version before it,
and returns the rows of the pairs it was asked for. A version that cannot be read or normalized is
an error row naming the reason, and the next version is compared with the last good one: one bad
version never stops the history, let alone the run. With a ``budget`` (seconds), reading and
comparing each version run in a worker process stopped at the deadline (``policydiff.budget``): a
pathological version is an error row "took longer than N s", and the history goes on.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import attrs

from policydiff.budget import Budget
from policydiff.compare import compare
from policydiff.corpus.cache import DocumentCache, Loaded
from policydiff.corpus.sources import History, SourceSpec, read_version
from policydiff.corpus.tables import PairKey, change_rows, error_row, finding_rows, pair_row
from policydiff.errors import PolicyDiffError
from policydiff.model import Document, Section, sha256_hex

__all__ = ["EMPTY", "Task", "TaskResult", "run_task"]

EMPTY = Document(root=Section("s0", "", "", 0), source="<no earlier version>")
T = TypeVar("T")


@attrs.frozen
class Task:
    """Compare versions ``start..stop-1`` of ``history`` with the version before each, skipping ``done``
    ids. Index 0, the first version, is its *baseline*: read against an empty document, so what it
    already says (an AI-training permission, say) is known too."""

    source: SourceSpec
    history: History
    start: int
    stop: int
    done: frozenset[str] = frozenset()
    cache_dir: str | None = None
    findings: bool = True
    budget: float = 0.0  # seconds reading or comparing one version may take (0: no limit, no worker)

    @property
    def name(self) -> str:
        """The partition name: a name is only ever given to the same pairs of the same history."""
        todo = [v.id for v in self.history.versions[self.start : self.stop] if v.id not in self.done]
        ident = "\0".join([self.history.key, str(self.start), *todo])
        return sha256_hex(ident.encode())[:24]

    @property
    def pairs(self) -> int:
        return sum(1 for v in self.history.versions[self.start : self.stop] if v.id not in self.done)


@attrs.frozen
class TaskResult:
    name: str
    tables: dict[str, list[dict[str, Any]]]
    normalized: int  # versions normalized in this task
    cached: int  # versions read from the cache
    peak_rss_kb: int  # of the process that ran it
    cpu_seconds: float = 0.0  # CPU time the task took (with wall time: how much of a core it had)


def run_task(task: Task) -> TaskResult:
    """Compare the task's pairs; never raises for a bad version (an error row says why)."""
    cpu = time.process_time()
    worker = (
        Budget(task.budget, preload=("policydiff.compare", "policydiff.normalize.warm"))
        if task.budget
        else None
    )
    try:
        tables, reader = _run(task, worker)
    finally:
        if worker is not None:
            worker.close()
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu = time.process_time() - cpu
    return TaskResult(task.name, tables, reader.normalized, reader.cached, int(usage), cpu)


def _within(worker: Budget | None, fn: Callable[..., T], /, *args: Any, what: str, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)``: here, or in the task's budget worker."""
    return fn(*args, **kwargs) if worker is None else worker.run(fn, *args, what=what, **kwargs)


def _run(task: Task, worker: Budget | None) -> tuple[dict[str, list[dict[str, Any]]], _Reader]:
    reader = _Reader(task, DocumentCache(task.cache_dir), worker)
    tables: dict[str, list[dict[str, Any]]] = {"pairs": [], "findings": [], "changes": []}
    versions = task.history.versions
    for index in range(task.start, task.stop):
        ref = versions[index]
        if ref.id in task.done:
            continue
        began = time.perf_counter()
        previous = reader.previous_good(index)
        old_ref = versions[previous[0]] if previous else (versions[index - 1] if index else None)
        key = PairKey(
            task.history.service,
            task.history.document,
            index,
            ref.id,
            ref.date,
            old_ref.id if old_ref else None,
            old_ref.date if old_ref else None,
        )
        old_sha = previous[1].sha256 if previous else None
        current = reader.get(index)
        if isinstance(current, str):
            tables["pairs"].append(error_row(key, current, old_sha, reader.sha(index), _since(began)))
            continue
        if previous is None and index > 0:
            reason = "no readable earlier version to compare with"
            tables["pairs"].append(error_row(key, reason, None, current.sha256, _since(began)))
            continue
        _compare_into(tables, key, previous[1] if previous else None, current, task, began, worker)
    return tables, reader


def _compare_into(
    tables: dict[str, list[dict[str, Any]]],
    key: PairKey,
    old: Loaded | None,
    new: Loaded,
    task: Task,
    began: float,
    worker: Budget | None = None,
) -> None:
    """One pair's rows; ``old`` None: the baseline (no change rows: every clause would be one)."""
    old_sha = old.sha256 if old is not None else None
    try:
        comparison = _within(
            worker,
            compare,
            old.document if old is not None else EMPTY,
            new.document,
            what=f"comparing {task.history.key}@{key.new_version}",
            name=task.history.document,
            findings=task.findings,
        )
    except (PolicyDiffError, RecursionError, MemoryError) as exc:
        tables["pairs"].append(error_row(key, _reason(exc), old_sha, new.sha256, _since(began)))
        return
    except Exception as exc:  # a bug in one pair must not end the run: the row says what happened
        reason = f"internal error: {type(exc).__name__}: {exc}"
        tables["pairs"].append(error_row(key, reason, old_sha, new.sha256, _since(began)))
        return
    tables["findings"].extend(finding_rows(key, comparison.findings))
    if old is not None:
        tables["changes"].extend(change_rows(key, comparison.changes))
    tables["pairs"].append(pair_row(key, comparison, old_sha, new.sha256, _since(began)))


def _since(began: float) -> float:
    return round(time.perf_counter() - began, 6)


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


class _Reader:
    """Reads versions of one history on demand, keeping only the latest one in memory."""

    def __init__(self, task: Task, cache: DocumentCache, worker: Budget | None = None) -> None:
        self.task = task
        self.cache = cache
        self.worker = worker
        self.normalized = 0
        self.cached = 0
        self._last: tuple[int, Loaded | str, str | None] | None = None

    def get(self, index: int) -> Loaded | str:
        """The normalized version at ``index``, or the reason it cannot be had."""
        if self._last is not None and self._last[0] == index:
            return self._last[1]
        ref = self.task.history.versions[index]
        sha: str | None = None
        value: Loaded | str
        try:
            content = read_version(self.task.source, self.task.history, ref)
            sha = sha256_hex(content)
            label = f"{self.task.history.key}@{ref.id}"
            value = _within(
                self.worker, self.cache.load, content, ref.media_type, label, what=f"reading {label}"
            )
            if value.cached:
                self.cached += 1
            else:
                self.normalized += 1
        except PolicyDiffError as exc:
            value = _reason(exc)
        except (RecursionError, MemoryError) as exc:
            value = f"cannot normalize: {type(exc).__name__}"
        except Exception as exc:  # a bug on one version must not cost the history: the row says what
            value = f"internal error: {type(exc).__name__}: {exc}"
        self._last = (index, value, sha)
        return value

    def sha(self, index: int) -> str | None:
        self.get(index)
        assert self._last is not None
        return self._last[2]

    def previous_good(self, index: int) -> tuple[int, Loaded] | None:
        """The last readable version before ``index`` (usually ``index - 1``)."""
        for earlier in _down(index - 1):
            value = self.get(earlier)
            if not isinstance(value, str):
                return earlier, value
        return None


def _down(start: int) -> Iterator[int]:
    return iter(range(start, -1, -1))
