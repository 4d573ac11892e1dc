"""``targets.toml`` reading and validation: every error names the file, the line and the key."""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from policydiff.errors import ConfigError
from policydiff.targets.lines import index_lines, toml_key
from policydiff.targets.options import FETCH_KEYS, check_url, fetch_options
from policydiff.targets.selectors import check_selector
from policydiff.targets.values import (
    MAX_KEY,
    MAX_NAME,
    SLUG_RE,
    DocumentTarget,
    Targets,
    has_control_characters,
    slugify,
)

__all__ = ["load_targets", "parse_targets"]


_SERVICE_KEYS = {"name", "headers", "locale", "documents"}
_DOCUMENT_KEYS = {"name", "url", "select", "remove", "headers", "locale", "allow_internal", *FETCH_KEYS}
_DEFAULT_KEYS = {"headers", "locale"}
_TOP_KEYS = {"services", "defaults"}


def load_targets(path: str | os.PathLike[str]) -> Targets:
    """Read and validate a targets file; :class:`ConfigError` names the file, line and key."""
    name = os.fspath(path)
    try:
        data = Path(name).read_bytes()
    except FileNotFoundError:
        raise ConfigError("targets file not found", path=name) from None
    except IsADirectoryError:
        raise ConfigError("is a directory, not a targets file", path=name) from None
    except OSError as exc:
        raise ConfigError(f"cannot read targets file: {exc.strerror}", path=name) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError("not UTF-8 text (TOML files must be UTF-8)", path=name, line=line) from None
    return parse_targets(text, path=name)


