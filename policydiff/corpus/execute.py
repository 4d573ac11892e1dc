"""Where tasks run: in this process, on a pool of local processes, or on a Dask cluster.

Each executor takes an iterable of tasks and yields ``(task, result)`` as they finish, keeping only a
bounded number of tasks in flight so memory on the client stays flat however many tasks there are. A
task whose worker died (or that raised) yields ``(task, exception)``: the run goes on without it.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from policydiff.errors import InputError

__all__ = ["Executor", "check_options", "make_executor"]

IN_FLIGHT_PER_WORKER = 2
CONNECT_TIMEOUT = "10s"


Outcome = tuple[Any, Any]  # (item, fn(item) or the exception it ended with)


class Executor(Protocol):
    workers: int

    def map_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Outcome]: ...

    def close(self) -> None: ...


class Serial:
    """Everything in this process, one task after the other."""

    workers = 1

    def map_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Outcome]:
        for item in items:
            try:
                yield item, fn(item)
            except Exception as exc:  # reported by the run as a failed task, retried by the next run
                yield item, exc

    def close(self) -> None:
        pass


class Processes:
    """A pool of local worker processes (the default: parallel on this machine's cores)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["policydiff.corpus.engine"])  # workers start with it imported
        self._context = context
        self._pool = concurrent.futures.ProcessPoolExecutor(workers, mp_context=context)

    def map_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Outcome]:
        pending: dict[concurrent.futures.Future[Any], Any] = {}
        source = iter(items)
        limit = self.workers * IN_FLIGHT_PER_WORKER
        while True:
            for item in source:
                pending[self._submit(fn, item)] = item
                if len(pending) >= limit:
                    break
            if not pending:
                return
            finished, _ = concurrent.futures.wait(pending, return_when=concurrent.futures.FIRST_COMPLETED)
            for future in finished:
                item = pending.pop(future)
                exc = future.exception()
                yield item, (exc if exc is not None else future.result())

    def _submit(self, fn: Callable[[Any], Any], item: Any) -> concurrent.futures.Future[Any]:
        """Submit, replacing a pool broken by a dead worker so the tasks after it still run."""
        try:
            return self._pool.submit(fn, item)
        except concurrent.futures.process.BrokenProcessPool:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = concurrent.futures.ProcessPoolExecutor(self.workers, mp_context=self._context)
            return self._pool.submit(fn, item)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class Dask:
    """A Dask cluster: a scheduler at ``address``, or a ``LocalCluster`` of ``workers`` processes."""

    def __init__(self, address: str, workers: int) -> None:
        from distributed import Client, LocalCluster

        self._cluster: Any = None
        if address == "local":
            self._cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
            self._client = Client(self._cluster)
        else:
            try:
                self._client = Client(address, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as exc:
                raise InputError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))

    def map_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Outcome]:
        from distributed import as_completed

        source = iter(items)
        limit = self.workers * IN_FLIGHT_PER_WORKER
        pending = {
            self._client.submit(fn, item, pure=False): item
            for _, item in zip(range(limit), source, strict=False)
        }
        if not pending:
            return
        queue = as_completed(list(pending))
        for future in queue:
            item = pending.pop(future)
            try:
                outcome = future.result()
            except Exception as exc:  # a worker died (KilledWorker) or the task raised: the run goes on
                outcome = exc
            future.release()
            for more in source:
                submitted = self._client.submit(fn, more, pure=False)
                pending[submitted] = more
                queue.add(submitted)
                break
            yield item, outcome

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def check_options(scheduler: str | None, workers: int) -> None:
    """``InputError`` for options no executor can take, before any work is done."""
    if workers < 1:
        raise InputError(f"--workers must be at least 1, not {workers}")
    if scheduler is not None and scheduler != "local" and "://" not in scheduler:
        raise InputError(f"--scheduler must be 'local' or an address like tcp://HOST:8786, not {scheduler!r}")


def make_executor(scheduler: str | None, workers: int) -> Executor:
    """``scheduler`` None: local processes (``workers`` 1: this process); ``"local"``: a LocalCluster;
    ``tcp://HOST:PORT``: that Dask scheduler."""
    check_options(scheduler, workers)
    if scheduler is not None:
        return Dask(scheduler, workers)
    return Serial() if workers == 1 else Processes(workers)
