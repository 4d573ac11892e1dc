"""Backfill: an Open Terms Archive *versions* repository's git history imported into the store."""

from __future__ import annotations

import os
import typing
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs

from policydiff.errors import InputError, PolicyDiffError, StoreError
from policydiff.model import Snapshot
from policydiff.store import Store
from policydiff.store.codec import utc
from policydiff.targets import slugify

__all__ = ["BackfillResult", "backfill"]


def _dict(value: Mapping[str, int]) -> dict[str, int]:
    return dict(value)


def _strs(value: typing.Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


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


class _Tally:
    """What a backfill did so far (mutable while it runs; ``result`` freezes it)."""

    def __init__(self) -> None:
        self.imported: dict[str, int] = {}
        self.unchanged = 0
        self.already = 0
        self.skipped: list[str] = []

    def result(self) -> BackfillResult:
        return BackfillResult(self.imported, self.unchanged, tuple(self.skipped), self.already)


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
    known = {target.key: target for target in targets.documents} if targets is not None else {}
    tally = _Tally()
    store = Store(store_dir)
    with store.locked():
        for path in sorted(files):
            service_name, document_file = path.split("/")
            key = f"{slugify(service_name)}/{slugify(document_file.removesuffix('.md'))}"
            _import_file(store, repo, path, key, known.get(key), tally)
            say(f"{key}: {tally.imported.get(key, 0)} versions from {path}")
    return tally.result()


def _import_file(store: Store, repo: Path, path: str, key: str, target: Any, tally: _Tally) -> None:
    """Every commit of one ``<Service>/<Document>.md`` newer than the store's latest, as versions."""
    from policydiff.normalize import normalize

    service, _, document = key.partition("/")
    for line in _git(repo, "log", "--reverse", "--format=%H %cI", "--", path).decode().splitlines():
        commit, _, when = line.partition(" ")
        try:
            content = _git(repo, "show", f"{commit}:{path}")
        except StoreError:
            tally.skipped.append(f"{path}@{commit[:9]}: deleted in this commit")
            continue
        fetched_at = utc(datetime.fromisoformat(when))
        latest = store.latest(service, document)
        if latest is not None and fetched_at <= latest.fetched_at:
            tally.already += 1
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
            tally.skipped.append(f"{path}@{commit[:9]}: {exc}")
            continue
        if store.record(snapshot, doc, origin="import").kind == "unchanged":
            tally.unchanged += 1
        else:
            tally.imported[key] = tally.imported.get(key, 0) + 1


def _git_is_repo(path: Path) -> bool:
    try:
        return _git(path, "rev-parse", "--is-inside-work-tree").strip() == b"true"
    except StoreError:
        return False
