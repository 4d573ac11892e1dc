"""Acknowledgements: known, accepted findings silenced in alerts and exit codes, still shown in reports.

``policydiff.ack.toml`` lists them, each with a reason and who accepted it, by finding id or by rule
for a service (optionally one document)::

    [[ack]]
    id = "f-3f2a9c1b7d4e8a60"          # a finding id, as every output format shows it
    reason = "accepted by legal, ticket LEG-112"
    by = "alice"

    [[ack]]
    rule = "recipient.added"           # a rule id (`policydiff rules`), for...
    service = "acme"                   # ...this service (required with rule)
    document = "privacy"               # ...and only this document (optional)
    reason = "new processors are reviewed in the vendor process instead"
    by = "bob"

Unknown keys, a missing reason or who, and an entry naming neither id nor rule are errors naming
the line.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import attrs

from policydiff.errors import ConfigError

__all__ = ["DEFAULT_NAME", "Acknowledgement", "Acknowledgements", "load_acks", "parse_acks"]

DEFAULT_NAME = "policydiff.ack.toml"
_KEYS = {"id", "rule", "service", "document", "reason", "by"}


@attrs.frozen
class Acknowledgement:
    """One entry: what it silences (an id, or a rule for a service/document), why, and who said so."""

    reason: str
    by: str
    id: str | None = None
    rule: str | None = None
    service: str | None = None
    document: str | None = None

    def matches(self, *, finding_id: str, rule: str, service: str, document: str) -> bool:
        if self.id is not None:
            return bool(finding_id) and finding_id == self.id
        if self.rule != rule or self.service != service:
            return False
        return self.document is None or self.document == document

    def describe(self) -> str:
        return f"{self.reason} (acknowledged by {self.by})"


@attrs.frozen
class Acknowledgements:
    """Every acknowledgement of a file; ``find`` the one silencing a finding, if any."""

    entries: tuple[Acknowledgement, ...] = ()
    path: str | None = None

    def find(self, *, finding_id: str, rule: str, service: str, document: str) -> Acknowledgement | None:
        for entry in self.entries:
            if entry.matches(finding_id=finding_id, rule=rule, service=service, document=document):
                return entry
        return None


def load_acks(path: str | os.PathLike[str]) -> Acknowledgements:
    """Read an acknowledgements file; :class:`ConfigError` names the file, line and key."""
    name = os.fspath(path)
    try:
        text = Path(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("acknowledgements file not found", path=name) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read acknowledgements file: {exc}", path=name) from None
    return parse_acks(text, path=name)


def parse_acks(text: str, *, path: str = DEFAULT_NAME) -> Acknowledgements:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=path) from None
    unknown = set(data) - {"ack"}
    if unknown:
        raise ConfigError(f"unknown table {sorted(unknown)[0]!r} (write [[ack]] entries)", path=path)
    raw = data.get("ack", [])
    if not isinstance(raw, list):
        raise ConfigError("'ack' must be an array of tables: write [[ack]]", path=path)
    starts = [n for n, line in enumerate(text.split("\n"), 1) if line.strip().startswith("[[ack]]")]
    entries = []
    for index, item in enumerate(raw):
        line = starts[index] if index < len(starts) else None
        entries.append(_entry(item, path, line))
    return Acknowledgements(tuple(entries), path)


def _entry(item: Any, path: str, line: int | None) -> Acknowledgement:
    def error(message: str, key: str | None = None) -> ConfigError:
        return ConfigError(message, path=path, line=line, key=key)

    if not isinstance(item, dict):
        raise error("each [[ack]] must be a table")
    for key, value in item.items():
        if key not in _KEYS:
            raise error(f"unknown key {key!r} (allowed: {', '.join(sorted(_KEYS))})", key)
        if not isinstance(value, str) or not value.strip():
            raise error("must be a non-empty string", key)
    for key in ("reason", "by"):
        if key not in item:
            raise error(f"missing {key!r}: say why the finding is accepted and who accepted it", key)
    if "id" in item and ("rule" in item or "service" in item or "document" in item):
        raise error("give either an id, or a rule with a service (and optionally a document)", "id")
    if "id" not in item:
        if "rule" not in item:
            raise error("needs an 'id' (one finding) or a 'rule' with a 'service'")
        if "service" not in item:
            raise error("a rule acknowledgement needs the 'service' it applies to", "rule")
    return Acknowledgement(**{k: v.strip() for k, v in item.items()})
