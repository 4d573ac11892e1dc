"""Open Terms Archive declarations (``<Service>.json``) imported as targets.

``fetch``, ``select``, ``remove`` and ``headers`` map directly; a ``combine`` of several source pages becomes
one document per part (``<document>-part-N``, named ``<Document> (part N)``), fetched and stored
separately and compared together as the service's bundle (keys beside ``combine`` are defaults each
part may override, as in Open Terms Archive). JavaScript ``filter`` functions, range selectors
(``startBefore`` ...), ``executeClientScripts`` and PDF URLs cannot be honoured and are reported as
warnings. The service key is the declaration's file name in slug form; ``*.history.json`` files are
skipped.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from policydiff.errors import ConfigError
from policydiff.targets.selectors import check_selector
from policydiff.targets.values import DocumentTarget, Targets, slugify

__all__ = ["import_ota"]


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
    for number, line in enumerate(text.splitlines(), start=1):
        if needle + ":" in line.replace('" :', '":') or needle in line:
            return number
    return None
