"""Normalizing the same bytes twice is waste: the store's normalized documents are reused, keyed by
SHA-256, by watch (a page fetched again unchanged) and by ``compare`` of store references."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
from click.testing import CliRunner

from policydiff.cli import main
from policydiff.model import Snapshot
from policydiff.normalize import normalize
from policydiff.store import Store, resolve_document

T0 = datetime(2026, 1, 1, 3, 0, tzinfo=UTC)
OLD = b"# Privacy\n\nWe use your data to provide the service.\n\nWe never sell data.\n"
NEW = b"# Privacy\n\nWe use your data to provide the service and to train AI models.\n\nWe never sell data.\n"


def _snapshot(content: bytes, when: datetime, **kw: object) -> Snapshot:
    return Snapshot(
        content=content,
        url="https://example.com/privacy.md",
        fetched_at=when,
        media_type="text/markdown",
        service="Example",
        document="Privacy",
        **kw,  # type: ignore[arg-type]
    )


def test_the_same_bytes_fetched_again_get_the_stored_document(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    first = _snapshot(OLD, T0)
    with store.locked():
        store.record(first, normalize(first), service="Example", name="Privacy")
        again = _snapshot(OLD, T0 + timedelta(days=1))
        reused = store.normalized_for(again, "Example", "Privacy")
        assert reused is not None
        assert reused == attrs.evolve(normalize(again), fetched_at=again.fetched_at)
        # other bytes, or the same bytes read through other selectors, are normalized afresh
        assert store.normalized_for(_snapshot(NEW, T0 + timedelta(days=1)), "Example", "Privacy") is None
        other_part = _snapshot(OLD, T0 + timedelta(days=1), selectors=("main",))
        assert store.normalized_for(other_part, "Example", "Privacy") is None


def test_a_corrupt_stored_document_is_not_reused(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    first = _snapshot(OLD, T0)
    with store.locked():
        version = store.record(first, normalize(first), service="Example", name="Privacy").version
        (path,) = (tmp_path / "store").rglob(f"normalized/{version.normalized_sha256}.json")
        path.write_text(path.read_text(encoding="utf-8").replace("never", "always"), encoding="utf-8")
        assert store.normalized_for(_snapshot(OLD, T0 + timedelta(days=1)), "Example", "Privacy") is None


def test_compare_of_store_references_reads_the_stored_documents(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    with store.locked():
        for content, when in ((OLD, T0), (NEW, T0 + timedelta(days=1))):
            snap = _snapshot(content, when)
            store.record(snap, normalize(snap), service="Example", name="Privacy")
    stored = resolve_document(tmp_path / "store", "Example/Privacy@latest")
    assert stored == normalize(_snapshot(NEW, T0 + timedelta(days=1)))
    result = CliRunner().invoke(
        main,
        [
            "compare",
            "Example/Privacy@previous",
            "Example/Privacy@latest",
            "--store",
            str(tmp_path / "store"),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["summary"]["material_changes"] == 1
    assert data["old"]["sha256"] == _snapshot(OLD, T0).sha256  # the raw bytes' identity is kept
