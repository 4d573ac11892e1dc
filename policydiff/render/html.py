"""The redline page: a ``Comparison`` as one self-contained, offline, script-safe HTML file.

The page shows the consent findings first, then every document in order with a word-level redline.
All HTML comes from jinja2 templates with autoescaping; this module only builds plain view values
(rows of text segments) from the model, so document text never reaches the page unescaped. The
page loads no resource of any kind: CSS and JS are inlined, a Content-Security-Policy allows only
those two inline blocks (by hash), so even an escaping bug could not run injected script.

Element ids: a clause of the new version keeps its own id (``#s3.2-p4``); a clause that only exists
in the old version (removed, or the old place of a moved one) gets ``old-<id>``; in a bundle both
are prefixed with the document's slug and a colon (``privacy-policy:s3.2-p4``). See ``anchor_id``.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import re
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import PurePath
from typing import Literal
from urllib.parse import urlsplit

import attrs
import jinja2
from markupsafe import Markup

from policydiff.errors import InputError
from policydiff.model import (
    SEVERITY_RANK,
    Clause,
    ClauseChange,
    Comparison,
    Document,
    DocumentDiff,
    Evidence,
    Finding,
    Section,
    SectionChange,
    WordOp,
)
from policydiff.render import KIND_LABELS
from policydiff.render.templating import environment

__all__ = ["anchor_id", "document_slug", "render_html", "to_html"]

SegOp = Literal["eq", "ins", "del", "mark"]
Side = Literal["old", "new"]

LARGE_PAGE_CHARS = 300_000  # above this much clause text, off-screen sections render lazily
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
KIND_LABEL: Mapping[str, str] = {**KIND_LABELS, "moved_away": "moved away"}


# --------------------------------------------------------------------------- public


def to_html(comparison: Comparison) -> str:
    """The comparison as one self-contained HTML page (findings, header, redline, inline CSS/JS)."""
    return render_html(comparison)


def render_html(comparison: Comparison, *, csp: bool = True) -> str:
    """Like ``to_html``; ``csp=False`` drops the Content-Security-Policy (tests use it to prove that
    escaping alone, without the CSP safety net, keeps hostile text inert)."""
    page = _build_page(comparison)
    css = _asset("report.css")
    js = _asset("report.js")
    policy = ""
    if csp:
        policy = (
            "default-src 'none'; "
            f"style-src '{_csp_hash(css)}'; script-src '{_csp_hash(js)}'; "
            "img-src data:; base-uri 'none'; form-action 'none'"
        )
    return _env().get_template("report.html.j2").render(page=page, css=Markup(css), js=Markup(js), csp=policy)


def document_slug(name: str) -> str:
    """A document name as an id-safe slug (``"Privacy Policy"`` -> ``"Privacy-Policy"``)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-")
    return slug or "document"


def anchor_id(clause_id: str, *, side: Side = "new", document: str | None = None) -> str:
    """The element id of a clause in the page: ``id``, ``old-id``, or ``<slug>:id`` in a bundle."""
    cid = re.sub(r"\s+", "_", clause_id)
    base = cid if side == "new" else f"old-{cid}"
    return f"{document_slug(document)}:{base}" if document is not None else base


# --------------------------------------------------------------------------- view values


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


# --------------------------------------------------------------------------- page


