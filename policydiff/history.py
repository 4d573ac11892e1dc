"""``policydiff history``: a document's stored versions and what comparing each with its predecessor found.

It sits above ``compare``: versions watch never compared (imported by backfill) are compared here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import attrs

from policydiff.errors import InputError, StoreError
from policydiff.store import Store, Version

__all__ = ["HistoryEntry", "history"]


def _dict(value: Mapping[str, int]) -> dict[str, int]:
    return dict(value)


@attrs.frozen
class HistoryEntry:
    """One line of ``policydiff history``: a stored version and what comparing it found."""

    version: Version
    status: str  # "first", "new lineage", "back to <date>", "changed"
    findings: int | None = None  # None: not compared (a baseline)
    findings_by_severity: Mapping[str, int] = attrs.field(factory=dict, converter=_dict)
    material_changes: int | None = None
    checks: int = 0  # "seen unchanged" checks of this version


def history(store_dir: str | os.PathLike[str], selector: str, *, compute: bool = True) -> list[HistoryEntry]:
    """Versions of ``SERVICE`` or ``SERVICE/DOCUMENT``, oldest first, with finding counts.

    Counts come from what watch recorded; versions it never compared (imported by backfill) are
    compared with their predecessor now when ``compute`` is true.
    """
    store = Store(store_dir)
    if not store.root.is_dir():
        raise StoreError(f"{store.root}: no such store folder")
    service, _, document = selector.strip().strip("/").partition("/")
    pairs = [(s, d) for s, d in store.documents() if s == service and (not document or d == document)]
    if not pairs:
        known = ", ".join(sorted({s for s, _ in store.documents()})) or "none"
        raise InputError(f"{selector}: nothing stored under this name in {store.root} (services: {known})")
    entries: list[HistoryEntry] = []
    for service_name, document_name in pairs:
        versions = store.versions(service_name, document_name)
        checks: dict[str, int] = {}
        for check in store.checks(service_name, document_name):
            checks[check.version] = checks.get(check.version, 0) + 1
        by_id = {v.id: v for v in versions}
        for index, version in enumerate(versions):
            status = "changed"
            if version.lineage_start:
                status = "first" if index == 0 else "new lineage (URL or selectors changed)"
            elif version.reverts_to is not None:
                back = by_id.get(version.reverts_to)
                status = f"back to the version of {back.date if back else version.reverts_to}"
            entry = HistoryEntry(version, status, checks=checks.get(version.id, 0))
            assessment = store.assessment(version)
            if assessment is not None:
                entry = attrs.evolve(
                    entry,
                    findings=assessment.findings,
                    findings_by_severity=assessment.findings_by_severity,
                    material_changes=assessment.material_changes,
                )
            elif compute and status == "changed" and index > 0:
                from policydiff.compare import compare

                comparison = compare(
                    store.load_document(versions[index - 1]), store.load_document(version), name=document_name
                )
                summary = comparison.summary
                entry = attrs.evolve(
                    entry,
                    findings=summary.findings,
                    findings_by_severity=summary.findings_by_severity,
                    material_changes=summary.material_changes,
                )
            entries.append(entry)
    return entries
