"""The compare stage of a run: each service with a new version compared as a bundle, assessments kept."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from policydiff.acks import Acknowledgements
from policydiff.budget import Budget
from policydiff.errors import StoreError
from policydiff.model import Comparison, Document, Finding
from policydiff.severity import count_severities
from policydiff.store import Assessment, RecordResult, Store, Version
from policydiff.targets import DocumentTarget, slugify
from policydiff.watch.decide import finding_lines, plan_comparisons
from policydiff.watch.values import ChangeSummary, ComparisonPlan


def compare_all(
    store: Store,
    documents: Sequence[DocumentTarget],
    results: Mapping[str, RecordResult],
    started: datetime,
    say: Callable[[str], None],
    acks: Acknowledgements | None = None,
    budget: float = 0.0,
) -> tuple[list[ChangeSummary], dict[str, Comparison], list[tuple[Version, Assessment]]]:
    """Compare every service with a new version; the changes, redlines by path, assessments to save.

    With a ``budget`` (seconds), each comparison runs in a worker process (one for the stage, a
    fresh one after a kill) stopped at the deadline: a pathological page fails its service's
    comparison (compared again next run), not the run. A document whose stored files are damaged
    fails alone, with the file named."""
    worker = Budget(budget, preload=("policydiff.compare",)) if budget else None
    try:
        return _compare_all(store, documents, results, started, say, acks, worker)
    finally:
        if worker is not None:
            worker.close()


def _compare_all(
    store: Store,
    documents: Sequence[DocumentTarget],
    results: Mapping[str, RecordResult],
    started: datetime,
    say: Callable[[str], None],
    acks: Acknowledgements | None,
    worker: Budget | None,
) -> tuple[list[ChangeSummary], dict[str, Comparison], list[tuple[Version, Assessment]]]:
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
            try:
                latest = store.latest(target.service, target.document)
            except StoreError as exc:
                say(f"{target.key}: left out of its service's comparison: {exc}")
                continue
            if latest is not None:
                known[target.key] = RecordResult("unchanged", latest, previous=latest)
    known = _loadable(known, load, say, changes)
    for plan in plan_comparisons(documents, known, load):
        redline = f"changes/{slugify(plan.service)}-{stamp}.html"
        try:
            comparison = _compare(plan, worker)
        except Exception as exc:  # one service's comparison must not cost the others their report
            error = f"the comparison failed: {type(exc).__name__}: {exc}"
            say(f"{plan.title}: {error}")
            changes.append(_failed_change(plan, error))
            continue  # no assessment saved: the next run compares it again
        summary = comparison.summary
        findings = finding_lines(comparison.findings, acks=acks, service=plan.service, documents=plan.keys)
        changes.append(
            ChangeSummary(
                service=plan.service,
                title=plan.title,
                documents=tuple(plan.keys[name] for name in plan.changed),
                document_titles=plan.changed,
                redline=redline,
                material_changes=summary.material_changes,
                changes=summary.changes,
                findings=findings,
                notes=plan.notes,
            )
        )
        comparisons[redline] = comparison
        say(f"{plan.title}: {summary.material_changes} material changes, {summary.findings} findings")
        acknowledged = {f.id: f.acknowledged for f in findings if f.id and f.acknowledged}
        assessments.extend(_assessments(plan, comparison, results, started, redline, acknowledged))
    return changes, comparisons, assessments


def _compare(plan: ComparisonPlan, worker: Budget | None) -> Comparison:
    from policydiff.compare import compare

    if plan.bundle:
        old: Any = dict(plan.old)
        new: Any = dict(plan.new)
        options: dict[str, Any] = {"title": plan.title}
    else:
        (name,) = plan.new
        old, new, options = plan.old[name], plan.new[name], {"name": name, "title": plan.title}
    if worker is None:
        return compare(old, new, **options)
    return worker.run(compare, old, new, what=f"comparing {plan.title}", **options)


def _loadable(
    known: Mapping[str, RecordResult],
    load: Callable[[Version], Document],
    say: Callable[[str], None],
    changes: list[ChangeSummary],
) -> dict[str, RecordResult]:
    """``known`` without the documents whose stored files cannot be read: each is reported as a
    failed change naming the damaged file (``policydiff verify --repair`` quarantines it)."""
    out: dict[str, RecordResult] = {}
    for key, result in known.items():
        try:
            for version in (result.version, result.previous):
                if version is not None:
                    load(version)
        except StoreError as exc:
            error = f"the stored version cannot be read: {exc}; run 'policydiff verify --repair'"
            say(f"{key}: {error}")
            if result.is_change:
                service = result.version.service
                changes.append(ChangeSummary(service=service, title=key, documents=(key,),
                                             document_titles=(key,), redline="", material_changes=0,
                                             changes=0, error=error))  # fmt: skip
            continue
        out[key] = result
    return out


def _failed_change(plan: ComparisonPlan, error: str) -> ChangeSummary:
    return ChangeSummary(
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


def _assessments(
    plan: ComparisonPlan,
    comparison: Comparison,
    results: Mapping[str, RecordResult],
    started: datetime,
    redline: str,
    acknowledged: Mapping[str, str],
) -> list[tuple[Version, Assessment]]:
    """One assessment per changed document: its share of the changes and findings (the feeds list
    their explanations, an acknowledged one marked so)."""
    out: list[tuple[Version, Assessment]] = []
    for name in plan.changed:
        result = results[plan.keys[name]]
        docs = [d for d in comparison.documents if d.name == name] if plan.bundle else comparison.documents
        mine = [f for f in comparison.findings if not plan.bundle or f.document in (name, "")]
        assessment = Assessment(
            version=result.version.id,
            previous=result.previous.id if result.previous else None,
            compared_at=started,
            material_changes=sum(1 for d in docs for c in d.changes if c.material),
            findings=len(mine),
            findings_by_severity=count_severities(f.severity for f in mine),
            explanations=tuple(_explanation(f, acknowledged) for f in mine[:20]),
            report=redline,
            title=f"{plan.title} — {name}",
        )
        out.append((result.version, assessment))
    return out


def _explanation(finding: Finding, acknowledged: Mapping[str, str]) -> str:
    mark = ", acknowledged" if finding.id and finding.id in acknowledged else ""
    return f"[{finding.severity}{mark}] {finding.explanation}"
