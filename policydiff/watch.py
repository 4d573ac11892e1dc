"""The nightly job: fetch every target, store what came back, compare new versions, write a report.

The pure parts decide (what changed, what to compare, the run summary, the exit code); ``run_watch``
does the I/O around them: the fetch stage, the store, the comparisons, the report folder, the webhook.

Exit codes, for cron and CI: 0 nothing changed; 1 a material change was recorded (with ``fail_on``:
only when a finding at or above that severity exists); 2 the run itself failed, including when every
target failed. Individual failures are listed in the report and do not change the exit code.
"""

from __future__ import annotations

import json
import os
import time
import tracemalloc
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import attrs

from policydiff.errors import InputError, ParseError, PolicyDiffError
from policydiff.model import SEVERITY_RANK, Comparison, Document, Finding, Snapshot, unstructure
from policydiff.store import Assessment, RecordResult, Store, Version
from policydiff.targets import DocumentTarget, Targets, slugify

__all__ = [
    "Attempt",
    "ChangeSummary",
    "DocumentOutcome",
    "RunSummary",
    "decide_exit_code",
    "plan_comparisons",
    "run_watch",
    "summary_to_json",
]

EXIT_NOTHING = 0
EXIT_CHANGED = 1
EXIT_FAILED = 2


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(value)


Status = Literal["first", "new", "unchanged", "flapping", "new_lineage", "failed"]


# --------------------------------------------------------------------------- values


@attrs.frozen
class Attempt:
    """What fetching one target gave: a snapshot, a 304, or a failure with its reason."""

    target: DocumentTarget
    snapshot: Snapshot | None = None
    not_modified: bool = False
    failure_reason: str | None = None
    failure_message: str | None = None
    http_status: int | None = None
    attempts: int = 1
    elapsed: float = 0.0
    document: Document | None = None  # the snapshot already normalized by the fetch stage, if it was


@attrs.frozen
class DocumentOutcome:
    """One target's line in the run: what happened to it and which stored version it refers to."""

    key: str
    service: str
    document: str
    title: str
    url: str
    status: Status
    message: str
    version: str | None = None
    previous: str | None = None
    sha256: str | None = None
    fetched_at: datetime | None = None
    reverts_to_date: str | None = None
    failure_reason: str | None = None
    http_status: int | None = None
    attempts: int = 1
    elapsed: float = 0.0
    noise_only: bool = False  # seen unchanged although the page bytes differ


@attrs.frozen
class FindingLine:
    """A finding as the report lists it."""

    severity: str
    category: str
    rule: str
    direction: str
    document: str
    explanation: str
    old_text: str | None = None
    new_text: str | None = None


@attrs.frozen
class ChangeSummary:
    """One compared change: a service's bundle (or single document), its redline and findings."""

    service: str
    title: str
    documents: tuple[str, ...]  # keys (service/document) of the documents that changed
    document_titles: tuple[str, ...]
    redline: str  # path relative to the report folder
    material_changes: int
    changes: int
    findings: tuple[FindingLine, ...] = attrs.field(default=(), converter=_tuple)
    notes: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    error: str | None = None  # the comparison failed: a new version whose changes are unknown

    @property
    def findings_by_severity(self) -> dict[str, int]:
        counts = {"high": 0, "medium": 0, "low": 0}
        for finding in self.findings:
            counts[finding.severity] = counts.get(finding.severity, 0) + 1
        return counts

    @property
    def top_severity(self) -> str | None:
        ranked = sorted((SEVERITY_RANK.get(f.severity, 0), f.severity) for f in self.findings)
        return ranked[-1][1] if ranked else None


@attrs.frozen
class RunSummary:
    """Everything a run did: per-target outcomes, compared changes, timings and the exit code."""

    started_at: datetime
    finished_at: datetime
    store: str
    report: str
    outcomes: tuple[DocumentOutcome, ...] = attrs.field(converter=_tuple)
    changes: tuple[ChangeSummary, ...] = attrs.field(converter=_tuple)
    exit_code: int
    fail_on: str | None = None
    stage_seconds: Mapping[str, float] = attrs.field(factory=dict)
    error: str | None = None
    webhook: Mapping[str, Any] | None = None

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failures(self) -> tuple[DocumentOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status == "failed")

    @property
    def findings_by_severity(self) -> dict[str, int]:
        counts = {"high": 0, "medium": 0, "low": 0}
        for change in self.changes:
            for severity, n in change.findings_by_severity.items():
                counts[severity] = counts.get(severity, 0) + n
        return counts

    @property
    def material_changes(self) -> int:
        return sum(c.material_changes for c in self.changes)

    @property
    def headline(self) -> str:
        if self.error:
            return f"run failed: {self.error}"
        parts = [
            f"{len(self.outcomes)} documents",
            f"{self.count('new')} changed",
            f"{self.count('unchanged')} unchanged",
        ]
        for status, label in (
            ("first", "baseline"),
            ("flapping", "flapping"),
            ("new_lineage", "new lineage"),
            ("failed", "failed"),
        ):
            if self.count(status):
                parts.append(f"{self.count(status)} {label}")
        sev = self.findings_by_severity
        findings = sum(sev.values())
        if findings:
            parts.append(
                f"{findings} findings ({sev['high']} high, {sev['medium']} medium, {sev['low']} low)"
            )
        return ", ".join(parts)


