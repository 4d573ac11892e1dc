"""The report folder of a run: redlines, ``index.html``, ``feed.atom`` and per-service feeds.

Report files are rebuilt every run: written atomically (readers never see half a file), without fsync.
Each redline page links back to the index and marks the findings an acknowledgement silences.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from policydiff.atomic import atomic_text
from policydiff.model import Comparison
from policydiff.store import Assessment, FetchEvent, Store, Version
from policydiff.targets import slugify
from policydiff.watch.feeds import FeedEntry, feed_entries, href, render_feed, still_failing_entry
from policydiff.watch.index import render_index
from policydiff.watch.values import RunSummary

__all__ = ["render_redline", "write_report"]


def write_report(
    report: Path,
    summary: RunSummary,
    comparisons: Mapping[str, Comparison],
    store: Store,
    pending: Sequence[tuple[Version, Assessment]] = (),
    recent_runs: Sequence[Mapping[str, Any]] = (),
    pending_events: Sequence[tuple[str, str, FetchEvent]] = (),
) -> None:
    """Write the report folder: redlines, ``index.html``, ``feed.atom`` and per-service feeds."""
    base_url = summary.base_url
    report.mkdir(parents=True, exist_ok=True)
    acknowledged = _acknowledged(summary)
    for path, comparison in comparisons.items():
        back = href("index.html", base_url=base_url, here=path)
        page = render_redline(comparison, back_link=back, acknowledged=acknowledged.get(path))
        atomic_text(report / path, page, durable=False)
    titles = {o.key: o.title for o in summary.outcomes}
    entries = feed_entries(
        store, pending=pending, pending_events=pending_events, reminders=_reminders(summary), titles=titles
    )
    services = sorted({e.service for e in entries} | {o.service for o in summary.outcomes})
    feeds = {service: f"feeds/{slugify(service)}.atom" for service in services}
    index = render_index(summary, entries, recent_runs=recent_runs, feeds=feeds, base_url=base_url)
    atomic_text(report / "index.html", index, durable=False)
    updated = summary.finished_at
    everything = render_feed(
        entries, title="policydiff: all changes", feed_key="all", updated=updated, base_url=base_url
    )
    atomic_text(report / "feed.atom", everything, durable=False)
    for service, path in feeds.items():
        feed = render_feed(
            [e for e in entries if e.service == service],
            title=f"policydiff: {service}",
            feed_key=slugify(service),
            updated=updated,
            path=path,
            base_url=base_url,
        )
        atomic_text(report / path, feed, durable=False)


def _reminders(summary: RunSummary) -> list[FeedEntry]:
    """A reminder entry for each document still failing this run that has reached a reminder."""
    at = summary.started_at  # the time the run's fetch states are computed at
    found = (
        still_failing_entry(o.service, o.document, o.title, o.failing_since, at, o.failure_reason)
        for o in summary.fetch_failures("ongoing")
        if o.failing_since is not None
    )
    return [entry for entry in found if entry is not None]


def _acknowledged(summary: RunSummary) -> dict[str, dict[str, str]]:
    """Redline path -> finding id -> the note of the acknowledgement silencing that finding."""
    out: dict[str, dict[str, str]] = {}
    for change in summary.changes:
        notes = {f.id: f.acknowledged for f in change.findings if f.id and f.acknowledged}
        if change.redline and notes:
            out[change.redline] = notes
    return out


def render_redline(
    comparison: Comparison,
    *,
    back_link: str | None = None,
    acknowledged: Mapping[str, str] | None = None,
) -> str:
    """The redline page of one compared change (the HTML renderer's page, or a plain fallback).

    ``acknowledged``: finding id -> acknowledgement note; those findings show as acknowledged."""
    try:
        from policydiff.render.html import to_html

        return to_html(comparison, back_link=back_link, acknowledged=acknowledged)
    except Exception as exc:  # a renderer bug must not lose the run's report: fall back to text
        reason = f"{type(exc).__name__}: {exc}"
    try:
        text = comparison.to_markdown()
    except Exception as exc:  # pragma: no cover - both renderers broken
        text = f"(no renderer available: {type(exc).__name__}: {exc})"
    title = html.escape(comparison.title or "policydiff")
    return (
        f'<!doctype html><html lang="en"><meta charset="utf-8"><title>{title}</title><body>'
        f"<p>The HTML redline could not be rendered ({html.escape(reason)}); the changes as text:</p>"
        f"<pre>{html.escape(text)}</pre></body></html>\n"
    )
