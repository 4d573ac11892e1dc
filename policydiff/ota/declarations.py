"""Open Terms Archive declarations (``<Service>.json``) imported as targets.

``fetch``, ``select``, ``remove`` and ``headers`` map directly; ``executeClientScripts`` becomes
``browser = true``; a ``combine`` of several source pages becomes one document whose ``parts`` are
those pages in order (keys beside ``combine`` are defaults each part may override, as in Open Terms
Archive); PDF sources need nothing (the PDF is recognised when fetched). JavaScript ``filter``
functions and range selectors (``startBefore`` ...) cannot be honoured and are reported as warnings.
The service key is the declaration's file name in slug form; ``*.history.json`` files are skipped.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from policydiff.errors import ConfigError
from policydiff.targets.selectors import check_selector
from policydiff.targets.values import DocumentTarget, Part, Targets, slugify

__all__ = ["import_ota"]


def import_ota(
    declarations_dir: str | os.PathLike[str], *, existing: Targets | None = None
) -> tuple[Targets, list[str]]:
    """Read Open Terms Archive declarations (``<Service>.json``) into targets.

    Returns the merged targets (``existing`` first and kept as they are; new keys appended) and the
    warnings: features that cannot be honoured (JS filters, range selectors), files skipped and
    entries already present.
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
        if not isinstance(decl, dict):
            raise error(f"document {doc_name!r} must be an object", doc_name)
        context = _Context(f"{file.name}: {doc_name}", doc_name, error, warnings)
        if "combine" in decl:
            target = _combined(service, service_name, decl, context)
        else:
            source = _source(decl, context.where, context)
            target = DocumentTarget(
                service=service,
                document=slugify(doc_name),
                url=source.part.url,
                select=source.part.select,
                remove=source.part.remove,
                headers=source.headers,
                service_name=service_name,
                document_name=doc_name,
                browser=source.browser,
            )
        out.append(target)
    return out


@attrs.frozen
class _Context:
    where: str  # "<file>: <document>" for warnings
    doc_name: str
    error: Callable[[str, str], ConfigError]
    warnings: list[str]


@attrs.frozen
class _Source:
    part: Part
    headers: dict[str, str]
    browser: bool


def _combined(service: str, service_name: str, decl: dict[str, Any], context: _Context) -> DocumentTarget:
    """A ``combine`` declaration: one document whose parts are the combined pages, in order."""
    parts = decl["combine"]
    if not isinstance(parts, list) or not parts:
        raise context.error(f"document {context.doc_name!r}: 'combine' must be a non-empty array", "combine")
    shared = {k: v for k, v in decl.items() if k != "combine"}  # defaults each part may override
    sources: list[_Source] = []
    for number, part in enumerate(parts, start=1):
        if not isinstance(part, dict):
            raise context.error(
                f"document {context.doc_name!r}: combine part {number} must be an object", "combine"
            )
        sources.append(_source({**shared, **part}, f"{context.where} (part {number})", context))
    headers = sources[0].headers
    if any(source.headers != headers for source in sources[1:]):
        context.warnings.append(f"{context.where}: parts send different headers; the first part's are used")
    return DocumentTarget(
        service=service,
        document=slugify(context.doc_name),
        url=sources[0].part.url,
        headers=headers,
        service_name=service_name,
        document_name=context.doc_name,
        parts=tuple(source.part for source in sources),
        browser=any(source.browser for source in sources),
    )


def _source(source: dict[str, Any], where: str, context: _Context) -> _Source:
    """One fetched page of a declaration: URL, selectors, headers, whether it needs a browser."""
    doc_name, error = context.doc_name, context.error
    if not isinstance(source.get("fetch"), str):
        raise error(f"{where}: needs a 'fetch' URL", doc_name)
    url = _ota_url(source["fetch"], error, doc_name)
    _ota_filters(source.get("filter"), where, context.warnings)
    headers = source.get("headers") or {}
    if not isinstance(headers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        raise error(f"{where}: 'headers' must map header names to strings", "headers")
    select = _ota_selectors(source.get("select"), f"{where}: select", context.warnings, error, doc_name)
    remove = _ota_selectors(source.get("remove"), f"{where}: remove", context.warnings, error, doc_name)
    return _Source(Part(url, select, remove), dict(headers), bool(source.get("executeClientScripts")))


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
                check_selector(item, lambda msg: error(f"document {doc_name!r}: {msg}", doc_name))
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
    for number, line in enumerate(text.split("\n"), start=1):
        if needle + ":" in line.replace('" :', '":') or needle in line:
            return number
    return None
