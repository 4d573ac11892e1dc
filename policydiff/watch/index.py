"""The run's ``index.html`` (a jinja2 template, autoescaped).

``render_index`` lists the run: changes with their findings by severity and a link to each redline,
documents that flapped back or started a new lineage, failures with their reasons, and the run's
timings.
"""

from __future__ import annotations

from collections.abc import Sequence

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


def render_index(summary: RunSummary, history: Sequence[FeedEntry] = ()) -> str:
    """The run's ``index.html``: changes, findings by severity, failures with reasons.

    ``history`` (the store's recorded changes, newest first) is listed below the run, so a report
    folder kept across runs links every earlier redline too.
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
    )
