"""The timeline page: what changed across a corpus, from its tables, as one self-contained HTML file.

Per service and document, when each finding category first appeared and the sentence that made it,
with a link to that pair's redline; a chart of findings per category per quarter (inline SVG drawn
from ``chart``); the stance table (``stance``). Same rules as the redline page: jinja2 autoescaping
for every text, CSS inlined and allowed by hash in a Content-Security-Policy, nothing loaded.

Redlines are generated here, on demand, for the pairs the page links, from the normalized documents
in the output folder's cache (``OUTPUT/redlines/<pair id>.html``); a pair whose documents are not in
the cache gets no link.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import jinja2
from markupsafe import Markup

from policydiff import __version__
from policydiff.atomic import atomic_text
from policydiff.corpus.chart import Chart, build_chart, category_counts
from policydiff.corpus.stance import Stance, stance_table

__all__ = ["Page", "build_page", "render_timeline", "write_timeline"]

FINDING_COLUMNS = [
    "pair_id", "service", "document", "new_version", "new_date", "ordinal", "baseline", "rule", "category",
    "severity", "explanation", "old_text", "new_text", "evidence", "announced",
]  # fmt: skip


@attrs.frozen
class FirstSeen:
    """The first pair of a document's history in which a finding category appeared."""

    category: str
    severity: str
    date: str
    version: str
    rule: str
    explanation: str
    sentence: str
    pair_id: str
    redline: str | None = None  # relative link, when the redline could be made


@attrs.frozen
class DocumentView:
    service: str
    document: str
    pairs: int
    errors: int
    findings: int
    first_seen: tuple[FirstSeen, ...]  # by a change (the baseline left out)
    from_start: tuple[str, ...] = ()  # categories already found in the first version


@attrs.frozen
class Page:
    title: str
    generated: str
    version: str
    totals: Mapping[str, int]
    chart: Chart
    stances: tuple[Stance, ...]
    documents: tuple[DocumentView, ...]
    errors: tuple[tuple[str, str, str, str], ...]  # service, document, version, reason


def build_page(pairs: list[dict[str, Any]], findings: list[dict[str, Any]], *, title: str) -> Page:
    """The page's values from the rows of the pairs and findings tables (pure)."""
    by_document: dict[tuple[str, str], dict[str, Any]] = {}
    for row in pairs:
        entry = by_document.setdefault(
            (row["service"], row["document"]), {"pairs": 0, "errors": 0, "findings": 0}
        )
        entry["errors"] += row["error"] is not None
        if not row["baseline"]:
            entry["pairs"] += 1
            entry["findings"] += row["findings"] or 0
    first = _first_seen(f for f in findings if not f["baseline"])
    from_start: dict[tuple[str, str], set[str]] = {}
    for f in findings:
        if f["baseline"] and not f["announced"]:
            from_start.setdefault((f["service"], f["document"]), set()).add(f["category"])
    documents = tuple(
        DocumentView(
            service,
            document,
            counts["pairs"],
            counts["errors"],
            counts["findings"],
            tuple(sorted(first.get((service, document), {}).values(), key=lambda s: (s.date, s.category))),
            tuple(sorted(from_start.get((service, document), ()))),
        )
        for (service, document), counts in sorted(by_document.items())
    )
    errors = tuple(
        (r["service"], r["document"], r["new_version"], r["error"]) for r in pairs if r["error"] is not None
    )
    changes = [f for f in findings if not f["baseline"]]
    totals = {
        "services": len({s for s, _ in by_document}),
        "documents": len(by_document),
        "pairs": sum(1 for r in pairs if not r["baseline"]),
        "errors": len(errors),
        "findings": sum(1 for f in changes if not f["announced"]),
    }
    return Page(
        title=title,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        version=__version__,
        totals=totals,
        chart=build_chart(category_counts(changes)),
        stances=tuple(stance_table(findings)),
        documents=documents,
        errors=errors,
    )


def _first_seen(findings: Iterable[dict[str, Any]]) -> dict[tuple[str, str], dict[str, FirstSeen]]:
    """Per document, the earliest finding of each category."""
    first: dict[tuple[str, str], dict[str, FirstSeen]] = {}
    for f in sorted(findings, key=lambda f: (f["new_date"], f["pair_id"], f["ordinal"])):
        if f["announced"]:
            continue
        seen = first.setdefault((f["service"], f["document"]), {})
        if f["category"] not in seen:
            seen[f["category"]] = FirstSeen(
                f["category"], f["severity"], f["new_date"].date().isoformat(), f["new_version"], f["rule"],
                f["explanation"], f["new_text"] or f["old_text"] or "", f["pair_id"],
            )  # fmt: skip
    return first


def render_timeline(page: Page) -> str:
    """The page as one HTML document; CSS inline and allowed by its hash, no script at all."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("policydiff.corpus", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    assert env.loader is not None
    css, _, _ = env.loader.get_source(env, "timeline.css")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    csp = (
        f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    return env.get_template("timeline.html.j2").render(page=page, css=Markup(css), csp=csp)


def write_timeline(
    output: str | os.PathLike[str], target: str | os.PathLike[str] | None = None, *, redlines: bool = True
) -> tuple[Path, Path]:
    """Read the tables of ``output``, write the timeline page (default ``OUTPUT/timeline.html``), the
    stance table as CSV beside it, and the redlines it links. Returns the page's and the CSV's paths."""
    from policydiff.corpus.partitions import read_table
    from policydiff.corpus.stance import stance_csv

    out = Path(output)
    pairs = read_table(out, "pairs").to_pylist()
    findings = read_table(out, "findings").select(FINDING_COLUMNS).to_pylist()
    page = build_page(pairs, findings, title=out.resolve().name)
    path = Path(target) if target is not None else out / "timeline.html"
    if redlines:
        page = attrs.evolve(page, documents=tuple(_with_redlines(out, page.documents, pairs, path.parent)))
    atomic_text(path, render_timeline(page), durable=False)
    csv_path = path.with_name(f"{path.stem}-stance.csv") if target is not None else out / "stance.csv"
    atomic_text(csv_path, stance_csv(page.stances), durable=False)
    return path, csv_path


def _with_redlines(
    out: Path, documents: Iterable[DocumentView], pairs: list[dict[str, Any]], page_dir: Path
) -> Iterable[DocumentView]:
    from policydiff.corpus.cache import DocumentCache

    cache = DocumentCache(out / "cache")
    by_id = {row["pair_id"]: row for row in pairs}
    made: dict[str, str | None] = {}
    for view in documents:
        linked = []
        for seen in view.first_seen:
            if seen.pair_id not in made:
                made[seen.pair_id] = _redline(out, cache, by_id[seen.pair_id], page_dir)
            linked.append(attrs.evolve(seen, redline=made[seen.pair_id]))
        yield attrs.evolve(view, first_seen=tuple(linked))


def _redline(out: Path, cache: Any, pair: Mapping[str, Any], page_dir: Path) -> str | None:
    """The redline of ``pair`` (made now unless already there), as a link relative to the page."""
    from policydiff.compare import compare

    path = out / "redlines" / f"{pair['pair_id']}.html"
    if not path.is_file():
        old, new = cache.find(pair["old_sha256"] or ""), cache.find(pair["new_sha256"] or "")
        if old is None or new is None:
            return None
        title = f"{pair['service']} — {pair['document']}"
        atomic_text(path, compare(old, new, name=pair["document"], title=title).to_html(), durable=False)
    return Path(os.path.relpath(path.resolve(), page_dir.resolve())).as_posix()
