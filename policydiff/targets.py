"""What to watch: ``targets.toml`` loading and writing, and Open Terms Archive declaration import.

A targets file lists services, each with the documents to fetch. Only ``url`` is required::

    # optional: applied to every document unless the service or document sets its own
    [defaults]
    headers = { "Accept-Language" = "en" }
    locale = "en"

    [services.linkedin]
    name = "LinkedIn"                         # display name (optional; defaults to the key)
    headers = { "Accept-Language" = "en-GB" } # optional, for every document of the service
    locale = "en"                             # optional, for every document of the service

    [services.linkedin.documents.privacy-policy]
    name = "Privacy Policy"                   # display name (optional; defaults to the key)
    url = "https://www.linkedin.com/legal/privacy-policy"   # required, http or https
    select = ["main"]                         # CSS selectors to keep (string or list; all must match)
    remove = [".cookie-banner"]               # CSS selectors to drop (string or list)
    headers = { "Accept-Language" = "en" }    # extra request headers (merged over service/defaults)
    locale = "en"                             # sent as Accept-Language unless headers set one

Service and document keys are slugs (letters, digits, ``-`` and ``_``); ``DocumentTarget.key``
(``service/document``) names the target's folder in the snapshot store. Unknown keys are errors (a
typo must not silently drop a selector). Every error names the file, the line and the key.

Open Terms Archive declarations (``<Service>.json``) import with :func:`import_ota`: ``fetch``,
``select``, ``remove`` and ``headers`` map directly; a ``combine`` of several source pages becomes
one document per part (``<document>-part-N``, named ``<Document> (part N)``), fetched and stored
separately and compared together as the service's bundle (keys beside ``combine`` are defaults each
part may override, as in Open Terms Archive). JavaScript ``filter`` functions, range selectors
(``startBefore`` ...), ``executeClientScripts`` and PDF URLs cannot be honoured and are reported as
warnings. The service key is the declaration's file name in slug form; ``*.history.json`` files are
skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import attrs

from policydiff.errors import ConfigError

__all__ = [
    "DocumentTarget",
    "Part",
    "Targets",
    "append_targets",
    "dump_targets",
    "import_ota",
    "load_targets",
    "parse_targets",
    "slugify",
]

_SLUG_RE = re.compile(r"^[A-Za-z0-9_-]+$")


def slugify(name: str) -> str:
    """A filesystem- and URL-safe form of ``name``: lowercase ASCII letters, digits and ``-``.

    Names with no ASCII letters or digits at all get a stable hash-based slug (``x-1a2b3c4d``).
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9_]+", "-", ascii_name.lower()).strip("-_")
    slug = re.sub(r"-{2,}", "-", slug)
    if not slug:
        slug = "x-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return slug


def _headers(value: Mapping[str, str]) -> Mapping[str, str]:
    return dict(value)


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _documents(value: Iterable[DocumentTarget]) -> tuple[DocumentTarget, ...]:
    return tuple(value)


def _parts(value: Iterable[Part]) -> tuple[Part, ...]:
    return tuple(value)


@attrs.frozen
class Part:
    """One URL of a document and the part of its page that is the document."""

    url: str
    select: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    remove: tuple[str, ...] = attrs.field(default=(), converter=_strings)


@attrs.frozen
class DocumentTarget:
    """One document to watch: where it is and which part of the page is the document."""

    service: str  # the service's key (a slug in targets.toml)
    document: str  # the document's key within the service
    url: str
    select: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    remove: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    headers: Mapping[str, str] = attrs.field(factory=dict, converter=_headers)
    locale: str | None = None
    service_name: str | None = None  # display names; default to the keys
    document_name: str | None = None
    # several pages making one document (Open Terms Archive's ``combine``), in order; when set,
    # ``url`` is the first part's URL
    parts: tuple[Part, ...] = attrs.field(default=(), converter=_parts)
    browser: bool = False  # render in a headless browser (pages built by JavaScript)
    robots: str = "obey"  # "obey" robots.txt, or "ignore" it (with robots_reason saying why)
    robots_reason: str | None = None
    format: str | None = None  # force the document's format (e.g. "markdown" served as text/plain)

    def sources(self) -> tuple[Part, ...]:
        """The URLs to fetch, in order, each with its selectors (one unless the target combines)."""
        return self.parts or (Part(self.url, self.select, self.remove),)

    @property
    def key(self) -> str:
        """``service/document`` in slug form: the target's identity and its folder in the store."""
        return f"{slugify(self.service)}/{slugify(self.document)}"

    @property
    def display_name(self) -> str:
        """``Service — Document`` for humans."""
        return f"{self.service_name or self.service} — {self.document_name or self.document}"

    def request_headers(self) -> dict[str, str]:
        """The extra headers to send: ``headers``, plus ``Accept-Language`` from ``locale``."""
        headers = dict(self.headers)
        if self.locale and not any(k.lower() == "accept-language" for k in headers):
            headers["Accept-Language"] = self.locale
        return headers


