"""The snapshot store: every fetched version kept as evidence, on disk, safe against crashes.

Layout (one folder per service/document, everything content-addressed by SHA-256)::

    STORE/
      .lock                                   fcntl lock: one writing run at a time
      <service>/<document>/
        objects/<sha256>                      raw bytes as fetched
        normalized/<sha256>.json              the normalized Document (JSON), keyed by its own hash
        versions/<stamp>-<sha12>.json         one stored version: URLs, headers, times, hashes, selectors
        assessments/<version id>.json         what the watch found comparing it with its predecessor
        checks.jsonl                          "seen unchanged" checks, one JSON object a line

Every file is written atomically (temp file in the same folder, fsync, ``os.replace``, fsync of the
folder). A version file is written last and names the hashes of everything it refers to, so a crash at
any moment leaves either the old state or the new one: at worst an unreferenced object, never a version
pointing at missing or partial data. ``verify`` checks every hash.

A fetch whose normalized text equals the latest version is recorded as a check, not a version. A new
version whose text equals an older one (not the latest) is recorded as *flapping*: "back to the version
of <date>". A change of URL or selectors starts a new *lineage*; versions are never compared across
lineages without saying so.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import tempfile
import types
import typing
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, unquote

import attrs

from policydiff import model
from policydiff.errors import InputError, PolicyDiffError, StoreError, StoreLockedError
from policydiff.model import Document, Snapshot, sha256_hex, unstructure

__all__ = [
    "Assessment",
    "BackfillResult",
    "Check",
    "HistoryEntry",
    "Problem",
    "RecordResult",
    "Store",
    "Version",
    "backfill",
    "canonical_text",
    "document_from_json",
    "document_to_json",
    "history",
    "lineage_note",
    "resolve_reference",
    "verify",
]

FORMAT_VERSION = 1
LOCK_NAME = ".lock"
TMP_PREFIX = ".tmp-"
RecordKind = Literal["first", "new", "unchanged", "flapping", "new_lineage"]


# --------------------------------------------------------------------------- values


def _dict(value: Mapping[str, Any]) -> dict[str, Any]:
    return dict(value)


def _strs(value: typing.Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen
class Version:
    """One stored version of a document: its identity, provenance and the hashes of its parts."""

    id: str
    service: str
    document: str
    fetched_at: datetime
    sha256: str  # raw bytes
    normalized_sha256: str  # the normalized Document JSON
    text_sha256: str  # canonical text: what decides "changed"
    url: str | None = None
    final_url: str | None = None
    headers: Mapping[str, str] = attrs.field(factory=dict, converter=_dict)
    media_type: str | None = None
    selectors: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    remove_selectors: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    lineage: str = ""
    lineage_start: bool = False
    reverts_to: str | None = None  # id of the older version this one is identical to (flapping)
    size: int = 0
    origin: str = "fetch"  # "fetch" (a watch run), "import" (backfill), "demo"

    @property
    def key(self) -> str:
        return f"{self.service}/{self.document}"

    @property
    def date(self) -> str:
        return self.fetched_at.strftime("%Y-%m-%d")


@attrs.frozen
class Check:
    """A fetch that found the same text as the latest version ("seen unchanged")."""

    checked_at: datetime
    version: str  # the id of the version that was seen again
    sha256: str  # raw bytes of this fetch: may differ from the version's when only noise changed
    same_bytes: bool
    etag: str | None = None  # validators of this fetch, for the next conditional request
    last_modified: str | None = None


@attrs.frozen
class RecordResult:
    """What ``Store.record`` did with a snapshot and what it should be compared with."""

    kind: RecordKind
    version: Version  # the new version, or the latest one for "unchanged"
    previous: Version | None = None  # the latest version before this fetch
    reverts_to: Version | None = None  # for "flapping": the older identical version
    check: Check | None = None  # for "unchanged"

    @property
    def is_change(self) -> bool:
        """A new text in the same lineage: the one case that is compared and may be alerted."""
        return self.kind == "new"

    def describe(self) -> str:
        if self.kind == "first":
            return "first version recorded (baseline)"
        if self.kind == "unchanged":
            if self.check is not None and not self.check.same_bytes:
                return "seen unchanged (the page bytes changed, its text did not)"
            return "seen unchanged"
        if self.kind == "flapping" and self.reverts_to is not None:
            return f"back to the version of {self.reverts_to.date} ({self.reverts_to.id})"
        if self.kind == "new_lineage":
            return "URL or selectors changed: new lineage started, not compared with the old one"
        return "new version"


@attrs.frozen
class Assessment:
    """The watch's comparison of a version with its predecessor, kept for history and feeds."""

    version: str
    previous: str | None
    compared_at: datetime
    material_changes: int
    findings: int
    findings_by_severity: Mapping[str, int] = attrs.field(factory=dict, converter=_dict)
    explanations: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    report: str | None = None  # path of the redline, relative to the report folder
    title: str = ""  # "Service — Document" for feeds and history


