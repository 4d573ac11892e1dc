"""`policydiff compare`: formats, output files, exit codes, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from policydiff.cli import main

OLD = "# Terms\n\n## Data\n\nWe keep your data for 30 days.\n\nWe will not sell your data.\n"
NEW = "# Terms\n\n## Data\n\nWe keep your data for 300 days.\n\nWe will not sell your data.\n"


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    return old, new


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_terminal_output_when_piped_uses_text_cues(pair: tuple[Path, Path]) -> None:
    code, out, _ = run("compare", str(pair[0]), str(pair[1]))
    assert code == 0
    assert "\x1b[" not in out
    assert "[-30-]{+300+}" in out
    assert "1 material change (1 modified); 1 finding " in out


def test_exit_code_follows_git_diff(pair: tuple[Path, Path]) -> None:
    assert run("compare", str(pair[0]), str(pair[1]), "--exit-code")[0] == 1
    assert run("compare", str(pair[0]), str(pair[0]), "--exit-code")[0] == 0


def test_json_output_to_file(pair: tuple[Path, Path], tmp_path: Path) -> None:
    out_file = tmp_path / "out.json"
    code, out, _ = run("compare", str(pair[0]), str(pair[1]), "--format", "json", "-o", str(out_file))
    assert code == 0
    assert out == ""
    data = json.loads(out_file.read_text(encoding="utf-8"))
    assert data["summary"]["material_changes"] == 1
    (change,) = data["changes"]
    assert [op for op in change["ops"] if op["op"] != "equal"] == [
        {"op": "delete", "text": "30"},
        {"op": "insert", "text": "300"},
    ]
    assert data["new"]["sha256"] and data["new"]["format"] == "markdown"


def test_markdown_output(pair: tuple[Path, Path]) -> None:
    code, out, _ = run("compare", str(pair[0]), str(pair[1]), "--format", "markdown")
    assert code == 0
    assert "~~30~~" in out and "**300**" in out


def test_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    code, _, err = run("compare", str(tmp_path / "nope.md"), str(tmp_path / "other.md"))
    assert code == 2
    assert err.startswith("policydiff: error: ")
    assert "nope.md" in err
    assert "Traceback" not in err


def test_unparseable_input_is_a_one_line_error(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    binary = tmp_path / "blob.md"
    binary.write_bytes(b"\x00\xff\x00\xfe" * 100)
    code, _, err = run("compare", str(binary), str(pair[1]))
    assert code == 2
    assert err.startswith("policydiff: error: ")
    assert "blob.md" in err


def test_bad_option_exits_2() -> None:
    code, _, err = run("compare", "--format", "pdf", "a", "b")
    assert code == 2
    assert "policydiff: error:" in err


def test_installed_command_runs_as_a_process(pair: tuple[Path, Path]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "policydiff", "compare", str(pair[0]), str(pair[1]), "--exit-code"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert "{+300+}" in proc.stdout


def _stored(tmp_path: Path) -> Path:
    """A store with three versions of one document; the URL changes before the third."""
    from datetime import UTC, datetime, timedelta

    from policydiff import normalize
    from policydiff.model import Snapshot
    from policydiff.store import Store

    root = tmp_path / "store"
    store = Store(root)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    versions = [
        (OLD, "https://example.test/terms"),
        (NEW, "https://example.test/terms"),
        (OLD, "https://example.test/legal/terms"),
    ]
    with store.locked():
        for day, (text, url) in enumerate(versions):
            snap = Snapshot(
                content=text.encode(),
                url=url,
                final_url=url,
                fetched_at=start + timedelta(days=day),
                media_type="text/markdown",
                service="Acme",
                document="Terms",
            )
            store.record(snap, normalize(snap))
    return root


def test_compare_store_references(tmp_path: Path) -> None:
    store = _stored(tmp_path)
    code, out, err = run(
        "compare", "Acme/Terms@2026-01-01", "Acme/Terms@2026-01-02", "--store", str(store), "--exit-code"
    )
    assert code == 1, err
    assert "[-30-]{+300+}" in out
    assert "warning" not in err


def test_compare_across_lineages_says_so(tmp_path: Path) -> None:
    store = _stored(tmp_path)
    code, _, err = run("compare", "Acme/Terms@previous", "Acme/Terms@latest", "--store", str(store))
    assert code == 0, err
    assert "policydiff: warning:" in err and "lineage" in err


def test_store_reference_without_store_is_an_error(tmp_path: Path) -> None:
    code, _, err = run("compare", "Acme/Terms@previous", "Acme/Terms@latest")
    assert code == 2
    assert "--store" in err


def test_fail_on_follows_finding_severity(tmp_path: Path) -> None:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text("# Privacy\n\nWe use your posts to provide the service.\n", encoding="utf-8")
    new.write_text(
        "# Privacy\n\nWe use your posts to provide the service and to train our AI models.\n",
        encoding="utf-8",
    )
    code, out, _ = run("compare", str(old), str(new), "--fail-on", "high", "--format", "json")
    findings = json.loads(out)["findings"]
    assert any(f["severity"] == "high" for f in findings)
    assert code == 1
    # a wording change with no consent meaning: material, but no finding, so --fail-on passes
    plain = tmp_path / "plain.md"
    plain.write_text("# Privacy\n\nWe use your posts to run the service.\n", encoding="utf-8")
    code, out, _ = run("compare", str(old), str(plain), "--fail-on", "low", "--format", "json")
    data = json.loads(out)
    assert data["summary"]["material_changes"] == 1 and data["findings"] == []
    assert code == 0


def test_findings_come_before_the_redline_in_every_text_format(tmp_path: Path) -> None:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text("# Privacy\n\nWe use your posts to provide the service.\n", encoding="utf-8")
    new.write_text(
        "# Privacy\n\nWe use your posts to provide the service and to train our AI models.\n",
        encoding="utf-8",
    )
    _, terminal, _ = run("compare", str(old), str(new))
    assert "purpose.added" in terminal
    assert terminal.index("purpose.added") < terminal.index("[modified]")
    _, markdown, _ = run("compare", str(old), str(new), "--format", "markdown")
    assert markdown.index("purpose.added") < markdown.index("## Changes")


def test_history_hashes_are_references(tmp_path: Path) -> None:
    store = _stored(tmp_path)
    code, out, err = run("history", "Acme/Terms", "--store", str(store))
    assert code == 0, err
    hashes = [line.split()[2] for line in out.splitlines() if line.startswith("  ")]
    assert len(hashes) == 3 and all(len(h) == 12 for h in hashes)
    code, out, err = run(
        "compare", f"Acme/Terms@{hashes[0]}", f"Acme/Terms@{hashes[1][:7]}", "--store", str(store)
    )
    assert code == 0, err
    assert "[-30-]{+300+}" in out
    code, _, err = run("compare", "Acme/Terms@abcdef0", "Acme/Terms@latest", "--store", str(store))
    assert code == 2 and "no stored version's hash starts with abcdef0" in err


def test_severity_and_format_names_are_case_insensitive_with_md_alias(pair: tuple[Path, Path]) -> None:
    code, out, err = run("compare", str(pair[0]), str(pair[1]), "--format", "MD", "--fail-on", "HIGH")
    assert code == 0, err
    assert "~~30~~" in out and "**300**" in out
    code, _, err = run("compare", str(pair[0]), str(pair[1]), "--format", "mdx")
    assert code == 2 and "mdx" in err