@attrs.frozen
class Targets:
    """Everything a watch run fetches, in file order."""

    documents: tuple[DocumentTarget, ...] = attrs.field(default=(), converter=_documents)

    def __len__(self) -> int:
        return len(self.documents)

    def get(self, key: str) -> DocumentTarget | None:
        """The target whose ``key`` is ``key``, if any."""
        for target in self.documents:
            if target.key == key:
                return target
        return None

    def services(self) -> dict[str, list[DocumentTarget]]:
        """Targets grouped by service slug, in file order (a service's documents form a bundle)."""
        grouped: dict[str, list[DocumentTarget]] = {}
        for target in self.documents:
            grouped.setdefault(slugify(target.service), []).append(target)
        return grouped


# ------------------------------------------------------------------------------------ loading

_SERVICE_KEYS = {"name", "headers", "locale", "documents"}
_DOCUMENT_KEYS = {"name", "url", "select", "remove", "headers", "locale"}
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
            line = max(
                (i for i, text_line in enumerate(text.splitlines(), 1) if text_line.strip()), default=1
            )
            detail += " (the file ends before it is closed)"
        raise ConfigError(f"invalid TOML: {detail}", path=path, line=line) from None
    return _Validator(text, path).targets(raw)


class _Validator:
    """Schema checks over parsed TOML, with the line of the offending key found in the text."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.lines = _index_lines(text)

    def error(self, message: str, table: Sequence[str], key: str | None = None) -> ConfigError:
        dotted = ".".join(_toml_key(part) for part in [*table, *([key] if key else [])])
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
            _check_selector(item, lambda msg: self.error(msg, table, key))
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
        defaults_headers: dict[str, str] = {}
        defaults_locale: str | None = None
        if "defaults" in raw:
            defaults = self.table(raw["defaults"], [], "defaults")
            self.check_keys(defaults, _DEFAULT_KEYS, ["defaults"])
            if "headers" in defaults:
                defaults_headers = self.header_map(defaults["headers"], ["defaults"], "headers")
            if "locale" in defaults:
                defaults_locale = self.string(defaults["locale"], ["defaults"], "locale")
        services = self.table(raw.get("services", {}), [], "services")
        documents: list[DocumentTarget] = []
        seen: dict[str, list[str]] = {}
        for service_key, service_value in services.items():
            where = ["services", service_key]
            if not _SLUG_RE.match(service_key):
                raise self.error(
                    f"service key {service_key!r} must use only letters, digits, '-' and '_' "
                    f"(try {slugify(service_key)!r}; put the display name in name = ...)",
                    ["services"],
                    service_key,
                )
            service = self.table(service_value, ["services"], service_key)
            self.check_keys(service, _SERVICE_KEYS, where)
            service_name = self.string(service["name"], where, "name") if "name" in service else None
            service_headers = dict(defaults_headers)
            if "headers" in service:
                service_headers.update(self.header_map(service["headers"], where, "headers"))
            service_locale = defaults_locale
            if "locale" in service:
                service_locale = self.string(service["locale"], where, "locale")
            if "documents" not in service:
                raise self.error(
                    "a service needs at least one [.documents.<name>] table", ["services"], service_key
                )
            docs = self.table(service["documents"], where, "documents")
            if not docs:
                raise self.error("a service needs at least one document", where, "documents")
            for doc_key, doc_value in docs.items():
                dwhere = [*where, "documents", doc_key]
                if not _SLUG_RE.match(doc_key):
                    raise self.error(
                        f"document key {doc_key!r} must use only letters, digits, '-' and '_' "
                        f"(try {slugify(doc_key)!r}; put the display name in name = ...)",
                        [*where, "documents"],
                        doc_key,
                    )
                doc = self.table(doc_value, [*where, "documents"], doc_key)
                self.check_keys(doc, _DOCUMENT_KEYS, dwhere)
                if "url" not in doc:
                    raise self.error("missing required key 'url'", [*where, "documents"], doc_key)
                url = self.string(doc["url"], dwhere, "url").strip()
                if not re.match(r"^https?://[^/\s?#]+", url) or any(c.isspace() for c in url):
                    raise self.error(f"{url!r} is not an http:// or https:// URL", dwhere, "url")
                headers = dict(service_headers)
                if "headers" in doc:
                    headers.update(self.header_map(doc["headers"], dwhere, "headers"))
                locale = service_locale
                if "locale" in doc:
                    locale = self.string(doc["locale"], dwhere, "locale")
                target = DocumentTarget(
                    service=service_key,
                    document=doc_key,
                    url=url,
                    select=self.strings(doc["select"], dwhere, "select") if "select" in doc else (),
                    remove=self.strings(doc["remove"], dwhere, "remove") if "remove" in doc else (),
                    headers=headers,
                    locale=locale,
                    service_name=service_name,
                    document_name=self.string(doc["name"], dwhere, "name") if "name" in doc else None,
                )
                if target.key in seen:
                    raise self.error(
                        f"two documents share the store key {target.key!r} "
                        f"(also {'.'.join(seen[target.key])})",
                        [*where, "documents"],
                        doc_key,
                    )
                seen[target.key] = dwhere
                documents.append(target)
        return Targets(tuple(documents))


def _check_selector(selector: str, error: Any) -> None:
    """Reject CSS selectors soupsieve cannot compile, so a typo fails at load time, not nightly."""
    import soupsieve

    try:
        soupsieve.compile(selector)
    except soupsieve.SelectorSyntaxError as exc:
        first = str(exc).splitlines()[0]
        raise error(f"invalid CSS selector {selector!r}: {first}") from None


def _type_name(value: Any) -> str:
    return {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "a boolean",
        list: "an array",
        dict: "a table",
    }.get(type(value), type(value).__name__)


class _LineIndex:
    """Finds the line where a (table, key) is written, by scanning headers and key lines."""

    def __init__(self, entries: list[tuple[int, tuple[str, ...]]]) -> None:
        # (line number, full dotted path of a table header or key assignment)
        self.entries = entries

    def find(self, table: Sequence[str], key: str | None) -> int | None:
        wanted = (*table, *([key] if key else []))
        # exact path first, then the longest written prefix (a key inside an inline table ...)
        for length in range(len(wanted), 0, -1):
            prefix = wanted[:length]
            for line, path in self.entries:
                if path == prefix:
                    return line
            # a header of a deeper table implies its parents: [services.a.documents.b] defines services.a
            for line, path in self.entries:
                if path[:length] == prefix:
                    return line
        return None


_HEADER_RE = re.compile(r"^\s*\[\[?\s*(.+?)\s*\]\]?\s*(?:#.*)?$")
_ASSIGN_RE = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'))*)\s*="""
)
_KEYPART_RE = re.compile(r"""[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'""")


