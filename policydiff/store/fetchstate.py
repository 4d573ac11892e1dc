"""Per-document fetch state: a broken source is tracked from its first failure until it recovers.

Each document folder may hold ``fetch-state.json`` (the current streak: failing since when, why, the
last success) and ``fetch-events.jsonl`` (one line per transition: started failing, recovered), which
the feeds list. ``next_state`` is the pure transition; ``read_state`` and friends are the disk side.
"""

from __future__ import annotations

import functools
import json
from datetime import datetime
from pathlib import Path
from typing import Literal, TypeVar

import attrs

from policydiff.atomic import atomic_write, write_json
from policydiff.errors import StoreError
from policydiff.model import unstructure
from policydiff.store.codec import parse_record, structure

__all__ = ["FetchEvent", "FetchState", "Transition", "next_state", "read_events", "read_state"]

T = TypeVar("T")

STATE_NAME = "fetch-state.json"
EVENTS_NAME = "fetch-events.jsonl"
Transition = Literal["new", "ongoing", "recovered"]


@attrs.frozen
class FetchState:
    """Where a document's fetching stands: failing since when (None: it works), and why."""

    failing_since: datetime | None = None  # the first failure of the current streak
    last_failure: datetime | None = None
    last_success: datetime | None = None
    reason: str | None = None  # of the latest failure
    message: str | None = None
    failures: int = 0  # failed runs in the current streak

    @property
    def failing(self) -> bool:
        return self.failing_since is not None


@attrs.frozen
class FetchEvent:
    """A transition: the document started failing, or recovered after failing since ``since``."""

    kind: Literal["failing", "recovered"]
    at: datetime
    since: datetime
    reason: str | None = None
    message: str | None = None


def next_state(
    state: FetchState, *, ok: bool, at: datetime, reason: str | None = None, message: str | None = None
) -> tuple[FetchState, Transition | None, FetchEvent | None]:
    """The state after one run's fetch, the transition it makes, and the event to log (if any)."""
    if ok:
        if state.failing_since is None:
            return attrs.evolve(state, last_success=at), None, None
        event = FetchEvent("recovered", at, state.failing_since, state.reason, state.message)
        return FetchState(last_success=at), "recovered", event
    if state.failing_since is None:
        new = attrs.evolve(
            state, failing_since=at, last_failure=at, reason=reason, message=message, failures=1
        )
        return new, "new", FetchEvent("failing", at, at, reason, message)
    ongoing = attrs.evolve(
        state, last_failure=at, reason=reason, message=message, failures=state.failures + 1
    )
    return ongoing, "ongoing", None


def read_state(folder: Path) -> FetchState:
    path = folder / STATE_NAME
    if not path.is_file():
        return FetchState()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StoreError(f"{path}: fetch state is unreadable ({exc.strerror})") from exc
    return parse_record(path, "fetch state", lambda: _as(FetchState, json.loads(data)))


def write_state(folder: Path, state: FetchState) -> None:
    write_json(folder / STATE_NAME, unstructure(state))


def read_events(folder: Path) -> list[FetchEvent]:
    path = folder / EVENTS_NAME
    if not path.is_file():
        return []
    events: list[FetchEvent] = []
    text = parse_record(path, "fetch events", lambda: path.read_bytes().decode("utf-8"))
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            event = parse_record(f"{path}:{number}", "fetch event", functools.partial(_event, line))
            events.append(event)
    return events


def _event(line: str) -> FetchEvent:
    return _as(FetchEvent, json.loads(line))


def _as(kind: type[T], data: object) -> T:
    value = structure(data, kind)
    if not isinstance(value, kind):
        raise TypeError(f"not a {kind.__name__} record")
    return value


def append_event(folder: Path, event: FetchEvent) -> None:
    path = folder / EVENTS_NAME
    existing = path.read_bytes() if path.is_file() else b""
    if existing and not existing.endswith(b"\n"):
        existing += b"\n"
    line = json.dumps(unstructure(event), sort_keys=True) + "\n"
    atomic_write(path, existing + line.encode("utf-8"))


def state_mark(folder: Path) -> dict[str, object]:
    """What putting a document's fetch state back needs: the state file's text (None: no file) and
    the length of its event log, taken before a run saves its transitions (see ``restore_state``)."""
    state, events = folder / STATE_NAME, folder / EVENTS_NAME
    # surrogateescape: even a damaged (non-UTF-8) state file is put back byte for byte
    text = state.read_bytes().decode("utf-8", "surrogateescape") if state.is_file() else None
    return {"state": text, "events": events.stat().st_size if events.is_file() else 0}


def restore_state(folder: Path, mark: dict[str, object]) -> None:
    """Undo what a run killed before its commit saved: the state file as it was, events cut back."""
    state, events = folder / STATE_NAME, folder / EVENTS_NAME
    text, size = mark.get("state"), mark.get("events")
    if text is None:
        state.unlink(missing_ok=True)
    elif isinstance(text, str):
        atomic_write(state, text.encode("utf-8", "surrogateescape"))
    if isinstance(size, int) and events.is_file() and events.stat().st_size > size:
        kept = events.read_bytes()[:size]
        if kept:
            atomic_write(events, kept)
        else:
            events.unlink()
