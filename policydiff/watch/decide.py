"""The pure decisions of a run: each target's outcome, what to compare, and the exit code.

Exit codes, for cron and CI, are a sum: 1 a material change was recorded (with ``fail_on``: only
an unacknowledged finding at or above that severity counts); 4 fetching failed (by
``fail_on_fetch_error``: a document newly failing, the default; any failing document; or never). So
0 nothing to report, 1 changes, 4 fetch failures, 5 both. 2 alone: the run itself failed, including
when every target failed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs

from policydiff.acks import Acknowledgements
from policydiff.model import Document, Finding
from policydiff.severity import SEVERITY_RANK
from policydiff.store import RecordResult, Version
from policydiff.targets import DocumentTarget
from policydiff.watch.values import (
    Attempt,
    ChangeSummary,
    ComparisonPlan,
    DocumentOutcome,
    FindingLine,
)

EXIT_NOTHING = 0
EXIT_CHANGED = 1
EXIT_FAILED = 2
EXIT_FETCH = 4


def outcome_for(target: DocumentTarget, result: RecordResult | None, attempt: Attempt) -> DocumentOutcome:
    """One target's outcome from its fetch attempt and what the store did with it."""
    base = DocumentOutcome(
        key=target.key,
        service=target.service,
        document=target.document,
        title=target.display_name,
        url=target.url,
        status="failed",
        message="",
        attempts=attempt.attempts,
        elapsed=attempt.elapsed,
        http_status=attempt.http_status,
        fetcher=attempt.fetcher,
    )
    if result is None:
        reason = attempt.failure_reason or "failed"
        return attrs.evolve(base, message=attempt.failure_message or reason, failure_reason=reason)
    version = result.version
    return attrs.evolve(
        base,
        status=result.kind,
        message=result.describe(),
        version=version.id,
        previous=result.previous.id if result.previous is not None and result.kind != "unchanged" else None,
        sha256=version.sha256,
        fetched_at=version.fetched_at,
        reverts_to_date=result.reverts_to.date if result.reverts_to is not None else None,
        noise_only=result.check is not None and not result.check.same_bytes,
    )


def plan_comparisons(
    targets: Sequence[DocumentTarget],
    results: Mapping[str, RecordResult],
    load: Callable[[Version], Document],
) -> list[ComparisonPlan]:
    """Group new versions by service: each service with a change is compared as a bundle.

    Documents that did not change (or were only seen again, flapped back, or started a new
    lineage) sit on both sides unchanged, so cross-document findings still see them; documents
    that failed this run take their latest stored version.
    """
    by_service: dict[str, list[DocumentTarget]] = {}
    for target in targets:
        by_service.setdefault(target.service, []).append(target)
    plans: list[ComparisonPlan] = []
    for service, members in by_service.items():
        changed = [t for t in members if t.key in results and results[t.key].is_change]
        if not changed:
            continue
        old: dict[str, Document] = {}
        new: dict[str, Document] = {}
        keys: dict[str, str] = {}
        notes: list[str] = []
        changed_names: list[str] = []
        for target in members:
            name = target.document_name or target.document
            result = results.get(target.key)
            if result is None:
                continue  # failed and never stored: nothing to show
            keys[name] = target.key
            if result.is_change and result.previous is not None:
                old[name] = load(result.previous)
                new[name] = load(result.version)
                changed_names.append(name)
            else:
                current = load(result.version)
                old[name] = new[name] = current
                if result.kind == "new_lineage":
                    notes.append(
                        f"{name}: URL or selectors changed; a new lineage starts and is not compared"
                    )
                elif result.kind == "flapping":
                    notes.append(f"{name}: {result.describe()}; not reported as a new change")
        title = members[0].service_name or service
        plans.append(ComparisonPlan(service, title, old, new, tuple(changed_names), keys, tuple(notes)))
    return plans


def finding_lines(
    findings: Iterable[Finding],
    *,
    acks: Acknowledgements | None = None,
    service: str = "",
    documents: Mapping[str, str] | None = None,
) -> tuple[FindingLine, ...]:
    """The report's lines for ``findings``, most severe first, marked when an acknowledgement silences them.

    ``documents`` maps a finding's document name to its document key (``service/document``), for
    acknowledgements by rule; a finding naming no document belongs to the only one, if there is one.
    """
    keys = dict(documents or {})
    lines: list[FindingLine] = []
    for f in findings:
        finding_id = f.id
        key = keys.get(f.document) or (next(iter(keys.values())) if len(keys) == 1 else "")
        document = key.partition("/")[2]
        ack = (
            acks.find(finding_id=finding_id, rule=f.rule, service=service, document=document)
            if acks is not None
            else None
        )
        lines.append(
            FindingLine(
                severity=f.severity,
                category=f.category,
                rule=f.rule,
                direction=f.direction,
                document=f.document,
                explanation=f.explanation,
                old_text=f.old_text,
                new_text=f.new_text,
                id=finding_id,
                acknowledged=ack.describe() if ack is not None else None,
            )
        )
    return tuple(sorted(lines, key=lambda f: -SEVERITY_RANK.get(f.severity, 0)))


def decide_exit_code(
    outcomes: Sequence[DocumentOutcome],
    changes: Sequence[ChangeSummary],
    fail_on: str | None,
    fail_on_fetch_error: str = "new",
) -> int:
    """The run's exit code: the sum of the change part (1) and the fetch part (4); 2 alone if all failed.

    Change part: 1 for a material change, or with ``fail_on`` only for an unacknowledged finding at or
    above that severity; a comparison that failed always counts. Fetch part: 4 when a document newly
    fails (``new``), when any fails (``any``), or never (``never``).
    """
    if outcomes and all(o.status == "failed" for o in outcomes):
        return EXIT_FAILED
    code = EXIT_NOTHING
    if any(c.error for c in changes):
        code |= EXIT_CHANGED  # a new version whose comparison failed: alert rather than stay silent
    elif fail_on is not None:
        threshold = SEVERITY_RANK[fail_on]
        if any(SEVERITY_RANK.get(f.severity, 0) >= threshold for c in changes for f in c.alerting):
            code |= EXIT_CHANGED
    elif any(c.material_changes > 0 for c in changes):
        code |= EXIT_CHANGED
    failed = [o for o in outcomes if o.status == "failed"]
    if fail_on_fetch_error == "any" and failed:
        code |= EXIT_FETCH
    elif fail_on_fetch_error == "new" and any(o.fetch_state == "new" for o in failed):
        code |= EXIT_FETCH
    return code
