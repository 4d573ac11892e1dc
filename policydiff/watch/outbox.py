"""The outbox: a run's alerts delivered once, even when the run is killed half-way.

Before a run commits (saves the assessments that mark its changes as reported), it writes an
outbox entry to ``STORE/.outbox/``: the idempotency key, the notification (message and webhook
payload) and the assessments it is about to save. Then it commits and marks the entry committed,
delivers (the key goes out as ``Idempotency-Key`` and ``idempotency_key``), marks it delivered and
removes it once the report is written. The next run, before fetching, finishes what a killed run
left:

- an entry not yet committed is rolled back (assessments it saved are removed), so its changes are
  compared and reported again, as one delivery of the next run;
- a committed entry not yet delivered is delivered now, from the stored message, with the same key.

So each change is reported in exactly one delivery: a receiver sees it once, or (when a run is
killed between the send and its mark) twice with the same key, which it can use to drop the
repeat. Feed entries come from the saved assessments and carry stable ids: once each.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from policydiff.atomic import write_json
from policydiff.store import Assessment, Store, Version
from policydiff.watch.notify import Message, Sleeper, deliver
from policydiff.watch.options import WatchOptions

__all__ = ["OUTBOX", "Outbox", "delivery_key"]

OUTBOX = ".outbox"


def delivery_key(
    started: datetime, assessments: Sequence[tuple[Version, Assessment]], extra: str = ""
) -> str:
    """The idempotency key of one run's delivery: its start and the versions it reports."""
    versions = sorted(f"{v.service}/{v.document}@{v.id}" for v, _ in assessments)
    data = json.dumps([started.isoformat(), versions, extra]).encode("utf-8")
    return "pd-" + hashlib.sha256(data).hexdigest()[:32]


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
    ) -> Path:
        """Record a delivery before the run commits; its path."""
        path = self.folder / f"{key}.json"
        entry = {
            "key": key,
            "state": "prepared",
            "assessments": [[v.service, v.document, v.id] for v, _ in assessments],
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
        self, options: WatchOptions, sleep: Sleeper, say: Callable[[str], None]
    ) -> list[dict[str, Any]]:
        """Finish what killed runs left (see the module's text); the deliveries made."""
        results: list[dict[str, Any]] = []
        for path in sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []:
            try:
                entry = json.loads(path.read_bytes())
                state = entry["state"]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                say(f"{path}: unreadable outbox entry skipped ({exc})")
                continue
            if state == "prepared":
                self._roll_back(entry)
                say(f"outbox {entry['key']}: the run was stopped before it committed; reported again")
            elif state == "committed" and entry.get("message"):
                title, body, link = entry["message"]
                sent = deliver(
                    Message(title, body, link), entry["payload"] or {}, options, sleep, key=entry["key"]
                )
                results.extend(sent)
                say(f"outbox {entry['key']}: delivered after a stopped run")
            self.done(path)
        return results

    def _roll_back(self, entry: dict[str, Any]) -> None:
        for service, document, version in entry.get("assessments", []):
            (self.store.folder(service, document) / "assessments" / f"{version}.json").unlink(missing_ok=True)