@attrs.frozen
class ComparisonPlan:
    """What to compare for one service: old and new Documents by name, and which ones changed."""

    service: str
    title: str
    old: Mapping[str, Document]
    new: Mapping[str, Document]
    changed: tuple[str, ...]  # names (in old/new) of the documents with a new version
    keys: Mapping[str, str]  # name -> target key
    notes: tuple[str, ...] = ()

    @property
    def bundle(self) -> bool:
        return len(self.new) > 1


# --------------------------------------------------------------------------- pure decisions


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


def finding_lines(findings: Iterable[Finding]) -> tuple[FindingLine, ...]:
    lines = [
        FindingLine(
            severity=f.severity,
            category=f.category,
            rule=f.rule,
            direction=f.direction,
            document=f.document,
            explanation=f.explanation,
            old_text=f.old_text,
            new_text=f.new_text,
        )
        for f in findings
    ]
    return tuple(sorted(lines, key=lambda f: -SEVERITY_RANK.get(f.severity, 0)))


def decide_exit_code(
    outcomes: Sequence[DocumentOutcome], changes: Sequence[ChangeSummary], fail_on: str | None
) -> int:
    """0 nothing changed, 1 a material change (or a finding at or above ``fail_on``), 2 all failed."""
    if outcomes and all(o.status == "failed" for o in outcomes):
        return EXIT_FAILED
    if any(c.error for c in changes):
        return EXIT_CHANGED  # a new version whose comparison failed: alert rather than stay silent
    if fail_on is not None:
        threshold = SEVERITY_RANK[fail_on]
        hit = any(SEVERITY_RANK.get(f.severity, 0) >= threshold for c in changes for f in c.findings)
        return EXIT_CHANGED if hit else EXIT_NOTHING
    return EXIT_CHANGED if any(c.material_changes > 0 for c in changes) else EXIT_NOTHING


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


# --------------------------------------------------------------------------- I/O: fetch

Fetcher = Callable[[Sequence[DocumentTarget], Mapping[str, Any], Callable[[Attempt], None]], list[Attempt]]


def network_fetcher(config: Any = None) -> Fetcher:
    """A fetcher over ``policydiff.fetch`` (httpx, politeness, retries, failure detection)."""

    def fetch(
        targets: Sequence[DocumentTarget],
        validators: Mapping[str, Any],
        on_attempt: Callable[[Attempt], None],
    ) -> list[Attempt]:
        from policydiff import fetch as fetch_module

        cfg = config if config is not None else fetch_module.FetchConfig()

        def convert(result: Any) -> Attempt:
            failure = result.failure
            return Attempt(
                target=result.target,
                snapshot=result.snapshot,
                not_modified=bool(result.not_modified),
                failure_reason=failure.reason if failure is not None else None,
                failure_message=failure.message if failure is not None else None,
                http_status=failure.status if failure is not None else None,
                attempts=int(result.attempts),
                elapsed=float(result.elapsed),
                document=result.document,
            )

        results = fetch_module.fetch_all_sync(
            list(targets),
            config=cfg,
            validators=dict(validators),
            on_result=lambda r: on_attempt(convert(r)),
        )
        return [convert(r) for r in results]

    return fetch


