"""The values a targets file describes: ``DocumentTarget``, ``Targets``, and ``slugify`` for keys."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping

import attrs

__all__ = ["SLUG_RE", "DocumentTarget", "Part", "Targets", "slugify"]


SLUG_RE = re.compile(r"^[A-Za-z0-9_-]+$")


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
    format: str | None = None  # the document's format when the server's type is wrong

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
