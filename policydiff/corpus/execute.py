"""Where tasks run: in this process, on a pool of local processes, or on a Dask cluster.

Each executor takes an iterable of tasks and yields their results as they finish, keeping only a
bounded number of tasks in flight so memory on the client stays flat however many tasks there are.
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


class Executor(Protocol):
    workers: int

    def map_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]: ...

    def close(self) -> None: ...


class Serial:
    """Everything in this process, one task after the other."""

    workers = 1

    def map_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        return map(fn, items)

    def close(self) -> None:
        pass


class Processes:
    """A pool of local worker processes (the default: parallel on this machine's cores)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["policydiff.corpus.engine"])  # workers start with it imported
        self._pool = concurrent.futures.ProcessPoolExecutor(workers, mp_context=context)

    def map_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        pending: set[concurrent.futures.Future[Any]] = set()
        source = iter(items)
        limit = self.workers * IN_FLIGHT_PER_WORKER
        while True:
            for item in source:
                pending.add(self._pool.submit(fn, item))
                if len(pending) >= limit:
                    break
            if not pending:
                return
            finished, pending = concurrent.futures.wait(
                pending, return_when=concurrent.futures.FIRST_COMPLETED
            )
            for future in finished:
                yield future.result()

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

    def map_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        from distributed import as_completed

        source = iter(items)
        limit = self.workers * IN_FLIGHT_PER_WORKER
        first = [
            self._client.submit(fn, item, pure=False) for _, item in zip(range(limit), source, strict=False)
        ]
        if not first:
            return
        queue = as_completed(first)
        for future in queue:
            result = future.result()
            future.release()
            for item in source:
                queue.add(self._client.submit(fn, item, pure=False))
                break
            yield result

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