def _build_page(comparison: Comparison) -> Page:
    from policydiff._version import __version__

    bundle = comparison.bundle or len(comparison.documents) > 1
    slugs = _unique_slugs([d.name for d in comparison.documents]) if bundle else {}

    def doc_key(name: str | None) -> str | None:
        if not bundle:
            return None
        return slugs.get(name or "", document_slug(name or ""))

    # findings about the same place and sentences form one card; severity first, then document order
    ordered = sorted(comparison.findings, key=lambda f: -SEVERITY_RANK.get(f.severity, 0))
    grouped: dict[tuple[object, ...], list[Finding]] = {}
    for finding in ordered:
        key = (
            _finding_document(finding, comparison),
            finding.old_clause,
            finding.new_clause,
            finding.old_text,
            finding.new_text,
            finding.related_document,
            finding.related_clause,
            finding.related_text,
            finding.announced,
        )
        grouped.setdefault(key, []).append(finding)
    present: set[str] = set()
    for dd in comparison.documents:
        present |= _anchors_of(dd, doc_key(dd.name))
    groups: list[FindingGroup] = []
    number = 0
    for members in grouped.values():
        numbered = []
        for finding in members:
            number += 1
            numbered.append((number, finding))
        groups.append(_finding_group(numbered, doc_key, present, comparison))
    # anchor -> findings flagged on it, known before rows are built so rows can carry them
    flags: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for group in groups:
        if group.anchor:
            flags[group.anchor].extend((item.number, item.finding.severity) for item in group.items)
    cues = _redline_cues(comparison, doc_key)
    documents = [_build_document(dd, doc_key(dd.name), flags, cues) for dd in comparison.documents]

    summary = comparison.summary
    categories: dict[str, int] = {}
    for f in comparison.findings:
        categories[f.category] = categories.get(f.category, 0) + 1
    title = comparison.title or _default_title(comparison)
    sides = [
        _side_view("Old", comparison.old, comparison.documents, "old"),
        _side_view("New", comparison.new, comparison.documents, "new"),
    ]
    text_size = sum(
        len(clause.text)
        for dd in comparison.documents
        for d in (dd.new or dd.old,)
        if d
        for clause in d.clauses()
    )
    return Page(
        large=text_size > LARGE_PAGE_CHARS,
        title=title,
        subtitle=_subtitle(comparison),
        version=__version__,
        bundle=bundle,
        sides=sides,
        documents=documents,
        groups=groups,
        findings=len(comparison.findings),
        severity_counts=[(s, summary.findings_by_severity.get(s, 0)) for s in ("high", "medium", "low")],
        categories=sorted(categories.items()),
        material=summary.material_changes,
        by_kind=sorted(summary.by_kind.items(), key=lambda kv: (-kv[1], kv[0])),
    )


def _redline_cues(
    comparison: Comparison, doc_key: Callable[[str | None], str | None]
) -> dict[str, list[Cue]]:
    """Element id -> evidence spans of the findings about that clause, as offsets into its new text."""
    texts: dict[tuple[str | None, str], str] = {}
    for dd in comparison.documents:
        if dd.new is not None:
            key = doc_key(dd.name)
            for clause in dd.new.clauses():
                texts[(key, clause.id)] = clause.text
    cues: dict[str, list[Cue]] = defaultdict(list)
    for finding in comparison.findings:
        if not finding.new_clause or not finding.new_text:
            continue
        key = doc_key(_finding_document(finding, comparison))
        text = texts.get((key, finding.new_clause))
        at = text.find(finding.new_text) if text is not None else -1
        if at < 0:
            continue
        pos = at
        for seg in _marked(finding.new_text, finding.evidence, "new"):
            if seg.op == "mark":
                cues[_anchor(key, "new", finding.new_clause)].append(
                    (pos, pos + len(seg.text), seg.title or "")
                )
            pos += len(seg.text)
    return cues


def _default_title(comparison: Comparison) -> str:
    """A name for the header when the caller gave none: the document's title, or where it lives."""
    bundle = comparison.bundle or len(comparison.documents) > 1
    sources = [side.source for side in (comparison.old, comparison.new) if side is not None]
    if not bundle:
        for dd in comparison.documents:
            for doc in (dd.new, dd.old):
                if doc is not None and doc.title:
                    return doc.title
            if dd.name:
                return dd.name
    parents = {PurePath(src).parent for src in sources if src and safe_href(src) is None}
    if len(parents) == 1:
        parent = parents.pop()
        if bundle and parent.name:
            return parent.name
        names = [p for p in (parent.parent.name, parent.name) if p and p not in (".", "..")]
        if names:
            return " / ".join(names)
    if bundle:
        return f"Bundle of {len(comparison.documents)} documents"
    return "Policy comparison"


def _subtitle(comparison: Comparison) -> str:
    """``old-file -> new-file`` for a single comparison of two files, else empty."""
    if comparison.bundle or len(comparison.documents) != 1 or not comparison.old or not comparison.new:
        return ""
    names = []
    for side in (comparison.old, comparison.new):
        src = side.source
        names.append(src if safe_href(src) else PurePath(src).name)
    return f"{names[0]} → {names[1]}" if names[0] != names[1] else names[0]


