"""Helpers for the corpus tests: tiny Open Terms Archive style versions repositories, built from real
documents in ../shared/corpus (the tests that use them skip when it is absent)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
from conftest import CORPUS

from policydiff.corpus.partitions import read_table

# (service, document, corpus folder, how many of its versions, oldest first)
SERIES: Sequence[tuple[str, str, str, int]] = (
    ("X", "Privacy Policy", "x/privacy-policy", 7),
    ("Zoom", "Terms of Service", "zoom/terms-of-service", 3),
)


def series_files(folder: str, count: int) -> list[Path]:
    files = sorted((CORPUS / folder).glob("*.md"))
    return files[-count:]


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_SYSTEM": "/dev/null"}
    if date is not None:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    proc = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        capture_output=True,
        check=True,
        env=env,
    )
    return proc.stdout.decode()


def commit(repo: Path, path: str, content: bytes, date: str) -> str:
    """Write ``path`` and commit it at ``date`` (ISO); returns the commit hash."""
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    git(repo, "add", path)
    git(repo, "commit", "-q", "-m", f"Update {path}", date=date)
    return git(repo, "rev-parse", "HEAD").strip()


def make_repo(root: Path, series: Sequence[tuple[str, str, str, int]] = SERIES) -> Path:
    """A versions repository: one commit per corpus version, dated by the file's date, in date order."""
    repo = root / "versions"
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    steps = []
    for service, document, folder, count in series:
        for number, path in enumerate(series_files(folder, count)):
            steps.append((path.name[:10], number, f"{service}/{document}.md", path.read_bytes()))
    for day, number, path, content in sorted(steps):
        commit(repo, path, content, f"{day}T12:{number:02d}:00+00:00")
    return repo


def table(output: Path, name: str) -> pa.Table:
    """A table without the column that is allowed to differ between runs (time taken)."""
    whole = read_table(output, name)
    return whole.drop(["seconds"]) if name == "pairs" else whole
