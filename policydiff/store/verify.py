"""``verify``: every hash in the store checked, problems listed rather than raised."""

from __future__ import annotations

import json
import os
from pathlib import Path

from policydiff.atomic import TMP_PREFIX
from policydiff.errors import StoreError
from policydiff.model import sha256_hex
from policydiff.store.codec import canonical_text, document_from_json, structure, version_from_json
from policydiff.store.records import Check, Problem, Version
from policydiff.store.store import LOCK_NAME, Store


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
            version = version_from_json(data, path)
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
                check = structure(json.loads(line), Check)
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
