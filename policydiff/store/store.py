"""The ``Store``: a folder of snapshots, read without a lock, written under one."""

from __future__ import annotations

import contextlib
import functools
import json
import os
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs

from policydiff.atomic import TMP_PREFIX, atomic_write, write_json
from policydiff.errors import InputError, StoreError
from policydiff.model import Document, Snapshot, sha256_hex, unstructure
from policydiff.store.codec import (
    canonical_text,
    dir_to_name,
    document_from_json,
    document_to_json,
    lineage_of,
    name_to_dir,
    parse_record,
    stamp,
    structure,
    utc,
    version_from_json,
    version_to_json,
)
from policydiff.store.fetchstate import (
    STATE_NAME,
    FetchEvent,
    FetchState,
    append_event,
    read_events,
    read_state,
    write_state,
)
from policydiff.store.lock import LOCK_NAME, drop_lock, take_lock
from policydiff.store.records import Assessment, Check, RecordKind, RecordResult, Version
from policydiff.store.runs import read_runs, write_run

__all__ = ["LOCK_NAME", "Store"]


class Store:
    """A snapshot store rooted at a folder. Reads need no lock; writes happen inside ``locked()``."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self._lock_fd: int | None = None
        # while we hold the lock nobody else writes: versions read once per document are cached
        self._cache: dict[tuple[str, str], list[Version]] = {}

    # ---- locking

    @contextlib.contextmanager
    def locked(self) -> Iterator[Store]:
        """Hold the store's lock for the block; a second run gets ``StoreLockedError`` at once."""
        self.acquire()
        try:
            yield self
        finally:
            self.release()

    def acquire(self) -> None:
        """Take the lock now (``StoreLockedError`` if another run holds it); see ``locked()``."""
        self._lock_fd = take_lock(self.root)
        self._clean_temp_files()

    def release(self) -> None:
        if self._lock_fd is not None:
            drop_lock(self._lock_fd)
            self._lock_fd = None
            self._cache.clear()

    def _require_lock(self) -> None:
        if self._lock_fd is None:
            raise StoreError(f"{self.root}: writing to the store needs its lock (use Store.locked())")

    def _clean_temp_files(self) -> None:
        """Remove temp files a crashed run left behind (they never belong to a version)."""
        for tmp in self.root.rglob(f"{TMP_PREFIX}*"):
            with contextlib.suppress(OSError):
                tmp.unlink()

    # ---- paths

    def folder(self, service: str, document: str) -> Path:
        return self.root / name_to_dir(service) / name_to_dir(document)

    # ---- reading

    def documents(self, *, tracked: bool = False) -> list[tuple[str, str]]:
        """Every (service, document) with at least one stored version, sorted.

        ``tracked`` also lists documents that have only a fetch state (they never fetched well).
        """
        found: list[tuple[str, str]] = []
        if not self.root.is_dir():
            return found
        for service_dir in sorted(p for p in self.root.iterdir() if p.is_dir()):
            if service_dir.name.startswith("."):
                continue
            for doc_dir in sorted(p for p in service_dir.iterdir() if p.is_dir()):
                if (doc_dir / "versions").is_dir() or (tracked and (doc_dir / STATE_NAME).is_file()):
                    found.append((dir_to_name(service_dir.name), dir_to_name(doc_dir.name)))
        return found

    def versions(self, service: str, document: str) -> list[Version]:
        """Stored versions of a document, oldest first."""
        if self._lock_fd is not None and (service, document) in self._cache:
            return list(self._cache[(service, document)])
        folder = self.folder(service, document) / "versions"
        versions: list[Version] = []
        if folder.is_dir():
            versions = [self._read_version(path) for path in folder.glob("*.json")]
            versions.sort(key=lambda v: (v.fetched_at, v.id))
        if self._lock_fd is not None:
            self._cache[(service, document)] = list(versions)
        return versions

    def latest(self, service: str, document: str) -> Version | None:
        versions = self.versions(service, document)
        return versions[-1] if versions else None

    def _read_version(self, path: Path) -> Version:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise StoreError(f"{path}: version record is unreadable ({exc.strerror})") from exc
        return parse_record(path, "version record", lambda: version_from_json(json.loads(data), path))

    def load_bytes(self, version: Version) -> bytes:
        path = self.folder(version.service, version.document) / "objects" / version.sha256
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise StoreError(f"{path}: raw bytes of version {version.id} are missing") from exc
        if sha256_hex(data) != version.sha256:
            raise StoreError(f"{path}: raw bytes of version {version.id} are corrupt (hash mismatch)")
        return data

    def load_snapshot(self, version: Version) -> Snapshot:
        """The version as a ``Snapshot`` (raw bytes plus everything kept around them)."""
        return Snapshot(
            content=self.load_bytes(version),
            url=version.url,
            final_url=version.final_url,
            fetched_at=version.fetched_at,
            headers=version.headers,
            media_type=version.media_type,
            service=version.service,
            document=version.document,
            selectors=version.selectors,
            remove_selectors=version.remove_selectors,
        )

    def load_document(self, version: Version) -> Document:
        """The normalized Document kept with the version."""
        folder = self.folder(version.service, version.document)
        path = folder / "normalized" / f"{version.normalized_sha256}.json"
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise StoreError(f"{path}: normalized document of version {version.id} is missing") from exc
        if sha256_hex(data) != version.normalized_sha256:
            raise StoreError(f"{path}: normalized document of version {version.id} is corrupt")
        return parse_record(path, "normalized document", lambda: document_from_json(data.decode("utf-8")))

    def normalized_for(self, snapshot: Snapshot, service: str, document: str) -> Document | None:
        """The normalized Document already stored for these exact bytes (same SHA-256, URL and
        selectors), so a page fetched again unchanged is not normalized again; None when new."""
        lineage = lineage_of(snapshot.url, snapshot.selectors, snapshot.remove_selectors)
        sha = snapshot.sha256
        for version in reversed(self.versions(service, document)):
            if version.sha256 == sha and version.lineage == lineage:
                try:
                    stored = self.load_document(version)
                except StoreError:
                    return None  # missing or corrupt: normalize the bytes again instead
                return attrs.evolve(stored, fetched_at=snapshot.fetched_at)
        return None

    def checks(self, service: str, document: str) -> list[Check]:
        path = self.folder(service, document) / "checks.jsonl"
        if not path.is_file():
            return []
        checks: list[Check] = []
        text = parse_record(path, "checks file", lambda: path.read_bytes().decode("utf-8"))
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                checks.append(parse_record(f"{path}:{number}", "check", functools.partial(_check, line)))
        return checks

    def assessment(self, version: Version) -> Assessment | None:
        path = self.folder(version.service, version.document) / "assessments" / f"{version.id}.json"
        if not path.is_file():
            return None
        result = parse_record(
            path, "assessment", lambda: structure(json.loads(path.read_bytes()), Assessment)
        )
        assert isinstance(result, Assessment)
        return result

    def find(self, service: str, document: str, version_id: str) -> Version:
        for version in self.versions(service, document):
            if version.id == version_id:
                return version
        raise StoreError(f"{service}/{document}: no version {version_id!r} in {self.root}")

    def fetch_state(self, service: str, document: str) -> FetchState:
        """Where fetching the document stands (failing since when, last success)."""
        return read_state(self.folder(service, document))

    def fetch_events(self, service: str, document: str) -> list[FetchEvent]:
        """The document's fetch transitions (started failing, recovered), oldest first."""
        return read_events(self.folder(service, document))

    def runs(self, limit: int) -> list[dict[str, Any]]:
        """The ``limit`` most recent watch run records, newest first."""
        return read_runs(self.root, limit)

    # ---- writing

    def save_run(self, started: datetime, record: Mapping[str, Any]) -> None:
        """Keep a watch run's record (what the index lists as a recent run)."""
        self._require_lock()
        write_run(self.root, started, record)

    def save_fetch_state(
        self, service: str, document: str, state: FetchState, event: FetchEvent | None
    ) -> None:
        """Keep a document's fetch state, and log the transition it made (if any)."""
        self._require_lock()
        folder = self.folder(service, document)
        write_state(folder, state)
        if event is not None:
            append_event(folder, event)

    def record(
        self,
        snapshot: Snapshot,
        document: Document,
        *,
        service: str | None = None,
        name: str | None = None,
        origin: str = "fetch",
    ) -> RecordResult:
        """Store a fetched snapshot and its normalized document, or record it as seen unchanged."""
        self._require_lock()
        service = service or snapshot.service
        name = name or snapshot.document
        if not service or not name:
            raise InputError("a snapshot needs a service and a document name to be stored")
        fetched_at = utc(snapshot.fetched_at)
        text_sha = sha256_hex(canonical_text(document).encode("utf-8"))
        lineage = lineage_of(snapshot.url, snapshot.selectors, snapshot.remove_selectors)
        history = self.versions(service, name)
        previous = history[-1] if history else None
        folder = self.folder(service, name)

        if previous is not None and previous.lineage == lineage and previous.text_sha256 == text_sha:
            check = _seen_again(snapshot, previous, fetched_at)
            self._append_check(folder, check)
            return RecordResult("unchanged", previous, previous=previous, check=check)

        kind, reverts_to = _classify(history, lineage, text_sha)
        if previous is not None and fetched_at <= previous.fetched_at:
            raise StoreError(
                f"{service}/{name}: fetch time {fetched_at.isoformat()} is not after the latest stored "
                f"version ({previous.fetched_at.isoformat()})"
            )
        normalized_sha = _write_parts(folder, snapshot, document_to_json(document).encode("utf-8"))

        version = Version(
            id=f"{stamp(fetched_at)}-{snapshot.sha256[:12]}",
            service=service,
            document=name,
            fetched_at=fetched_at,
            sha256=snapshot.sha256,
            normalized_sha256=normalized_sha,
            text_sha256=text_sha,
            url=snapshot.url,
            final_url=snapshot.final_url,
            headers=snapshot.headers,
            media_type=snapshot.media_type,
            selectors=snapshot.selectors,
            remove_selectors=snapshot.remove_selectors,
            lineage=lineage,
            lineage_start=kind in ("first", "new_lineage"),
            reverts_to=reverts_to.id if reverts_to is not None else None,
            size=len(snapshot.content),
            origin=origin,
        )
        # the commit point: the version record is written last
        write_json(folder / "versions" / f"{version.id}.json", version_to_json(version))
        if self._lock_fd is not None:
            self._cache[(service, name)] = [*history, version]
        return RecordResult(kind, version, previous=previous, reverts_to=reverts_to)

    def unreported(self, service: str, document: str) -> RecordResult | None:
        """The latest version as a change, when a run stored it but was stopped before reporting it.

        Watch saves an assessment once a change is reported; a fetched version that is a plain new
        text of its lineage and has none was never reported, so the next run reports it.
        """
        versions = self.versions(service, document)
        if len(versions) < 2:
            return None
        latest, previous = versions[-1], versions[-2]
        if latest.origin != "fetch" or latest.lineage_start or latest.reverts_to is not None:
            return None
        if previous.lineage != latest.lineage or self.assessment(latest) is not None:
            return None
        return RecordResult("new", latest, previous=previous)

    def record_seen(self, service: str, document: str, when: datetime | None = None) -> RecordResult:
        """Record a "seen unchanged" check for a fetch the server answered with 304 Not Modified."""
        self._require_lock()
        latest = self.latest(service, document)
        if latest is None:
            raise StoreError(f"{service}/{document}: not modified, but no version is stored to compare with")
        check = Check(checked_at=utc(when), version=latest.id, sha256=latest.sha256, same_bytes=True)
        self._append_check(self.folder(service, document), check)
        return RecordResult("unchanged", latest, previous=latest, check=check)

    def _append_check(self, folder: Path, check: Check) -> None:
        path = folder / "checks.jsonl"
        existing = path.read_bytes() if path.is_file() else b""
        if existing and not existing.endswith(b"\n"):
            existing += b"\n"
        line = json.dumps(unstructure(check), sort_keys=True) + "\n"
        atomic_write(path, existing + line.encode())

    def save_assessment(self, service: str, document: str, assessment: Assessment) -> None:
        """Keep what comparing a version with its predecessor found (for history and feeds)."""
        self._require_lock()
        path = self.folder(service, document) / "assessments" / f"{assessment.version}.json"
        write_json(path, unstructure(assessment))


