"""Atom feeds of recorded changes: one entry per new version, with an id that never changes.

Entry ids are tag URIs built from the service, the document and the SHA-256 of the version's raw
bytes (``tag:policydiff.invalid,2024:SERVICE/DOCUMENT/SHA256``), so a feed reader sees each change
once however often the feed is rebuilt. ``feed_entries`` reads the store; ``render_feed`` is pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from urllib.parse import quote
from xml.etree import ElementTree as ET

import attrs

from policydiff.store import Assessment, Store, Version

__all__ = ["FeedEntry", "entry_id", "feed_entries", "render_feed"]

ATOM_NS = "http://www.w3.org/2005/Atom"
TAG_PREFIX = "tag:policydiff.invalid,2024:"
MAX_ENTRIES = 200


@attrs.frozen
class FeedEntry:
    """One change as a feed shows it."""

    service: str
    document: str
    sha256: str
    version: str
    fetched_at: datetime
    title: str
    summary: str
    link: str | None = None  # relative to the report folder


def entry_id(service: str, document: str, sha256: str) -> str:
    """The stable Atom id of a change: a tag URI over service, document and content hash."""
    return f"{TAG_PREFIX}{quote(service, safe='')}/{quote(document, safe='')}/{sha256}"


def feed_entries(
    store: Store, *, pending: Sequence[tuple[Version, Assessment]] = (), limit: int = MAX_ENTRIES
) -> list[FeedEntry]:
    """Every assessed change in the store plus ``pending`` ones (newest first, at most ``limit``)."""
    entries: list[FeedEntry] = []
    found: list[tuple[Version, Assessment]] = list(pending)
    seen = {(v.service, v.document, v.id) for v, _ in pending}
    for service, document in store.documents():
        for version in store.versions(service, document):
            if (service, document, version.id) in seen:
                continue
            assessment = store.assessment(version)
            if assessment is not None:
                found.append((version, assessment))
    for version, assessment in found:
        service, document = version.service, version.document
        counts = assessment.findings_by_severity
        findings = (
            f"{assessment.findings} findings ({counts.get('high', 0)} high, "
            f"{counts.get('medium', 0)} medium, {counts.get('low', 0)} low)"
        )
        lines = [f"{assessment.material_changes} material change(s), {findings}.", *assessment.explanations]
        title = assessment.title or f"{service} — {document}"
        entries.append(
            FeedEntry(
                service=service,
                document=document,
                sha256=version.sha256,
                version=version.id,
                fetched_at=version.fetched_at,
                title=f"{title} changed: {findings}",
                summary="\n".join(lines),
                link=assessment.report,
            )
        )
    entries.sort(key=lambda e: (e.fetched_at, e.version), reverse=True)
    return entries[:limit]


def render_feed(
    entries: Sequence[FeedEntry], *, title: str, feed_key: str, updated: datetime, base: str = ""
) -> str:
    """An Atom 1.0 document for ``entries``; links are relative to ``base`` (the report folder)."""
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    ET.SubElement(feed, f"{{{ATOM_NS}}}id").text = f"{TAG_PREFIX}feed/{quote(feed_key, safe='')}"
    ET.SubElement(feed, f"{{{ATOM_NS}}}title").text = title
    newest = max((e.fetched_at for e in entries), default=updated)
    ET.SubElement(feed, f"{{{ATOM_NS}}}updated").text = newest.isoformat()
    author = ET.SubElement(feed, f"{{{ATOM_NS}}}author")
    ET.SubElement(author, f"{{{ATOM_NS}}}name").text = "policydiff"
    ET.SubElement(feed, f"{{{ATOM_NS}}}generator").text = "policydiff"
    for entry in entries:
        item = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
        ET.SubElement(item, f"{{{ATOM_NS}}}id").text = entry_id(entry.service, entry.document, entry.sha256)
        ET.SubElement(item, f"{{{ATOM_NS}}}title").text = entry.title
        ET.SubElement(item, f"{{{ATOM_NS}}}updated").text = entry.fetched_at.isoformat()
        if entry.link:
            ET.SubElement(item, f"{{{ATOM_NS}}}link", {"rel": "alternate", "href": base + entry.link})
        ET.SubElement(item, f"{{{ATOM_NS}}}summary", {"type": "text"}).text = entry.summary
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
