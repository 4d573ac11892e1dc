"""Corpus mode: whole version histories into tables, resumable, with error rows for bad versions."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_corpus_support import commit, git, make_repo, series_files, table

import policydiff
from policydiff.corpus.partitions import read_table
from policydiff.corpus.run import plan, run_corpus
from policydiff.corpus.sources import History, SourceSpec, VersionRef, histories, open_source
from policydiff.corpus.tables import pair_id
from policydiff.errors import InputError


@pytest.fixture
def repo(corpus: Path, tmp_path: Path) -> Path:
    return make_repo(tmp_path)


def test_git_source_lists_each_commit_as_a_version(repo: Path) -> None:
    spec = open_source(repo)
    assert spec.kind == "git"
    found = {h.key: h for h in histories(spec)}
    assert sorted(found) == ["X/Privacy Policy", "Zoom/Terms of Service"]
    x = found["X/Privacy Policy"]
    assert len(x.versions) == 7
    assert [v.date for v in x.versions] == sorted(v.date for v in x.versions)
    log = git(repo, "log", "--reverse", "--format=%H", "--", "X/Privacy Policy.md").split()
    assert [v.id for v in x.versions] == log


def test_every_consecutive_pair_is_compared_like_compare_does(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = run_corpus(repo, out, workers=1)
    assert (summary.pairs, summary.compared, summary.baselines, summary.errors) == (10, 8, 2, 0)
    pairs = read_table(out, "pairs").to_pylist()
    assert len({row["pair_id"] for row in pairs}) == 10
    assert [r["index"] for r in pairs if r["baseline"]] == [0, 0]
    assert all(r["old_version"] is None for r in pairs if r["baseline"])
    # one pair checked against the public API on the same two files
    old, new = series_files("x/privacy-policy", 7)[-2:]
    direct = policydiff.compare(old, new, name="Privacy Policy")
    row = next(r for r in pairs if r["service"] == "X" and r["index"] == 6)
    assert row["material_changes"] == direct.summary.material_changes
    assert row["findings"] == len(direct.findings)
    found = [f for f in read_table(out, "findings").to_pylist() if f["pair_id"] == row["pair_id"]]
    assert [(f["rule"], f["new_text"]) for f in found] == [(f.rule, f.new_text) for f in direct.findings]
    changes = [c for c in read_table(out, "changes").to_pylist() if c["pair_id"] == row["pair_id"]]
    assert [(c["kind"], c["new_text"]) for c in changes] == [(c.kind, c.new_text) for c in direct.changes]
    assert row["old_sha256"] == policydiff.normalize(old).sha256


def test_json_lines_hold_the_same_rows_as_parquet(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_corpus(repo, out, workers=1, chunk=3)
    for name in ("pairs", "findings", "changes"):
        lines = [json.loads(line) for p in sorted((out / name).glob("*.jsonl")) for line in p.open()]
        parquet = [pq.read_table(p).num_rows for p in sorted((out / name).glob("*.parquet"))]
        assert len(lines) == sum(parquet) == read_table(out, name).num_rows
    manifest = json.loads((out / "corpus.json").read_text())
    assert manifest["schemas"]["pairs"] == "policydiff.corpus.pairs/1"


def test_a_second_run_does_nothing_and_a_grown_history_only_the_new_pairs(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_corpus(repo, out, workers=1, chunk=4)
    before = {name: table(out, name) for name in ("pairs", "findings", "changes")}
    again = run_corpus(repo, out, workers=1)
    assert (again.compared, again.baselines, again.already, again.normalized) == (0, 0, 10, 0)
    assert all(table(out, name).equals(before[name]) for name in before)
    latest = series_files("x/privacy-policy", 1)[0].read_bytes()
    commit(
        repo,
        "X/Privacy Policy.md",
        latest + b"\n\nWe may share your posts with partners.\n",
        "2025-01-02T00:00:00Z",
    )
    grown = run_corpus(repo, out, workers=1)
    assert (grown.compared, grown.already) == (1, 10)
    assert grown.cached == 1 and grown.normalized == 1  # the old side came from the cache
    pairs = read_table(out, "pairs").to_pylist()
    assert len(pairs) == len({r["pair_id"] for r in pairs}) == 11
    kept = table(out, "pairs").filter(pc.is_in(table(out, "pairs")["pair_id"], before["pairs"]["pair_id"]))
    assert kept.equals(before["pairs"])


def test_bad_versions_are_error_rows_and_the_rest_completes(corpus: Path, tmp_path: Path) -> None:
    repo = make_repo(tmp_path, [("X", "Privacy Policy", "x/privacy-policy", 2)])
    good = series_files("x/privacy-policy", 3)[0].read_bytes()
    broken = commit(
        repo, "X/Privacy Policy.md", good + b"\nA line only this version has.\n", "2025-02-01T00:00Z"
    )
    blob = git(repo, "rev-parse", f"{broken}:X/Privacy Policy.md").strip()
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()  # the commit is there, its file is not
    commit(repo, "X/Privacy Policy.md", b"", "2025-02-02T00:00Z")
    commit(repo, "X/Privacy Policy.md", b"\x00\x9f\x92\x96 binary" * 50, "2025-02-03T00:00Z")
    last = commit(repo, "X/Privacy Policy.md", good, "2025-02-04T00:00Z")
    out = tmp_path / "out"
    summary = run_corpus(repo, out, workers=1)
    assert (summary.compared, summary.errors) == (5, 3)
    rows = read_table(out, "pairs").to_pylist()
    errors = {r["index"]: r["error"] for r in rows}
    assert errors[1] is None and errors[5] is None
    assert "failed" in errors[2] and "git show" in errors[2]
    assert "empty" in errors[3]
    assert "binary" in errors[4]
    final = rows[-1]
    assert final["new_version"] == last and final["old_version"] == rows[1]["new_version"]
    assert rows[0]["baseline"] and rows[0]["error"] is None
    assert final["material_changes"] is not None


def test_an_unfinished_partition_is_removed_before_resuming(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_corpus(repo, out, workers=1, chunk=2)
    orphan = out / "findings" / "part-killed.parquet"
    orphan.write_bytes(b"half a file")
    (out / "changes" / ".tmp-x").write_bytes(b"")
    summary = run_corpus(repo, out, workers=1)
    assert summary.compared == 0 and not orphan.exists() and not (out / "changes" / ".tmp-x").exists()


def test_output_folder_that_is_not_ours_is_refused(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not a corpus output folder"):
        run_corpus(repo, out, workers=1)
    with pytest.raises(InputError, match="no such folder"):
        run_corpus(tmp_path / "nope", tmp_path / "o2", workers=1)


def test_folder_of_dated_files(corpus: Path, tmp_path: Path) -> None:
    root = tmp_path / "folder"
    for number, path in enumerate(series_files("zoom/terms-of-service", 3)):
        target = root / "zoom" / "terms" / f"{path.name[:10]}T0{number}-00.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    (root / "zoom" / "terms" / "README").write_text("not a version")
    spec = open_source(root)
    assert spec.kind == "folder"
    (history,) = histories(spec)
    assert len(history.versions) == 3 and history.versions[0].date.hour == 0
    summary = run_corpus(root, tmp_path / "out", workers=1)
    assert (summary.compared, summary.errors) == (2, 0)


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 12), min_size=1, max_size=4),
    done_bits=st.lists(st.booleans(), min_size=48, max_size=48),
    chunk=st.integers(1, 5),
)
def test_plan_covers_every_missing_pair_once(sizes: list[int], done_bits: list[bool], chunk: int) -> None:
    from datetime import UTC, datetime

    moment = datetime(2024, 1, 1, tzinfo=UTC)
    found = [
        History("s", f"d{n}", [VersionRef(f"v{i}", moment, f"v{i}", "text/plain") for i in range(size)])
        for n, size in enumerate(sizes)
    ]
    every = [(h, i) for h in found for i in range(len(h.versions))]
    done = frozenset(
        pair_id(h.service, h.document, h.versions[i].id)
        for (h, i), bit in zip(every, done_bits, strict=False)
        if bit
    )
    tasks = list(plan(SourceSpec("folder", "/nowhere"), found, done, chunk=chunk))
    planned = [(t.history.document, i) for t in tasks for i in range(t.start, t.stop)
               if t.history.versions[i].id not in t.done]  # fmt: skip
    missing = [
        (h.document, i) for h, i in every if pair_id(h.service, h.document, h.versions[i].id) not in done
    ]
    assert sorted(planned) == sorted(missing) and len(planned) == len(set(planned))
    assert all(0 < t.pairs <= chunk for t in tasks)
    assert len({t.name for t in tasks}) == len(tasks)


def test_progress_is_logged_when_not_on_a_terminal(repo: Path, tmp_path: Path) -> None:
    from policydiff.corpus.progress import Bar, LogLines, make_progress

    lines: list[str] = []
    progress = make_progress(False, lines.append)
    assert isinstance(progress, LogLines)
    run_corpus(repo, tmp_path / "out", workers=1, chunk=3, progress=progress)
    assert lines[0].endswith(": 10 pairs to compare") and lines[-1].startswith("10/10 pairs in ")
    assert isinstance(make_progress(True, None), Bar)


def test_cli_runs_a_corpus_and_says_what_it_did(repo: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from policydiff.cli import main

    result = CliRunner().invoke(main, ["corpus", str(repo), str(tmp_path / "out"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "8 pairs compared, 2 first versions read (0 errors), 0 already done, 2 histories" in result.output
    again = CliRunner().invoke(main, ["corpus", str(repo), str(tmp_path / "out"), "--workers", "1"])
    assert "0 pairs compared, 0 first versions read (0 errors), 10 already done" in again.output


def test_cache_entries_read_back_as_the_same_document(corpus: Path, tmp_path: Path) -> None:
    from policydiff.corpus.cache import DocumentCache

    cache = DocumentCache(tmp_path / "cache")
    for path in [*series_files("x/privacy-policy", 2), *sorted(corpus.glob("linkedin/*__html*/*.html"))[:1]]:
        media = "text/html" if path.suffix == ".html" else "text/markdown"
        first = cache.load(path.read_bytes(), media, "s/d@1")
        again = cache.load(path.read_bytes(), media, "s/d@2")
        assert (first.cached, again.cached) == (False, True)
        assert again.document == first.document
        assert cache.find(first.sha256) == first.document


def test_a_store_made_by_backfill_gives_the_same_comparisons_as_its_repository(
    repo: Path, tmp_path: Path
) -> None:
    from policydiff.ota import backfill

    backfill(repo, tmp_path / "store")
    assert open_source(tmp_path / "store").kind == "store"
    run_corpus(repo, tmp_path / "from-git", workers=1)
    run_corpus(tmp_path / "store", tmp_path / "from-store", workers=1)
    columns = ["index", "baseline", "new_date", "new_sha256", "material_changes", "findings", "error"]
    git_pairs, store_pairs = (read_table(tmp_path / o, "pairs") for o in ("from-git", "from-store"))
    assert git_pairs.num_rows == store_pairs.num_rows == 10
    assert git_pairs.select(columns).equals(store_pairs.select(columns))
    keep = ["new_date", "rule", "category", "new_text", "old_text"]
    git_findings, store_findings = (read_table(tmp_path / o, "findings") for o in ("from-git", "from-store"))
    assert git_findings.select(keep).to_pylist() == store_findings.select(keep).to_pylist()


@settings(max_examples=25, deadline=None)
@given(kinds=st.lists(st.sampled_from(["good", "good", "good", "empty", "binary"]), min_size=1, max_size=9),
       chunk=st.integers(1, 4))  # fmt: skip
def test_each_version_is_compared_with_the_last_readable_one(kinds: list[str], chunk: int) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "src" / "acme" / "terms"
        folder.mkdir(parents=True)
        for n, kind in enumerate(kinds):
            good = f"# Terms\n\nWe keep your data for {n + 1} days.\n\nWe may share it with partner {n}.\n"
            content = {
                "good": good,
                "empty": "",
                "binary": "\x00\x01 not text",
            }[kind]
            (folder / f"2024-01-{n + 1:02d}.md").write_text(content)
        out = Path(tmp) / "out"
        run_corpus(Path(tmp) / "src", out, workers=1, chunk=chunk)
        rows = read_table(out, "pairs").to_pylist()
        assert [r["index"] for r in rows] == list(range(len(kinds)))
        last_good = None
        for row, kind in zip(rows, kinds, strict=True):
            if kind != "good":
                assert row["error"] and row["material_changes"] is None
                continue
            expected_old = f"2024-01-{last_good + 1:02d}.md" if last_good is not None else None
            if row["index"] > 0 and last_good is None:
                assert row["error"] == "no readable earlier version to compare with"
            else:
                assert row["error"] is None and row["old_version"] == expected_old
                assert row["baseline"] or row["material_changes"] == 2  # both sentences edited
            last_good = row["index"]


def test_a_second_run_on_the_same_folder_is_refused_while_the_first_runs(repo: Path, tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from policydiff.corpus.partitions import locked\n"
         "with locked(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(30)", str(out)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        began = time.monotonic()
        with pytest.raises(InputError, match="another corpus run is writing this folder"):
            run_corpus(repo, out, workers=1)
        assert time.monotonic() - began < 10
        assert not (out / "pairs").exists()
    finally:
        holder.kill()
        holder.wait()
    assert run_corpus(repo, out, workers=1).compared == 8