def _unique_slugs(names: Iterable[str]) -> dict[str, str]:
    seen: set[str] = set()
    out: dict[str, str] = {}
    for name in names:
        base = slug = document_slug(name)
        n = 2
        while slug in seen:
            slug = f"{base}-{n}"
            n += 1
        seen.add(slug)
        out[name] = slug
    return out


def _finding_document(finding: Finding, comparison: Comparison) -> str:
    names = [d.name for d in comparison.documents]
    if finding.document in names or len(names) != 1:
        return finding.document
    return names[0]


def _prefixed(doc: str | None, base: str) -> str:
    return f"{doc}:{base}" if doc is not None else base


def _anchor(doc: str | None, side: Side, cid: str) -> str:
    cid = re.sub(r"\s+", "_", cid)
    return _prefixed(doc, cid if side == "new" else f"old-{cid}")


def _resolve(cid: str, side: str, doc: str | None, present: set[str]) -> str | None:
    """The element id a clause reference lands on, trying its own side first."""
    sides: tuple[Side, Side] = ("new", "old") if side == "new" else ("old", "new")
    for s in sides:
        anchor = _anchor(doc, s, cid)
        if anchor in present:
            return anchor
    return None


def _anchors_of(dd: DocumentDiff, doc: str | None) -> set[str]:
    """Every clause element id the document's part of the page will have."""
    out: set[str] = set()
    if dd.new is not None:
        out |= {_anchor(doc, "new", c.id) for c in dd.new.clauses()}
    if dd.new is None and dd.old is not None:
        out |= {_anchor(doc, "old", c.id) for c in dd.old.clauses()}
    for change in dd.changes:
        if change.kind in ("removed", "moved", "moved_modified", "split", "merged"):
            out |= {_anchor(doc, "old", cid) for cid in change.old_ids}
    return out


# --------------------------------------------------------------------------- header and findings


def _fmt_time(value: datetime | None) -> str:
    if value is None:
        return "not recorded"
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%d %H:%M:%S UTC")


def safe_href(target: str | None) -> str | None:
    """``target`` when it is an absolute http(s) or mailto link, else None (never script or data)."""
    if not target:
        return None
    target = target.strip()
    if any(ord(ch) < 32 or ch in "\\ \u007f" for ch in target):
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


def _side_view(label: str, info: object, docs: Sequence[DocumentDiff], side: Side) -> SideView:
    from policydiff.model import SideInfo

    if isinstance(info, SideInfo):
        return SideView(
            label=label,
            source=info.source,
            href=safe_href(info.source),
            fetched=_fmt_time(info.fetched_at),
            sha256=info.sha256 or "not recorded",
            format=info.format,
        )
    doc = next((getattr(d, side) for d in docs if getattr(d, side) is not None), None)
    if isinstance(doc, Document):
        return SideView(
            label,
            doc.source,
            safe_href(doc.source),
            _fmt_time(doc.fetched_at),
            doc.sha256 or "not recorded",
            doc.format,
        )
    return SideView(label, "not recorded", None, "not recorded", "not recorded", "")


def _marked(text: str, evidence: Iterable[Evidence], side: Side) -> list[Seg]:
    """``text`` split into plain and marked runs, marking the evidence spans of one side."""
    spans: list[tuple[int, int, str]] = []
    lowered = text.lower()
    for ev in evidence:
        if ev.side != side:
            continue
        start, end = ev.start, ev.end
        ok = 0 <= start < end <= len(text)
        if ev.text and (not ok or text[start:end].lower() != ev.text.lower()):
            found = lowered.find(ev.text.lower())
            if found >= 0:
                start, end, ok = found, found + len(ev.text), True
        if ok:
            spans.append((start, end, ev.cue))
    spans.sort()
    merged: list[tuple[int, int, str]] = []
    for start, end, cue in spans:
        if merged and start <= merged[-1][1]:
            m_start, m_end, m_cue = merged[-1]
            cues = m_cue if cue in m_cue.split(", ") else f"{m_cue}, {cue}"
            merged[-1] = (m_start, max(m_end, end), cues)
        else:
            merged.append((start, end, cue))
    segs: list[Seg] = []
    pos = 0
    for start, end, cue in merged:
        if start > pos:
            segs.append(Seg(text[pos:start]))
        segs.append(Seg(text[start:end], "mark", title=cue))
        pos = end
    if pos < len(text):
        segs.append(Seg(text[pos:]))
    return segs


