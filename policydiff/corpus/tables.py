"""The three tables of a corpus run (pairs, findings, changes): their schemas and how rows are built.

Schemas are versioned like the comparison JSON (``docs/corpus.md``): a change that removes or renames a
column gets a new version; new columns may be added within one. Rows are plain dicts (JSON-ready but
for the dates), built by pure functions from a ``Comparison`` and the pair's keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs
import pyarrow as pa

from policydiff.model import ClauseChange, Comparison, Finding, sha256_hex

__all__ = [
    "CHANGES",
    "FINDINGS",
    "KINDS",
    "PAIRS",
    "SCHEMAS",
    "PairKey",
    "change_rows",
    "error_row",
    "finding_rows",
    "pair_row",
]

KINDS = ("added", "removed", "modified", "moved", "moved_modified", "split", "merged")
SEVERITIES = ("high", "medium", "low")
_UTC = pa.timestamp("us", tz="UTC")

_KEYS = [
    pa.field("pair_id", pa.string(), nullable=False),
    pa.field("service", pa.string(), nullable=False),
    pa.field("document", pa.string(), nullable=False),
    pa.field("old_version", pa.string()),
    pa.field("new_version", pa.string(), nullable=False),
    pa.field("new_date", _UTC, nullable=False),
]

PAIRS = pa.schema(
    [
        *_KEYS,
        pa.field("index", pa.int32(), nullable=False),
        pa.field("baseline", pa.bool_(), nullable=False),
        pa.field("old_date", _UTC),
        pa.field("old_sha256", pa.string()),
        pa.field("new_sha256", pa.string()),
        pa.field("material_changes", pa.int32()),
        pa.field("changes", pa.int32()),
        *[pa.field(kind, pa.int32()) for kind in KINDS],
        pa.field("findings", pa.int32()),
        *[pa.field(severity, pa.int32()) for severity in SEVERITIES],
        pa.field("findings_by_category", pa.map_(pa.string(), pa.int32())),
        pa.field("seconds", pa.float64()),
        pa.field("error", pa.string()),
    ],
    metadata={"schema": "policydiff.corpus.pairs/1"},
)

_EVIDENCE = pa.struct(
    [
        ("cue", pa.string()),
        ("text", pa.string()),
        ("side", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
    ]
)

FINDINGS = pa.schema(
    [
        *_KEYS,
        pa.field("ordinal", pa.int32(), nullable=False),
        pa.field("baseline", pa.bool_(), nullable=False),
        *[
            pa.field(name, pa.string())
            for name in ("rule", "category", "severity", "direction", "explanation")
        ],
        *[
            pa.field(name, pa.string())
            for name in ("name", "old_clause", "new_clause", "old_text", "new_text")
        ],
        pa.field("evidence", pa.list_(_EVIDENCE)),
        *[pa.field(name, pa.string()) for name in ("related_document", "related_clause", "related_text")],
        pa.field("announced", pa.bool_()),
        pa.field("announced_date", pa.string()),
    ],
    metadata={"schema": "policydiff.corpus.findings/1"},
)

CHANGES = pa.schema(
    [
        *_KEYS,
        pa.field("ordinal", pa.int32(), nullable=False),
        pa.field("kind", pa.string()),
        pa.field("material", pa.bool_()),
        pa.field("old_id", pa.list_(pa.string())),
        pa.field("new_id", pa.list_(pa.string())),
        *[pa.field(name, pa.string()) for name in ("old_section", "new_section", "old_text", "new_text")],
        pa.field("similarity", pa.float64()),
        pa.field("degraded", pa.bool_()),
    ],
    metadata={"schema": "policydiff.corpus.changes/1"},
)

SCHEMAS: Mapping[str, pa.Schema] = {"pairs": PAIRS, "findings": FINDINGS, "changes": CHANGES}


@attrs.frozen
class PairKey:
    """Which pair a row belongs to. A pair is named by its new version: the old one is the last
    readable version before it."""

    service: str
    document: str
    index: int
    new_version: str
    new_date: datetime
    old_version: str | None = None
    old_date: datetime | None = None

    @property
    def baseline(self) -> bool:
        """The first version read against an empty document (its findings: what it says at all)."""
        return self.index == 0

    @property
    def pair_id(self) -> str:
        return pair_id(self.service, self.document, self.new_version)

    def columns(self) -> dict[str, Any]:
        return {
            "pair_id": self.pair_id,
            "service": self.service,
            "document": self.document,
            "old_version": self.old_version,
            "new_version": self.new_version,
            "new_date": self.new_date,
        }


def pair_id(service: str, document: str, new_version: str) -> str:
    return sha256_hex(f"{service}\0{document}\0{new_version}".encode())[:20]


def pair_row(
    key: PairKey, comparison: Comparison, old_sha: str | None, new_sha: str, seconds: float
) -> dict[str, Any]:
    summary = comparison.summary
    by_category: dict[str, int] = {}
    for finding in comparison.findings:
        by_category[finding.category] = by_category.get(finding.category, 0) + 1
    return {
        **key.columns(),
        "index": key.index,
        "baseline": key.baseline,
        "old_date": key.old_date,
        "old_sha256": old_sha,
        "new_sha256": new_sha,
        "material_changes": summary.material_changes,
        "changes": summary.changes,
        **{kind: summary.by_kind.get(kind, 0) for kind in KINDS},
        "findings": summary.findings,
        **{severity: summary.findings_by_severity.get(severity, 0) for severity in SEVERITIES},
        "findings_by_category": sorted(by_category.items()),
        "seconds": seconds,
        "error": None,
    }


def error_row(
    key: PairKey, reason: str, old_sha: str | None, new_sha: str | None, seconds: float
) -> dict[str, Any]:
    """A pair that could not be compared: keys, what is known, and the reason."""
    empty: dict[str, Any] = {name: None for name in PAIRS.names}
    return {
        **empty,
        **key.columns(),
        "index": key.index,
        "baseline": key.baseline,
        "old_date": key.old_date,
        "old_sha256": old_sha,
        "new_sha256": new_sha,
        "seconds": seconds,
        "error": reason,
    }


def finding_rows(key: PairKey, findings: tuple[Finding, ...]) -> list[dict[str, Any]]:
    return [
        {
            **key.columns(),
            "ordinal": ordinal,
            "baseline": key.baseline,
            **{
                name: getattr(f, name)
                for name in ("rule", "category", "severity", "direction", "explanation")
            },
            "name": f.document,
            **{name: getattr(f, name) for name in ("old_clause", "new_clause", "old_text", "new_text")},
            "evidence": [attrs.asdict(e) for e in f.evidence],
            **{name: getattr(f, name) for name in ("related_document", "related_clause", "related_text")},
            "announced": f.announced,
            "announced_date": f.date,
        }
        for ordinal, f in enumerate(findings)
    ]


def change_rows(key: PairKey, changes: tuple[ClauseChange, ...]) -> list[dict[str, Any]]:
    return [
        {
            **key.columns(),
            "ordinal": ordinal,
            "kind": c.kind,
            "material": c.material,
            "old_id": list(c.old_ids),
            "new_id": list(c.new_ids),
            "old_section": c.old_section,
            "new_section": c.new_section,
            "old_text": c.old_text,
            "new_text": c.new_text,
            "similarity": c.similarity,
            "degraded": c.degraded,
        }
        for ordinal, c in enumerate(changes)
    ]
