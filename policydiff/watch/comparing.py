"""The compare stage of a run: each service with a new version compared as a bundle, assessments kept."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from policydiff.model import Comparison, Document
from policydiff.severity import count_severities
from policydiff.store import Assessment, RecordResult, Store, Version
from policydiff.targets import DocumentTarget, slugify
from policydiff.watch.decide import finding_lines, plan_comparisons
from policydiff.watch.values import ChangeSummary


def compare_all(
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
            by_sev = count_severities(f.severity for f in mine)
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
