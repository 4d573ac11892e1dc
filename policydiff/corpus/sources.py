"""Where version histories come from: an Open Terms Archive versions repository, a policydiff store, or
a folder of dated files. Each source lists its histories (cheap: names, dates, ids) on the client and
reads one version's bytes on whichever worker compares it.

- ``git``: every commit touching ``<Service>/<Document>.{md,html,txt}`` is a version, dated by its
  commit time (the same reading as ``policydiff backfill``); the version id is the commit hash.
- ``store``: the stored versions of every ``service/document``; the version id is the store's.
- ``folder``: ``SERVICE/DOCUMENT/DATE*.{md,html,txt}``, ``DATE`` being ``YYYY-MM-DD`` with an optional
  time; the version id is the file name.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import attrs

from policydiff.errors import InputError, PolicyDiffError

__all__ = ["History", "SourceSpec", "VersionRef", "histories", "open_source", "read_version"]

SourceKind = Literal["git", "store", "folder"]
SUFFIXES = (".md", ".html", ".htm", ".txt")
_MEDIA = {".md": "text/markdown", ".html": "text/html", ".htm": "text/html", ".txt": "text/plain"}
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:T(\d{2})[:-]?(\d{2})(?:[:-]?(\d{2}))?)?")


class SourceError(PolicyDiffError, OSError):
    """One version of a history cannot be read (a broken commit, a missing or unreadable file)."""


@attrs.frozen
class SourceSpec:
    """A source of histories: its kind and its root folder (what each worker needs to read it)."""

    kind: SourceKind
    root: str


@attrs.frozen
class VersionRef:
    """One version of a document, named but not read: ``locator`` tells ``read_version`` where it is."""

    id: str
    date: datetime
    locator: str
    media_type: str


def _refs(value: Iterable[VersionRef]) -> tuple[VersionRef, ...]:
    return tuple(value)


@attrs.frozen
class History:
    """The versions of one document, oldest first."""

    service: str
    document: str
    versions: tuple[VersionRef, ...] = attrs.field(converter=_refs)

    @property
    def key(self) -> str:
        return f"{self.service}/{self.document}"


def open_source(path: str | os.PathLike[str]) -> SourceSpec:
    """Recognise what ``path`` holds: a git repository, a policydiff store, or a folder of dated files."""
    root = Path(path)
    if not root.is_dir():
        raise InputError(f"{root}: no such folder (give a versions git repository, a store or a folder)")
    if (root / ".git").exists():
        return SourceSpec("git", str(root.resolve()))
    if any(root.glob("*/*/versions")):
        return SourceSpec("store", str(root.resolve()))
    if any(root.glob("*/*/*")):
        return SourceSpec("folder", str(root.resolve()))
    raise InputError(
        f"{root}: not a git repository, a policydiff store, or a folder of SERVICE/DOCUMENT/DATE.md files"
    )


def histories(source: SourceSpec) -> Iterator[History]:
    """Every document history of ``source``, in a stable order (service, then document)."""
    if source.kind == "git":
        yield from _git_histories(Path(source.root))
    elif source.kind == "store":
        yield from _store_histories(Path(source.root))
    else:
        yield from _folder_histories(Path(source.root))


def read_version(source: SourceSpec, history: History, ref: VersionRef) -> bytes:
    """The bytes of one version; ``SourceError`` with the reason when they cannot be read."""
    if source.kind == "git":
        return _git(Path(source.root), "show", ref.locator)
    if source.kind == "store":
        from policydiff.store import Store

        store = Store(source.root)
        try:
            return store.load_bytes(store.find(history.service, history.document, ref.locator))
        except PolicyDiffError as exc:
            raise SourceError(str(exc)) from exc
    try:
        return (Path(source.root) / ref.locator).read_bytes()
    except OSError as exc:
        raise SourceError(f"{ref.locator}: cannot read ({exc.strerror or exc})") from exc


# --------------------------------------------------------------------------- git


def _git(repo: Path, *args: str) -> bytes:
    try:
        proc = subprocess.run(
            ["git", "-c", "core.quotePath=false", "-C", str(repo), *args], capture_output=True, check=False
        )
    except FileNotFoundError as exc:
        raise SourceError("reading a versions repository needs git, and git was not found") from exc
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SourceError(f"git {' '.join(args)} failed: {message[-1] if message else 'no message'}")
    return proc.stdout


def _git_histories(repo: Path) -> Iterator[History]:
    """One pass over ``git log``: each added or modified ``Service/Document.ext`` is a version."""
    log = _git(repo, "log", "--reverse", "--no-renames", "--format=commit %H %cI", "--name-status")
    found: dict[tuple[str, str], list[VersionRef]] = {}
    commit, when = "", datetime.min.replace(tzinfo=UTC)
    for line in log.decode("utf-8", "replace").splitlines():
        if line.startswith("commit "):
            _, commit, stamp = line.split(" ", 2)
            when = datetime.fromisoformat(stamp).astimezone(UTC)
            continue
        status, _, path = line.partition("\t")
        suffix = Path(path).suffix.lower()
        if not path or path.count("/") != 1 or path.startswith(".") or suffix not in SUFFIXES:
            continue
        if status[:1] not in ("A", "M"):
            continue  # a deleted document has no version in this commit
        service, document = path.split("/")
        ref = VersionRef(commit, when, f"{commit}:{path}", _MEDIA[suffix])
        found.setdefault((service, document.removesuffix(suffix)), []).append(ref)
    if not found:
        raise InputError(f"{repo}: no <Service>/<Document>.md files in the repository's history")
    for (service, document), refs in sorted(found.items()):
        yield History(service, document, refs)


# --------------------------------------------------------------------------- store and folder


def _store_histories(root: Path) -> Iterator[History]:
    from policydiff.store import Store

    store = Store(root)
    for service, document in store.documents():
        refs = [
            VersionRef(v.id, v.fetched_at, v.id, v.media_type or "text/html")
            for v in store.versions(service, document)
        ]
        if refs:
            yield History(service, document, refs)


def _folder_histories(root: Path) -> Iterator[History]:
    for service_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for document_dir in sorted(p for p in service_dir.iterdir() if p.is_dir()):
            refs = []
            for path in sorted(document_dir.iterdir()):
                match = _DATE.match(path.name)
                if not match or path.suffix.lower() not in SUFFIXES or not path.is_file():
                    continue
                date, hour, minute, second = match.groups()
                when = datetime.fromisoformat(f"{date}T{hour or '00'}:{minute or '00'}:{second or '00'}")
                refs.append(
                    VersionRef(
                        path.name,
                        when.replace(tzinfo=UTC),
                        str(path.relative_to(root)),
                        _MEDIA[path.suffix.lower()],
                    )
                )
            if refs:
                yield History(service_dir.name, document_dir.name, refs)
