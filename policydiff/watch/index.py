"""The run's ``index.html`` (a jinja2 template, autoescaped).

``render_index`` lists the run: changes with their findings by severity and a link to each redline,
documents that flapped back or started a new lineage, failures with their reasons, and the run's
timings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from policydiff.render.templating import environment
from policydiff.watch.feeds import FeedEntry
from policydiff.watch.values import RunSummary

__all__ = ["render_index"]

STATUS_LABELS = {
    "new": "changed",
    "unchanged": "unchanged",
    "first": "baseline recorded",
    "flapping": "flapping",
    "new_lineage": "new lineage",
    "failed": "failed",
}


def render_index(
    summary: RunSummary,
    history: Sequence[FeedEntry] = (),
    *,
    recent_runs: Sequence[Mapping[str, Any]] = (),
    feeds: Mapping[str, str] | None = None,
    base_url: str | None = None,
) -> str:
    """The run's ``index.html``: changes, findings by severity, fetch failures, recent runs, feeds.

    ``history`` (the store's recorded changes, newest first) is listed below the run, so a report
    folder kept across runs links every earlier redline too; ``recent_runs`` (run records, newest
    first, this run included) keep an earlier run's changes and failures in view; ``feeds`` maps a
    service to its feed's path. Links are absolute under ``base_url`` when given.
    """
    template = environment().get_template("report_index.html.j2")
    notable = [
        o for o in summary.outcomes if o.status in ("flapping", "new_lineage", "first") or o.noise_only
    ]
    return template.render(
        summary=summary,
        labels=STATUS_LABELS,
        notable=notable,
        counts={status: summary.count(status) for status in STATUS_LABELS},
        severity=summary.findings_by_severity,
        history=list(history),
        runs=list(recent_runs),
        feeds=dict(feeds or {}),
        failing={state: summary.fetch_failures(state) for state in ("new", "ongoing", "recovered")},
        link=lambda path: (base_url or "") + path,
    )
