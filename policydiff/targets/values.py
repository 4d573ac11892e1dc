"""The values a targets file describes: ``DocumentTarget``, ``Targets``, and ``slugify`` for keys."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping

import attrs

__all__ = [
    "MAX_KEY",
    "SLUG_RE",
    "DocumentTarget",
    "Part",
    "Targets",
    "display_name",
    "has_control_characters",
    "slugify",
]


MAX_KEY = 64  # a key is a folder name in the store and part of report file names
MAX_NAME = 200
# used with fullmatch: "$" would also match before a trailing newline ("svc\n")
SLUG_RE = re.compile(rf"[A-Za-z0-9_-]{{1,{MAX_KEY}}}")
_NOT_PRINTABLE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]+")


def slugify(name: str) -> str:
    """A filesystem- and URL-safe form of ``name``: lowercase ASCII letters, digits and ``-``.

    Names with no ASCII letters or digits at all get a stable hash-based slug (``x-1a2b3c4d``).
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9_]+", "-", ascii_name.lower()).strip("-_")
    slug = re.sub(r"-{2,}", "-", slug)
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    if not slug:
        slug = "x-" + digest
    if len(slug) > MAX_KEY:  # long names keep a readable start and a hash of the whole
        slug = slug[: MAX_KEY - 9].rstrip("-_") + "-" + digest
    return slug


def has_control_characters(text: str) -> bool:
    """Whether ``text`` holds a control character (tab aside) or a lone surrogate."""
    return _NOT_PRINTABLE.search(text.replace("\t", " ")) is not None


def display_name(name: str | None) -> str | None:
    """``name`` fit to show anywhere (feeds, HTML, terminals): control characters and lone
    surrogates become spaces, whitespace runs one space, at most ``MAX_NAME`` characters."""
    if name is None:
        return None
    cleaned = " ".join(_NOT_PRINTABLE.sub(" ", name).split())
    return cleaned[:MAX_NAME] or None


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
    service_name: str | None = attrs.field(default=None, converter=display_name)  # default: the keys
    document_name: str | None = attrs.field(default=None, converter=display_name)
    allow_internal: tuple[str, ...] = attrs.field(default=(), converter=_strings)  # for redirects
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
