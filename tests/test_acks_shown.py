"""Acknowledged findings stay visible: marked on the redline page, in the headline and in the feeds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import feedparser
from pytest_httpserver import HTTPServer
from test_watch import BASE, CHANGED, page, serve, write_targets

import policydiff
from policydiff.acks import parse_acks
from policydiff.render.html import render_html, to_html
from policydiff.targets import load_targets
from policydiff.watch import RunSummary, WatchOptions, run_watch

HOSTILE_REASON = '<script>alert("x")</script> & "legal" <b>ok</b>'
HOSTILE_BY = "<img src=x onerror=alert(1)>"


class _Items(HTMLParser):
    """Each finding item of a redline page: its id, classes, badges and acknowledgement note (as text)."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict[str, str]] = []
        self._capture: str | None = None
        self.scripts = 0
        self.stat_badges: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if tag == "script":
            self.scripts += 1
        if tag == "img":
            raise AssertionError("an <img> element reached the page")
        if tag == "li" and "fitem" in classes:
            self.items.append({"fid": values.get("data-fid") or "", "class": " ".join(classes)})
        elif tag == "p" and "ack" in classes:
            self._capture = "note"
            self.items[-1]["note"] = ""
        elif tag == "span" and "ackd" in classes:
            self._capture = "badge"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "span"):
            self._capture = None

    def handle_data(self, data: str) -> None:
        if self._capture == "note":
            self.items[-1]["note"] += data
        elif self._capture == "badge":
            if self.items:
                self.items[-1]["badge"] = data
            else:
                self.stat_badges.append(data)


def _items(html_text: str) -> _Items:
    parser = _Items()
    parser.feed(html_text)
    return parser


def test_redline_marks_only_the_acknowledged_finding_and_escapes_the_note() -> None:
    comparison = policydiff.compare(page(BASE), page(CHANGED))
    assert len(comparison.findings) >= 2
    target = comparison.findings[0].id
    note = f"{HOSTILE_REASON} (acknowledged by {HOSTILE_BY})"
    for html_text in (to_html(comparison, acknowledged={target: note}), render_html(comparison, csp=False)):
        parsed = _items(html_text)
        assert parsed.scripts == 1  # the page's own script only: the reason stays text
        assert sorted(i["fid"] for i in parsed.items) == sorted(f.id for f in comparison.findings)
    parsed = _items(to_html(comparison, acknowledged={target: note}))
    acked = [i for i in parsed.items if "acked" in i["class"].split()]
    assert [i["fid"] for i in acked] == [target]
    assert acked[0]["note"] == f"Acknowledged: {note}" and acked[0]["badge"] == "acknowledged"
    assert all("note" not in i for i in parsed.items if i["fid"] != target)
    assert parsed.stat_badges == ["1 acknowledged"]
    plain = _items(to_html(comparison))
    assert not plain.stat_badges and all("note" not in i for i in plain.items)


def test_watch_redline_headline_and_feed_say_acknowledged(tmp_path: Path, httpserver: HTTPServer) -> None:
    serve(httpserver, "/privacy", page(BASE))
    targets = load_targets(write_targets(tmp_path, {"privacy": httpserver.url_for("/privacy")}))
    clock = [datetime(2026, 3, 2, 3, 0, tzinfo=UTC)]
    rule = policydiff.compare(page(BASE), page(CHANGED)).findings[0].rule
    ack_text = (
        f"[[ack]]\nrule = {rule!r}\nservice = 'acme'\nreason = '''{HOSTILE_REASON}'''\nby = '{HOSTILE_BY}'\n"
    )
    options = WatchOptions(acks=parse_acks(ack_text))

    def night() -> RunSummary:
        summary = run_watch(
            targets, tmp_path / "store", tmp_path / "report", options=options, now=lambda: clock[0]
        )
        clock[0] += timedelta(days=1)
        return summary

    night()
    httpserver.clear()
    serve(httpserver, "/privacy", page(CHANGED))
    summary = night()
    (change,) = summary.changes
    silenced = [f for f in change.findings if f.acknowledged]
    assert silenced and len(silenced) < len(change.findings)  # one rule acknowledged, the others alert
    assert f"{len(silenced)} acknowledged" in summary.headline

    report = tmp_path / "report"
    parsed = _items((report / change.redline).read_text(encoding="utf-8"))
    assert sorted(i["fid"] for i in parsed.items) == sorted(f.id for f in change.findings)
    marked = {i["fid"]: i["note"] for i in parsed.items if "acked" in i["class"].split()}
    expected = f"Acknowledged: {HOSTILE_REASON} (acknowledged by {HOSTILE_BY})"
    assert marked == {f.id: expected for f in silenced}
    assert parsed.scripts == 1

    feed = feedparser.parse((report / "feed.atom").read_bytes())
    assert not feed.bozo
    (entry,) = [e for e in feed.entries if "changed" in e.title]
    lines = entry.summary.split("\n")
    acked_lines = [line for line in lines if ", acknowledged] " in line]
    assert len(acked_lines) == len(silenced)
    assert any(line.startswith("[") and ", acknowledged]" not in line for line in lines[1:])
