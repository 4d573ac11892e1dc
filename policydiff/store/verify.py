"""``verify``: every file the store writes checked, problems listed rather than raised.

Version records (checksum and fields), raw objects and normalized documents (hashes, parse, text
hash), assessments and checks (parse, and the version they refer to), the fetch state and its
event log, the run records (``.runs/``) and the watch's pending deliveries (``.outbox/``).
Damaged content of any kind is a ``Problem`` naming the file, never an exception; ``files`` says
what ``repair`` moves to quarantine for it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from policydiff.atomic import TMP_PREFIX
from policydiff.errors import StoreError
from policydiff.model import sha256_hex
from policydiff.store.codec import DAMAGE, canonical_text, document_from_json, structure, version_from_json
from policydiff.store.fetchstate import read_events, read_state
from policydiff.store.lock import LOCK_NAME
from policydiff.store.records import Assessment, Check, Problem, Version
from policydiff.store.runs import OUTBOX_DIR, RUNS_DIR, outbox_entry_problem
from policydiff.store.store import Store

__all__ = ["verify"]

QUARANTINE = ".quarantine"


def verify(store_dir: str | os.PathLike[str]) -> list[Problem]:
    """Check every file in the store; return the problems found (empty when all is well)."""
    root = Path(store_dir)
    if not root.is_dir():
        raise StoreError(f"{root}: no such store folder")
    store = Store(root)
    if not (root / LOCK_NAME).is_file() and not store.documents(tracked=True):
        raise StoreError(
            f"{root}: not a policydiff store (no {LOCK_NAME} file and no stored documents); "
            "give the folder watch or backfill wrote with --store"
        )
    problems: list[Problem] = []
    for tmp in root.rglob(f"{TMP_PREFIX}*"):
        if QUARANTINE not in tmp.relative_to(root).parts:
            problems.append(Problem(str(tmp), "temporary file left by an interrupted run", "warning"))
    for service_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for doc_dir in sorted(p for p in service_dir.iterdir() if p.is_dir()):
            problems.extend(verify_document(doc_dir))
    problems.extend(_run_logs(root))
    return problems


def _run_logs(root: Path) -> list[Problem]:
    """Run records must be JSON objects; outbox entries must have the shape the watch writes."""
    problems: list[Problem] = []
    for folder, what in ((RUNS_DIR, "run record"), (OUTBOX_DIR, "outbox entry")):
        for path in sorted((root / folder).glob("*.json")):
            try:
                data = json.loads(path.read_bytes())
            except (OSError, ValueError) as exc:
                problems.append(Problem(str(path), f"{what} is unreadable ({exc})", files=(str(path),)))
                continue
            wrong = outbox_entry_problem(data) if folder == OUTBOX_DIR else None
            if folder == RUNS_DIR and not isinstance(data, dict):
                wrong = "not a JSON object"
            if wrong is not None:
                problems.append(Problem(str(path), f"{what} is damaged: {wrong}", files=(str(path),)))
    return problems


def verify_document(folder: Path) -> list[Problem]:
    """The problems of one document's folder."""
    problems: list[Problem] = []
    versions: list[Version] = []
    for path in sorted((folder / "versions").glob("*.json")):
        version = _version(path, problems)
        if version is not None:
            versions.append(version)
            problems.extend(_version_parts(folder, path, version))
    ids = {v.id for v in versions}
    for version in versions:
        if version.reverts_to is not None and version.reverts_to not in ids:
            problems.append(
                Problem(str(folder), f"version {version.id} reverts to unknown {version.reverts_to}")
            )
    problems.extend(_checks(folder / "checks.jsonl", ids))
    problems.extend(_assessments(folder / "assessments", ids))
    problems.extend(_fetch_records(folder))
    problems.extend(_unreferenced(folder, versions))
    return problems


def _version(path: Path, problems: list[Problem]) -> Version | None:
    try:
        version = version_from_json(json.loads(path.read_bytes()), path)
    except StoreError as exc:
        problems.append(Problem(str(path), str(exc).removeprefix(f"{path}: "), files=(str(path),)))
        return None
    except (OSError, *DAMAGE) as exc:
        problems.append(Problem(str(path), f"version record is unreadable ({exc})", files=(str(path),)))
        return None
    if path.stem != version.id:
        problems.append(
            Problem(str(path), f"file name does not match version id {version.id}", files=(str(path),))
        )
    return version


