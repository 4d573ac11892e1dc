"""The nightly job: fetch every target, store what came back, compare new versions, write a report.

The pure parts decide (``decide``: what changed, what to compare, the exit code); ``run.run_watch``
does the I/O around them: the fetch stage (``fetching``), the store, the comparisons (``comparing``),
the report folder (``report``, ``index``, ``feeds``), ``run.json`` (``runjson``) and the webhook.
``progress`` wraps a run in a progress bar for the CLI.

Exit codes, for cron and CI: 0 nothing changed; 1 a material change was recorded (with ``fail_on``:
only when a finding at or above that severity exists); 2 the run itself failed, including when every
target failed. Individual failures are listed in the report and do not change the exit code.
"""

from __future__ import annotations

from policydiff.watch.decide import (
    EXIT_CHANGED,
    EXIT_FAILED,
    EXIT_NOTHING,
    decide_exit_code,
    finding_lines,
    outcome_for,
    plan_comparisons,
)
from policydiff.watch.fetching import Fetcher, network_fetcher
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
from policydiff.watch.webhook import post_webhook

__all__ = [
    "EXIT_CHANGED",
    "EXIT_FAILED",
    "EXIT_NOTHING",
    "Attempt",
    "ChangeSummary",
    "ComparisonPlan",
    "DocumentOutcome",
    "Fetcher",
    "FindingLine",
    "RunSummary",
    "decide_exit_code",
    "finding_lines",
    "network_fetcher",
    "outcome_for",
    "peak_memory_mb",
    "plan_comparisons",
    "post_webhook",
    "render_redline",
    "run_watch",
    "summary_to_dict",
    "summary_to_json",
    "watch_with_progress",
    "write_report",
]