def _split_key(dotted: str) -> tuple[str, ...]:
    parts: list[str] = []
    for match in _KEYPART_RE.finditer(dotted):
        part = match.group(0)
        if part.startswith('"'):
            try:
                part = json.loads(part)
            except ValueError:
                part = part[1:-1]
        elif part.startswith("'"):
            part = part[1:-1]
        parts.append(part)
    return tuple(parts)


def _index_lines(text: str) -> _LineIndex:
    entries: list[tuple[int, tuple[str, ...]]] = []
    current: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER_RE.match(line)
        if header and not line.lstrip().startswith("#"):
            current = _split_key(header.group(1))
            entries.append((number, current))
            continue
        assign = _ASSIGN_RE.match(line)
        if assign:
            path = (*current, *_split_key(assign.group(1)))
            entries.append((number, path))
            # keys of an inline table on the same line: headers = { "Accept-Language" = 1 }
            rest = line[assign.end() :]
            for inner in re.finditer(
                r"""(?:^|[{,])\s*((?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'))\s*=""", rest
            ):
                entries.append((number, (*path, *_split_key(inner.group(1)))))
    return _LineIndex(entries)


# ------------------------------------------------------------------------------------ writing


def _toml_key(key: str) -> str:
    return key if _SLUG_RE.match(key) else _toml_string(key)


def _toml_string(value: str) -> str:
    out = ['"']
    for char in value:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char == "\r":
            out.append("\\r")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _toml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(_toml_string(v) for v in values) + "]"


def _toml_inline_table(mapping: Mapping[str, str]) -> str:
    if not mapping:
        return "{}"
    return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_string(v)}" for k, v in mapping.items()) + " }"


_HEADER = (
    "# policydiff targets: one [services.<key>] per service, one [services.<key>.documents.<key>]\n"
    "# per document (url required; select, remove, headers and locale optional)."
)