def _seen_again(snapshot: Snapshot, previous: Version, fetched_at: datetime) -> Check:
    """The check recording a fetch whose text equals the latest version (with its validators)."""
    lowered = {k.lower(): v for k, v in snapshot.headers.items()}
    return Check(
        checked_at=fetched_at,
        version=previous.id,
        sha256=snapshot.sha256,
        same_bytes=snapshot.sha256 == previous.sha256,
        etag=lowered.get("etag"),
        last_modified=lowered.get("last-modified"),
    )


def _classify(history: list[Version], lineage: str, text_sha: str) -> tuple[RecordKind, Version | None]:
    """What a new text is against the stored ones: first, new lineage, flapping back, or new."""
    if not history:
        return "first", None
    if history[-1].lineage != lineage:
        return "new_lineage", None
    same = [v for v in history[:-1] if v.lineage == lineage and v.text_sha256 == text_sha]
    return ("flapping", same[-1]) if same else ("new", None)


def _write_parts(folder: Path, snapshot: Snapshot, doc_json: bytes) -> str:
    """Write the raw bytes and the normalized document (unless intact copies exist); the latter's hash."""
    normalized_sha = sha256_hex(doc_json)
    objects = folder / "objects" / snapshot.sha256
    if not objects.is_file() or sha256_hex(objects.read_bytes()) != snapshot.sha256:
        atomic_write(objects, snapshot.content)
    normalized = folder / "normalized" / f"{normalized_sha}.json"
    if not normalized.is_file() or sha256_hex(normalized.read_bytes()) != normalized_sha:
        atomic_write(normalized, doc_json)
    return normalized_sha


def _check(line: str) -> Check:
    check = structure(json.loads(line), Check)
    if not isinstance(check, Check):
        raise TypeError(f"not a check: {line:.60}")
    return check