def _version_parts(folder: Path, record: Path, version: Version) -> list[Problem]:
    """The raw bytes and the normalized document a version names: present, intact, consistent.
    A repair quarantines the version record with them (it would point at nothing)."""
    raw = folder / "objects" / version.sha256
    norm = folder / "normalized" / f"{version.normalized_sha256}.json"
    both = (str(record), *(str(p) for p in (raw, norm) if p.exists()))
    if not raw.is_file():
        return [Problem(str(raw), f"raw bytes of version {version.id} are missing", files=both)]
    if sha256_hex(raw.read_bytes()) != version.sha256:
        return [
            Problem(str(raw), f"raw bytes of version {version.id} are corrupt (hash mismatch)", files=both)
        ]
    if not norm.is_file():
        return [Problem(str(norm), f"normalized document of version {version.id} is missing", files=both)]
    data = norm.read_bytes()
    if sha256_hex(data) != version.normalized_sha256:
        return [Problem(str(norm), f"normalized document of version {version.id} is corrupt", files=both)]
    try:
        doc = document_from_json(data.decode("utf-8"))
    except DAMAGE as exc:
        return [Problem(str(norm), f"normalized document cannot be read ({exc})", files=both)]
    if sha256_hex(canonical_text(doc).encode("utf-8")) != version.text_sha256:
        return [Problem(str(norm), f"text hash of version {version.id} does not match", files=both)]
    return []


def _checks(path: Path, ids: set[str]) -> list[Problem]:
    if not path.is_file():
        return []
    try:
        lines = path.read_bytes().decode("utf-8").splitlines()
    except (OSError, ValueError) as exc:
        return [Problem(str(path), f"checks file is unreadable ({exc})", files=(str(path),))]
    problems: list[Problem] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            check = structure(json.loads(line), Check)
            if not isinstance(check, Check):
                raise TypeError("not a check record")
        except DAMAGE as exc:
            problems.append(Problem(f"{path}:{number}", f"unreadable check ({exc})", files=(str(path),)))
            continue
        if check.version not in ids:
            problems.append(
                Problem(f"{path}:{number}", f"check refers to unknown version {check.version}", "warning")
            )
    return problems


def _assessments(folder: Path, ids: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.json")):
        try:
            assessment = structure(json.loads(path.read_bytes()), Assessment)
            if not isinstance(assessment, Assessment):
                raise TypeError("not an assessment record")
        except (OSError, *DAMAGE) as exc:
            problems.append(Problem(str(path), f"assessment is unreadable ({exc})", files=(str(path),)))
            continue
        if path.stem != assessment.version:
            problems.append(
                Problem(str(path), f"names version {assessment.version}, not {path.stem}", files=(str(path),))
            )
        elif assessment.version not in ids:
            problems.append(
                Problem(str(path), f"assessment of unknown version {assessment.version}", "warning")
            )
    return problems


def _fetch_records(folder: Path) -> list[Problem]:
    """The fetch state and its event log (``store.fetchstate``), readable as what they are."""
    problems: list[Problem] = []
    for read in (read_state, read_events):
        try:
            read(folder)
        except StoreError as exc:
            path = str(exc).split(": ", 1)[0]
            file = path.rsplit(":", 1)[0] if path.endswith(tuple("0123456789")) else path
            problems.append(Problem(path, str(exc).removeprefix(f"{path}: "), files=(file,)))
    return problems


def _unreferenced(folder: Path, versions: list[Version]) -> list[Problem]:
    problems: list[Problem] = []
    for sub, referenced, suffix in (
        ("objects", {v.sha256 for v in versions}, ""),
        ("normalized", {v.normalized_sha256 for v in versions}, ".json"),
    ):
        for path in sorted((folder / sub).glob("*")):
            if not path.name.startswith(TMP_PREFIX) and path.name.removesuffix(suffix) not in referenced:
                message = "not referenced by any version (left by an interrupted run)"
                problems.append(Problem(str(path), message, "warning"))
    return problems
