"""The report folder of a run: redlines, ``index.html``, ``feed.atom`` and per-service feeds.

Report files are rebuilt every run: written atomically (readers never see half a file), without fsync.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path

from policydiff.atomic import atomic_text
from policydiff.model import Comparison
from policydiff.store import Assessment, Store, Version
from policydiff.targets import slugify
from policydiff.watch.feeds import FeedEntry, feed_entries, render_feed
from policydiff.watch.index import render_index
from policydiff.watch.values import RunSummary

__all__ = ["render_redline", "write_report"]


def write_report(
    report: Path,
    summary: RunSummary,
    comparisons: Mapping[str, Comparison],
    store: Store,
    pending: Sequence[tuple[Version, Assessment]] = (),
) -> None:
    """Write the report folder: redlines, ``index.html``, ``feed.atom`` and per-service feeds."""
    report.mkdir(parents=True, exist_ok=True)
    # report files are rebuilt every run: written atomically (readers never see half a file), no fsync
    for path, comparison in comparisons.items():
        atomic_text(report / path, render_redline(comparison), durable=False)
    entries = feed_entries(store, pending=pending)
    atomic_text(report / "index.html", render_index(summary, entries), durable=False)
    updated = summary.finished_at
    atomic_text(
        report / "feed.atom",
        render_feed(entries, title="policydiff: all changes", feed_key="all", updated=updated),
        durable=False,
    )
    services = sorted({e.service for e in entries} | {o.service for o in summary.outcomes})
    by_service: dict[str, list[FeedEntry]] = {}
    for entry in entries:
        by_service.setdefault(entry.service, []).append(entry)
    for service in services:
        feed = render_feed(
            by_service.get(service, []),
            title=f"policydiff: {service}",
            feed_key=slugify(service),
            updated=updated,
        )
        atomic_text(report / "feeds" / f"{slugify(service)}.atom", feed, durable=False)


def render_redline(comparison: Comparison) -> str:
    """The redline page of one compared change (the HTML renderer's page, or a plain fallback)."""
    try:
        return comparison.to_html()
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
