"""The nightly job: fetch every target, store what came back, compare new versions, write a report.

The pure parts decide (``decide``: what changed, what to compare, the exit code); ``run.run_watch``
does the I/O around them: the fetch stage (``fetching``), the store, the comparisons (``comparing``),
the fetch state of each document (``failures``), the report folder (``report``, ``index``,
``feeds``), ``run.json`` (``runjson``) and the notifications (``notify``: Apprise and the JSON
webhook). ``options`` holds what shapes a run.
``progress`` wraps a run in a progress bar for the CLI.

Exit codes, for cron and CI, are a sum: 1 a material change was recorded (with ``fail_on``: only
an unacknowledged finding at or above that severity counts); 4 fetching failed (by
``fail_on_fetch_error``: a document newly failing, the default; any failing document; or never). So
0 nothing to report, 1 changes, 4 fetch failures, 5 both. 2 alone: the run itself failed, including
when every target failed.
"""

from __future__ import annotations

from policydiff.watch.decide import (
    EXIT_CHANGED,
    EXIT_FAILED,
    EXIT_FETCH,
    EXIT_NOTHING,
    decide_exit_code,
    finding_lines,
    outcome_for,
    plan_comparisons,
)
from policydiff.watch.fetching import Fetcher, network_fetcher
from policydiff.watch.notify import build_message, notify_all, webhook_payload
from policydiff.watch.options import WatchOptions
from policydiff.watch.progress import peak_memory_mb, watch_with_progress
from policydiff.watch.report import render_redline, write_report
from policydiff.watch.run import run_watch
from policydiff.watch.runjson import summary_to_dict, summary_to_json
from policydiff.watch.values import (
    Attempt,
    ChangeSummary,
    ComparisonPlan,
    DocumentOutcome,
    FindingLine,
    RunSummary,
)

__all__ = [
    "EXIT_CHANGED",
    "EXIT_FAILED",
    "EXIT_FETCH",
    "EXIT_NOTHING",
    "Attempt",
    "ChangeSummary",
    "ComparisonPlan",
    "DocumentOutcome",
    "Fetcher",
    "FindingLine",
    "RunSummary",
    "WatchOptions",
    "build_message",
    "decide_exit_code",
    "finding_lines",
    "network_fetcher",
    "notify_all",
    "outcome_for",
    "peak_memory_mb",
    "plan_comparisons",
    "render_redline",
    "run_watch",
    "summary_to_dict",
    "summary_to_json",
    "watch_with_progress",
    "webhook_payload",
    "write_report",
]