@attrs.frozen
class Problem:
    """Something ``verify`` found wrong (``error``) or worth knowing (``warning``)."""

    path: str
    message: str
    level: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        return f"{self.level}: {self.path}: {self.message}"


# --------------------------------------------------------------------------- canonical text & JSON


def canonical_text(document: Document) -> str:
    """What two versions must share to count as the same: titles, clauses, announcements, upcoming."""
    lines: list[str] = []
    for section in document.sections():
        if section.canonical_title:
            lines.append(f"# {section.canonical_title}")
        lines.extend(clause.canonical for clause in section.clauses)
    for announcement in document.announcements:
        lines.append(f"! {announcement.text}")
    if document.upcoming is not None:
        lines.append("--- upcoming")
        for section in document.upcoming.walk():
            if section.canonical_title:
                lines.append(f"# {section.canonical_title}")
            lines.extend(clause.canonical for clause in section.clauses)
    return "\n".join(lines)


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls, vars(model))
    return _HINTS[cls]


def _structure(value: Any, tp: Any) -> Any:
    """Rebuild a value of type ``tp`` (model classes, tuples, optionals, datetimes) from JSON data."""
    origin = typing.get_origin(tp)
    if tp is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _structure(value, args[0]) if len(args) == 1 else value
    if origin is tuple:
        item = typing.get_args(tp)[0]
        return tuple(_structure(v, item) for v in value)
    if origin is typing.Literal:
        return value
    if (origin is not None and origin in (Mapping, dict)) or tp is dict:
        return dict(value)
    if isinstance(tp, type) and attrs.has(tp):
        hints = _hints(tp)
        known = {f.name for f in attrs.fields(tp)}
        return tp(**{k: _structure(v, hints[k]) for k, v in value.items() if k in known})
    if tp is datetime:
        return datetime.fromisoformat(value) if value is not None else None
    return value


