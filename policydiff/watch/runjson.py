"""``run.json``: the machine-readable summary of a run (schema in ``docs/run-json.md``).

``run_record`` is the short form kept in the store for each run, which the index lists as a recent run.
"""

from __future__ import annotations

import json
from typing import Any

from policydiff.model import unstructure
from policydiff.severity import count_severities
from policydiff.watch.values import DocumentOutcome, RunSummary

__all__ = ["RUN_SCHEMA", "run_record", "summary_to_dict", "summary_to_json"]

RUN_SCHEMA = 2  # ``policydiff_run``: 1 had no fetch failure tracking and a single ``webhook``


def _failure(o: DocumentOutcome) -> dict[str, Any]:
    return {
        "key": o.key,
        "title": o.title,
        "url": o.url,
        "reason": o.failure_reason,
        "message": o.message,
        "http_status": o.http_status,
        "state": o.fetch_state,
        "failing_since": o.failing_since.isoformat() if o.failing_since else None,
    }


def _fetch_failures(summary: RunSummary) -> dict[str, list[dict[str, Any]]]:
    return {
        state: [_failure(o) for o in summary.fetch_failures(state)]
        for state in ("new", "ongoing", "recovered")
    }


def summary_to_dict(summary: RunSummary) -> dict[str, Any]:
    """The machine-readable run summary (``run.json``, and the ``run`` of the webhook payload)."""
    counts = {
        status: summary.count(status)
        for status in ("new", "unchanged", "first", "flapping", "new_lineage", "failed")
    }
    changes = []
    for change in summary.changes:
        data = unstructure(change)
        data["findings_by_severity"] = change.findings_by_severity
        data["acknowledged"] = len(change.findings) - len(change.alerting)
        changes.append(data)
    return {
        "policydiff_run": RUN_SCHEMA,
        "started_at": summary.started_at.isoformat(),
        "finished_at": summary.finished_at.isoformat(),
        "store": summary.store,
        "report": summary.report,
        "base_url": summary.base_url,
        "exit_code": summary.exit_code,
        "fail_on": summary.fail_on,
        "fail_on_fetch_error": summary.fail_on_fetch_error,
        "error": summary.error,
        "headline": summary.headline,
        "targets": len(summary.outcomes),
        "counts": counts,
        "material_changes": summary.material_changes,
        "findings_by_severity": summary.findings_by_severity,
        "stage_seconds": {k: round(v, 3) for k, v in summary.stage_seconds.items()},
        "changes": changes,
        "documents": [unstructure(o) for o in summary.outcomes],
        "failures": [_failure(o) for o in summary.failures],
        "fetch_failures": _fetch_failures(summary),
        "notifications": [dict(n) for n in summary.notifications],
        "reported": list(summary.reported),
        "recovered_runs": [dict(r) for r in summary.recovered_runs],
    }


def summary_to_json(summary: RunSummary) -> str:
    return json.dumps(summary_to_dict(summary), indent=2, ensure_ascii=False) + "\n"


def run_record(summary: RunSummary) -> dict[str, Any]:
    """The short record of a run the store keeps: what the index lists under recent runs."""
    changes = [
        {
            "title": c.title,
            "redline": c.redline,
            "material_changes": c.material_changes,
            "findings_by_severity": count_severities(f.severity for f in c.alerting),
            "acknowledged": len(c.findings) - len(c.alerting),
            "error": c.error,
        }
        for c in summary.changes
    ]
    return {
        "started_at": summary.started_at.isoformat(),
        "exit_code": summary.exit_code,
        "headline": summary.headline,
        "error": summary.error,
        "changes": changes,
        "fetch_failures": _fetch_failures(summary),
        "reported": list(summary.reported),
    }
