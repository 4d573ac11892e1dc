"""The redline page: a ``Comparison`` as one self-contained, offline, script-safe HTML file.

The page shows the consent findings first, then every document in order with a word-level redline.
All HTML comes from jinja2 templates with autoescaping; the modules beside this one only build plain
view values from the model (``views``: the values and element ids; ``cards``: the finding cards;
``document_view``: each document's sections and rows; ``redline``: text runs of word ops, links and
evidence), so document text never reaches the page unescaped. The page loads no resource of any kind:
CSS and JS are inlined, a Content-Security-Policy allows only those two inline blocks (by hash), so
even an escaping bug could not run injected script.
"""

from __future__ import annotations

import base64
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import PurePath

import jinja2
from markupsafe import Markup

from policydiff.model import Comparison, Document, DocumentDiff, SideInfo
from policydiff.render.cards import anchors_of, finding_groups, redline_cues
from policydiff.render.document_view import build_document
from policydiff.render.templating import environment
from policydiff.render.views import (
    KIND_LABEL,
    Page,
    Side,
    SideView,
    anchor_id,
    document_slug,
    safe_href,
)

__all__ = ["anchor_id", "document_slug", "iter_html", "render_html", "safe_href", "to_html"]

LARGE_PAGE_CHARS = 300_000  # above this much clause text, off-screen sections render lazily
CHUNK_CHARS = 1 << 16  # the template's many small pieces are handed on in runs of about this size


# --------------------------------------------------------------------------- public


def to_html(
    comparison: Comparison,
    *,
    back_link: str | None = None,
    acknowledged: Mapping[str, str] | None = None,
) -> str:
    """The comparison as one self-contained HTML page (findings, header, redline, inline CSS/JS).

    ``back_link``: a link shown at the top back to the page listing it (a watch report's index).
    ``acknowledged``: finding id -> its acknowledgement's note (``"reason (acknowledged by who)"``);
    those findings are still shown, marked as acknowledged."""
    return render_html(comparison, back_link=back_link, acknowledged=acknowledged)


def render_html(
    comparison: Comparison,
    *,
    csp: bool = True,
    back_link: str | None = None,
    acknowledged: Mapping[str, str] | None = None,
) -> str:
    """Like ``to_html``; ``csp=False`` drops the Content-Security-Policy (tests use it to prove that
    escaping alone, without the CSP safety net, keeps hostile text inert)."""
    return "".join(iter_html(comparison, csp=csp, back_link=back_link, acknowledged=acknowledged))


def iter_html(
    comparison: Comparison,
    *,
    csp: bool = True,
    back_link: str | None = None,
    acknowledged: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """``to_html``'s page as consecutive pieces of about ``CHUNK_CHARS`` characters each; joined,
    they are exactly ``to_html``'s string. Written one by one (``policydiff compare --format html
    -o FILE`` does), the whole page never exists as one string: at 5 MB a side it would be ~10
    million characters."""
    page = _build_page(comparison, acknowledged or {})
    css = _asset("report.css")
    js = _asset("report.js")
    policy = ""
    if csp:
        policy = (
            "default-src 'none'; "
            f"style-src '{_csp_hash(css)}'; script-src '{_csp_hash(js)}'; "
            "img-src data:; base-uri 'none'; form-action 'none'"
        )
    template = _env().get_template("report.html.j2")
    pieces = template.generate(page=page, css=Markup(css), js=Markup(js), csp=policy, back_link=back_link)
    run: list[str] = []
    size = 0
    for piece in pieces:
        run.append(piece)
        size += len(piece)
        if size >= CHUNK_CHARS:
            yield "".join(run)
            run.clear()
            size = 0
    if run:
        yield "".join(run)


# --------------------------------------------------------------------------- page


def _build_page(comparison: Comparison, acknowledged: Mapping[str, str]) -> Page:
    from policydiff._version import __version__

    bundle = comparison.bundle or len(comparison.documents) > 1
    slugs = _unique_slugs([d.name for d in comparison.documents]) if bundle else {}

    def doc_key(name: str | None) -> str | None:
        if not bundle:
            return None
        return slugs.get(name or "", document_slug(name or ""))

    present: set[str] = set()
    for dd in comparison.documents:
        present |= anchors_of(dd, doc_key(dd.name))
    groups = finding_groups(comparison, doc_key, present, acknowledged)
    # anchor -> findings flagged on it, known before rows are built so rows can carry them
    flags: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for group in groups:
        if group.anchor:
            flags[group.anchor].extend((item.number, item.finding.severity) for item in group.items)
    cues = redline_cues(comparison, doc_key)
    documents = [build_document(dd, doc_key(dd.name), flags, cues) for dd in comparison.documents]
    summary = comparison.summary
    categories: dict[str, int] = {}
    for f in comparison.findings:
        categories[f.category] = categories.get(f.category, 0) + 1
    text_size = sum(
        len(clause.text)
        for dd in comparison.documents
        for d in (dd.new or dd.old,)
        if d
        for clause in d.clauses()
    )
    return Page(
        large=text_size > LARGE_PAGE_CHARS,
        title=comparison.title or _default_title(comparison),
        subtitle=_subtitle(comparison),
        version=__version__,
        bundle=bundle,
        sides=[
            _side_view("Old", comparison.old, comparison.documents, "old"),
            _side_view("New", comparison.new, comparison.documents, "new"),
        ],
        documents=documents,
        groups=groups,
        findings=len(comparison.findings),
        severity_counts=[(s, summary.findings_by_severity.get(s, 0)) for s in ("high", "medium", "low")],
        categories=sorted(categories.items()),
        material=summary.material_changes,
        by_kind=sorted(summary.by_kind.items(), key=lambda kv: (-kv[1], kv[0])),
        acknowledged=sum(1 for g in groups for item in g.items if item.acknowledged),
    )


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


# --------------------------------------------------------------------------- header


def _fmt_time(value: datetime | None) -> str:
    if value is None:
        return "not recorded"
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%d %H:%M:%S UTC")


def _side_view(label: str, info: object, docs: Sequence[DocumentDiff], side: Side) -> SideView:

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


# --------------------------------------------------------------------------- templates


@cache
def _env() -> jinja2.Environment:
    env = environment()
    env.globals["kind_label"] = KIND_LABEL
    env.filters["utc"] = _fmt_time
    return env


@cache
def _asset(name: str) -> str:
    loader = _env().loader
    assert loader is not None
    source, _, _ = loader.get_source(_env(), name)
    return source


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")