def _finding_group(
    numbered: list[tuple[int, Finding]],
    doc_key: Callable[[str | None], str | None],
    present: set[str],
    comparison: Comparison,
) -> FindingGroup:
    first = numbered[0][1]
    document = _finding_document(first, comparison)
    key = doc_key(document)
    where_doc = f"{document}: " if key is not None and document else ""
    place = Place(None, "no single clause")
    anchor: str | None = None
    for side, cid in (("new", first.new_clause), ("old", first.old_clause)):
        if cid:
            anchor = _resolve(cid, side, key, present)
            place = Place(
                f"#{anchor}" if anchor else None, where_doc + _clause_where(comparison, document, cid, side)
            )
            if anchor:
                break
    related_place = None
    if first.related_clause or first.related_document:
        rdoc = first.related_document or document
        rkey = doc_key(rdoc)
        ranchor = _resolve(first.related_clause, "new", rkey, present) if first.related_clause else None
        if ranchor is None and rkey is not None and first.related_clause is None:
            ranchor = f"doc-{rkey}"
        where = (f"{rdoc}: " if rdoc else "") + (
            _clause_where(comparison, rdoc, first.related_clause, "new") if first.related_clause else ""
        )
        related_place = Place(f"#{ranchor}" if ranchor else None, where.rstrip(": "))
    evidence = [ev for _, f in numbered for ev in f.evidence]
    return FindingGroup(
        items=[FindingView(n, f) for n, f in numbered],
        document=first.document,
        old=_marked(first.old_text, evidence, "old") if first.old_text else None,
        new=_marked(first.new_text, evidence, "new") if first.new_text else None,
        related=[Seg(first.related_text)] if first.related_text else None,
        place=place,
        related_place=related_place,
        anchor=anchor,
    )


def _clause_where(comparison: Comparison, document: str, cid: str, side: str) -> str:
    """A readable location: the section path of the clause, else its id."""
    for dd in comparison.documents:
        if dd.name != document and len(comparison.documents) > 1:
            continue
        docs = [dd.new, dd.old] if side == "new" else [dd.old, dd.new]
        for doc in docs:
            if doc is None:
                continue
            for section in doc.sections():
                for n, clause in enumerate(section.clauses, start=1):
                    if clause.id == cid:
                        path = doc.section_path(section.id)
                        where = " › ".join(path) if path else "beginning of the document"
                        return f"{where}, paragraph {n}" if len(section.clauses) > 1 else where
    return cid


# --------------------------------------------------------------------------- redline


Cue = tuple[int, int, str]  # start, end (offsets into the new clause text), cue name


def _segments(ops: Sequence[WordOp], links: Sequence[object] = (), cues: Sequence[Cue] = ()) -> list[Seg]:
    """Word ops as segments; the new-side text (equal and insert) is cut at link and cue bounds."""
    from policydiff.model import Link

    spans: list[tuple[int, int, str | None, str]] = []
    for link in links:
        if isinstance(link, Link) and 0 <= link.start < link.end:
            spans.append((link.start, link.end, safe_href(link.target), link.target))
    marks = [c for c in cues if 0 <= c[0] < c[1]]
    bounds = sorted({b for sp in spans for b in sp[:2]} | {b for m in marks for b in m[:2]})
    segs: list[Seg] = []
    pos = 0  # position in the new text
    for op in ops:
        if not op.text:
            continue
        kind: SegOp = "eq" if op.op == "equal" else ("ins" if op.op == "insert" else "del")
        if kind == "del" or not bounds:
            segs.append(Seg(op.text, kind))
            if kind != "del":
                pos += len(op.text)
            continue
        start, end = pos, pos + len(op.text)
        cuts = [start, *(b for b in bounds if start < b < end), end]
        for lo, hi in itertools.pairwise(cuts):
            link = next((sp for sp in spans if sp[0] <= lo and hi <= sp[1]), None)
            cue = next((m[2] for m in marks if m[0] <= lo and hi <= m[1]), None)
            segs.append(
                Seg(
                    op.text[lo - start : hi - start],
                    kind,
                    href=link[2] if link else None,
                    title=link[3] if link else None,
                    cue=cue,
                )
            )
        pos = end
    return segs


