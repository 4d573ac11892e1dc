"""What the store keeps: versions, checks, assessments, record results, verify problems."""

from __future__ import annotations

import typing
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

import attrs

RecordKind = Literal["first", "new", "unchanged", "flapping", "new_lineage"]


def _dict(value: Mapping[str, Any]) -> dict[str, Any]:
    return dict(value)


def _strs(value: typing.Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen
class Version:
    """One stored version of a document: its identity, provenance and the hashes of its parts."""

    id: str
    service: str
    document: str
    fetched_at: datetime
    sha256: str  # raw bytes
    normalized_sha256: str  # the normalized Document JSON
    text_sha256: str  # canonical text: what decides "changed"
    url: str | None = None
    final_url: str | None = None
    headers: Mapping[str, str] = attrs.field(factory=dict, converter=_dict)
    media_type: str | None = None
    selectors: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    remove_selectors: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    lineage: str = ""
    lineage_start: bool = False
    reverts_to: str | None = None  # id of the older version this one is identical to (flapping)
    size: int = 0
    origin: str = "fetch"  # "fetch" (a watch run), "import" (backfill), "demo"

    @property
    def key(self) -> str:
        return f"{self.service}/{self.document}"

    @property
    def date(self) -> str:
        return self.fetched_at.strftime("%Y-%m-%d")


@attrs.frozen
class Check:
    """A fetch that found the same text as the latest version ("seen unchanged")."""

    checked_at: datetime
    version: str  # the id of the version that was seen again
    sha256: str  # raw bytes of this fetch: may differ from the version's when only noise changed
    same_bytes: bool
    etag: str | None = None  # validators of this fetch, for the next conditional request
    last_modified: str | None = None


@attrs.frozen
class RecordResult:
    """What ``Store.record`` did with a snapshot and what it should be compared with."""

    kind: RecordKind
    version: Version  # the new version, or the latest one for "unchanged"
    previous: Version | None = None  # the latest version before this fetch
    reverts_to: Version | None = None  # for "flapping": the older identical version
    check: Check | None = None  # for "unchanged"

    @property
    def is_change(self) -> bool:
        """A new text in the same lineage: the one case that is compared and may be alerted."""
        return self.kind == "new"

    def describe(self) -> str:
        if self.kind == "first":
            return "first version recorded (baseline)"
        if self.kind == "unchanged":
            if self.check is not None and not self.check.same_bytes:
                return "seen unchanged (the page bytes changed, its text did not)"
            return "seen unchanged"
        if self.kind == "flapping" and self.reverts_to is not None:
            return f"back to the version of {self.reverts_to.date} ({self.reverts_to.id})"
        if self.kind == "new_lineage":
            return "URL or selectors changed: new lineage started, not compared with the old one"
        return "new version"


@attrs.frozen
class Assessment:
    """The watch's comparison of a version with its predecessor, kept for history and feeds."""

    version: str
    previous: str | None
    compared_at: datetime
    material_changes: int
    findings: int
    findings_by_severity: Mapping[str, int] = attrs.field(factory=dict, converter=_dict)
    explanations: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    report: str | None = None  # path of the redline, relative to the report folder
    title: str = ""  # "Service — Document" for feeds and history


@attrs.frozen
class Problem:
    """Something ``verify`` found wrong (``error``) or worth knowing (``warning``)."""

    path: str
    message: str
    level: Literal["error", "warning"] = "error"
    files: tuple[str, ...] = ()  # what ``verify --repair`` moves to quarantine (the path, by default)

    def __str__(self) -> str:
        return f"{self.level}: {self.path}: {self.message}"
