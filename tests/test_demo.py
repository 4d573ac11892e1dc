"""``policydiff demo``: the whole pipeline offline on the bundled snapshots of a fictional service."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner

from policydiff.cli import main
from policydiff.demo import default_snapshots_dir, discover_versions, run_demo
from policydiff.store import verify
from policydiff.targets import load_targets

ATOM = "{http://www.w3.org/2005/Atom}"


def test_bundled_snapshots_are_complete() -> None:
    folder = default_snapshots_dir()
    targets = load_targets(folder / "targets.toml")
    names = {t.document for t in targets.documents}
    assert {"privacy-policy", "faq", "subscription-agreement"} <= names
    versions = discover_versions(folder, targets)
    assert all(len(dated) >= 3 for dated in versions.values())
    for target in targets.documents:
        assert ".example/" in target.url  # placeholders, never fetched


def test_demo_command_writes_report(tmp_path: Path) -> None:
    report = tmp_path / "report"
    result = CliRunner().invoke(main, ["demo", "--report", str(report)])
    assert result.exit_code == 0, result.output
    index = report / "index.html"
    assert index.is_file()
    assert str(index.resolve()) in result.output
    run = json.loads((report / "run.json").read_text(encoding="utf-8"))
    findings = [f for change in run["changes"] for f in change["findings"]]
    assert findings, "the last demo run lists findings"
    assert all(f["severity"] in ("high", "medium", "low") and f["category"] for f in findings)
    # every redline linked from the page exists; the feed has one entry per recorded change
    html = index.read_text(encoding="utf-8")
    feed = ET.parse(report / "feed.atom").getroot()
    links = [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]  # type: ignore[union-attr]
    assert len(links) >= 3
    for link in links:
        assert link is not None and (report / link).is_file() and link in html


def test_demo_replays_noise_without_a_version(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = run_demo(tmp_path / "report", store_dir=store)
    assert len(result.runs) >= 3
    first, second = result.runs[0], result.runs[1]
    assert first.count("first") == 3 and first.exit_code == 0
    privacy = next(o for o in second.outcomes if o.document == "privacy-policy")
    assert privacy.status == "unchanged" and privacy.noise_only  # markup and typography only
    assert any(run.exit_code == 1 for run in result.runs)
    high = [f for run in result.runs for c in run.changes for f in c.findings if f.severity == "high"]
    assert high, "the AI-training change of the demo yields high findings"
    assert verify(store) == []


def test_demo_with_other_snapshots_and_bad_folder(tmp_path: Path) -> None:
    copy = tmp_path / "snaps"
    shutil.copytree(default_snapshots_dir(), copy)
    result = CliRunner().invoke(main, ["demo", "--report", str(tmp_path / "r"), "--snapshots", str(copy)])
    assert result.exit_code == 0, result.output
    bad = CliRunner().invoke(main, ["demo", "--report", str(tmp_path / "r2"), "--snapshots", str(tmp_path)])
    assert bad.exit_code == 2 and "no demo snapshots" in bad.output


def test_demo_can_keep_its_store_for_history(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = CliRunner().invoke(main, ["demo", "--report", str(tmp_path / "r"), "--store", str(store)])
    assert result.exit_code == 0, result.output
    history = CliRunner().invoke(main, ["history", "acme-social/privacy-policy", "--store", str(store)])
    assert history.exit_code == 0 and "findings" in history.output
    again = CliRunner().invoke(main, ["demo", "--report", str(tmp_path / "r"), "--store", str(store)])
    assert again.exit_code == 2 and "empty store" in again.output
