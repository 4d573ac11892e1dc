"""History listings and the Open Terms Archive backfill (a real git repository made in tmp_path)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from policydiff.cli import main
from policydiff.errors import InputError
from policydiff.history import history
from policydiff.ota import backfill
from policydiff.store import Store, resolve_version, verify
from policydiff.targets import parse_targets

V1 = """# Privacy Policy

We collect your name and email address to run the service.

We will never sell your personal data to anyone.
"""
V2 = V1.replace("to run the service.", "to run the service and to show you advertising.")
V3 = V2 + "\nWe may use your posts to develop and train artificial intelligence models.\n"


def git(repo: Path, *args: str, date: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


@pytest.fixture
def ota_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "versions"
    (repo / "Acme Social").mkdir(parents=True)
    git(repo, "init", "-q")
    commits = [
        ("2023-01-05T00:30:00+00:00", V1, "Privacy Policy.md"),
        ("2023-04-01T00:30:00+00:00", V1.replace("\n\n", "\n\n\n"), "Privacy Policy.md"),  # noise only
        ("2023-06-10T00:30:00+00:00", V2, "Privacy Policy.md"),
        ("2023-06-12T00:30:00+00:00", V2, "Terms of Service.md"),
        ("2024-02-01T00:30:00+00:00", V3, "Privacy Policy.md"),
    ]
    for date, text, name in commits:
        (repo / "Acme Social" / name).write_text(text, encoding="utf-8")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"Record {name}", date=date)
    (repo / "README.md").write_text("not a document\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "readme", date="2024-03-01T00:00:00+00:00")
    return repo


def test_backfill_imports_each_commit_as_a_version(tmp_path: Path, ota_repo: Path) -> None:
    store_dir = tmp_path / "store"
    result = backfill(ota_repo, store_dir)
    assert result.imported == {"acme-social/privacy-policy": 3, "acme-social/terms-of-service": 1}
    assert result.unchanged == 1  # the noise-only commit is a check, not a version
    store = Store(store_dir)
    versions = store.versions("acme-social", "privacy-policy")
    assert [v.date for v in versions] == ["2023-01-05", "2023-06-10", "2024-02-01"]
    assert store.load_bytes(versions[-1]) == V3.encode()
    assert versions[0].headers["x-ota-path"] == "Acme Social/Privacy Policy.md"
    assert all(v.origin == "import" for v in versions)
    assert verify(store_dir) == []
    assert resolve_version(store_dir, "acme-social/privacy-policy@2023-12-31").id == versions[1].id
    # importing again adds nothing
    again = backfill(ota_repo, store_dir)
    assert again.imported == {} and again.already == 5 and again.skipped == ()


def test_history_lists_dates_hashes_and_findings(tmp_path: Path, ota_repo: Path) -> None:
    store_dir = tmp_path / "store"
    backfill(ota_repo, store_dir)
    entries = history(store_dir, "acme-social/privacy-policy")
    assert [e.status for e in entries] == ["first", "changed", "changed"]
    assert entries[0].findings is None and entries[0].checks == 1
    assert all(e.findings is not None and e.material_changes for e in entries[1:])
    assert len(history(store_dir, "acme-social")) == 4
    with pytest.raises(InputError, match="nothing stored"):
        history(store_dir, "nobody")
    out = CliRunner().invoke(main, ["history", "acme-social/privacy-policy", "--store", str(store_dir)])
    assert out.exit_code == 0, out.output
    for entry in entries:
        assert entry.version.sha256[:12] in out.output
    assert "2023-06-10" in out.output and "findings" in out.output


def test_backfill_with_targets_keeps_the_lineage(tmp_path: Path, ota_repo: Path) -> None:
    targets = parse_targets(
        '[services.acme-social.documents.privacy-policy]\nurl = "https://acme.example/privacy"\n'
        'select = ["main"]\n'
    )
    store_dir = tmp_path / "store"
    backfill(ota_repo, store_dir, targets=targets)
    versions = Store(store_dir).versions("acme-social", "privacy-policy")
    assert {v.url for v in versions} == {"https://acme.example/privacy"}
    assert versions[0].selectors == ("main",) and len({v.lineage for v in versions}) == 1


def test_backfill_cli_and_errors(tmp_path: Path, ota_repo: Path) -> None:
    store_dir = tmp_path / "store"
    out = CliRunner().invoke(main, ["backfill", "--ota-versions", str(ota_repo), "--store", str(store_dir)])
    assert out.exit_code == 0, out.output
    assert "imported 4 versions of 2 documents" in out.output
    plain = tmp_path / "plain"
    plain.mkdir()
    bad = CliRunner().invoke(main, ["backfill", "--ota-versions", str(plain), "--store", str(store_dir)])
    assert bad.exit_code == 2 and "not a git repository" in bad.output
    verify_out = CliRunner().invoke(main, ["verify", "--store", str(store_dir)])
    assert verify_out.exit_code == 0 and "ok (4 versions checked)" in verify_out.output
