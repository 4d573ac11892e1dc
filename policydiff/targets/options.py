"""How a document is fetched: ``parts``, ``browser``, ``robots``/``robots_reason`` and ``format``.

::

    [services.acme.documents.terms]
    parts = [                                  # several pages making one document, in order
      "https://acme.test/terms",               # a plain URL uses the document's select/remove
      { url = "https://acme.test/terms/payments", select = "main", remove = ".ad" },
    ]
    browser = true                             # render in headless chromium (pages built by scripts)
    robots = "ignore"                          # fetch although robots.txt disallows it ...
    robots_reason = "written permission from acme, 2026-11-02"   # ... and say why (required)
    format = "markdown"                        # the body's format when the server's type is wrong

``url`` and ``parts`` exclude each other; with ``parts``, the first part's URL is the document's,
and ``browser``, ``format`` and the headers apply to every part.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from policydiff.errors import ConfigError
from policydiff.targets.values import Part

__all__ = ["FETCH_KEYS", "FORMATS", "URL_RE", "Checks", "check_url", "fetch_options"]

FETCH_KEYS = frozenset({"parts", "browser", "robots", "robots_reason", "format"})
FORMATS = ("html", "markdown", "text", "pdf")
URL_RE = re.compile(r"^https?://[^/\s?#]+")
_PART_KEYS = {"url", "select", "remove"}


class Checks(Protocol):
    """The checks of the targets reader that these keys use (each error names file, line, key)."""

    def error(self, message: str, table: Sequence[str], key: str | None = None) -> ConfigError: ...

    def string(self, value: Any, table: Sequence[str], key: str, *, allow_empty: bool = False) -> str: ...

    def strings(self, value: Any, table: Sequence[str], key: str) -> tuple[str, ...]: ...


def check_url(checks: Checks, value: Any, where: Sequence[str], key: str) -> str:
    """An http(s) URL without spaces, stripped."""
    url = checks.string(value, where, key).strip()
    if not URL_RE.match(url) or any(c.isspace() for c in url):
        raise checks.error(f"{url!r} is not an http:// or https:// URL", where, key)
    return url


def fetch_options(checks: Checks, doc: Mapping[str, Any], where: Sequence[str]) -> dict[str, Any]:
    """``DocumentTarget`` keyword arguments for the fetch keys present in ``doc``."""
    options: dict[str, Any] = {}
    if "browser" in doc:
        if not isinstance(doc["browser"], bool):
            raise checks.error("must be true or false", where, "browser")
        options["browser"] = doc["browser"]
    if "format" in doc:
        fmt = checks.string(doc["format"], where, "format")
        if fmt not in FORMATS:
            raise checks.error(f"must be one of {', '.join(FORMATS)}, not {fmt!r}", where, "format")
        options["format"] = fmt
    options.update(_robots(checks, doc, where))
    if "parts" in doc:
        if "url" in doc:
            raise checks.error("give either url or parts, not both", where, "parts")
        options["parts"] = _parts(checks, doc, where)
    return options


def _robots(checks: Checks, doc: Mapping[str, Any], where: Sequence[str]) -> dict[str, Any]:
    robots = checks.string(doc["robots"], where, "robots") if "robots" in doc else "obey"
    if robots not in ("obey", "ignore"):
        raise checks.error(f"must be 'obey' or 'ignore', not {robots!r}", where, "robots")
    reason = checks.string(doc["robots_reason"], where, "robots_reason") if "robots_reason" in doc else None
    if robots == "ignore" and reason is None:
        raise checks.error(
            "robots = 'ignore' needs robots_reason = '...' saying why (e.g. the site's permission)",
            where,
            "robots",
        )
    if robots == "obey" and reason is not None:
        raise checks.error("robots_reason is only for robots = 'ignore'", where, "robots_reason")
    return {"robots": robots, "robots_reason": reason.strip() if reason else None}


def _parts(checks: Checks, doc: Mapping[str, Any], where: Sequence[str]) -> tuple[Part, ...]:
    value = doc["parts"]
    if not isinstance(value, list) or len(value) < 2:
        raise checks.error("must be an array of at least two URLs or { url = ... } tables", where, "parts")
    select = checks.strings(doc["select"], where, "select") if "select" in doc else ()
    remove = checks.strings(doc["remove"], where, "remove") if "remove" in doc else ()
    parts: list[Part] = []
    for number, item in enumerate(value, 1):
        if isinstance(item, str):
            parts.append(Part(check_url(checks, item, where, "parts"), select, remove))
            continue
        if not isinstance(item, dict):
            raise checks.error(f"part {number} must be a URL or a {{ url = ... }} table", where, "parts")
        unknown = sorted(set(item) - _PART_KEYS)
        if unknown or "url" not in item:
            problem = f"unknown key {unknown[0]!r}" if unknown else "no url"
            raise checks.error(f"part {number}: {problem} (a part has url, select, remove)", where, "parts")
        parts.append(
            Part(
                check_url(checks, item["url"], where, "parts"),
                checks.strings(item["select"], where, "parts") if "select" in item else select,
                checks.strings(item["remove"], where, "parts") if "remove" in item else remove,
            )
        )
    return tuple(parts)
