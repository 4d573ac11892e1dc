"""``run_watch``: fetch, store, compare, notify and report, under the store's lock."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs

from policydiff.atomic import atomic_text
from policydiff.errors import InputError, StoreError
from policydiff.model import Comparison
from policydiff.store import Assessment, FetchState, Store, Version
from policydiff.targets import Targets
from policydiff.watch.comparing import compare_all
from policydiff.watch.decide import EXIT_FAILED, decide_exit_code
from policydiff.watch.failures import StateUpdate, track
from policydiff.watch.fetching import Fetcher, network_fetcher, validators_for
from policydiff.watch.notify import Sleeper, build_message, deliver, wants_notification, webhook_payload
from policydiff.watch.options import WatchOptions
from policydiff.watch.outbox import Outbox, delivery_key
from policydiff.watch.report import write_report
from policydiff.watch.runjson import run_record, summary_to_json
from policydiff.watch.storing import store_attempts
from policydiff.watch.values import Attempt, ChangeSummary, DocumentOutcome, RunSummary

__all__ = ["check_report_folder", "run_watch"]


def check_report_folder(report: Path) -> None:
    """Fail before any fetch when the report folder cannot be created or written, in plain words."""
    try:
        report.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=report):
            pass
    except NotADirectoryError as exc:
        raise InputError(f"{report}: the report folder is a file (or lies under one); give a folder") from exc
    except OSError as exc:
        raise InputError(
            f"{report}: the report folder is not writable ({exc.strerror}); "
            "fix its permissions or give another --report"
        ) from exc


def _options(options: WatchOptions | None, fail_on: str | None, webhook: str | None) -> WatchOptions:
    opts = options or WatchOptions()
    if fail_on is not None:
        opts = attrs.evolve(opts, fail_on=fail_on)
    if webhook is not None:
        opts = attrs.evolve(opts, webhook=webhook)
    return opts


def run_watch(
    targets: Targets,
    store_dir: str | os.PathLike[str],
    report_dir: str | os.PathLike[str],
    *,
    options: WatchOptions | None = None,
    fail_on: str | None = None,
    webhook: str | None = None,
    fetcher: Fetcher | None = None,
    log: Callable[[str], None] | None = None,
    progress: Callable[[Attempt], None] | None = None,
    now: Callable[[], datetime] | None = None,
    sleep: Sleeper = time.sleep,
) -> RunSummary:
    """Fetch, store, compare, notify and report; return the run summary (``exit_code`` is for cron).

    ``fail_on`` and ``webhook`` are shortcuts for the same ``WatchOptions`` fields.
    """
    opts = _options(options, fail_on, webhook)
    if len(targets) == 0:
        raise InputError("no targets to watch: the targets file lists no documents")
    clock = now or (lambda: datetime.now(UTC))
    say = log or (lambda message: None)
    started = clock()
    stages: dict[str, float] = {}
    store = Store(store_dir)
    report = Path(report_dir)
    check_report_folder(report)
    documents = list(targets.documents)

    with store.locked():
        outbox = Outbox(store)
        recovered = outbox.recover(opts, sleep, say, report / "run.json")  # what killed runs left
        t = time.perf_counter()
        attempts = (fetcher or network_fetcher(budget=opts.budget))(
            documents, validators_for(store, documents), progress or (lambda attempt: None)
        )
        stages["fetch"] = time.perf_counter() - t

        t = time.perf_counter()
        results, outcomes = store_attempts(store, documents, attempts, say, opts.budget)
        outcomes, updates = track(outcomes, _fetch_states(store, outcomes, say), started)
        stages["normalize_store"] = time.perf_counter() - t

        t = time.perf_counter()
        changes, comparisons, assessments = compare_all(
            store, documents, results, started, say, opts.acks, opts.budget
        )
        stages["compare"] = time.perf_counter() - t

        t = time.perf_counter()
        summary = _summarize(store, report, started, clock(), outcomes, changes, stages, opts)
        summary = attrs.evolve(summary, reported=_reported(assessments), recovered_runs=recovered.runs)
        base = opts.base_url or f"{report.resolve()}/"
        entry, sent = _commit_and_deliver(store, outbox, summary, opts, assessments, updates, base, sleep)
        summary = attrs.evolve(summary, notifications=[*recovered.deliveries, *sent])
        _publish(store, report, summary, opts, comparisons, assessments, updates)
        summary = attrs.evolve(summary, stage_seconds={**stages, "report": time.perf_counter() - t})
        atomic_text(report / "run.json", summary_to_json(summary))
        for listed in [entry, *recovered.entries]:
            outbox.done(listed)
    return summary


def _commit_and_deliver(
    store: Store,
    outbox: Outbox,
    summary: RunSummary,
    opts: WatchOptions,
    assessments: Sequence[tuple[Version, Assessment]],
    updates: Sequence[StateUpdate],
    base: str,
    sleep: Sleeper,
) -> tuple[Path, list[dict[str, Any]]]:
    """Record the delivery in the outbox, commit (the assessments mark the changes reported; the
    fetch states and events; the run record), then deliver with the outbox's idempotency key (see
    ``watch.outbox``). The outbox entry (removed once run.json is written) and the deliveries."""
    key = delivery_key(summary.started_at, assessments)
    message = build_message(summary, base) if wants_notification(summary, opts) else None
    payload = webhook_payload(summary, message) if message is not None else None
    record = run_record(summary)
    entry = outbox.prepare(
        key, assessments, message, payload, updates=updates, started=summary.started_at, record=record
    )
    for version, assessment in assessments:
        store.save_assessment(version.service, version.document, assessment)
    for update in updates:
        store.save_fetch_state(update.service, update.document, update.state, update.event)
    store.save_run(summary.started_at, record)
    outbox.mark(entry, "committed")
    sent = deliver(message, payload or {}, opts, sleep, key=key) if message is not None else []
    outbox.mark(entry, "delivered")
    return entry, sent


def _reported(assessments: Sequence[tuple[Version, Assessment]]) -> tuple[str, ...]:
    """The versions a run reports (assesses), as ``SERVICE/DOCUMENT@VERSION``."""
    return tuple(sorted(f"{v.service}/{v.document}@{v.id}" for v, _ in assessments))


def _summarize(
    store: Store,
    report: Path,
    started: datetime,
    finished: datetime,
    outcomes: Sequence[DocumentOutcome],
    changes: Sequence[ChangeSummary],
    stages: Mapping[str, float],
    opts: WatchOptions,
) -> RunSummary:
    code = decide_exit_code(outcomes, changes, opts.fail_on, opts.fail_on_fetch_error)
    return RunSummary(
        started_at=started,
        finished_at=finished,
        store=str(store.root),
        report=str(report),
        outcomes=tuple(outcomes),
        changes=tuple(changes),
        exit_code=code,
        fail_on=opts.fail_on,
        stage_seconds=dict(stages),
        error="every target failed" if code == EXIT_FAILED else None,
        fail_on_fetch_error=opts.fail_on_fetch_error,
        base_url=opts.base_url,
    )


def _fetch_states(
    store: Store, outcomes: Sequence[DocumentOutcome], say: Callable[[str], None]
) -> dict[str, FetchState]:
    """Each document's stored fetch state; a document starting to fail learns its last success from
    its latest version or "seen unchanged" check (healthy documents keep no state file). Damaged
    records cost that document its streak (the state is rewritten), not the run its report."""
    states: dict[str, FetchState] = {}
    for o in outcomes:
        try:
            state = store.fetch_state(o.service, o.document)
            if o.status == "failed" and not state.failing and state.last_success is None:
                state = attrs.evolve(state, last_success=_last_success(store, o.service, o.document))
        except StoreError as exc:
            say(f"{o.key}: fetch state ignored: {exc}")
            state = FetchState()
        states[o.key] = state
    return states


def _last_success(store: Store, service: str, document: str) -> datetime | None:
    latest = store.latest(service, document)
    checks = store.checks(service, document)
    times = [
        t for t in (latest.fetched_at if latest else None, checks[-1].checked_at if checks else None) if t
    ]
    return max(times, default=None)


def _publish(
    store: Store,
    report: Path,
    summary: RunSummary,
    opts: WatchOptions,
    comparisons: Mapping[str, Comparison],
    assessments: Sequence[tuple[Version, Assessment]],
    updates: Sequence[StateUpdate],
) -> None:
    """Write the report folder (the assessments are saved by now; passing them keeps the order)."""
    recent = store.runs(opts.runs_listed)  # this run's record included: saved at the commit
    events = [(u.service, u.document, u.event) for u in updates if u.event is not None]
    write_report(report, summary, comparisons, store, assessments, recent, events)