def _plain(
    clause: Clause, op: Literal["equal", "insert", "delete"] = "equal", cues: Sequence[Cue] = ()
) -> list[Seg]:
    if op == "delete":
        return _segments([WordOp(op, clause.text)])
    return _segments([WordOp(op, clause.text)], clause.links, cues)


def _change_segs(change: ClauseChange, new_clause: Clause | None, cues: Sequence[Cue] = ()) -> list[Seg]:
    """The inline redline of a change: its word ops, or old struck + new inserted without ops."""
    ops = list(change.ops)
    if not ops:
        if change.old_text:
            ops.append(WordOp("delete", change.old_text))
        if change.new_text:
            if ops:
                ops.append(WordOp("delete", " "))
            ops.append(WordOp("insert", change.new_text))
        ops = [op for op in ops if op.text.strip() or op.op != "delete"]
    links: Sequence[object] = ()
    if new_clause is not None and (new_clause.links or cues):
        rebuilt = "".join(op.text for op in ops if op.op != "delete")
        if rebuilt == new_clause.text:
            links = new_clause.links
        else:
            cues = ()  # offsets into a text the ops do not rebuild: mark nothing rather than wrongly
    return _segments(ops, links, cues)


def _positions(document: Document, paths: Mapping[str, str]) -> dict[str, str]:
    """Clause id -> where it sits, for "moved to"/"moved from" notes: section path and paragraph."""
    out: dict[str, str] = {}
    for section in document.sections():
        where = _section_label(paths.get(section.id))
        for n, clause in enumerate(section.clauses, start=1):
            out[clause.id] = f"{where}, paragraph {n}" if len(section.clauses) > 1 else where
    return out


def _section_label(path: str | None) -> str:
    return path.replace(" > ", " › ") if path else "top of the document"


