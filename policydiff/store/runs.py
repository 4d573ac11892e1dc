"""The log of watch runs kept in the store (``STORE/.runs/<stamp>.json``), newest listed first.

The store does not interpret the records: the watch decides what a run record holds and the index
lists the latest ones, so Monday's finding is still on the page after a quiet Tuesday.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from policydiff.atomic import write_json

__all__ = ["RUNS_DIR", "read_runs", "remove_run", "run_path", "write_run"]

RUNS_DIR = ".runs"  # a dot folder: never mistaken for a service (service folders never start with ".")


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
