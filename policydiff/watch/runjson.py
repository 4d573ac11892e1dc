"""``run.json``: the machine-readable summary of a run (also the JSON webhook's body)."""

from __future__ import annotations

import json
from typing import Any

from policydiff.model import unstructure
from policydiff.watch.values import RunSummary


def summary_to_dict(summary: RunSummary) -> dict[str, Any]:
    """The machine-readable run summary (``run.json`` and the webhook body)."""
    counts = {
        status: summary.count(status)
        for status in ("new", "unchanged", "first", "flapping", "new_lineage", "failed")
    }
    changes = []
    for change in summary.changes:
        data = unstructure(change)
        data["findings_by_severity"] = change.findings_by_severity
        changes.append(data)
    return {
        "policydiff_run": 1,
        "started_at": summary.started_at.isoformat(),
        "finished_at": summary.finished_at.isoformat(),
        "store": summary.store,
        "report": summary.report,
        "exit_code": summary.exit_code,
        "fail_on": summary.fail_on,
        "error": summary.error,
        "headline": summary.headline,
        "targets": len(summary.outcomes),
        "counts": counts,
        "material_changes": summary.material_changes,
        "findings_by_severity": summary.findings_by_severity,
        "stage_seconds": {k: round(v, 3) for k, v in summary.stage_seconds.items()},
        "changes": changes,
        "documents": [unstructure(o) for o in summary.outcomes],
        "failures": [
            {
                "key": o.key,
                "url": o.url,
                "reason": o.failure_reason,
                "message": o.message,
                "http_status": o.http_status,
            }
            for o in summary.failures
        ],
        "webhook": dict(summary.webhook) if summary.webhook is not None else None,
    }


def summary_to_json(summary: RunSummary) -> str:
    return json.dumps(summary_to_dict(summary), indent=2, ensure_ascii=False) + "\n"
