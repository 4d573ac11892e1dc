"""The view values the redline page is rendered from, and the element ids they link by.

Plain values built from the model (``document_view``, ``cards``, ``redline``) and read by the jinja2
templates, which escape every piece of text. Element ids: a clause of the new version keeps its own id
(``#s3.2-p4``); a clause that only exists in the old version (removed, or the old place of a moved one)
gets ``old-<id>``; in a bundle both are prefixed with the document's slug and a colon
(``privacy-policy:s3.2-p4``). See ``anchor_id``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Literal
from urllib.parse import urlsplit

import attrs

from policydiff.model import Document, Finding, SectionChange
from policydiff.render import KIND_LABELS

__all__ = ["anchor_id", "document_slug", "safe_href"]

SegOp = Literal["eq", "ins", "del", "mark"]
Side = Literal["old", "new"]

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SPACES = re.compile(r"\s+")
_UNSAFE_CHAR = re.compile(r"[\x00-\x1f \\\x7f]")  # control characters, space, backslash, DEL
KIND_LABEL: Mapping[str, str] = {**KIND_LABELS, "moved_away": "moved away"}


def document_slug(name: str) -> str:
    """A document name as an id-safe slug (``"Privacy Policy"`` -> ``"Privacy-Policy"``)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-")
    return slug or "document"


def anchor_id(clause_id: str, *, side: Side = "new", document: str | None = None) -> str:
    """The element id of a clause in the page: ``id``, ``old-id``, or ``<slug>:id`` in a bundle."""
    return anchor(document_slug(document) if document is not None else None, side, clause_id)


def prefixed(doc: str | None, base: str) -> str:
    """``base`` inside document ``doc`` (a slug) of a bundle page, or as is."""
    return f"{doc}:{base}" if doc is not None else base


def anchor(doc: str | None, side: Side, cid: str) -> str:
    """The element id of clause ``cid`` on ``side`` in document ``doc`` (a slug, None for one document)."""
    cid = _SPACES.sub("_", cid)
    return prefixed(doc, cid if side == "new" else f"old-{cid}")


@functools.lru_cache(maxsize=4096)  # pages repeat the same few link targets many times
def safe_href(target: str | None) -> str | None:
    """``target`` when it is an absolute http(s) or mailto link, else None (never script or data)."""
    if not target:
        return None
    target = target.strip()
    if _UNSAFE_CHAR.search(target):
        return None
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return None
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return None
    return target


@attrs.frozen
class Seg:
    """A run of text with one role: equal, inserted, deleted, or marked (finding evidence)."""

    text: str
    op: SegOp = "eq"
    href: str | None = None  # a safe link target, when the run is link text
    title: str | None = None  # a tooltip: the link target that was not made a link, or the cue
    cue: str | None = None  # the run is finding evidence (cue words) inside the redline


@attrs.frozen
class NoteLink:
    """A cross-reference under a row: "moved from" / "moved to" / "split from" and where."""

    text: str
    href: str
    where: str


@attrs.define
class Row:
    """One clause (or the old place of one) in the redline."""

    anchor: str
    kind: str  # "same" or a change kind or "moved_away"
    segs: list[Seg]
    material: bool = True
    side: str = "both"  # which side of the side-by-side view shows the text: old, new, both
    label: str | None = None
    depth: int = 0
    clause_kind: str = "paragraph"
    notes: list[NoteLink] = attrs.Factory(list)
    extra_anchors: list[str] = attrs.Factory(list)
    flags: list[tuple[int, str]] = attrs.Factory(list)  # (finding number, severity)
    context: str | None = None  # the old section path, when shown away from it
    degraded: bool = False

    @property
    def changed(self) -> bool:
        return self.kind != "same"

    @property
    def tag(self) -> str | None:
        return KIND_LABEL.get(self.kind)


@attrs.frozen
class Fold:
    """A run of unchanged clauses, shown as one line in the "changes only" view."""

    count: int
    first: str


@attrs.define
class SectionView:
    section_id: str
    anchor: str
    title: str
    label: str | None
    level: int
    heading: int  # h2..h6
    items: list[Row | Fold] = attrs.Factory(list)
    own: int = 0  # material changes in this section
    total: int = 0  # ... and in the sections below it
    change: SectionChange | None = None

    @property
    def rows(self) -> list[Row]:
        return [item for item in self.items if isinstance(item, Row)]


@attrs.frozen
class Outline:
    anchor: str
    title: str
    level: int
    count: int


@attrs.define
class DocView:
    name: str
    slug: str
    anchor: str
    status: str
    old: Document | None
    new: Document | None
    sections: list[SectionView]
    material: int
    by_kind: dict[str, int]
    outline: list[Outline]


@attrs.frozen
class Place:
    """Where a finding points: a link into the redline and a readable name of the place."""

    href: str | None
    where: str


@attrs.frozen
class FindingView:
    number: int
    finding: Finding
    acknowledged: str | None = None  # "reason (acknowledged by who)" when an acknowledgement silences it


@attrs.frozen
class FindingGroup:
    """The findings about one place (same clause, same sentences): one card in the panel."""

    items: list[FindingView]
    document: str
    old: list[Seg] | None
    new: list[Seg] | None
    related: list[Seg] | None
    place: Place
    related_place: Place | None
    anchor: str | None  # the element id the card links to

    @property
    def number(self) -> int:
        return self.items[0].number

    @property
    def severity(self) -> str:
        return self.items[0].finding.severity


@attrs.frozen
class SideView:
    label: str
    source: str
    href: str | None
    fetched: str
    sha256: str
    format: str


@attrs.frozen
class Page:
    large: bool  # big enough to lay out sections lazily in the browser
    title: str
    subtitle: str
    version: str
    bundle: bool
    sides: list[SideView]
    documents: list[DocView]
    groups: list[FindingGroup]
    findings: int
    severity_counts: list[tuple[str, int]]
    categories: list[tuple[str, int]]
    material: int
    by_kind: list[tuple[str, int]]
    acknowledged: int = 0  # findings an acknowledgement silences (still listed, marked)
