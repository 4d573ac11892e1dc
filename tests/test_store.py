"""The snapshot store: versions, checks, flapping, lineages, atomicity, the lock, verify, references."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policydiff.errors import InputError, StoreError, StoreLockedError
from policydiff.model import Clause, Document, Section, Sentence, Snapshot
from policydiff.store import (
    Store,
    canonical_text,
    dir_to_name,
    document_from_json,
    document_to_json,
    name_to_dir,
    resolve_reference,
    resolve_version,
    verify,
)

T0 = datetime(2026, 1, 1, 3, 0, tzinfo=UTC)


def make_doc(text: str, source: str = "<test>") -> Document:
    """A Document built straight from the model: one clause per blank-line separated paragraph."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    clauses = tuple(
        Clause(
            id=f"s0-p{i + 1}",
            section_id="s0",
            text=p,
            canonical=" ".join(p.split()),
            sentences=(Sentence(0, len(p)),),
        )
        for i, p in enumerate(paragraphs)
    )
    root = Section(id="s0", title="", canonical_title="", level=0, clauses=clauses)
    return Document(root=root, source=source, format="text", sha256="x", fetched_at=T0)


def snap(
    text: str,
    when: datetime,
    *,
    url: str = "https://example.test/privacy",
    selectors: tuple[str, ...] = (),
    service: str = "Acme",
    document: str = "Privacy Policy",
) -> Snapshot:
    return Snapshot(
        content=text.encode(),
        url=url,
        final_url=url,
        fetched_at=when,
        headers={"content-type": "text/plain", "etag": '"v1"'},
        media_type="text/plain",
        service=service,
        document=document,
        selectors=selectors,
    )


def record(store: Store, text: str, when: datetime, **kw: object):  # type: ignore[no-untyped-def]
    return store.record(snap(text, when, **kw), make_doc(text))  # type: ignore[arg-type]


A = "We collect your email.\n\nWe never sell your data."
B = "We collect your email and location.\n\nWe never sell your data."


