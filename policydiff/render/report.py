"""The watch run's report pages: ``index.html`` (a jinja2 template, autoescaped) and the redlines.

``render_index`` lists the run: changes with their findings by severity and a link to each redline,
documents that flapped back or started a new lineage, failures with their reasons, and the run's
timings. ``render_redline`` is ``Comparison.to_html()``, with a plain fallback should the HTML
renderer be unavailable, so a report is always written.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

import jinja2

from policydiff.model import Comparison

if TYPE_CHECKING:
    from policydiff.render.atom import FeedEntry
    from policydiff.watch import RunSummary

__all__ = ["render_index", "render_redline"]

STATUS_LABELS = {
    "new": "changed",
    "unchanged": "unchanged",
    "first": "baseline recorded",
    "flapping": "flapping",
    "new_lineage": "new lineage",
    "failed": "failed",
}


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("policydiff", "render/templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_index(summary: RunSummary, history: Sequence[FeedEntry] = ()) -> str:
    """The run's ``index.html``: changes, findings by severity, failures with reasons.

    ``history`` (the store's recorded changes, newest first) is listed below the run, so a report
    folder kept across runs links every earlier redline too.
    """
    template = _environment().get_template("report_index.html.j2")
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
