"""The outbox: a run's commit and alerts happen once, even when the run is killed half-way.

Before a run commits, it writes an outbox entry to ``STORE/.outbox/``: the idempotency key, the
notification (message and webhook payload), the assessments it is about to save, each fetch
state it is about to change as it stands now (the state file and the length of the event log),
and the run's record. Then it commits (saves the assessments, which mark its changes as reported,
the fetch states and events, and the run record) and marks the entry committed, delivers (the key
goes out as ``Idempotency-Key`` and ``idempotency_key``), marks it delivered, writes ``run.json``
and removes the entry. The next run, before fetching, finishes what a killed run left:

- an entry not yet committed is rolled back: the assessments, fetch states, events and run record
  it saved are put back as they were, so its changes and fetch transitions are compared and
  reported again, once, by the next run;
- a committed entry not yet delivered is delivered now, from the stored message, with the same key;
- a committed entry whose ``run.json`` was never written has its run record listed in the next
  run's ``run.json`` (``recovered_runs``), so every run's entries reach one ``run.json``; the entry
  is removed only once that ``run.json`` is written (a run stopped before then leaves it to the
  next one), and a record some ``run.json`` already lists (by its ``started_at``) is not listed again.

So each change and each fetch transition is reported in exactly one delivery, one run record and
one ``run.json``: a receiver sees it once, or (when a run is killed between the send and its mark)
twice with the same key, which it can use to drop the repeat. Feed entries come from the saved
assessments and fetch events and carry stable ids: once each.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs

from policydiff.atomic import write_json
from policydiff.store import Assessment, Store, Version
from policydiff.store.fetchstate import restore_state, state_mark
from policydiff.store.runs import OUTBOX_DIR, outbox_entry_problem, remove_run
from policydiff.watch.failures import StateUpdate
from policydiff.watch.notify import Message, Sleeper, deliver
from policydiff.watch.options import WatchOptions

__all__ = ["OUTBOX", "Outbox", "Recovered", "delivery_key"]

OUTBOX = OUTBOX_DIR
_REPAIR = "`policydiff verify --repair` moves it aside"


def delivery_key(
    started: datetime, assessments: Sequence[tuple[Version, Assessment]], extra: str = ""
) -> str:
    """The idempotency key of one run's delivery: its start and the versions it reports."""
    versions = sorted(f"{v.service}/{v.document}@{v.id}" for v, _ in assessments)
    data = json.dumps([started.isoformat(), versions, extra]).encode("utf-8")
    return "pd-" + hashlib.sha256(data).hexdigest()[:32]


@attrs.frozen
class Recovered:
    """What a run finished for killed ones: deliveries made, and run records no run.json listed."""

    deliveries: list[dict[str, Any]] = attrs.field(factory=list)
    runs: list[dict[str, Any]] = attrs.field(factory=list)
    entries: list[Path] = attrs.field(factory=list)  # removed once this run's run.json lists them


class Outbox:
    """The pending deliveries of a store (one JSON file each, written atomically)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.folder = store.root / OUTBOX

    def prepare(
        self,
        key: str,
        assessments: Sequence[tuple[Version, Assessment]],
        message: Message | None,
        payload: dict[str, Any] | None,
        *,
        updates: Sequence[StateUpdate] = (),
        started: datetime | None = None,
        record: Mapping[str, Any] | None = None,
    ) -> Path:
        """Record a delivery (and what the commit will change) before the run commits; its path."""
        path = self.folder / f"{key}.json"
        entry = {
            "key": key,
            "state": "prepared",
            "assessments": [[v.service, v.document, v.id] for v, _ in assessments],
            "fetch_states": [
                [u.service, u.document, state_mark(self.store.folder(u.service, u.document))] for u in updates
            ],
            "started": started.isoformat() if started is not None else None,
            "record": dict(record) if record is not None else None,
            "message": None if message is None else [message.title, message.body, message.link],
            "payload": payload,
        }
        write_json(path, entry)
        return path

    def mark(self, path: Path, state: str) -> None:
        entry = json.loads(path.read_bytes())
        entry["state"] = state
        write_json(path, entry)

    def done(self, path: Path) -> None:
        path.unlink(missing_ok=True)

    def recover(
        self, options: WatchOptions, sleep: Sleeper, say: Callable[[str], None], run_json: Path | None = None
    ) -> Recovered:
        """Finish what killed runs left (see the module's text). ``run_json``: the report folder's
        ``run.json``, whose ``started_at`` tells whether a committed run wrote it before it stopped."""
        recovered = Recovered()
        published = _published(run_json)
        for path in sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []:
            try:
                entry = json.loads(path.read_bytes())
            except (OSError, ValueError) as exc:
                say(f"{path}: unreadable outbox entry skipped ({exc}); {_REPAIR}")
                continue
            wrong = outbox_entry_problem(entry)
            if wrong is not None:
                say(f"{path}: damaged outbox entry skipped ({wrong}); {_REPAIR}")
                continue
            if entry["state"] == "prepared":
                self._roll_back(entry)
                say(f"outbox {entry['key']}: the run was stopped before it committed; reported again")
                self.done(path)
                continue
            self._finish_committed(path, entry, options, sleep, say, recovered)
            if entry.get("record") is not None and entry.get("started") not in published:
                # its run.json was never written: this run lists it, and the entry stays until this
                # run's run.json is written (a run killed before that leaves it to the next one)
                recovered.runs.append(entry["record"])
                recovered.entries.append(path)
            else:
                self.done(path)
        return recovered

    def _finish_committed(
        self,
        path: Path,
        entry: dict[str, Any],
        options: WatchOptions,
        sleep: Sleeper,
        say: Callable[[str], None],
        recovered: Recovered,
    ) -> None:
        """Deliver a committed entry's message (once: the entry is marked delivered)."""
        if entry["state"] != "committed" or not entry.get("message"):
            return
        title, body, link = entry["message"]
        sent = deliver(Message(title, body, link), entry["payload"] or {}, options, sleep, key=entry["key"])
        recovered.deliveries.extend(sent)
        self.mark(path, "delivered")
        say(f"outbox {entry['key']}: delivered after a stopped run")

    def _roll_back(self, entry: dict[str, Any]) -> None:
        for service, document, version in entry.get("assessments", []):
            (self.store.folder(service, document) / "assessments" / f"{version}.json").unlink(missing_ok=True)
        for service, document, mark in entry.get("fetch_states", []):
            restore_state(self.store.folder(service, document), mark)
        if entry.get("started"):
            remove_run(self.store.root, datetime.fromisoformat(entry["started"]))


def _published(run_json: Path | None) -> set[str]:
    """The runs a ``run.json`` lists: its own ``started_at`` and those of the stopped runs it
    recovered (empty when absent or unreadable)."""
    if run_json is None:
        return set()
    try:
        data = json.loads(run_json.read_bytes())
        runs = [data, *data.get("recovered_runs", [])]
        return {r["started_at"] for r in runs if isinstance(r, dict) and isinstance(r.get("started_at"), str)}
    except (OSError, ValueError, AttributeError, TypeError):
        return set()
