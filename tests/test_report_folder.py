"""The report folder as an operator publishes it: feeds a real reader parses, links that all lead
somewhere, recent runs on the index, acknowledged findings, file modes that follow the umask."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from pytest_httpserver import HTTPServer
from test_watch import BASE, CHANGED, page, serve, write_targets

from policydiff.acks import parse_acks
from policydiff.errors import ConfigError
from policydiff.targets import load_targets
from policydiff.watch import RunSummary, WatchOptions, run_watch

BASE_URL = "https://reports.example.org/policydiff/"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "href" and value and tag in ("a", "link"):
                self.links.append(value)


def html_links(path: Path) -> list[str]:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.links


def resolve(report: Path, here: Path, link: str, base_url: str | None) -> Path | None:
    """The file a report link leads to (None: a link outside the report, e.g. the document's URL)."""
    if base_url and link.startswith(base_url):
        return report / link.removeprefix(base_url)
    if urlsplit(link).scheme or link.startswith("#"):
        return None
    return Path(os.path.normpath(here.parent / link.split("#")[0]))


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def nightly(tmp_path: Path, targets: Path, clock: Clock, options: WatchOptions | None = None) -> RunSummary:
    summary = run_watch(
        load_targets(targets), tmp_path / "store", tmp_path / "report", options=options, now=clock
    )
    clock.now += timedelta(days=1)
    return summary


def three_nights(tmp_path: Path, httpserver: HTTPServer, options: WatchOptions | None = None) -> None:
    """Sunday baseline; Monday a change (with findings) and the FAQ starts failing; Tuesday quiet."""
    clock = Clock()
    serve(httpserver, "/privacy", page(BASE))
    serve(httpserver, "/faq", page(BASE, title="FAQ"))
    targets = write_targets(
        tmp_path, {"privacy": httpserver.url_for("/privacy"), "faq": httpserver.url_for("/faq")}
    )
    nightly(tmp_path, targets, clock, options)
    httpserver.clear()
    serve(httpserver, "/privacy", page(CHANGED))
    httpserver.expect_request("/faq").respond_with_data("moved", status=404)
    monday = nightly(tmp_path, targets, clock, options)
    assert monday.changes and monday.changes[0].findings and monday.fetch_failures("new")
    nightly(tmp_path, targets, clock, options)


@pytest.mark.parametrize("base_url", [None, BASE_URL])
def test_every_feed_parses_and_every_link_leads_to_a_file(
    tmp_path: Path, httpserver: HTTPServer, base_url: str | None
) -> None:
    three_nights(tmp_path, httpserver, WatchOptions(base_url=base_url))
    report = tmp_path / "report"
    feeds = [report / "feed.atom", *sorted((report / "feeds").glob("*.atom"))]
    assert [f.name for f in feeds] == ["feed.atom", "acme.atom"]
    for feed_path in feeds:
        parsed = feedparser.parse(feed_path.read_bytes())
        assert not parsed.bozo, (feed_path, parsed.get("bozo_exception"))
        here = base_url + feed_path.relative_to(report).as_posix() if base_url else None
        (self_link,) = [link.href for link in parsed.feed.links if link.rel == "self"]
        if base_url:
            assert self_link == here
        else:
            assert resolve(report, feed_path, self_link, None) == feed_path
        kinds = [e.title for e in parsed.entries]
        assert any("changed" in t for t in kinds) and any("fetching fails" in t for t in kinds)
        assert len({e.id for e in parsed.entries}) == len(parsed.entries)
        for entry in parsed.entries:
            for link in entry.links:
                assert (not base_url) or link.href.startswith(base_url)
                target = resolve(report, feed_path, link.href, base_url)
                assert target is not None and target.is_file(), (feed_path.name, link.href)
    pages = [report / "index.html", *sorted((report / "changes").glob("*.html"))]
    assert len(pages) == 2
    for html_page in pages:
        for link in html_links(html_page):
            target = resolve(report, html_page, link, base_url)
            if target is not None:
                assert target.is_file(), (html_page.name, link)
    redline_links = [resolve(report, pages[1], link, base_url) for link in html_links(pages[1])]
    assert report / "index.html" in redline_links  # every redline page links back to the index


def test_the_index_keeps_mondays_finding_after_a_quiet_tuesday(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    three_nights(tmp_path, httpserver)
    index = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    runs = index[index.index('id="runs"') :]
    runs = runs[: runs.index("</section>")]
    rows = re.findall(r"<tr><td>(2026-03-0\d \d\d:\d\d) UTC", runs)
    assert rows == ["2026-03-04 03:00", "2026-03-03 03:00", "2026-03-02 03:00"]  # newest first
    monday = runs[runs.index("2026-03-03 03:00") : runs.index("2026-03-02 03:00")]
    assert "Acme Social" in monday and 'class="badge high"' in monday and "1 new" in monday
    tuesday = runs[runs.index("2026-03-04 03:00") : runs.index("2026-03-03 03:00")]
    assert "1 still failing" in tuesday


def test_acknowledged_findings_are_shown_but_do_not_alert(tmp_path: Path, httpserver: HTTPServer) -> None:
    serve(httpserver, "/privacy", page(BASE))
    targets = write_targets(tmp_path, {"privacy": httpserver.url_for("/privacy")})
    ack_text = "\n".join(
        f'[[ack]]\nrule = "{rule}"\nservice = "acme"\ndocument = "privacy"\nreason = "known"\nby = "dana"\n'
        for rule in _rules_of_the_change()
    )
    plain, acked = tmp_path / "plain", tmp_path / "acked"
    clocks = Clock(), Clock()
    nightly(plain, targets, clocks[0])
    nightly(acked, targets, clocks[1])
    httpserver.clear()
    serve(httpserver, "/privacy", page(CHANGED))
    loud = nightly(plain, targets, clocks[0], WatchOptions(fail_on="low"))
    assert loud.exit_code == 1 and all(f.acknowledged is None for f in loud.changes[0].findings)
    summary = nightly(acked, targets, clocks[1], WatchOptions(fail_on="low", acks=parse_acks(ack_text)))
    (change,) = summary.changes
    assert change.findings and all(f.acknowledged == "known (acknowledged by dana)" for f in change.findings)
    assert summary.exit_code == 0 and change.top_severity is None
    run_json = json.loads((acked / "report" / "run.json").read_text())
    assert run_json["changes"][0]["acknowledged"] == len(change.findings)
    index = (acked / "report" / "index.html").read_text(encoding="utf-8")
    assert "Acknowledged: known (acknowledged by dana)" in index


def _rules_of_the_change() -> list[str]:
    import policydiff

    comparison = policydiff.compare(page(BASE), page(CHANGED))
    rules = sorted({f.rule for f in comparison.findings})
    assert rules
    return rules


def test_ack_file_errors_name_the_line() -> None:
    with pytest.raises(ConfigError, match=r"ack.toml:5.*missing 'by'"):
        parse_acks('[[ack]]\nid = "f-1"\nreason = "x"\nby = "a"\n[[ack]]\nid = "f-2"\nreason = "y"\n')
    with pytest.raises(ConfigError, match="needs the 'service'"):
        parse_acks('[[ack]]\nrule = "r"\nreason = "x"\nby = "a"\n')
    with pytest.raises(ConfigError, match="unknown key 'who'"):
        parse_acks('[[ack]]\nid = "f"\nreason = "x"\nwho = "a"\n')
    acks = parse_acks('[[ack]]\nrule = "r"\nservice = "s"\nreason = "x"\nby = "a"\n')
    assert acks.find(finding_id="", rule="r", service="s", document="any") is not None
    assert acks.find(finding_id="", rule="r", service="other", document="any") is None


def _modes(root: Path) -> dict[str, int]:
    return {
        p.relative_to(root).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in root.rglob("*") if p.is_file()
    }


def test_report_store_and_targets_files_follow_the_umask(tmp_path: Path, httpserver: HTTPServer) -> None:
    """Run under umask 022 and 027 in fresh processes: files are 0644 and 0640, never 0600."""
    serve(httpserver, "/privacy", page(BASE))
    targets = write_targets(tmp_path, {"privacy": httpserver.url_for("/privacy")})
    declarations = tmp_path / "declarations"
    declarations.mkdir()
    (declarations / "Acme.json").write_text(
        json.dumps({"name": "Acme", "documents": {"Terms": {"fetch": "https://acme.example/terms"}}})
    )
    for umask, expected in ((0o022, 0o644), (0o027, 0o640)):
        work = tmp_path / f"umask-{umask:o}"
        code = (
            "import os, sys\n"
            f"os.umask({umask})\n"
            "from policydiff.cli import main\n"
            "args = sys.argv[1:]\n"
            "split = args.index('--')\n"
            "try:\n"
            "    main(args[:split])\n"
            "except SystemExit:\n"
            "    pass\n"
            "main(args[split + 1:])\n"
        )
        watch_args = ["watch", "--targets", str(targets), "--store", str(work / "store")]
        watch_args += ["--report", str(work / "report"), "--no-progress", "--host-delay", "0"]
        ota_args = ["targets", "import-ota", str(declarations), "-o", str(work / "targets.toml")]
        subprocess.run([sys.executable, "-c", code, *watch_args, "--", *ota_args], check=False)
        report, store = _modes(work / "report"), _modes(work / "store")
        assert report and store and "index.html" in report and "run.json" in report
        assert set(report.values()) == {expected}, report
        assert set(store.values()) == {expected}, store
        assert stat.S_IMODE((work / "targets.toml").stat().st_mode) == expected


def test_acknowledging_one_finding_by_id_leaves_the_others_alerting(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    serve(httpserver, "/privacy", page(BASE))
    targets = write_targets(tmp_path, {"privacy": httpserver.url_for("/privacy")})
    plain, acked = tmp_path / "plain", tmp_path / "acked"
    clocks = Clock(), Clock()
    nightly(plain, targets, clocks[0])
    nightly(acked, targets, clocks[1])
    httpserver.clear()
    serve(httpserver, "/privacy", page(CHANGED))
    (first,) = nightly(plain, targets, clocks[0]).changes
    assert len(first.findings) >= 2 and all(f.id.startswith("f-") for f in first.findings)
    run_json = json.loads((plain / "report" / "run.json").read_text())
    assert [f["id"] for f in run_json["changes"][0]["findings"]] == [f.id for f in first.findings]
    target = first.findings[0]
    acks = parse_acks(f'[[ack]]\nid = "{target.id}"\nreason = "seen in review"\nby = "lee"\n')
    (change,) = nightly(acked, targets, clocks[1], WatchOptions(acks=acks)).changes
    assert [f.id for f in change.findings] == [f.id for f in first.findings]  # stable across stores
    assert [f.id for f in change.findings if f.acknowledged] == [target.id]
    assert len(change.alerting) == len(change.findings) - 1


def test_cli_reads_the_ack_file_beside_the_targets_file(tmp_path: Path, httpserver: HTTPServer) -> None:
    from click.testing import CliRunner

    from policydiff.cli import main

    serve(httpserver, "/privacy", page(BASE))
    targets = write_targets(tmp_path, {"privacy": httpserver.url_for("/privacy")})
    args = ["watch", "--targets", str(targets), "--store", str(tmp_path / "store")]
    args += ["--report", str(tmp_path / "report"), "--no-progress", "--host-delay", "0", "--fail-on", "LOW"]
    assert CliRunner().invoke(main, args).exit_code == 0
    rules = _rules_of_the_change()
    (tmp_path / "policydiff.ack.toml").write_text(
        "".join(f'[[ack]]\nrule = "{r}"\nservice = "acme"\nreason = "ok"\nby = "kim"\n\n' for r in rules)
    )
    httpserver.clear()
    serve(httpserver, "/privacy", page(CHANGED))
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output  # every finding acknowledged: --fail-on low passes
    run_json = json.loads((tmp_path / "report" / "run.json").read_text())
    assert run_json["changes"][0]["acknowledged"] == len(run_json["changes"][0]["findings"]) > 0
    (tmp_path / "policydiff.ack.toml").write_text('[[ack]]\nrule = "x"\nreason = "r"\nby = "b"\n')
    broken = CliRunner().invoke(main, args)
    assert broken.exit_code == 2 and "policydiff.ack.toml:1" in broken.output and "service" in broken.output
