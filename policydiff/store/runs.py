"""The log of watch runs kept in the store (``STORE/.runs/<stamp>.json``), newest listed first, and
the shape of the watch's outbox entries (``STORE/.outbox/<key>.json``), so ``verify`` checks both.

The store does not interpret the records: the watch decides what a run record holds and the index
lists the latest ones, so Monday's finding is still on the page after a quiet Tuesday.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from policydiff.atomic import write_json

__all__ = [
    "OUTBOX_DIR",
    "RUNS_DIR",
    "outbox_entry_problem",
    "read_runs",
    "remove_run",
    "run_path",
    "write_run",
]

RUNS_DIR = ".runs"  # a dot folder: never mistaken for a service (service folders never start with ".")
OUTBOX_DIR = ".outbox"  # the watch's pending deliveries (policydiff.watch.outbox)
OUTBOX_STATES = ("prepared", "committed", "delivered")
_VERSION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")  # a file name in one folder, never a path


def run_path(root: Path, started: datetime) -> Path:
    """Where the record of the run started at ``started`` is kept; file names sort by start time."""
    stamp = started.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return root / RUNS_DIR / f"{stamp}.json"


def write_run(root: Path, started: datetime, record: Mapping[str, Any]) -> Path:
    """Keep one run's record."""
    path = run_path(root, started)
    write_json(path, dict(record))
    return path


def remove_run(root: Path, started: datetime) -> None:
    """Forget a run's record (a run rolled back: killed before it committed)."""
    run_path(root, started).unlink(missing_ok=True)


def read_runs(root: Path, limit: int) -> list[dict[str, Any]]:
    """The ``limit`` most recent run records, newest first (unreadable ones are skipped)."""
    folder = root / RUNS_DIR
    if not folder.is_dir():
        return []
    records: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.json"), reverse=True):
        if len(records) >= limit:
            break
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            records.append(data)
    return records


def outbox_entry_problem(entry: object) -> str | None:
    """What is wrong with a parsed outbox entry (None: it has the shape ``Outbox.prepare`` writes).

    Recovery acts on an entry (removes assessments, puts fetch states back, sends a message), so an
    entry of another shape is refused whole rather than half acted on.
    """
    if not isinstance(entry, dict):
        return "not a JSON object"
    if not isinstance(entry.get("key"), str) or entry.get("state") not in OUTBOX_STATES:
        return f"'key' must be text and 'state' one of {', '.join(OUTBOX_STATES)}"
    names = entry.get("assessments")
    if not isinstance(names, list) or not all(
        isinstance(a, list)
        and len(a) == 3
        and all(isinstance(x, str) and x.strip() for x in a)
        and _VERSION_ID.fullmatch(a[2])
        for a in names
    ):
        return "'assessments' must list [service, document, version id] triples"
    marks = entry.get("fetch_states")
    if not isinstance(marks, list) or not all(
        isinstance(m, list)
        and len(m) == 3
        and all(isinstance(x, str) and x.strip() for x in m[:2])
        and isinstance(m[2], dict)
        for m in marks
    ):
        return "'fetch_states' must list [service, document, state mark] triples"
    return _entry_rest_problem(entry)


def _entry_rest_problem(entry: dict[str, Any]) -> str | None:
    started = entry.get("started")
    if started is not None:
        try:
            datetime.fromisoformat(started)
        except (TypeError, ValueError):
            return "'started' must be an ISO 8601 time or null"
    if not isinstance(entry.get("record"), dict | None) or not isinstance(entry.get("payload"), dict | None):
        return "'record' and 'payload' must be JSON objects or null"
    message = entry.get("message")
    if message is not None and not (
        isinstance(message, list)
        and len(message) == 3
        and all(isinstance(x, str | None) for x in message)
        and isinstance(message[0], str)
        and isinstance(message[1], str)
    ):
        return "'message' must be [title, body, link] or null"
    return None
