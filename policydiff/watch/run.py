"""``run_watch``: fetch, store, compare and report, under the store's lock."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import attrs

from policydiff.atomic import atomic_text
from policydiff.errors import InputError, ParseError, PolicyDiffError
from policydiff.severity import SEVERITY_RANK
from policydiff.store import RecordResult, Store
from policydiff.targets import DocumentTarget, Targets
from policydiff.watch.comparing import compare_all
from policydiff.watch.decide import EXIT_FAILED, decide_exit_code, outcome_for
from policydiff.watch.fetching import Fetcher, network_fetcher, validators_for
from policydiff.watch.report import write_report
from policydiff.watch.runjson import summary_to_dict, summary_to_json
from policydiff.watch.values import Attempt, DocumentOutcome, RunSummary
from policydiff.watch.webhook import post_webhook


def run_watch(
    targets: Targets,
    store_dir: str | os.PathLike[str],
    report_dir: str | os.PathLike[str],
    *,
    fail_on: str | None = None,
    webhook: str | None = None,
    fetcher: Fetcher | None = None,
    log: Callable[[str], None] | None = None,
    progress: Callable[[Attempt], None] | None = None,
    now: Callable[[], datetime] | None = None,
) -> RunSummary:
    """Fetch, store, compare and report; return the run summary (its ``exit_code`` is for cron)."""
    if fail_on is not None and fail_on not in SEVERITY_RANK:
        raise InputError(f"--fail-on {fail_on!r}: use high, medium or low")
    if len(targets) == 0:
        raise InputError("no targets to watch: the targets file lists no documents")
    clock = now or (lambda: datetime.now(UTC))
    say = log or (lambda message: None)
    started = clock()
    stages: dict[str, float] = {}
    store = Store(store_dir)
    report = Path(report_dir)
    fetch = fetcher or network_fetcher()
    documents = list(targets.documents)

    with store.locked():
        t = time.perf_counter()
        validators = validators_for(store, documents)
        attempts = fetch(documents, validators, progress or (lambda attempt: None))
        stages["fetch"] = time.perf_counter() - t

        t = time.perf_counter()
        results, outcomes = _store_attempts(store, documents, attempts, say)
        stages["normalize_store"] = time.perf_counter() - t

        t = time.perf_counter()
        changes, comparisons, assessments = compare_all(store, documents, results, report, started, say)
        stages["compare"] = time.perf_counter() - t

        t = time.perf_counter()
        code = decide_exit_code(outcomes, changes, fail_on)
        error = "every target failed" if code == EXIT_FAILED else None
        summary = RunSummary(
            started_at=started,
            finished_at=clock(),
            store=str(store.root),
            report=str(report),
            outcomes=tuple(outcomes),
            changes=tuple(changes),
            exit_code=code,
            fail_on=fail_on,
            stage_seconds=stages,
            error=error,
        )
        if webhook:
            summary = attrs.evolve(summary, webhook=post_webhook(webhook, summary_to_dict(summary)))
        write_report(report, summary, comparisons, store, assessments)
        stages["report"] = time.perf_counter() - t
        summary = attrs.evolve(summary, stage_seconds=dict(stages))
        atomic_text(report / "run.json", summary_to_json(summary))
        # the commit point of the alert: a run killed before here reports these changes again
        for version, assessment in assessments:
            store.save_assessment(version.service, version.document, assessment)
    return summary


STORE_THREADS = 8  # documents are stored in parallel: their fsyncs overlap (one document, one thread)


def _store_attempts(
    store: Store, documents: Sequence[DocumentTarget], attempts: Sequence[Attempt], say: Callable[[str], None]
) -> tuple[dict[str, RecordResult], list[DocumentOutcome]]:
    from concurrent.futures import ThreadPoolExecutor

    by_key = {a.target.key: a for a in attempts}

    def one(target: DocumentTarget) -> tuple[RecordResult | None, DocumentOutcome]:
        attempt = by_key.get(target.key) or Attempt(
            target, failure_reason="not-fetched", failure_message="the fetch stage returned nothing"
        )
        result, outcome = _store_one(store, target, attempt)
        say(f"{target.key}: {outcome.status}: {outcome.message}")
        return result, outcome

    with ThreadPoolExecutor(STORE_THREADS) as pool:
        done = list(pool.map(one, documents))
    results = {target.key: result for target, (result, _) in zip(documents, done, strict=True) if result}
    return results, [outcome for _, outcome in done]


def _store_one(
    store: Store, target: DocumentTarget, attempt: Attempt
) -> tuple[RecordResult | None, DocumentOutcome]:
    """Store one fetch attempt (or record it as seen unchanged); a failure stays a failure."""
    from policydiff.normalize import normalize

    result: RecordResult | None = None
    try:
        if attempt.not_modified:
            when = attempt.snapshot.fetched_at if attempt.snapshot is not None else None
            result = store.record_seen(target.service, target.document, when)
        elif attempt.snapshot is not None:
            snapshot = attrs.evolve(
                attempt.snapshot,
                service=target.service,
                document=target.document,
                url=attempt.snapshot.url or target.url,
                selectors=attempt.snapshot.selectors or target.select,
                remove_selectors=attempt.snapshot.remove_selectors or target.remove,
            )
            document = attempt.document if attempt.document is not None else normalize(snapshot)
            if not any(True for _ in document.clauses()):
                attempt = attrs.evolve(
                    attempt, failure_reason="empty", failure_message="no text left after normalization"
                )
            else:
                result = store.record(snapshot, document, service=target.service, name=target.document)
    except ParseError as exc:
        attempt = attrs.evolve(attempt, failure_reason="unparseable", failure_message=str(exc))
    except PolicyDiffError as exc:
        attempt = attrs.evolve(attempt, failure_reason="store", failure_message=str(exc))
    if result is not None and result.kind == "unchanged":
        result = store.unreported(target.service, target.document) or result
    return result, outcome_for(target, result, attempt)