def parse_targets(text: str, *, path: str = "targets.toml") -> Targets:
    """Parse targets TOML ``text``; ``path`` is only used in error messages."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = int(match.group(1)) if match else None
        detail = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", message)
        if match:
            detail += f" (column {match.group(2)})"
        elif "end of document" in message:
            # an unclosed array or table: the last written line is where the reader gave up
            line = max((i for i, text_line in enumerate(text.split("\n"), 1) if text_line.strip()), default=1)
            detail += " (the file ends before it is closed)"
        raise ConfigError(f"invalid TOML: {detail}", path=path, line=line) from None
    return _Validator(text, path).targets(raw)


class _Validator:
    """Schema checks over parsed TOML, with the line of the offending key found in the text."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.lines = index_lines(text)

    def error(self, message: str, table: Sequence[str], key: str | None = None) -> ConfigError:
        dotted = ".".join(toml_key(part) for part in [*table, *([key] if key else [])])
        return ConfigError(message, path=self.path, line=self.lines.find(table, key), key=dotted or None)

    def check_keys(self, value: Mapping[str, Any], allowed: set[str], table: Sequence[str]) -> None:
        for key in value:
            if key not in allowed:
                hint = ", ".join(sorted(allowed))
                raise self.error(f"unknown key {key!r} (allowed here: {hint})", table, key)

    def table(self, value: Any, table: Sequence[str], key: str) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.error(f"must be a table, not {_type_name(value)}", table, key)
        return value

    def string(self, value: Any, table: Sequence[str], key: str, *, allow_empty: bool = False) -> str:
        if not isinstance(value, str):
            raise self.error(f"must be a string, not {_type_name(value)}", table, key)
        if not allow_empty and not value.strip():
            raise self.error("must not be empty", table, key)
        return value

    def name(self, value: Any, table: Sequence[str]) -> str:
        """A display name: a string with no control characters, at most 200 characters."""
        text = self.string(value, table, "name")
        if len(text) > MAX_NAME:
            raise self.error(f"is {len(text)} characters long; keep it to {MAX_NAME}", table, "name")
        if has_control_characters(text):
            raise self.error(
                "must not contain control characters (they break feeds and reports)", table, "name"
            )
        return text

    def networks(self, value: Any, table: Sequence[str]) -> tuple[str, ...]:
        """``allow_internal``: addresses or networks (``10.0.0.0/8``) redirects may lead into."""
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.error("must be a list of addresses or networks", table, "allow_internal")
        for item in value:
            try:
                ipaddress.ip_network(item.strip(), strict=False)
            except ValueError:
                raise self.error(
                    f"{item!r} is not an IP address or network (like 10.0.0.0/8)", table, "allow_internal"
                ) from None
        return tuple(item.strip() for item in value)

    def strings(self, value: Any, table: Sequence[str], key: str) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list):
            raise self.error(f"must be a string or a list of strings, not {_type_name(value)}", table, key)
        out: list[str] = []
        for item in items:
            if not isinstance(item, str):
                raise self.error(f"must contain only strings, found {_type_name(item)}", table, key)
            if not item.strip():
                raise self.error("must not contain an empty selector", table, key)
            check_selector(item, lambda msg: self.error(msg, table, key))
            out.append(item.strip())
        return tuple(out)

    def header_map(self, value: Any, table: Sequence[str], key: str) -> dict[str, str]:
        mapping = self.table(value, table, key)
        out: dict[str, str] = {}
        for name, header in mapping.items():
            if not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", name):
                raise self.error(f"{name!r} is not a valid HTTP header name", table, key)
            if not isinstance(header, str):
                raise self.error(f"header {name!r} must be a string, not {_type_name(header)}", table, key)
            if "\n" in header or "\r" in header:
                raise self.error(f"header {name!r} must not contain line breaks", table, key)
            out[name] = header
        return out

    def targets(self, raw: Mapping[str, Any]) -> Targets:
        self.check_keys(raw, _TOP_KEYS, [])
        inherited = self.defaults(raw)
        services = self.table(raw.get("services", {}), [], "services")
        documents: list[DocumentTarget] = []
        seen: dict[str, list[str]] = {}
        for service_key, service_value in services.items():
            documents += self.service(service_key, service_value, inherited, seen)
        return Targets(tuple(documents))

    def defaults(self, raw: Mapping[str, Any]) -> _Inherited:
        """The ``[defaults]`` table: headers and locale every service starts from."""
        headers: dict[str, str] = {}
        locale: str | None = None
        if "defaults" in raw:
            defaults = self.table(raw["defaults"], [], "defaults")
            self.check_keys(defaults, _DEFAULT_KEYS, ["defaults"])
            if "headers" in defaults:
                headers = self.header_map(defaults["headers"], ["defaults"], "headers")
            if "locale" in defaults:
                locale = self.string(defaults["locale"], ["defaults"], "locale")
        return _Inherited(headers, locale)

    def service(
        self, service_key: str, service_value: Any, defaults: _Inherited, seen: dict[str, list[str]]
    ) -> list[DocumentTarget]:
        """One ``[services.<key>]`` table's documents; ``seen`` (store key -> table) finds duplicates."""
        where = ["services", service_key]
        if not SLUG_RE.fullmatch(service_key):
            raise self.error(
                f"service key {service_key!r} must be 1 to {MAX_KEY} letters, digits, '-' or '_' "
                f"(try {slugify(service_key)!r}; put the display name in name = ...)",
                ["services"],
                service_key,
            )
        service = self.table(service_value, ["services"], service_key)
        self.check_keys(service, _SERVICE_KEYS, where)
        service_name = self.name(service["name"], where) if "name" in service else None
        service_headers = dict(defaults.headers)
        if "headers" in service:
            service_headers.update(self.header_map(service["headers"], where, "headers"))
        service_locale = defaults.locale
        if "locale" in service:
            service_locale = self.string(service["locale"], where, "locale")
        if "documents" not in service:
            raise self.error(
                "a service needs at least one [.documents.<name>] table", ["services"], service_key
            )
        docs = self.table(service["documents"], where, "documents")
        if not docs:
            raise self.error("a service needs at least one document", where, "documents")
        inherited = _Inherited(service_headers, service_locale, service_name)
        documents: list[DocumentTarget] = []
        for doc_key, doc_value in docs.items():
            target = self.document(where, doc_key, doc_value, inherited)
            if target.key in seen:
                raise self.error(
                    f"two documents share the store key {target.key!r} (also {'.'.join(seen[target.key])})",
                    [*where, "documents"],
                    doc_key,
                )
            seen[target.key] = [*where, "documents", doc_key]
            documents.append(target)
        return documents

    def document(
        self, where: Sequence[str], doc_key: str, doc_value: Any, service: _Inherited
    ) -> DocumentTarget:
        """One ``[services.<key>.documents.<key>]`` table, over what its service sets."""
        dwhere = [*where, "documents", doc_key]
        if not SLUG_RE.fullmatch(doc_key):
            raise self.error(
                f"document key {doc_key!r} must be 1 to {MAX_KEY} letters, digits, '-' or '_' "
                f"(try {slugify(doc_key)!r}; put the display name in name = ...)",
                [*where, "documents"],
                doc_key,
            )
        doc = self.table(doc_value, [*where, "documents"], doc_key)
        self.check_keys(doc, _DOCUMENT_KEYS, dwhere)
        if "url" not in doc and "parts" not in doc:
            raise self.error("missing required key 'url'", [*where, "documents"], doc_key)
        options = fetch_options(self, doc, dwhere)
        url = check_url(self, doc["url"], dwhere, "url") if "url" in doc else options["parts"][0].url
        headers = dict(service.headers)
        if "headers" in doc:
            headers.update(self.header_map(doc["headers"], dwhere, "headers"))
        locale = service.locale
        if "locale" in doc:
            locale = self.string(doc["locale"], dwhere, "locale")
        return DocumentTarget(
            service=where[-1],
            document=doc_key,
            url=url,
            select=self.strings(doc["select"], dwhere, "select") if "select" in doc else (),
            remove=self.strings(doc["remove"], dwhere, "remove") if "remove" in doc else (),
            headers=headers,
            locale=locale,
            service_name=service.name,
            document_name=self.name(doc["name"], dwhere) if "name" in doc else None,
            allow_internal=self.networks(doc.get("allow_internal", []), dwhere),
            **options,
        )


@attrs.frozen
class _Inherited:
    """What a service passes down to its documents (from ``[defaults]``, then the service's table)."""

    headers: dict[str, str]
    locale: str | None
    name: str | None = None  # the service's display name


def _type_name(value: Any) -> str:
    return {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "a boolean",
        list: "an array",
        dict: "a table",
    }.get(type(value), type(value).__name__)
