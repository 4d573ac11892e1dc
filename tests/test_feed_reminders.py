"""Still failing documents in the feeds: a reminder after 1, 7, 30 days then every 30, never one per run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from test_watch import BASE, page, serve, write_targets

from policydiff.fetch import FetchConfig
from policydiff.targets import load_targets
from policydiff.watch import run_watch
from policydiff.watch.feeds import reminder_days, still_failing_entry
from policydiff.watch.fetching import network_fetcher

SINCE = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


def test_reminders_fall_on_their_days_with_an_hour_of_jitter() -> None:
    def at(days: float) -> int | None:
        return reminder_days(SINCE, SINCE + timedelta(days=days))

    assert at(0) is None and at(0.9) is None
    assert at(1 - 1 / 48) == 1  # 23:30 after the first failure: a nightly run counts as a day
    assert [at(d) for d in (1, 2, 6.5, 7, 29, 30, 59, 60, 95)] == [1, 1, 1, 7, 7, 30, 30, 60, 90]


@settings(deadline=None)  # the shared test machine is slow at times
@given(st.integers(min_value=0, max_value=1000))
def test_a_daily_streak_gets_few_reminders_that_never_go_back(days: int) -> None:
    runs = [reminder_days(SINCE, SINCE + timedelta(days=d)) for d in range(days + 1)]
    reached = [r for r in runs if r is not None]
    assert reached == sorted(reached) and all(r <= d for d, r in enumerate(runs) if r is not None)
    assert len(set(reached)) == len([d for d in (1, 7) if d <= days]) + days // 30
    entries = [
        still_failing_entry("s", "d", "S — D", SINCE, SINCE + timedelta(days=d), "timeout")
        for d in range(days + 1)
    ]
    ids = {e.id: e for e in entries if e is not None}
    assert len(ids) == len(set(reached))  # one id per reminder, whatever the number of runs
    assert all(e.fetched_at <= SINCE + timedelta(days=days) for e in ids.values())


def _still_failing(feed_path: Path) -> list[feedparser.FeedParserDict]:
    parsed = feedparser.parse(feed_path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return [e for e in parsed.entries if "/still-failing/" in e.id]


def test_feeds_remind_of_a_still_failing_document_once_per_reminder(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    serve(httpserver, "/privacy", page(BASE))
    serve(httpserver, "/faq", page(BASE, title="FAQ"))
    urls = {"privacy": httpserver.url_for("/privacy"), "faq": httpserver.url_for("/faq")}
    targets = load_targets(write_targets(tmp_path, urls))
    report = tmp_path / "report"
    start = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)
    fetcher = network_fetcher(FetchConfig(host_delay=0, retries=0))

    def night(day: int) -> list[feedparser.FeedParserDict]:
        when = start + timedelta(days=day, minutes=-2 if day % 2 else 1)  # cron jitter both ways
        run_watch(targets, tmp_path / "store", report, now=lambda: when, fetcher=fetcher)
        everything = _still_failing(report / "feed.atom")
        assert [e.id for e in _still_failing(report / "feeds" / "acme.atom")] == [e.id for e in everything]
        return everything

    assert night(0) == []
    httpserver.clear()
    serve(httpserver, "/privacy", page(BASE))
    httpserver.expect_request("/faq").respond_with_data("gone", status=404)
    assert night(1) == []  # newly failing: the "fetching fails" entry says so
    seen: dict[str, str] = {}
    for day in (2, 3, 5, 8, 9):
        entries = night(day)
        assert len(entries) == 1  # at most one reminder per failing document in a feed
        seen[entries[0].id] = entries[0].title
    assert sorted(seen.values()) == [
        f"Acme Social — Faq: fetching still fails after {n}" for n in ("1 day", "7 days")
    ]
    (reminder,) = _still_failing(report / "feed.atom")
    assert "http_error" in reminder.summary and [link.href for link in reminder.links] == ["index.html"]
    httpserver.clear()
    serve(httpserver, "/privacy", page(BASE))
    serve(httpserver, "/faq", page(BASE, title="FAQ"))
    assert night(10) == []  # recovered: the reminders stop
    titles = [e.title for e in feedparser.parse((report / "feed.atom").read_bytes()).entries]
    assert any("fetching works again" in t for t in titles) and any("fetching fails" in t for t in titles)
