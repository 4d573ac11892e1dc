"""``verify``: every hash in the store checked, problems listed rather than raised."""

from __future__ import annotations

import json
import os
from pathlib import Path

from policydiff.atomic import TMP_PREFIX
from policydiff.errors import StoreError
from policydiff.model import sha256_hex
from policydiff.store.codec import canonical_text, document_from_json, structure, version_from_json
from policydiff.store.fetchstate import read_events, read_state
from policydiff.store.lock import LOCK_NAME
from policydiff.store.records import Check, Problem, Version
from policydiff.store.store import Store


def verify(store_dir: str | os.PathLike[str]) -> list[Problem]:
    """Check every hash in the store; return the problems found (empty when all is well)."""
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
        problems.append(Problem(str(tmp), "temporary file left by an interrupted run", "warning"))
    for service_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for doc_dir in sorted(p for p in service_dir.iterdir() if p.is_dir()):
            problems.extend(_verify_document(doc_dir))
    return problems


def _verify_document(folder: Path) -> list[Problem]:
    problems: list[Problem] = []
    versions: list[Version] = []
    for path in sorted((folder / "versions").glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            version = version_from_json(data, path)
        except (OSError, ValueError, StoreError) as exc:
            message = str(exc).removeprefix(f"{path}: ")
            problems.append(Problem(str(path), message))
            continue
        if path.stem != version.id:
            problems.append(Problem(str(path), f"file name does not match version id {version.id}"))
        versions.append(version)
        problems.extend(_verify_parts(folder, version))
    ids = {v.id for v in versions}
    for version in versions:
        if version.reverts_to is not None and version.reverts_to not in ids:
            problems.append(
                Problem(str(folder), f"version {version.id} reverts to unknown {version.reverts_to}")
            )
    problems.extend(_verify_checks(folder / "checks.jsonl", ids))
    problems.extend(_orphans(folder, versions))
    try:
        read_state(folder)
        read_events(folder)
    except (StoreError, ValueError, TypeError, KeyError) as exc:
        problems.append(Problem(str(folder), f"fetch state is unreadable ({exc})"))
    return problems


def _verify_parts(folder: Path, version: Version) -> list[Problem]:
    """The raw bytes and the normalized document of a version: present, intact, the same text."""
    problems: list[Problem] = []
    raw = folder / "objects" / version.sha256
    if not raw.is_file():
        problems.append(Problem(str(raw), f"raw bytes of version {version.id} are missing"))
    elif sha256_hex(raw.read_bytes()) != version.sha256:
        problems.append(Problem(str(raw), f"raw bytes of version {version.id} are corrupt (hash mismatch)"))
    norm = folder / "normalized" / f"{version.normalized_sha256}.json"
    if not norm.is_file():
        return [*problems, Problem(str(norm), f"normalized document of version {version.id} is missing")]
    data_bytes = norm.read_bytes()
    if sha256_hex(data_bytes) != version.normalized_sha256:
        return [*problems, Problem(str(norm), f"normalized document of version {version.id} is corrupt")]
    try:
        doc = document_from_json(data_bytes.decode("utf-8"))
    except (ValueError, TypeError, KeyError) as exc:
        return [*problems, Problem(str(norm), f"normalized document cannot be read ({exc})")]
    if sha256_hex(canonical_text(doc).encode("utf-8")) != version.text_sha256:
        problems.append(Problem(str(norm), f"text hash of version {version.id} does not match"))
    return problems


def _verify_checks(checks: Path, ids: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    if not checks.is_file():
        return problems
    for number, line in enumerate(checks.read_text(encoding="utf-8").split("\n"), 1):
        if not line.strip():
            continue
        try:
            check = structure(json.loads(line), Check)
        except (ValueError, TypeError, KeyError) as exc:
            problems.append(Problem(f"{checks}:{number}", f"unreadable check ({exc})"))
            continue
        if check.version not in ids:
            problems.append(Problem(f"{checks}:{number}", f"check refers to unknown version {check.version}"))
    return problems


def _orphans(folder: Path, versions: list[Version]) -> list[Problem]:
    """Objects and normalized documents no version refers to (an interrupted run): warnings."""
    referenced = {
        "objects": ({v.sha256 for v in versions}, ""),
        "normalized": ({v.normalized_sha256 for v in versions}, ".json"),
    }
    problems: list[Problem] = []
    for sub, (digests, suffix) in referenced.items():
        for path in sorted((folder / sub).glob("*")):
            if not path.name.startswith(TMP_PREFIX) and path.name.removesuffix(suffix) not in digests:
                message = "not referenced by any version (left by an interrupted run)"
                problems.append(Problem(str(path), message, "warning"))
    return problems