def dump_targets(targets: Targets, *, header: bool = True, known_services: Collection[str] = ()) -> str:
    """``targets`` as TOML text that :func:`parse_targets` reads back to an equal value.

    Keys are written in slug form; headers and locale are written per document (service-level
    values were merged in at load time). Services in ``known_services`` get no ``[services.<key>]``
    table of their own (it already exists in the text this is appended to).
    """
    lines: list[str] = [_HEADER] if header else []
    for service_key, docs in targets.services().items():
        if service_key not in known_services:
            lines.append("")
            lines.append(f"[services.{_toml_key(service_key)}]")
            name = next((d.service_name for d in docs if d.service_name), None)
            if name:
                lines.append(f"name = {_toml_string(name)}")
        for doc in docs:
            lines.append("")
            lines.append(f"[services.{_toml_key(service_key)}.documents.{_toml_key(slugify(doc.document))}]")
            if doc.document_name:
                lines.append(f"name = {_toml_string(doc.document_name)}")
            lines.append(f"url = {_toml_string(doc.url)}")
            if doc.select:
                lines.append(f"select = {_toml_list(doc.select)}")
            if doc.remove:
                lines.append(f"remove = {_toml_list(doc.remove)}")
            if doc.headers:
                lines.append(f"headers = {_toml_inline_table(doc.headers)}")
            if doc.locale is not None:
                lines.append(f"locale = {_toml_string(doc.locale)}")
    return "\n".join(lines).lstrip("\n") + "\n"


def append_targets(text: str, new: Targets, *, path: str = "targets.toml", comment: str | None = None) -> str:
    """``text`` (an existing targets file, kept byte for byte) with the ``new`` targets appended.

    Existing comments and layout survive; new documents of an existing service are added as
    tables below it. The result is checked by parsing it again.
    """
    existing = parse_targets(text, path=path) if text.strip() else Targets(())
    keys = {t.key for t in existing.documents}
    fresh = Targets(tuple(t for t in new.documents if t.key not in keys))
    if not fresh.documents:
        return text
    known = set(existing.services())
    parts = [text.rstrip("\n") if text.strip() else _HEADER]
    if comment:
        parts.append("\n".join(f"# {line}" for line in comment.splitlines()))
    parts.append(dump_targets(fresh, header=False, known_services=known))
    combined = "\n\n".join(parts)
    parse_targets(combined, path=path)  # never write a file we cannot read back
    return combined


# ------------------------------------------------------------------------ Open Terms Archive


def import_ota(
    declarations_dir: str | os.PathLike[str], *, existing: Targets | None = None
) -> tuple[Targets, list[str]]:
    """Read Open Terms Archive declarations (``<Service>.json``) into targets.

    Returns the merged targets (``existing`` first and kept as they are; new keys appended) and the
    warnings: features that cannot be honoured (JS filters, range selectors, client scripts), parts
    of a ``combine``, files skipped and entries already present.
    """
    directory = Path(os.fspath(declarations_dir))
    if not directory.is_dir():
        raise ConfigError("not a directory of Open Terms Archive declarations", path=str(directory))
    files = sorted(
        p
        for p in directory.iterdir()
        if p.is_file() and p.suffix == ".json" and not p.name.endswith(".history.json")
    )
    if not files:
        raise ConfigError("no declaration files (<Service>.json) found", path=str(directory))
    warnings: list[str] = []
    imported: list[DocumentTarget] = []
    for file in files:
        imported.extend(_read_declaration(file, warnings))

    documents = list(existing.documents) if existing else []
    existing_keys = {t.key for t in documents}
    imported_from: dict[str, DocumentTarget] = {}
    for target in imported:
        if target.key in existing_keys:
            old = next(t for t in documents if t.key == target.key)
            if old != target:
                warnings.append(f"{target.key}: already in the targets file; kept the existing entry")
            continue
        if target.key in imported_from:
            first = imported_from[target.key]
            warnings.append(
                f"{target.key}: {target.service_name!r} {target.document_name!r} has the same key as "
                f"{first.service_name!r} {first.document_name!r}; skipped (rename one declaration file)"
            )
            continue
        imported_from[target.key] = target
        documents.append(target)
    return Targets(tuple(documents)), warnings