def _validators(store: Store, targets: Sequence[DocumentTarget]) -> dict[str, Any]:
    """ETag / Last-Modified of each target's latest version, when it was fetched the same way."""
    try:
        from policydiff.fetch import Validators
    except ImportError:  # pragma: no cover - fetch stage absent
        return {}
    validators: dict[str, Any] = {}
    for target in targets:
        latest = store.latest(target.service, target.document)
        if latest is None or latest.url != target.url:
            continue
        if latest.selectors != target.select or latest.remove_selectors != target.remove:
            continue
        headers = {k.lower(): v for k, v in latest.headers.items()}
        etag, modified = headers.get("etag"), headers.get("last-modified")
        checks = store.checks(target.service, target.document)
        if checks and checks[-1].version == latest.id and (checks[-1].etag or checks[-1].last_modified):
            etag, modified = checks[-1].etag, checks[-1].last_modified  # seen since, same text
        if etag or modified:
            validators[target.key] = Validators(etag, modified)
    return validators


# --------------------------------------------------------------------------- I/O: the run


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
        validators = _validators(store, documents)
        attempts = fetch(documents, validators, progress or (lambda attempt: None))
        stages["fetch"] = time.perf_counter() - t

        t = time.perf_counter()
        results, outcomes = _store_attempts(store, documents, attempts, say)
        stages["normalize_store"] = time.perf_counter() - t

        t = time.perf_counter()
        changes, comparisons, assessments = _compare_all(store, documents, results, report, started, say)
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
        _atomic_text(report / "run.json", summary_to_json(summary))
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


def _compare_all(
    store: Store,
    documents: Sequence[DocumentTarget],
    results: Mapping[str, RecordResult],
    report: Path,
    started: datetime,
    say: Callable[[str], None],
) -> tuple[list[ChangeSummary], dict[str, Comparison], list[tuple[Version, Assessment]]]:
    from policydiff.compare import compare

    cache: dict[str, Document] = {}

    def load(version: Version) -> Document:
        key = f"{version.key}@{version.id}"
        if key not in cache:
            cache[key] = store.load_document(version)
        return cache[key]

    changes: list[ChangeSummary] = []
    comparisons: dict[str, Comparison] = {}
    assessments: list[tuple[Version, Assessment]] = []
    stamp = started.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    # a document that failed this run still belongs to its service's bundle, as its latest version
    known = dict(results)
    for target in documents:
        if target.key not in known:
            latest = store.latest(target.service, target.document)
            if latest is not None:
                known[target.key] = RecordResult("unchanged", latest, previous=latest)
    for plan in plan_comparisons(documents, known, load):
        redline = f"changes/{slugify(plan.service)}-{stamp}.html"
        try:
            if plan.bundle:
                comparison = compare(dict(plan.old), dict(plan.new), title=plan.title)
            else:
                (name,) = plan.new
                comparison = compare(plan.old[name], plan.new[name], name=name, title=plan.title)
        except Exception as exc:  # one service's comparison must not cost the others their report
            error = f"the comparison failed: {type(exc).__name__}: {exc}"
            say(f"{plan.title}: {error}")
            changes.append(
                ChangeSummary(
                    service=plan.service,
                    title=plan.title,
                    documents=tuple(plan.keys[name] for name in plan.changed),
                    document_titles=plan.changed,
                    redline="",
                    material_changes=0,
                    changes=0,
                    notes=(*plan.notes, f"{error}; the new version is stored and will be compared again"),
                    error=error,
                )
            )
            continue  # no assessment saved: the next run compares it again
        summary = comparison.summary
        change = ChangeSummary(
            service=plan.service,
            title=plan.title,
            documents=tuple(plan.keys[name] for name in plan.changed),
            document_titles=plan.changed,
            redline=redline,
            material_changes=summary.material_changes,
            changes=summary.changes,
            findings=finding_lines(comparison.findings),
            notes=plan.notes,
        )
        changes.append(change)
        comparisons[redline] = comparison
        say(f"{plan.title}: {summary.material_changes} material changes, {summary.findings} findings")
        for name in plan.changed:
            key = plan.keys[name]
            result = results[key]
            docs = (
                [d for d in comparison.documents if d.name == name]
                if plan.bundle
                else list(comparison.documents)
            )
            mine = [f for f in comparison.findings if not plan.bundle or f.document in (name, "")]
            by_sev = {"high": 0, "medium": 0, "low": 0}
            for finding in mine:
                by_sev[finding.severity] += 1
            assessments.append(
                (
                    result.version,
                    Assessment(
                        version=result.version.id,
                        previous=result.previous.id if result.previous else None,
                        compared_at=started,
                        material_changes=sum(1 for d in docs for c in d.changes if c.material),
                        findings=len(mine),
                        findings_by_severity=by_sev,
                        explanations=tuple(f"[{f.severity}] {f.explanation}" for f in mine[:20]),
                        report=redline,
                        title=f"{plan.title} — {name}",
                    ),
                )
            )
    return changes, comparisons, assessments


