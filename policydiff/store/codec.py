"""How the store writes things down: canonical text, JSON of documents and versions, folder names."""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, unquote

import attrs

from policydiff.errors import InputError, StoreError
from policydiff.model import Document, sha256_hex, unstructure
from policydiff.store.records import Version

FORMAT_VERSION = 1


def canonical_text(document: Document) -> str:
    """What two versions must share to count as the same: titles, clauses, announcements, upcoming."""
    lines: list[str] = []
    for section in document.sections():
        if section.canonical_title:
            lines.append(f"# {section.canonical_title}")
        lines.extend(clause.canonical for clause in section.clauses)
    for announcement in document.announcements:
        lines.append(f"! {announcement.text}")
    if document.upcoming is not None:
        lines.append("--- upcoming")
        for section in document.upcoming.walk():
            if section.canonical_title:
                lines.append(f"# {section.canonical_title}")
            lines.extend(clause.canonical for clause in section.clauses)
    return "\n".join(lines)


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)  # names resolved in the module defining each class
    return _HINTS[cls]


def structure(value: Any, tp: Any) -> Any:
    """Rebuild a value of type ``tp`` (model classes, tuples, optionals, datetimes) from JSON data."""
    origin = typing.get_origin(tp)
    if tp is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return structure(value, args[0]) if len(args) == 1 else value
    if origin is tuple:
        item = typing.get_args(tp)[0]
        return tuple(structure(v, item) for v in value)
    if origin is typing.Literal:
        return value
    if (origin is not None and origin in (Mapping, dict)) or tp is dict:
        return dict(value)
    if isinstance(tp, type) and attrs.has(tp):
        hints = _hints(tp)
        known = {f.name for f in attrs.fields(tp)}
        return tp(**{k: structure(v, hints[k]) for k, v in value.items() if k in known})
    if tp is datetime:
        return datetime.fromisoformat(value) if value is not None else None
    return value


def document_to_json(document: Document) -> str:
    """A Document as deterministic JSON (sorted keys), for content-addressed storage."""
    return json.dumps(unstructure(document), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def document_from_json(text: str) -> Document:
    """The inverse of ``document_to_json``; unknown keys (from newer versions) are ignored."""
    result = structure(json.loads(text), Document)
    assert isinstance(result, Document)
    return result


_SAFE = " -_.,()&'+@!~"


def name_to_dir(name: str) -> str:
    """A service or document name as one folder name, reversibly (``/`` and friends %-escaped)."""
    if not name or not name.strip():
        raise InputError("a service or document name cannot be empty")
    encoded = quote(name, safe=_SAFE)
    if encoded.startswith("."):
        encoded = "%2E" + encoded[1:]
    return encoded


def dir_to_name(folder: str) -> str:
    return unquote(folder)


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def utc(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.now(UTC)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def lineage_of(url: str | None, selectors: tuple[str, ...], remove: tuple[str, ...]) -> str:
    """The identity of how a document is obtained: URL and selectors. A new one is a new lineage."""
    blob = json.dumps([url or "", list(selectors), list(remove)])
    return sha256_hex(blob.encode())[:16]


def version_to_json(version: Version) -> dict[str, Any]:
    data: dict[str, Any] = unstructure(version)
    data["format"] = FORMAT_VERSION
    body = json.dumps(data, sort_keys=True, ensure_ascii=False)
    data["checksum"] = sha256_hex(body.encode())
    return data


T = TypeVar("T")

DAMAGE = (ValueError, TypeError, KeyError, AttributeError, AssertionError, RecursionError)
"""What reading damaged JSON into records can raise (UnicodeDecodeError is a ValueError)."""


def parse_record(path: Path | str, what: str, parse: Callable[[], T]) -> T:
    """``parse()``, with any sign of damage turned into a ``StoreError`` naming ``path``."""
    try:
        return parse()
    except StoreError:
        raise
    except DAMAGE as exc:
        raise StoreError(f"{path}: {what} is damaged ({type(exc).__name__}: {exc})") from None


def version_from_json(data: Mapping[str, Any], path: Path) -> Version:
    if not isinstance(data, Mapping):
        raise StoreError(f"{path}: version record is not a JSON object")
    body = {k: v for k, v in data.items() if k != "checksum"}
    expected = sha256_hex(json.dumps(body, sort_keys=True, ensure_ascii=False).encode())
    if data.get("checksum") != expected:
        raise StoreError(f"{path}: version record is corrupt (checksum mismatch)")
    try:
        version = structure({k: v for k, v in body.items() if k != "format"}, Version)
    except (TypeError, ValueError, KeyError) as exc:
        raise StoreError(f"{path}: version record is unreadable ({exc})") from exc
    assert isinstance(version, Version)
    return version
