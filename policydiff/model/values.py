"""What every model module shares: the literal vocabularies, attrs converters, plain-data export and
the SHA-256 identity of an input."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal

import attrs

Format = Literal["html", "markdown", "text", "pdf"]
ChangeKind = Literal["added", "removed", "modified", "moved", "moved_modified", "split", "merged"]
OpKind = Literal["equal", "insert", "delete"]
Severity = Literal["high", "medium", "low"]
Direction = Literal["weakens", "strengthens", "neutral"]


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """attrs converter: any iterable to a tuple, so frozen values stay hashable."""
    return tuple(value)


def to_dict(value: Mapping[str, Any]) -> dict[str, Any]:
    """attrs converter: a private copy of a mapping."""
    return dict(value)


def unstructure(value: Any) -> Any:
    """Plain JSON-ready data from model values: attrs classes to dicts, tuples to lists, times to ISO."""
    if attrs.has(type(value)):
        return {f.name: unstructure(getattr(value, f.name)) for f in attrs.fields(type(value))}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [unstructure(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): unstructure(v) for k, v in value.items()}
    return value


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of ``data``: the identity of an input throughout policydiff."""
    return hashlib.sha256(data).hexdigest()