def _build_document(
    dd: DocumentDiff,
    doc: str | None,
    flags: Mapping[str, list[tuple[int, str]]],
    cues: Mapping[str, list[Cue]] | None = None,
) -> DocView:
    cues = cues or {}
    by_new: dict[str, ClauseChange] = {}
    by_old: dict[str, ClauseChange] = {}
    for ch in dd.changes:
        for cid in ch.new_ids:
            by_new.setdefault(cid, ch)
        for cid in ch.old_ids:
            by_old.setdefault(cid, ch)

    base_doc = dd.new if dd.new is not None else dd.old
    if base_doc is None:
        raise InputError(f"document {dd.name!r} has neither an old nor a new version: nothing to show")
    status = dd.status
    sections: list[SectionView] = []
    heading_base = 3 if doc is not None else 2
    sec_changes = {c.new_id: c for c in dd.section_changes if c.new_id}

    old_paths = _section_paths(dd.old) if dd.old is not None else {}
    new_paths = _section_paths(dd.new) if dd.new is not None else {}
    old_where = _positions(dd.old, old_paths) if dd.old is not None else {}
    new_where = _positions(dd.new, new_paths) if dd.new is not None else {}
    old_clauses = list(dd.old.clauses()) if dd.old is not None else []
    new_clauses = list(dd.new.clauses()) if dd.new is not None else []

    def mk_row(anchor: str, kind: str, segs: list[Seg], **kw: object) -> Row:
        row = Row(anchor=anchor, kind=kind, segs=segs, **kw)  # type: ignore[arg-type]
        row.flags = list(flags.get(anchor, ()))
        for extra in row.extra_anchors:
            row.flags.extend(flags.get(extra, ()))
        return row

    # -- where old-only clauses go: after the new clause matching the nearest preceding old clause
    after: dict[str | None, list[Row]] = defaultdict(list)
    if dd.new is not None and dd.old is not None:
        unchanged_new: dict[str, deque[str]] = defaultdict(deque)
        for c in new_clauses:
            if c.id not in by_new:
                unchanged_new[c.canonical].append(c.id)
        match: dict[str, str] = {}
        for c in old_clauses:
            change = by_old.get(c.id)
            if change is None:
                queue = unchanged_new.get(c.canonical)
                if queue:
                    match[c.id] = queue.popleft()
            elif change.kind in ("modified", "split", "merged") and change.new_ids:
                match[c.id] = change.new_ids[-1]
        new_by_path: dict[str, str] = {}
        for sid, path in new_paths.items():
            new_by_path.setdefault(path, sid)
        last_global: str | None = None
        last_in: dict[str, str] = {}  # old section id -> new id of its last matched clause so far
        for c in old_clauses:
            if c.id in match:
                last_global = last_in[c.section_id] = match[c.id]
                continue
            change = by_old.get(c.id)
            if change is None or change.kind not in ("removed", "moved", "moved_modified"):
                continue
            # after the last match in its own old section; else at the top of the same section in
            # the new version; else after the last match anywhere before it
            target_section = new_by_path.get(old_paths.get(c.section_id, "\0"))
            place: str | None
            if c.section_id in last_in:
                place = last_in[c.section_id]
            elif target_section is not None:
                place = f"\0{target_section}"
            else:
                place = last_global
            old_anchor = _anchor(doc, "old", c.id)
            if change.kind == "removed":
                row = mk_row(
                    old_anchor,
                    "removed",
                    _plain(c, "delete") if not change.ops else _change_segs(change, None),
                    material=change.material,
                    side="old",
                    label=c.label,
                    depth=c.depth,
                    clause_kind=c.kind,
                    context=old_paths.get(c.section_id),
                )
            else:
                target = change.new_ids[0] if change.new_ids else None
                notes = []
                if target:
                    notes.append(
                        NoteLink("moved to", f"#{_anchor(doc, 'new', target)}", new_where.get(target, ""))
                    )
                row = mk_row(
                    old_anchor,
                    "moved_away",
                    [Seg(c.text)],
                    material=change.material,
                    side="old",
                    label=c.label,
                    depth=c.depth,
                    clause_kind=c.kind,
                    notes=notes,
                    context=old_paths.get(c.section_id),
                )
            after[place].append(row)

    # -- walk the version shown, section by section
    done: set[int] = set()

    def clause_rows(c: Clause) -> list[Row]:
        rows: list[Row] = []
        if dd.new is None:  # the whole document was removed
            rows.append(
                mk_row(
                    _anchor(doc, "old", c.id),
                    "removed",
                    _plain(c, "delete"),
                    side="old",
                    label=c.label,
                    depth=c.depth,
                    clause_kind=c.kind,
                )
            )
            return rows
        change = by_new.get(c.id)
        anchor = _anchor(doc, "new", c.id)
        common: dict[str, object] = {"label": c.label, "depth": c.depth, "clause_kind": c.kind}
        marks = cues.get(anchor, ())
        if dd.old is None and change is None:
            rows.append(mk_row(anchor, "added", _plain(c, "insert", marks), side="new", **common))
        elif change is None:
            rows.append(mk_row(anchor, "same", _plain(c, cues=marks), **common))
        elif id(change) in done:
            pass  # a later part of a split: shown with its first part
        else:
            done.add(id(change))
            kind = change.kind
            notes: list[NoteLink] = []
            extra: list[str] = []
            side = "both"
            if kind == "added":
                segs = _plain(c, "insert", marks) if not change.ops else _change_segs(change, c, marks)
                side = "new"
            elif kind == "modified":
                segs = _change_segs(change, c, marks)
            elif kind in ("moved", "moved_modified"):
                moved_plain = kind == "moved" or not change.ops
                segs = _plain(c, cues=marks) if moved_plain else _change_segs(change, c, marks)
                side = "new" if kind == "moved" else "both"
                for old_id in change.old_ids:
                    notes.append(
                        NoteLink(
                            "moved from",
                            f"#{_anchor(doc, 'old', old_id)}",
                            old_where.get(old_id, ""),
                        )
                    )
            elif kind == "split":
                segs = _change_segs(change, None)
                extra = [_anchor(doc, "new", cid) for cid in change.new_ids if cid != c.id]
                extra += [_anchor(doc, "old", cid) for cid in change.old_ids]
                n = len(change.new_ids)
                notes.append(NoteLink(f"one clause split into {n}", "", ""))
            else:  # merged
                segs = _change_segs(change, c, marks)
                extra = [_anchor(doc, "old", cid) for cid in change.old_ids]
                notes.append(NoteLink(f"{len(change.old_ids)} clauses merged into one", "", ""))
            rows.append(
                mk_row(
                    anchor,
                    kind,
                    segs,
                    material=change.material,
                    side=side,
                    notes=notes,
                    extra_anchors=extra,
                    degraded=change.degraded,
                    **common,
                )
            )
        rows.extend(after.pop(c.id, []))
        return rows

    for section in base_doc.sections():
        level = section.level
        view = SectionView(
            section_id=section.id,
            anchor=_prefixed(doc, f"sec-{section.id}"),
            title=section.title,
            label=section.label,
            level=level,
            heading=min(6, heading_base + max(level - 1, 0)),
            change=sec_changes.get(section.id) if dd.old is not None else None,
        )
        rows: list[Row] = []
        if section is base_doc.root:
            rows.extend(after.pop(None, []))
        rows.extend(after.pop(f"\0{section.id}", []))
        for c in section.clauses:
            rows.extend(clause_rows(c))
        here = new_paths.get(section.id)
        for row in rows:
            if row.context is not None:
                row.context = None if row.context == here else _section_label(row.context)
        view.items = _with_folds(rows)
        view.own = sum(1 for r in rows if r.changed and r.material)
        sections.append(view)
    # anything not placed (a diff that names clauses the documents do not have) goes last
    leftovers = [row for rows in after.values() for row in rows]
    shown_new = {c.id for c in new_clauses}
    for ch in dd.changes:
        if dd.new is not None and ch.new_ids and id(ch) not in done and not set(ch.new_ids) & shown_new:
            segs = _change_segs(ch, None)
            anchor = _anchor(doc, "new", ch.new_ids[0])
            leftovers.append(mk_row(anchor, ch.kind, segs, material=ch.material, context=ch.new_section))
    if leftovers and sections:
        sections[-1].items.extend(_with_folds(leftovers))
        sections[-1].own += sum(1 for r in leftovers if r.changed and r.material)
    _subtree_totals(base_doc.root, {v.section_id: v for v in sections})

    by_kind: dict[str, int] = {}
    for ch in dd.changes:
        if ch.material:
            by_kind[ch.kind] = by_kind.get(ch.kind, 0) + 1
    outline = [
        Outline(s.anchor, s.title or "(beginning)", s.level, s.total if s.title else s.own)
        for s in sections
        if s.title or s.rows
    ]
    return DocView(
        name=dd.name,
        slug=doc or "",
        anchor=f"doc-{doc}" if doc is not None else "doc",
        status=status,
        old=dd.old,
        new=dd.new,
        sections=sections,
        material=sum(by_kind.values()),
        by_kind=by_kind,
        outline=outline,
    )