def document_to_json(document: Document) -> str:
    """A Document as deterministic JSON (sorted keys), for content-addressed storage."""
    return json.dumps(unstructure(document), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def document_from_json(text: str) -> Document:
    """The inverse of ``document_to_json``; unknown keys (from newer versions) are ignored."""
    result = _structure(json.loads(text), Document)
    assert isinstance(result, Document)
    return result


# --------------------------------------------------------------------------- atomic files


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so that readers (and crashes) see the old file or the new one.

    ``durable`` also fsyncs the file before the rename and the folder after it, so the new state
    survives a power cut too; derived files that are rebuilt every run (reports) may skip that.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        _fsync_dir(path.parent)


def _write_json(path: Path, data: Any) -> None:
    atomic_write(path, (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode())


# --------------------------------------------------------------------------- names on disk

_SAFE = " -_.,()&'+@!~"


def name_to_dir(name: str) -> str:
    """A service or document name as one folder name, reversibly (``/`` and friends %-escaped)."""
    if not name or not name.strip():
        raise InputError("a service or document name cannot be empty")
    encoded = quote(name, safe=_SAFE)
    if encoded.startswith("."):
        encoded = "%2E" + encoded[1:]
    return encoded


def dir_to_name(folder: str) -> str:
    return unquote(folder)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.now(UTC)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def lineage_of(url: str | None, selectors: tuple[str, ...], remove: tuple[str, ...]) -> str:
    """The identity of how a document is obtained: URL and selectors. A new one is a new lineage."""
    blob = json.dumps([url or "", list(selectors), list(remove)])
    return sha256_hex(blob.encode())[:16]


def _version_to_json(version: Version) -> dict[str, Any]:
    data: dict[str, Any] = unstructure(version)
    data["format"] = FORMAT_VERSION
    body = json.dumps(data, sort_keys=True, ensure_ascii=False)
    data["checksum"] = sha256_hex(body.encode())
    return data


def _version_from_json(data: Mapping[str, Any], path: Path) -> Version:
    body = {k: v for k, v in data.items() if k != "checksum"}
    expected = sha256_hex(json.dumps(body, sort_keys=True, ensure_ascii=False).encode())
    if data.get("checksum") != expected:
        raise StoreError(f"{path}: version record is corrupt (checksum mismatch)")
    try:
        version = _structure({k: v for k, v in body.items() if k != "format"}, Version)
    except (TypeError, ValueError, KeyError) as exc:
        raise StoreError(f"{path}: version record is unreadable ({exc})") from exc
    assert isinstance(version, Version)
    return version


# --------------------------------------------------------------------------- the store


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
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.root}: cannot create the store folder ({exc.strerror})") from exc
        lock_path = self.root / LOCK_NAME
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = ""
            with contextlib.suppress(OSError, ValueError):
                holder = os.pread(fd, 64, 0).decode().strip()
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                who = f" (pid {holder})" if holder else ""
                raise StoreLockedError(
                    f"{self.root}: the store is locked by another policydiff run{who}; "
                    "wait for it to finish (the lock is released when that process exits)"
                ) from exc
            raise StoreError(f"{lock_path}: cannot lock the store ({exc.strerror})") from exc
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._lock_fd = fd
        self._clean_temp_files()

    def release(self) -> None:
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._lock_fd, 0)
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
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

    def documents(self) -> list[tuple[str, str]]:
        """Every (service, document) with at least one stored version, sorted."""
        found: list[tuple[str, str]] = []
        if not self.root.is_dir():
            return found
        for service_dir in sorted(p for p in self.root.iterdir() if p.is_dir()):
            if service_dir.name.startswith("."):
                continue
            for doc_dir in sorted(p for p in service_dir.iterdir() if p.is_dir()):
                if (doc_dir / "versions").is_dir():
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
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise StoreError(f"{path}: version record is unreadable ({exc})") from exc
        return _version_from_json(data, path)

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
        path = (
            self.folder(version.service, version.document)
            / "normalized"
            / f"{version.normalized_sha256}.json"
        )
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise StoreError(f"{path}: normalized document of version {version.id} is missing") from exc
        if sha256_hex(data) != version.normalized_sha256:
            raise StoreError(f"{path}: normalized document of version {version.id} is corrupt")
        return document_from_json(data.decode("utf-8"))

    def checks(self, service: str, document: str) -> list[Check]:
        path = self.folder(service, document) / "checks.jsonl"
        if not path.is_file():
            return []
        checks: list[Check] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                check = _structure(json.loads(line), Check)
                checks.append(check)
        return checks

    def assessment(self, version: Version) -> Assessment | None:
        path = self.folder(version.service, version.document) / "assessments" / f"{version.id}.json"
        if not path.is_file():
            return None
        result = _structure(json.loads(path.read_text(encoding="utf-8")), Assessment)
        assert isinstance(result, Assessment)
        return result

    def find(self, service: str, document: str, version_id: str) -> Version:
        for version in self.versions(service, document):
            if version.id == version_id:
                return version
        raise StoreError(f"{service}/{document}: no version {version_id!r} in {self.root}")

    # ---- writing

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
        fetched_at = _utc(snapshot.fetched_at)
        text_sha = sha256_hex(canonical_text(document).encode("utf-8"))
        lineage = lineage_of(snapshot.url, snapshot.selectors, snapshot.remove_selectors)
        history = self.versions(service, name)
        previous = history[-1] if history else None
        folder = self.folder(service, name)

        if previous is not None and previous.lineage == lineage and previous.text_sha256 == text_sha:
            lowered = {k.lower(): v for k, v in snapshot.headers.items()}
            check = Check(
                checked_at=fetched_at,
                version=previous.id,
                sha256=snapshot.sha256,
                same_bytes=snapshot.sha256 == previous.sha256,
                etag=lowered.get("etag"),
                last_modified=lowered.get("last-modified"),
            )
            self._append_check(folder, check)
            return RecordResult("unchanged", previous, previous=previous, check=check)

        kind: RecordKind
        reverts_to: Version | None = None
        if previous is None:
            kind = "first"
        elif previous.lineage != lineage:
            kind = "new_lineage"
        else:
            same = [v for v in history[:-1] if v.lineage == lineage and v.text_sha256 == text_sha]
            reverts_to = same[-1] if same else None
            kind = "flapping" if reverts_to is not None else "new"

        if previous is not None and fetched_at <= previous.fetched_at:
            raise StoreError(
                f"{service}/{name}: fetch time {fetched_at.isoformat()} is not after the latest stored "
                f"version ({previous.fetched_at.isoformat()})"
            )
        doc_json = document_to_json(document).encode("utf-8")
        normalized_sha = sha256_hex(doc_json)
        objects = folder / "objects" / snapshot.sha256
        if not objects.is_file() or sha256_hex(objects.read_bytes()) != snapshot.sha256:
            atomic_write(objects, snapshot.content)
        normalized = folder / "normalized" / f"{normalized_sha}.json"
        if not normalized.is_file() or sha256_hex(normalized.read_bytes()) != normalized_sha:
            atomic_write(normalized, doc_json)

        version = Version(
            id=f"{_stamp(fetched_at)}-{snapshot.sha256[:12]}",
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
        _write_json(folder / "versions" / f"{version.id}.json", _version_to_json(version))
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
        check = Check(checked_at=_utc(when), version=latest.id, sha256=latest.sha256, same_bytes=True)
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
        _write_json(path, unstructure(assessment))


# --------------------------------------------------------------------------- verify


def verify(store_dir: str | os.PathLike[str]) -> list[Problem]:
    """Check every hash in the store; return the problems found (empty when all is well)."""
    root = Path(store_dir)
    if not root.is_dir():
        raise StoreError(f"{root}: no such store folder")
    store = Store(root)
    problems: list[Problem] = []
    for tmp in root.rglob(f"{TMP_PREFIX}*"):
        problems.append(Problem(str(tmp), "temporary file left by an interrupted run", "warning"))
    for service_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for doc_dir in sorted(p for p in service_dir.iterdir() if p.is_dir()):
            problems.extend(_verify_document(store, doc_dir))
    return problems


def _verify_document(store: Store, folder: Path) -> list[Problem]:
    problems: list[Problem] = []
    referenced_objects: set[str] = set()
    referenced_normalized: set[str] = set()
    versions: list[Version] = []
    for path in sorted((folder / "versions").glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            version = _version_from_json(data, path)
        except (OSError, ValueError, StoreError) as exc:
            message = str(exc).removeprefix(f"{path}: ")
            problems.append(Problem(str(path), message))
            continue
        if path.stem != version.id:
            problems.append(Problem(str(path), f"file name does not match version id {version.id}"))
        versions.append(version)
        referenced_objects.add(version.sha256)
        referenced_normalized.add(version.normalized_sha256)
        raw = folder / "objects" / version.sha256
        if not raw.is_file():
            problems.append(Problem(str(raw), f"raw bytes of version {version.id} are missing"))
        elif sha256_hex(raw.read_bytes()) != version.sha256:
            problems.append(
                Problem(str(raw), f"raw bytes of version {version.id} are corrupt (hash mismatch)")
            )
        norm = folder / "normalized" / f"{version.normalized_sha256}.json"
        if not norm.is_file():
            problems.append(Problem(str(norm), f"normalized document of version {version.id} is missing"))
            continue
        data_bytes = norm.read_bytes()
        if sha256_hex(data_bytes) != version.normalized_sha256:
            problems.append(Problem(str(norm), f"normalized document of version {version.id} is corrupt"))
            continue
        try:
            doc = document_from_json(data_bytes.decode("utf-8"))
        except (ValueError, TypeError, KeyError) as exc:
            problems.append(Problem(str(norm), f"normalized document cannot be read ({exc})"))
            continue
        if sha256_hex(canonical_text(doc).encode("utf-8")) != version.text_sha256:
            problems.append(Problem(str(norm), f"text hash of version {version.id} does not match"))
    ids = {v.id for v in versions}
    for version in versions:
        if version.reverts_to is not None and version.reverts_to not in ids:
            problems.append(
                Problem(str(folder), f"version {version.id} reverts to unknown {version.reverts_to}")
            )
    checks = folder / "checks.jsonl"
    if checks.is_file():
        for number, line in enumerate(checks.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                check = _structure(json.loads(line), Check)
            except (ValueError, TypeError, KeyError) as exc:
                problems.append(Problem(f"{checks}:{number}", f"unreadable check ({exc})"))
                continue
            if check.version not in ids:
                problems.append(
                    Problem(f"{checks}:{number}", f"check refers to unknown version {check.version}")
                )
    for sub, referenced, suffix in (
        ("objects", referenced_objects, ""),
        ("normalized", referenced_normalized, ".json"),
    ):
        for path in sorted((folder / sub).glob("*")):
            if path.name.startswith(TMP_PREFIX):
                continue
            digest = path.name.removesuffix(suffix)
            if digest not in referenced:
                problems.append(
                    Problem(
                        str(path), "not referenced by any version (left by an interrupted run)", "warning"
                    )
                )
    del store
    return problems


# --------------------------------------------------------------------------- references

_REF = re.compile(r"^(?P<key>[^@]+)@(?P<when>.+)$")


def parse_reference(reference: str) -> tuple[str, str, str]:
    """Split ``SERVICE/DOCUMENT@WHEN`` into its three parts (``WHEN``: latest, previous, a date)."""
    match = _REF.match(reference.strip())
    if not match or "/" not in match["key"]:
        raise InputError(
            f"{reference!r} is not a store reference: use SERVICE/DOCUMENT@latest, @previous, "
            "@YYYY-MM-DD or @YYYY-MM-DDTHH:MM:SS"
        )
    service, _, document = match["key"].rpartition("/")
    return service, document, match["when"]


def is_reference(value: str) -> bool:
    """Whether ``value`` looks like a store reference rather than a file path."""
    return bool(_REF.match(value)) and "/" in value.split("@", 1)[0] and not Path(value).exists()


def resolve_version(store_dir: str | os.PathLike[str], reference: str) -> Version:
    """The stored ``Version`` a reference names (see ``resolve_reference``)."""
    service, document, when = parse_reference(reference)
    store = Store(store_dir)
    versions = store.versions(service, document)
    if not versions:
        known = ", ".join(f"{s}/{d}" for s, d in store.documents()) or "none"
        raise InputError(
            f"{reference}: no stored versions of {service}/{document} in {store_dir} (known: {known})"
        )
    if when == "latest":
        return versions[-1]
    if when == "previous":
        if len(versions) < 2:
            raise InputError(f"{reference}: {service}/{document} has only one stored version")
        return versions[-2]
    try:
        moment = datetime.fromisoformat(when)
    except ValueError as exc:
        raise InputError(
            f"{reference}: {when!r} is not latest, previous, a date (YYYY-MM-DD) or a timestamp"
        ) from exc
    if len(when) == 10:  # a date: the latest version on or before the end of that day
        moment = moment.replace(hour=23, minute=59, second=59, microsecond=999999)
    moment = _utc(moment)
    candidates = [v for v in versions if v.fetched_at <= moment]
    if not candidates:
        raise InputError(
            f"{reference}: no version of {service}/{document} at or before {when} "
            f"(the first is from {versions[0].fetched_at.isoformat()})"
        )
    return candidates[-1]


def resolve_reference(store_dir: str | os.PathLike[str], reference: str) -> Snapshot:
    """A ``Snapshot`` from the store for ``SERVICE/DOCUMENT@DATE|@latest|@previous``.

    ``DATE`` is ``YYYY-MM-DD`` (the latest version fetched on or before that day, UTC) or a full
    ISO timestamp (the latest version at or before it).
    """
    store = Store(store_dir)
    return store.load_snapshot(resolve_version(store_dir, reference))


def lineage_note(store_dir: str | os.PathLike[str], old_reference: str, new_reference: str) -> str | None:
    """A warning to show when two store references lie in different lineages, else None.

    A lineage ends when a document's URL or selectors change; comparing across one compares two
    different extractions, so a caller that does it must say so.
    """
    old = resolve_version(store_dir, old_reference)
    new = resolve_version(store_dir, new_reference)
    if old.key != new.key or old.lineage == new.lineage:
        return None
    changed = []
    if old.url != new.url:
        changed.append(f"URL {old.url} -> {new.url}")
    if old.selectors != new.selectors or old.remove_selectors != new.remove_selectors:
        changed.append("selectors")
    return (
        f"{old.key}: {old.date} and {new.date} are in different lineages ({', '.join(changed)} changed); "
        "differences may come from how the page is read, not from the policy"
    )


# --------------------------------------------------------------------------- history


@attrs.frozen
class HistoryEntry:
    """One line of ``policydiff history``: a stored version and what comparing it found."""

    version: Version
    status: str  # "first", "new lineage", "back to <date>", "changed"
    findings: int | None = None  # None: not compared (a baseline)
    findings_by_severity: Mapping[str, int] = attrs.field(factory=dict, converter=_dict)
    material_changes: int | None = None
    checks: int = 0  # "seen unchanged" checks of this version


def history(store_dir: str | os.PathLike[str], selector: str, *, compute: bool = True) -> list[HistoryEntry]:
    """Versions of ``SERVICE`` or ``SERVICE/DOCUMENT``, oldest first, with finding counts.

    Counts come from what watch recorded; versions it never compared (imported by backfill) are
    compared with their predecessor now when ``compute`` is true.
    """
    store = Store(store_dir)
    if not store.root.is_dir():
        raise StoreError(f"{store.root}: no such store folder")
    service, _, document = selector.strip().strip("/").partition("/")
    pairs = [(s, d) for s, d in store.documents() if s == service and (not document or d == document)]
    if not pairs:
        known = ", ".join(sorted({s for s, _ in store.documents()})) or "none"
        raise InputError(f"{selector}: nothing stored under this name in {store.root} (services: {known})")
    entries: list[HistoryEntry] = []
    for service_name, document_name in pairs:
        versions = store.versions(service_name, document_name)
        checks: dict[str, int] = {}
        for check in store.checks(service_name, document_name):
            checks[check.version] = checks.get(check.version, 0) + 1
        by_id = {v.id: v for v in versions}
        for index, version in enumerate(versions):
            status = "changed"
            if version.lineage_start:
                status = "first" if index == 0 else "new lineage (URL or selectors changed)"
            elif version.reverts_to is not None:
                back = by_id.get(version.reverts_to)
                status = f"back to the version of {back.date if back else version.reverts_to}"
            entry = HistoryEntry(version, status, checks=checks.get(version.id, 0))
            assessment = store.assessment(version)
            if assessment is not None:
                entry = attrs.evolve(
                    entry,
                    findings=assessment.findings,
                    findings_by_severity=assessment.findings_by_severity,
                    material_changes=assessment.material_changes,
                )
            elif compute and status == "changed" and index > 0:
                from policydiff.compare import compare

                comparison = compare(
                    store.load_document(versions[index - 1]), store.load_document(version), name=document_name
                )
                summary = comparison.summary
                entry = attrs.evolve(
                    entry,
                    findings=summary.findings,
                    findings_by_severity=summary.findings_by_severity,
                    material_changes=summary.material_changes,
                )
            entries.append(entry)
    return entries


# --------------------------------------------------------------------------- backfill


@attrs.frozen
class BackfillResult:
    """What ``backfill`` imported: versions per document, and what it skipped."""

    imported: Mapping[str, int] = attrs.field(factory=dict, converter=_dict)
    unchanged: int = 0
    skipped: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    already: int = 0  # commits not newer than what the store holds (an earlier import)


def _git(repo: Path, *args: str) -> bytes:
    import subprocess

    try:
        proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise StoreError("backfill needs git, and the git command was not found") from exc
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip()
        raise StoreError(f"{repo}: git {args[0]} failed: {message}")
    return proc.stdout


def backfill(
    repo_dir: str | os.PathLike[str],
    store_dir: str | os.PathLike[str],
    *,
    targets: Any = None,
    log: typing.Callable[[str], None] | None = None,
) -> BackfillResult:
    """Import an Open Terms Archive *versions* repository's history into the store.

    Each commit touching ``<Service>/<Document>.md`` is one version, dated by its commit time. The
    store keys are the slugs of the service and document names (as ``targets import-ota`` makes
    them). With ``targets`` (a ``Targets``), versions of a known target carry its URL and selectors,
    so the first watch run continues the lineage instead of starting a new one.
    """
    from policydiff.normalize import normalize
    from policydiff.targets import slugify

    repo = Path(repo_dir)
    if not (repo / ".git").exists() and not _git_is_repo(repo):
        raise InputError(f"{repo}: not a git repository (expected an Open Terms Archive versions repository)")
    say = log or (lambda message: None)
    files = [
        line
        for line in _git(repo, "ls-files", "-z").decode("utf-8").split("\0")
        if line.endswith(".md") and line.count("/") == 1 and not line.startswith(".")
    ]
    if not files:
        raise InputError(f"{repo}: no <Service>/<Document>.md files found")
    known: dict[str, Any] = {}
    if targets is not None:
        known = {target.key: target for target in targets.documents}
    imported: dict[str, int] = {}
    unchanged = already = 0
    skipped: list[str] = []
    store = Store(store_dir)
    with store.locked():
        for path in sorted(files):
            service_name, document_file = path.split("/")
            service, document = slugify(service_name), slugify(document_file.removesuffix(".md"))
            target = known.get(f"{service}/{document}")
            log_lines = _git(repo, "log", "--reverse", "--format=%H %cI", "--", path).decode().splitlines()
            for line in log_lines:
                commit, _, when = line.partition(" ")
                try:
                    content = _git(repo, "show", f"{commit}:{path}")
                except StoreError:
                    skipped.append(f"{path}@{commit[:9]}: deleted in this commit")
                    continue
                fetched_at = _utc(datetime.fromisoformat(when))
                latest = store.latest(service, document)
                if latest is not None and fetched_at <= latest.fetched_at:
                    already += 1
                    continue
                snapshot = Snapshot(
                    content=content,
                    url=target.url if target is not None else None,
                    final_url=target.url if target is not None else None,
                    fetched_at=fetched_at,
                    headers={"x-ota-commit": commit, "x-ota-path": path},
                    media_type="text/markdown",
                    service=service,
                    document=document,
                    selectors=target.select if target is not None else (),
                    remove_selectors=target.remove if target is not None else (),
                )
                try:
                    doc = normalize(attrs.evolve(snapshot, selectors=(), remove_selectors=()))
                except PolicyDiffError as exc:
                    skipped.append(f"{path}@{commit[:9]}: {exc}")
                    continue
                result = store.record(snapshot, doc, origin="import")
                if result.kind == "unchanged":
                    unchanged += 1
                else:
                    imported[f"{service}/{document}"] = imported.get(f"{service}/{document}", 0) + 1
            say(f"{service}/{document}: {imported.get(f'{service}/{document}', 0)} versions from {path}")
    return BackfillResult(imported, unchanged, tuple(skipped), already)


def _git_is_repo(path: Path) -> bool:
    try:
        return _git(path, "rev-parse", "--is-inside-work-tree").strip() == b"true"
    except StoreError:
        return False