def _read_declaration(file: Path, warnings: list[str]) -> list[DocumentTarget]:
    name = str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read declaration: {exc}", path=name) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"invalid JSON: {exc.msg} (column {exc.colno})", path=name, line=exc.lineno
        ) from None

    def error(message: str, key: str) -> ConfigError:
        return ConfigError(message, path=name, line=_json_line(text, key), key=key)

    if not isinstance(data, dict):
        raise ConfigError("a declaration must be a JSON object", path=name, line=1)
    service_name = data.get("name", file.stem)
    if not isinstance(service_name, str) or not service_name.strip():
        raise error("'name' must be a non-empty string", "name")
    documents = data.get("documents", data.get("terms"))
    doc_key_name = "documents" if "documents" in data else "terms"
    if not isinstance(documents, dict) or not documents:
        raise error("needs a 'documents' (or 'terms') object with at least one document", doc_key_name)
    service = slugify(file.stem)
    out: list[DocumentTarget] = []
    for doc_name, decl in documents.items():
        where = f"{file.name}: {doc_name}"
        if not isinstance(decl, dict):
            raise error(f"document {doc_name!r} must be an object", doc_name)
        doc_slug = slugify(doc_name)
        if "combine" in decl:
            parts = decl["combine"]
            if not isinstance(parts, list) or not parts:
                raise error(f"document {doc_name!r}: 'combine' must be a non-empty array", "combine")
            # keys given beside "combine" are defaults that each part may override
            shared = {k: v for k, v in decl.items() if k != "combine"}
            sources: list[tuple[str, str, str, Any]] = []
            for number, part in enumerate(parts, start=1):
                if not isinstance(part, dict):
                    raise error(f"document {doc_name!r}: combine part {number} must be an object", "combine")
                sources.append(
                    (
                        f"{doc_slug}-part-{number}",
                        f"{doc_name} (part {number})",
                        f"{where} (part {number})",
                        {**shared, **part},
                    )
                )
            warnings.append(
                f"{where}: combines {len(parts)} pages; imported as {len(parts)} documents "
                f"'{doc_name} (part N)', each fetched and stored on its own and compared with the "
                "service's other documents"
            )
        else:
            sources = [(doc_slug, doc_name, where, decl)]
        for document, document_name, swhere, source in sources:
            if not isinstance(source.get("fetch"), str):
                raise error(f"{swhere}: needs a 'fetch' URL", doc_name)
            url = _ota_url(source["fetch"], error, doc_name)
            if source.get("executeClientScripts"):
                warnings.append(
                    f"{swhere}: executeClientScripts is not supported (pages are fetched without running "
                    "JavaScript); the fetch may find the document missing or too short"
                )
            if urlsplit(url).path.lower().endswith(".pdf"):
                warnings.append(f"{swhere}: {url} looks like a PDF; only HTML, Markdown and text can be read")
            _ota_filters(source.get("filter"), swhere, warnings)
            headers = source.get("headers") or {}
            if not isinstance(headers, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
            ):
                raise error(f"{swhere}: 'headers' must map header names to strings", "headers")
            out.append(
                DocumentTarget(
                    service=service,
                    document=document,
                    url=url,
                    select=_ota_selectors(
                        source.get("select"), f"{swhere}: select", warnings, error, doc_name
                    ),
                    remove=_ota_selectors(
                        source.get("remove"), f"{swhere}: remove", warnings, error, doc_name
                    ),
                    headers=headers,
                    service_name=service_name,
                    document_name=document_name,
                )
            )
    return out


def _ota_url(url: str, error: Any, doc_name: str) -> str:
    url = url.strip()
    if not re.match(r"^https?://[^/\s?#]+", url):
        raise error(f"document {doc_name!r}: {url!r} is not an http:// or https:// URL", "fetch")
    return url


def _ota_selectors(value: Any, where: str, warnings: list[str], error: Any, doc_name: str) -> tuple[str, ...]:
    """OTA ``select``/``remove``: a string, a range object, or a list of either."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            if item.strip():
                _check_selector(item, lambda msg: error(f"document {doc_name!r}: {msg}", doc_name))
                out.append(item.strip())
        elif isinstance(item, dict):
            warnings.append(
                f"{where}: range selector {json.dumps(item, ensure_ascii=False)} is not supported; "
                "imported without it, so the extraction differs from the declaration's "
                "(add CSS selectors by hand)"
            )
        else:
            raise error(f"document {doc_name!r}: selector must be a string or range object", doc_name)
    return tuple(out)


def _ota_filters(value: Any, where: str, warnings: list[str]) -> None:
    if not value:
        return
    names = value if isinstance(value, list) else [value]
    shown = ", ".join(str(n) if isinstance(n, str) else json.dumps(n) for n in names)
    warnings.append(
        f"{where}: JavaScript filters are not supported and were not applied: {shown} "
        "(use remove selectors for what they strip)"
    )


def _json_line(text: str, key: str) -> int | None:
    needle = json.dumps(key, ensure_ascii=False)
    for number, line in enumerate(text.splitlines(), start=1):
        if needle + ":" in line.replace('" :', '":') or needle in line:
            return number
    return None