def _section_paths(document: Document) -> dict[str, str]:
    """Section id -> its title path joined with " > " (as ``ClauseChange.old_section`` has it)."""
    out: dict[str, str] = {}

    def visit(section: Section, trail: list[str]) -> None:
        here = [*trail, section.title] if section.title else trail
        out[section.id] = " > ".join(here)
        for child in section.sections:
            visit(child, here)

    visit(document.root, [])
    return out


def _with_folds(rows: list[Row]) -> list[Row | Fold]:
    """Rows with a fold marker before each run of unchanged (or presentation-only) rows."""
    items: list[Row | Fold] = []
    run: list[Row] = []
    for row in [*rows, None]:
        if row is None or (row.changed and row.material):
            if run:
                items.append(Fold(len(run), run[0].anchor))
                items.extend(run)
                run = []
            if row is not None:
                items.append(row)
        else:
            run.append(row)
    return items


def _subtree_totals(root: Section, views: Mapping[str, SectionView]) -> None:
    def visit(section: Section) -> int:
        view = views.get(section.id)
        total = (view.own if view else 0) + sum(visit(child) for child in section.sections)
        if view is not None:
            view.total = total
        return total

    visit(root)


# --------------------------------------------------------------------------- templates


@cache
def _env() -> jinja2.Environment:
    env = environment()
    env.globals["kind_label"] = KIND_LABEL
    env.filters["plural"] = _plural
    env.filters["utc"] = _fmt_time
    return env


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@cache
def _asset(name: str) -> str:
    loader = _env().loader
    assert loader is not None
    source, _, _ = loader.get_source(_env(), name)
    return source


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")