# --------------------------------------------------------------------------- I/O: report & webhook


def _atomic_text(path: Path, text: str, *, durable: bool = True) -> None:
    from policydiff.store import atomic_write

    atomic_write(path, text.encode("utf-8"), durable=durable)


def write_report(
    report: Path,
    summary: RunSummary,
    comparisons: Mapping[str, Comparison],
    store: Store,
    pending: Sequence[tuple[Version, Assessment]] = (),
) -> None:
    """Write the report folder: redlines, ``index.html``, ``feed.atom`` and per-service feeds."""
    from policydiff.render.atom import FeedEntry, feed_entries, render_feed
    from policydiff.render.report import render_index, render_redline

    report.mkdir(parents=True, exist_ok=True)
    # report files are rebuilt every run: written atomically (readers never see half a file), no fsync
    for path, comparison in comparisons.items():
        _atomic_text(report / path, render_redline(comparison), durable=False)
    entries = feed_entries(store, pending=pending)
    _atomic_text(report / "index.html", render_index(summary, entries), durable=False)
    updated = summary.finished_at
    _atomic_text(
        report / "feed.atom",
        render_feed(entries, title="policydiff: all changes", feed_key="all", updated=updated),
        durable=False,
    )
    services = sorted({e.service for e in entries} | {o.service for o in summary.outcomes})
    by_service: dict[str, list[FeedEntry]] = {}
    for entry in entries:
        by_service.setdefault(entry.service, []).append(entry)
    for service in services:
        feed = render_feed(
            by_service.get(service, []),
            title=f"policydiff: {service}",
            feed_key=slugify(service),
            updated=updated,
        )
        _atomic_text(report / "feeds" / f"{slugify(service)}.atom", feed, durable=False)


def post_webhook(url: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """POST the run summary as JSON; a failure is reported in the result, never raised."""
    import httpx

    try:
        response = httpx.post(url, json=payload, timeout=15.0, headers={"User-Agent": "policydiff-watch"})
    except httpx.HTTPError as exc:
        return {"url": url, "ok": False, "error": f"{type(exc).__name__}: {exc}"}
    ok = 200 <= response.status_code < 300
    result: dict[str, Any] = {"url": url, "ok": ok, "status": response.status_code}
    if not ok:
        result["error"] = f"HTTP {response.status_code}"
    return result


def peak_memory_mb() -> float | None:
    """Peak traced memory in MiB when ``tracemalloc`` is tracing (benchmarks), else None."""
    if not tracemalloc.is_tracing():
        return None
    return tracemalloc.get_traced_memory()[1] / 2**20


def watch_with_progress(
    targets: Targets,
    store_dir: str | os.PathLike[str],
    report_dir: str | os.PathLike[str],
    *,
    fail_on: str | None = None,
    webhook: str | None = None,
    config: Any = None,
    progress: bool = False,
    log: Callable[[str], None] | None = None,
    fetcher: Fetcher | None = None,
) -> RunSummary:
    """``run_watch`` with a rich progress bar (on a terminal) or plain log lines (otherwise)."""
    fetch = fetcher or network_fetcher(config)
    say = log or (lambda message: None)
    if not progress:

        def plain(attempt: Attempt) -> None:
            if attempt.failure_reason:
                state = f"failed ({attempt.failure_reason}: {attempt.failure_message})"
            else:
                state = "not modified" if attempt.not_modified else "fetched"
            say(f"fetch {attempt.target.key}: {state} in {attempt.elapsed:.2f}s")

        return run_watch(
            targets,
            store_dir,
            report_dir,
            fail_on=fail_on,
            webhook=webhook,
            fetcher=fetch,
            log=say,
            progress=plain,
        )

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[last]}"),
        console=console,
        transient=False,
    ) as bar:
        task = bar.add_task("fetching", total=len(targets), last="")
        failures = 0

        def advance(attempt: Attempt) -> None:
            nonlocal failures
            if attempt.failure_reason:
                failures += 1
            bar.update(
                task, advance=1, last=f"{attempt.target.key}" + (f"  ({failures} failed)" if failures else "")
            )

        def quiet(message: str) -> None:
            if ": failed:" in message:
                console.log(message)

        summary = run_watch(
            targets,
            store_dir,
            report_dir,
            fail_on=fail_on,
            webhook=webhook,
            fetcher=fetch,
            log=quiet,
            progress=advance,
        )
        bar.update(task, description="done")
    return summary
