"""What a watch run passes between its stages and reports: attempts, outcomes, changes, the run summary."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal

import attrs

from policydiff.model import Document, Snapshot
from policydiff.render import plural
from policydiff.severity import SEVERITY_RANK, add_counts, count_severities, describe_counts
from policydiff.targets import DocumentTarget


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(value)


Status = Literal["first", "new", "unchanged", "flapping", "new_lineage", "failed"]
FetchTransition = Literal["new", "ongoing", "recovered"]


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
    fetcher: str = "http"  # "http" or "browser": which fetcher gave the answer


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
    fetcher: str = "http"  # "http" or "browser"
    fetch_state: FetchTransition | None = None  # "new", "ongoing" (failing) or "recovered"
    failing_since: datetime | None = None  # first failure of the streak (ongoing, or just recovered)


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
    id: str = ""  # the finding's stable id (rule, document, sentence)
    acknowledged: str | None = None  # "reason (by who)" when an acknowledgement silences it


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
        return count_severities(f.severity for f in self.findings)

    @property
    def top_severity(self) -> str | None:
        ranked = sorted((SEVERITY_RANK.get(f.severity, 0), f.severity) for f in self.alerting)
        return ranked[-1][1] if ranked else None

    @property
    def alerting(self) -> tuple[FindingLine, ...]:
        """The findings no acknowledgement silences: these alert and count for exit codes."""
        return tuple(f for f in self.findings if f.acknowledged is None)


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
    fail_on_fetch_error: str = "new"
    notifications: tuple[Mapping[str, Any], ...] = attrs.field(default=(), converter=_tuple)
    base_url: str | None = None
    # the versions this run assessed (reported), as SERVICE/DOCUMENT@VERSION
    reported: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    # the records of runs killed after their commit and before their run.json (see watch.outbox)
    recovered_runs: tuple[Mapping[str, Any], ...] = attrs.field(default=(), converter=_tuple)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failures(self) -> tuple[DocumentOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status == "failed")

    def fetch_failures(self, state: FetchTransition) -> tuple[DocumentOutcome, ...]:
        """Documents newly failing (``new``), still failing (``ongoing``) or ``recovered`` this run."""
        return tuple(o for o in self.outcomes if o.fetch_state == state)

    @property
    def findings_by_severity(self) -> dict[str, int]:
        return add_counts(*(change.findings_by_severity for change in self.changes))

    @property
    def alerts(self) -> bool:
        """Whether the run has something to tell: a change, a comparison error, a failure or a recovery."""
        return bool(
            any(c.material_changes or c.error for c in self.changes)
            or self.fetch_failures("new")
            or self.fetch_failures("recovered")
            or self.error
        )

    @property
    def material_changes(self) -> int:
        return sum(c.material_changes for c in self.changes)

    @property
    def headline(self) -> str:
        if self.error:
            return f"run failed: {self.error}"
        parts = [
            plural(len(self.outcomes), "document"),
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
        if self.count("failed"):
            new = len(self.fetch_failures("new"))
            parts[-1] += f" ({new} newly)" if new else ""
        if self.fetch_failures("recovered"):
            parts.append(f"{len(self.fetch_failures('recovered'))} recovered")
        sev = self.findings_by_severity
        findings = sum(sev.values())
        if findings:
            parts.append(describe_counts(sev))
        acknowledged = sum(len(c.findings) - len(c.alerting) for c in self.changes)
        if acknowledged:
            parts.append(f"{acknowledged} acknowledged")
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
