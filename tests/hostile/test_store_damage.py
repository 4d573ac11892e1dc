"""A store that survives its own damage (issue 15): ``verify`` checks every file kind and never
crashes; reads name the damaged file; ``verify --repair`` quarantines; the lock never follows a
symlink; one damaged document fails that document only in ``watch``."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from policydiff import normalize
from policydiff.cli import main
from policydiff.errors import StoreError
from policydiff.model import Snapshot
from policydiff.store import Assessment, Store, verify
from policydiff.store.repair import repair

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def page(n: int) -> bytes:
    return (
        f"<html><body><main><h1>Privacy</h1><p>We collect your name and email address, revision {n}.</p>"
        f"<p>We keep your data for {n} years and never sell it.</p></main></body></html>"
    ).encode()


def build(root: Path, services: tuple[str, ...] = ("acme", "bolt")) -> Store:
    store = Store(root)
    with store.locked():
        for service in services:
            for n in (1, 2, 2):
                snapshot = Snapshot(
                    content=page(n), url=f"https://{service}.test/p", media_type="text/html",
                    fetched_at=T0 + timedelta(days=n), service=service, document="privacy",
                )  # fmt: skip
                result = store.record(snapshot, normalize(snapshot), service=service, name="privacy")
                if result.kind == "new" and result.previous is not None:
                    assessment = Assessment(
                        version=result.version.id, previous=result.previous.id, compared_at=T0,
                        material_changes=1, findings=0,
                    )  # fmt: skip
                    store.save_assessment(service, "privacy", assessment)
    return store


def folder(root: Path, service: str = "acme") -> Path:
    return root / service / "privacy"


def put(pattern: str, data: bytes | None = None, *, append: bool = False) -> Callable[[Path], Path]:
    """Damage: overwrite (or append to) the newest file matching ``pattern`` in a document folder;
    ``data`` None truncates it to 40 bytes."""

    def damage(where: Path) -> Path:
        matches = sorted(where.glob(pattern))
        path = matches[-1] if matches else where / pattern
        old = path.read_bytes() if path.exists() else b""
        path.write_bytes(old[:40] if data is None else (old + data if append else data))
        return path

    return damage


DAMAGE: dict[str, Callable[[Path], Path]] = {
    "version holds []": put("versions/*.json", b"[]"),
    "version holds {}": put("versions/*.json", b"{}"),
    "version not UTF-8": put("versions/*.json", b"\xff\xfe{"),
    "version truncated": put("versions/*.json"),
    "assessment holds []": put("assessments/*.json", b"[]"),
    "assessment garbage": put("assessments/*.json", b'{"version": 3'),
    "assessment wrong types": put("assessments/*.json", b'{"version": [], "findings": "x"}'),
    "checks garbage line": put("checks.jsonl", b"{nope\n", append=True),
    "checks holds []": put("checks.jsonl", b"[]\n"),
    "normalized garbage": put("normalized/*.json", b'{"root": 1}'),
    "object changed": put("objects/*", b"<p>other</p>"),
    "fetch state holds []": put("fetch-state.json", b"[]"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_verify_names_every_kind_of_damage_and_repair_quarantines_it(tmp_path: Path, damage: str) -> None:
    root = tmp_path / "store"
    build(root)
    assert [p for p in verify(root) if p.level == "error"] == []
    damaged = DAMAGE[damage](folder(root))
    errors = [p for p in verify(root) if p.level == "error"]
    assert errors, f"verify missed: {damage}"
    assert all("/acme/" in p.path for p in errors) and any(str(damaged) in p.path for p in errors)
    moved = repair(root)
    assert damaged in [source for source, _ in moved]
    assert all(target.is_file() and ".quarantine" in target.parts for _, target in moved)
    assert [p for p in verify(root) if p.level == "error"] == []
    Store(root).versions("bolt", "privacy")  # the other service untouched


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_reads_of_damaged_files_raise_store_errors_naming_them(tmp_path: Path, damage: str) -> None:
    root = tmp_path / "store"
    store = build(root)
    damaged = DAMAGE[damage](folder(root))
    try:
        for version in store.versions("acme", "privacy"):
            store.load_document(version)
            store.load_bytes(version)
            store.assessment(version)
        store.checks("acme", "privacy")
    except StoreError as exc:
        assert str(damaged) in str(exc)


def test_cli_verify_exits_1_and_repair_makes_it_0(tmp_path: Path) -> None:
    root = tmp_path / "store"
    build(root)
    DAMAGE["version holds []"](folder(root))
    runner = CliRunner()
    broken = runner.invoke(main, ["verify", "--store", str(root)])
    assert broken.exit_code == 1 and "version record is not a JSON object" in broken.output
    fixed = runner.invoke(main, ["verify", "--store", str(root), "--repair"])
    assert fixed.exit_code == 0 and "quarantined:" in fixed.output, fixed.output


def test_a_symlinked_lock_never_truncates_its_target(tmp_path: Path) -> None:
    root = tmp_path / "store"
    root.mkdir()
    precious = tmp_path / "precious.txt"
    precious.write_text("do not truncate me")
    os.symlink(precious, root / ".lock")
    with pytest.raises(StoreError, match="symbolic link"):
        with Store(root).locked():
            pass
    assert precious.read_text() == "do not truncate me"


def test_damage_to_a_record_is_json_not_a_traceback(tmp_path: Path) -> None:
    root = tmp_path / "store"
    build(root)
    put("versions/*.json", json.dumps({"checksum": 1, "id": []}).encode())(folder(root))
    problems = verify(root)
    assert any("checksum" in p.message for p in problems)


GOOD_ENTRY = {
    "key": "k1", "state": "committed", "assessments": [["acme", "privacy", "20260101T000000000000Z-abc"]],
    "fetch_states": [["acme", "privacy", {"state": None, "events": 0}]],
    "started": "2026-01-01T00:00:00+00:00",
    "record": {"started": "2026-01-01T00:00:00+00:00"}, "message": ["title", "body", None], "payload": {},
}  # fmt: skip

LOG_DAMAGE: dict[str, tuple[str, object]] = {
    "run record not JSON": (".runs/20260101T000000000000Z.json", b"{nope"),
    "run record holds []": (".runs/20260101T000000000000Z.json", []),
    "outbox not JSON": (".outbox/k1.json", b"\xff{"),
    "outbox holds []": (".outbox/k1.json", []),
    "outbox unknown state": (".outbox/k1.json", {**GOOD_ENTRY, "state": "sent?"}),
    "outbox version id is a path": (
        ".outbox/k1.json", {**GOOD_ENTRY, "assessments": [["acme", "privacy", "../../versions/x"]]},
    ),
    "outbox message of two parts": (".outbox/k1.json", {**GOOD_ENTRY, "message": ["title", "body"]}),
    "outbox started not a time": (".outbox/k1.json", {**GOOD_ENTRY, "started": "yesterday"}),
}  # fmt: skip


def _write_log(root: Path, relative: str, data: object) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    return path


def test_a_well_formed_outbox_entry_passes_verify(tmp_path: Path) -> None:
    root = tmp_path / "store"
    build(root)
    _write_log(root, ".outbox/k1.json", GOOD_ENTRY)
    _write_log(root, ".runs/20260101T000000000000Z.json", {"started": "x"})
    assert [p for p in verify(root) if p.level == "error"] == []


@pytest.mark.parametrize("damage", list(LOG_DAMAGE))
def test_verify_checks_run_records_and_outbox_entries(tmp_path: Path, damage: str) -> None:
    """The run log and the outbox are files the store holds too: damage is named and quarantined."""
    root = tmp_path / "store"
    build(root)
    damaged = _write_log(root, *LOG_DAMAGE[damage])
    errors = [p for p in verify(root) if p.level == "error"]
    assert [p.path for p in errors] == [str(damaged)], damage
    assert [source for source, _ in repair(root)] == [damaged]
    assert [p for p in verify(root) if p.level == "error"] == []