def test_first_new_unchanged_and_evidence_kept(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    with store.locked():
        first = record(store, A, T0)
        same = record(store, A, T0 + timedelta(days=1))
        noisy = record(store, A.replace("\n\n", "\n\n\n"), T0 + timedelta(days=2))
        new = record(store, B, T0 + timedelta(days=3))
    assert first.kind == "first" and first.version.lineage_start
    assert same.kind == "unchanged" and same.version == first.version and same.check is not None
    assert same.check.same_bytes
    assert noisy.kind == "unchanged" and noisy.check is not None and not noisy.check.same_bytes
    assert "bytes changed" in noisy.describe()
    assert new.kind == "new" and new.is_change and new.previous == first.version
    versions = store.versions("Acme", "Privacy Policy")
    assert [v.id for v in versions] == [first.version.id, new.version.id]
    checks = store.checks("Acme", "Privacy Policy")
    assert [c.checked_at for c in checks] == [T0 + timedelta(days=1), T0 + timedelta(days=2)]
    v = versions[-1]
    assert v.url == v.final_url == "https://example.test/privacy"
    assert v.headers["etag"] == '"v1"' and v.fetched_at == T0 + timedelta(days=3)
    assert v.fetched_at.tzinfo is not None
    snapshot = store.load_snapshot(v)
    assert snapshot.content == B.encode() and snapshot.sha256 == v.sha256
    assert store.load_document(v) == make_doc(B)
    assert verify(store.root) == []


def test_flapping_is_recognised_not_a_new_change(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    with store.locked():
        a1 = record(store, A, T0)
        b1 = record(store, B, T0 + timedelta(hours=6))
        a2 = record(store, A, T0 + timedelta(hours=12))
        b2 = record(store, B, T0 + timedelta(hours=18))
    assert b1.kind == "new"
    assert a2.kind == "flapping" and not a2.is_change and a2.reverts_to == a1.version
    assert a2.describe().startswith(f"back to the version of {a1.version.date}")
    assert b2.kind == "flapping" and b2.reverts_to == b1.version
    assert a2.version.reverts_to == a1.version.id
    assert verify(store.root) == []


def test_corpus_flapping_a_b_a(tmp_path: Path, corpus: Path) -> None:
    folder = corpus / "daily-mail" / "terms-of-service__flapping"
    files = sorted(folder.glob("*.md"), key=lambda p: _corpus_order(corpus, p))
    assert len(files) == 3
    store = Store(tmp_path / "s")
    kinds = []
    with store.locked():
        for i, path in enumerate(files):
            text = path.read_text(encoding="utf-8")
            result = record(store, text, T0 + timedelta(hours=6 * i), service="Daily Mail", document="Terms")
            kinds.append(result.kind)
    assert kinds == ["first", "new", "flapping"]
    assert len(store.versions("Daily Mail", "Terms")) == 3
    assert verify(store.root) == []


def _corpus_order(corpus: Path, path: Path) -> str:
    index = json.loads((corpus / "index.json").read_text(encoding="utf-8"))
    text = json.dumps(index)
    commit = path.stem.split("_")[1]
    # order by position in the index (fetch time order), falling back to the name
    pos = text.find(commit)
    return f"{pos:010d}" if pos >= 0 else path.name


def test_url_or_selector_change_starts_new_lineage(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    with store.locked():
        first = record(store, A, T0)
        moved = record(store, B, T0 + timedelta(days=1), url="https://example.test/legal/privacy")
        same_text_new_sel = record(
            store, B, T0 + timedelta(days=2), url="https://example.test/legal/privacy", selectors=("main",)
        )
        back_to_a = record(
            store, A, T0 + timedelta(days=3), url="https://example.test/legal/privacy", selectors=("main",)
        )
    assert moved.kind == "new_lineage" and not moved.is_change and moved.version.lineage_start
    assert moved.version.lineage != first.version.lineage
    assert "new lineage" in moved.describe()
    assert same_text_new_sel.kind == "new_lineage"
    # A exists in an older lineage only: a plain new change here, not flapping across lineages
    assert back_to_a.kind == "new" and back_to_a.reverts_to is None


def test_writes_need_the_lock_and_second_run_is_refused(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    with pytest.raises(StoreError, match="lock"):
        record(store, A, T0)
    with store.locked():
        other = Store(tmp_path / "s")
        with pytest.raises(StoreLockedError, match=r"locked by another policydiff run \(pid \d+\)"):
            other.acquire()
        # another process too
        code = (
            "import sys; from policydiff.store import Store; from policydiff.errors import StoreLockedError\n"
            "try:\n Store(sys.argv[1]).acquire()\nexcept StoreLockedError as e:\n print(e); sys.exit(3)\n"
        )
        proc = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / "s")], capture_output=True, text=True
        )
        assert proc.returncode == 3 and "locked" in proc.stdout
    # released: can lock again
    with Store(tmp_path / "s").locked():
        pass


def test_lock_released_when_holder_dies(tmp_path: Path) -> None:
    code = "import os, sys; from policydiff.store import Store; Store(sys.argv[1]).acquire(); os._exit(0)"
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "s")], check=True)
    with Store(tmp_path / "s").locked():
        pass


