"""Progress of a corpus run: a rich progress bar on a terminal, plain log lines otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["Progress", "make_progress"]

LOG_EVERY_SECONDS = 10.0


class Progress(Protocol):
    def start(self, total: int, description: str) -> None: ...

    def advance(self, pairs: int) -> None: ...

    def close(self) -> None: ...


class Silent:
    def start(self, total: int, description: str) -> None:
        pass

    def advance(self, pairs: int) -> None:
        pass

    def close(self) -> None:
        pass


class LogLines:
    """A line at the start, then at most one every ``LOG_EVERY_SECONDS``, and one at the end."""

    def __init__(self, log: Callable[[str], None]) -> None:
        self.log = log
        self.total = 0
        self.done = 0
        self.began = self.last = time.monotonic()

    def start(self, total: int, description: str) -> None:
        self.total = total
        self.began = self.last = time.monotonic()
        self.log(f"{description}: {total} pairs to compare")

    def advance(self, pairs: int) -> None:
        self.done += pairs
        now = time.monotonic()
        if now - self.last >= LOG_EVERY_SECONDS and self.done < self.total:
            self.last = now
            self.log(f"{self.done}/{self.total} pairs ({self.done / max(now - self.began, 1e-9):.1f}/s)")

    def close(self) -> None:
        elapsed = time.monotonic() - self.began
        self.log(f"{self.done}/{self.total} pairs in {elapsed:.1f} s")


class Bar:
    """A rich progress bar (pairs done, rate, time left) on stderr."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as RichProgress

        self._bar = RichProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
        )
        self._task: Any = None

    def start(self, total: int, description: str) -> None:
        self._bar.start()
        self._task = self._bar.add_task(description, total=total)

    def advance(self, pairs: int) -> None:
        self._bar.advance(self._task, pairs)

    def close(self) -> None:
        self._bar.stop()


def make_progress(show: bool | None, log: Callable[[str], None] | None) -> Progress:
    """``show`` None: a bar when stderr is a terminal; otherwise log lines through ``log`` (if any)."""
    bar = sys.stderr.isatty() if show is None else show
    if bar:
        return Bar()
    return LogLines(log) if log is not None else Silent()
