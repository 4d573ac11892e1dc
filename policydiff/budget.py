"""Untrusted work where it can be stopped: a worker process, and a deadline for each call.

Parsing and comparing a web page is pure CPU work on text an attacker (or a broken site) chose, and
CPython cannot interrupt a thread stuck in a regex or a C extension. ``Budget`` runs each call in a
worker process and kills the worker when the call takes longer than its ``seconds``; the caller gets
a ``BudgetError`` ("took longer than N s") and the next call gets a fresh worker, so one
pathological page costs one failure, not the run. An optional ``memory_mb`` caps each worker's
address space the same way.

The worker is a fresh interpreter (``python -m policydiff.budget``), not a fork: it inherits no
threads, locks or open connections from the caller and never re-runs the caller's main script. It
imports the first call's module once (and the ``preload`` modules, calling a preloaded module's
``warm_up()`` if it has one), before any deadline starts, then serves calls over a pipe
until closed, so only the first call (and the first after a kill) pays its start-up. Functions,
arguments and results cross the pipe pickled: module-level functions, attrs values, plain data.
Errors raised in the worker are raised again in the caller: ``PolicyDiffError`` subclasses as they
are, anything else with the worker's traceback as a note.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any, TypeVar

from policydiff.errors import BudgetError, InputError, PolicyDiffError

__all__ = ["Budget", "run_within"]

T = TypeVar("T")

STARTUP_SECONDS = 120.0  # a loaded machine may take this long to start Python and import lxml
_READY = "ready"


class Budget:
    """A worker process that runs calls, each within ``seconds`` (and ``memory_mb``, if given).

    One call at a time per ``Budget`` (calls from several threads wait their turn); use one
    ``Budget`` per thread for parallel work. Close it (or use ``with``) to stop the worker.
    ``preload`` names modules the worker imports before any deadline starts, beyond the first
    call's own (those of later calls, so their import is not charged to a call's budget).
    """

    def __init__(self, seconds: float, *, memory_mb: int | None = None, preload: Sequence[str] = ()) -> None:
        if not seconds > 0:
            raise InputError(f"a time budget must be more than 0 seconds, not {seconds!r}")
        self.seconds = float(seconds)
        self.memory_mb = memory_mb
        self.preload = tuple(preload)
        self._lock = threading.Lock()
        self._worker: _Worker | None = None

    def run(self, fn: Callable[..., T], /, *args: Any, what: str, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` in the worker; ``BudgetError`` naming ``what`` if it overruns."""
        with self._lock:
            worker = self._worker = self._worker or _Worker(
                self.memory_mb, what, (fn.__module__, *self.preload)
            )
            try:
                worker.send((fn, args, kwargs))
                done = worker.wait(self.seconds)
                reply = worker.receive() if done else None
            except (EOFError, OSError):
                code = self._stop()
                raise BudgetError(f"{what}: the worker stopped unexpectedly ({_exit(code)})") from None
            if reply is None:
                self._stop()
                raise BudgetError(
                    f"{what}: took longer than {self.seconds:g} s (the time budget) and was stopped; "
                    f"the input is pathological or far larger than a policy"
                )
        status, payload = reply
        if status == "ok":
            return payload  # type: ignore[no-any-return]  # fn's result, pickled and back
        if isinstance(payload, MemoryError) and self.memory_mb:
            raise BudgetError(f"{what}: needed more than {self.memory_mb} MB (the memory budget)")
        raise payload

    def close(self) -> None:
        """Stop the worker; the next ``run`` starts a new one."""
        with self._lock:
            if self._worker is not None:
                self._worker.finish()
            self._worker = None

    def __enter__(self) -> Budget:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _stop(self) -> int | None:
        worker, self._worker = self._worker, None
        return worker.kill() if worker is not None else None


def run_within(
    seconds: float,
    fn: Callable[..., T],
    /,
    *args: Any,
    what: str,
    memory_mb: int | None = None,
    **kwargs: Any,
) -> T:
    """One call of ``fn`` in a fresh worker with a deadline of ``seconds``."""
    with Budget(seconds, memory_mb=memory_mb) as budget:
        return budget.run(fn, *args, what=what, **kwargs)


class _Worker:
    """One ``python -m policydiff.budget`` process and the two pipes to it."""

    def __init__(self, memory_mb: int | None, what: str, preload: Sequence[str]) -> None:
        from_parent, to_child = os.pipe()
        from_child, to_parent = os.pipe()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "policydiff.budget",
                str(from_parent),
                str(to_parent),
                str(memory_mb or 0),
                ",".join(preload),
            ],
            pass_fds=(from_parent, to_parent),
            stdin=subprocess.DEVNULL,
            env=env,
        )
        os.close(from_parent)
        os.close(to_parent)
        self.requests = Connection(to_child, readable=False)
        self.replies = Connection(from_child, writable=False)
        try:
            ready = self.replies.poll(STARTUP_SECONDS) and self.replies.recv() == _READY
        except (EOFError, OSError):
            ready = False
        if not ready:
            code = self.kill()
            raise BudgetError(f"{what}: the worker process did not start ({_exit(code)})")

    def send(self, call: tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]) -> None:
        self.requests.send(call)

    def wait(self, seconds: float) -> bool:
        return self.replies.poll(seconds)

    def receive(self) -> tuple[str, Any]:
        reply: tuple[str, Any] = self.replies.recv()
        return reply

    def finish(self) -> None:
        try:
            self.requests.send(None)
            self.process.wait(5.0)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()

    def kill(self) -> int | None:
        """Kill the process (if still running), close the pipes; its exit code."""
        if self.process.poll() is None:
            self.process.kill()
        code = self.process.wait()
        self.requests.close()
        self.replies.close()
        return code


def _serve(requests: Connection, replies: Connection, memory_mb: int, preload: str) -> None:
    """The worker's loop: run each call sent, reply ``("ok", result)`` or ``("error", exc)``."""
    if memory_mb:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import importlib

    for name in preload.split(","):  # the first call's module and the preloads: before any deadline
        module = importlib.import_module(name)
        warm_up = getattr(module, "warm_up", None)  # a preload may load its own lazy parts too
        if callable(warm_up):
            warm_up()

    replies.send(_READY)
    while True:
        try:
            call = requests.recv()
        except (EOFError, OSError):
            return
        if call is None:
            return
        fn, args, kwargs = call
        try:
            reply: tuple[str, Any] = ("ok", fn(*args, **kwargs))
        except BaseException as exc:  # every failure goes back to the caller
            reply = ("error", _portable(exc))
        try:
            replies.send(reply)
        except Exception as exc:  # an unpicklable result is reported, not lost
            replies.send(("error", _portable(exc)))


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling, else a RuntimeError describing it; a bug (anything but a
    ``PolicyDiffError``) carries the worker's traceback as a note."""
    if not isinstance(exc, PolicyDiffError):
        exc.add_note("in the budget worker:\n" + "".join(traceback.format_exception(exc)))
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # any pickling failure means: describe it instead
        return RuntimeError(f"{type(exc).__name__}: {exc}\n{''.join(traceback.format_exception(exc))}")
    return exc


def _exit(code: int | None) -> str:
    if code is None:
        return "no exit code"
    if code < 0:
        return f"killed by signal {-code}" + ("; out of memory?" if -code == 9 else "")
    return f"exit code {code}"


if __name__ == "__main__":
    _serve(
        Connection(int(sys.argv[1]), writable=False),
        Connection(int(sys.argv[2]), readable=False),
        int(sys.argv[3]),
        sys.argv[4],
    )