def test_verify_reports_corruption(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    with store.locked():
        record(store, A, T0)
        new = record(store, B, T0 + timedelta(days=1))
    folder = store.folder("Acme", "Privacy Policy")
    raw = folder / "objects" / new.version.sha256
    raw.write_bytes(raw.read_bytes() + b"tampered")
    problems = verify(store.root)
    assert any("raw bytes" in p.message and "corrupt" in p.message for p in problems)
    raw.unlink()
    assert any("missing" in p.message for p in verify(store.root))
    # a version record edited by hand
    vfile = folder / "versions" / f"{new.version.id}.json"
    data = json.loads(vfile.read_text())
    data["url"] = "https://evil.test/"
    vfile.write_text(json.dumps(data))
    assert any("checksum" in p.message for p in verify(store.root))
    with pytest.raises(StoreError, match="checksum"):
        store.versions("Acme", "Privacy Policy")


def test_verify_normalized_corruption_and_orphans(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    with store.locked():
        first = record(store, A, T0)
    folder = store.folder("Acme", "Privacy Policy")
    (folder / "objects" / ("0" * 64)).write_bytes(b"orphan")
    (folder / ".tmp-abc").write_bytes(b"partial")
    problems = verify(store.root)
    assert {p.level for p in problems} == {"warning"}
    norm = folder / "normalized" / f"{first.version.normalized_sha256}.json"
    norm.write_text(norm.read_text().replace("email", "phone"))
    assert any(p.level == "error" and "normalized" in p.message for p in verify(store.root))
    # taking the lock clears temp files left by a crash
    with store.locked():
        pass
    assert not (folder / ".tmp-abc").exists()


def test_atomic_write_leaves_old_or_new(tmp_path: Path) -> None:
    """A writer killed mid-way never leaves a half-written target file."""
    from policydiff.store import atomic_write

    target = tmp_path / "f.bin"
    atomic_write(target, b"old" * 1000)
    ctx = multiprocessing.get_context("fork")
    for _ in range(5):
        proc = ctx.Process(target=_write_forever, args=(target,))
        proc.start()
        proc.join(0.05)
        proc.kill()
        proc.join()
        data = target.read_bytes()
        assert data in (b"old" * 1000, b"new" * 200_000)


def _write_forever(target: Path) -> None:
    from policydiff.store import atomic_write

    while True:
        atomic_write(target, b"new" * 200_000)
        atomic_write(target, b"old" * 1000)


def test_references(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    with store.locked():
        a = record(store, A, T0)
        b = record(store, B, T0 + timedelta(days=2))
    ref = str(tmp_path / "s")
    assert resolve_reference(ref, "Acme/Privacy Policy@latest").content == B.encode()
    assert resolve_reference(ref, "Acme/Privacy Policy@previous").content == A.encode()
    assert resolve_version(ref, "Acme/Privacy Policy@2026-01-01").id == a.version.id
    assert resolve_version(ref, "Acme/Privacy Policy@2026-01-02").id == a.version.id
    assert resolve_version(ref, "Acme/Privacy Policy@2026-01-03").id == b.version.id
    assert resolve_version(ref, "Acme/Privacy Policy@2026-01-03T02:59:59+00:00").id == a.version.id
    assert resolve_version(ref, "Acme/Privacy Policy@2026-01-03T03:00:00").id == b.version.id
    snapshot = resolve_reference(ref, "Acme/Privacy Policy@latest")
    assert snapshot.service == "Acme" and snapshot.fetched_at == b.version.fetched_at
    with pytest.raises(InputError, match="at or before"):
        resolve_reference(ref, "Acme/Privacy Policy@2025-12-31")
    with pytest.raises(InputError, match="no stored versions"):
        resolve_reference(ref, "Acme/FAQ@latest")
    with pytest.raises(InputError, match="not a store reference"):
        resolve_reference(ref, "Acme@latest")
    with pytest.raises(InputError, match="not latest"):
        resolve_reference(ref, "Acme/Privacy Policy@yesterday")


def test_names_with_slashes_and_dots_round_trip(tmp_path: Path) -> None:
    for name in ["Terms / Conditions", "..", ".hidden", "Ça va?", "a%b"]:
        folder = name_to_dir(name)
        assert "/" not in folder and not folder.startswith(".")
        assert dir_to_name(folder) == name
    store = Store(tmp_path / "s")
    with store.locked():
        record(store, A, T0, service="A/B", document="..")
    assert store.documents() == [("A/B", "..")]
    with pytest.raises(InputError):
        name_to_dir(" ")


def test_time_must_move_forward(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    with store.locked():
        record(store, A, T0)
        with pytest.raises(StoreError, match="not after"):
            record(store, B, T0 - timedelta(days=1))
    assert verify(store.root) == []  # nothing written for the refused version


words = st.text(alphabet="abcdefgh ", min_size=1, max_size=30).map(lambda s: s.strip() or "x")


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(words, min_size=1, max_size=5), min_size=1, max_size=3))
def test_document_json_round_trip(tmp_path: Path, docs: list[list[str]]) -> None:
    for paragraphs in docs:
        doc = make_doc("\n\n".join(paragraphs))
        again = document_from_json(document_to_json(doc))
        assert again == doc
        assert canonical_text(again) == canonical_text(doc)


def test_unchanged_check_log_survives_many_appends(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    with store.locked():
        record(store, A, T0)
        for i in range(1, 30):
            record(store, A, T0 + timedelta(hours=i))
    assert len(store.checks("Acme", "Privacy Policy")) == 29
    assert len(os.listdir(store.folder("Acme", "Privacy Policy") / "versions")) == 1


def test_verify_command(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from policydiff.cli import main

    store = Store(tmp_path / "s")
    with store.locked():
        first = record(store, A, T0)
    ok = CliRunner().invoke(main, ["verify", "--store", str(tmp_path / "s")])
    assert ok.exit_code == 0 and "ok (1 versions checked)" in ok.output
    raw = store.folder("Acme", "Privacy Policy") / "objects" / first.version.sha256
    raw.write_bytes(b"bit rot")
    bad = CliRunner().invoke(main, ["verify", "--store", str(tmp_path / "s")])
    assert bad.exit_code == 1 and "corrupt" in bad.output and "1 problem(s)" in bad.output
    missing = CliRunner().invoke(main, ["verify", "--store", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "no such store" in missing.output
    elsewhere = tmp_path / "photos"
    (elsewhere / "2026" / "march").mkdir(parents=True)
    (elsewhere / "notes.txt").write_text("not a store")
    not_a_store = CliRunner().invoke(main, ["verify", "--store", str(elsewhere)])
    assert not_a_store.exit_code == 2 and "not a policydiff store" in not_a_store.output
    assert "ok" not in not_a_store.output


def test_lineage_note_for_references_across_lineages(tmp_path: Path) -> None:
    from policydiff.store import lineage_note

    store = Store(tmp_path / "s")
    with store.locked():
        record(store, A, T0)
        record(store, B, T0 + timedelta(days=1))
        record(store, A, T0 + timedelta(days=2), url="https://example.test/legal/privacy")
    ref = tmp_path / "s"
    assert lineage_note(ref, "Acme/Privacy Policy@2026-01-01", "Acme/Privacy Policy@2026-01-02") is None
    note = lineage_note(ref, "Acme/Privacy Policy@2026-01-02", "Acme/Privacy Policy@latest")
    assert note is not None and "different lineages" in note and "legal/privacy" in note


POOL = [A, B, "We collect nothing.\n\nWe never sell your data.", "Totally new text here."]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(range(len(POOL))), min_size=1, max_size=8))
def test_record_kinds_follow_the_sequence(tmp_path_factory: pytest.TempPathFactory, picks: list[int]) -> None:
    """Whatever the order of fetches: first, unchanged, flapping and new are decided as specified."""
    store = Store(tmp_path_factory.mktemp("prop"))
    seen_versions: list[int] = []  # pool index of each stored version
    with store.locked():
        for i, pick in enumerate(picks):
            result = record(store, POOL[pick], T0 + timedelta(hours=i))
            if not seen_versions:
                expected = "first"
            elif seen_versions[-1] == pick:
                expected = "unchanged"
            elif pick in seen_versions:
                expected = "flapping"
            else:
                expected = "new"
            assert result.kind == expected
            if expected != "unchanged":
                seen_versions.append(pick)
    assert len(store.versions("Acme", "Privacy Policy")) == len(seen_versions)
    assert len(store.checks("Acme", "Privacy Policy")) == len(picks) - len(seen_versions)
    assert verify(store.root) == []
