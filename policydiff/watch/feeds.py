"""Atom feeds of recorded changes and fetch failures, with ids that never change.

A change's id is a tag URI over the service, the document and the SHA-256 of the version's raw bytes
(``tag:policydiff.invalid,2024:SERVICE/DOCUMENT/SHA256``); a document that starts failing or recovers
gets ``.../failing/<since>`` or ``.../recovered/<when>``. So a feed reader sees each event once
however often the feed is rebuilt. ``feed_entries`` reads the store; ``render_feed`` is pure.

A document that is still failing gets a reminder, not an entry per run: when it has failed for 1
day, 7 days, 30 days, then every 30 days (``still_failing_entry``), with the id
``.../still-failing/<since>/<days>d``. A feed holds only the latest reminder of a streak; a reader
sees each once, and the reminders stop when the document recovers. A run up to an hour short of a
full day counts as that day, so a nightly job's jitter does not push a reminder back by a night.

Links are absolute with a base URL (``--base-url``); without one they are relative to the feed's own
location (``feeds/<service>.atom`` links to ``../changes/...``), so they work wherever the report
folder is published. Every feed names itself with ``rel="self"``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Literal
from urllib.parse import quote
from xml.etree import ElementTree as ET

import attrs

from policydiff.errors import StoreError
from policydiff.render import plural
from policydiff.severity import describe_counts
from policydiff.store import Assessment, FetchEvent, Store, Version

__all__ = [
    "FeedEntry",
    "entry_id",
    "feed_entries",
    "href",
    "reminder_days",
    "render_feed",
    "still_failing_entry",
]

ATOM_NS = "http://www.w3.org/2005/Atom"
TAG_PREFIX = "tag:policydiff.invalid,2024:"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
MAX_ENTRIES = 200
INDEX = "index.html"
REMINDER_DAYS = (1, 7, 30)  # then every REMINDER_EVERY days
REMINDER_EVERY = 30
REMINDER_SLACK = timedelta(hours=1)  # a run this much short of a full day counts (cron jitter)


@attrs.frozen
class FeedEntry:
    """One change (or fetch failure, or recovery) as a feed shows it."""

    service: str
    document: str
    sha256: str
    version: str
    fetched_at: datetime
    title: str
    summary: str
    link: str | None = None  # relative to the report folder
    kind: Literal["change", "failing", "still_failing", "recovered"] = "change"
    id: str = ""


def entry_id(service: str, document: str, sha256: str) -> str:
    """The stable Atom id of a change: a tag URI over service, document and content hash."""
    return f"{TAG_PREFIX}{_quoted(service)}/{_quoted(document)}/{sha256}"


def _quoted(name: str) -> str:
    return quote(name, safe="", errors="surrogatepass")  # never raises, even on a lone surrogate


def href(path: str, *, base_url: str | None, here: str) -> str:
    """A link to ``path`` (relative to the report folder) from the file ``here`` (same terms)."""
    if base_url:
        return base_url + path
    return posixpath.relpath(path, posixpath.dirname(here) or ".")


def _change_entry(version: Version, assessment: Assessment) -> FeedEntry:
    service, document = version.service, version.document
    findings = describe_counts(assessment.findings_by_severity)
    changes = plural(assessment.material_changes, "material change")
    lines = [f"{changes}, {findings}.", *assessment.explanations]
    title = assessment.title or f"{service} — {document}"
    return FeedEntry(
        service=service,
        document=document,
        sha256=version.sha256,
        version=version.id,
        fetched_at=version.fetched_at,
        title=f"{title} changed: {findings}",
        summary="\n".join(lines),
        link=assessment.report,
        id=entry_id(service, document, version.sha256),
    )


def _event_entry(service: str, document: str, event: FetchEvent, title: str) -> FeedEntry:
    since = event.since.strftime("%Y-%m-%d %H:%M UTC")
    if event.kind == "failing":
        heading = f"{title}: fetching fails ({event.reason})"
        text = f"Fetching fails since {since}: {event.message or event.reason}. The last good version stays."
        stamp = event.since
    else:
        heading = f"{title}: fetching works again"
        text = f"Fetching works again; it had failed since {since} ({event.reason})."
        stamp = event.at
    key = f"{quote(service, safe='')}/{quote(document, safe='')}"
    return FeedEntry(
        service=service,
        document=document,
        sha256="",
        version="",
        fetched_at=event.at,
        title=heading,
        summary=text,
        link=INDEX,
        kind=event.kind,
        id=f"{TAG_PREFIX}{key}/{event.kind}/{stamp.isoformat()}",
    )


def reminder_days(since: datetime, at: datetime) -> int | None:
    """The latest reminder (in days) a streak failing since ``since`` has reached at ``at``, if any."""
    days = (at - since + REMINDER_SLACK).days
    reached = [d for d in REMINDER_DAYS if d <= days]
    if days >= REMINDER_DAYS[-1]:
        reached.append(days // REMINDER_EVERY * REMINDER_EVERY)
    return max(reached, default=None)


def still_failing_entry(
    service: str, document: str, title: str, since: datetime, at: datetime, reason: str | None
) -> FeedEntry | None:
    """The reminder for a document failing since ``since``, as of the run at ``at`` (None: too early)."""
    days = reminder_days(since, at)
    if days is None:
        return None
    when = since.strftime("%Y-%m-%d %H:%M UTC")
    key = f"{quote(service, safe='')}/{quote(document, safe='')}"
    return FeedEntry(
        service=service,
        document=document,
        sha256="",
        version="",
        fetched_at=since + timedelta(days=days) - REMINDER_SLACK,
        title=f"{title}: fetching still fails after {plural(days, 'day')}",
        summary=(
            f"Fetching has failed since {when} ({reason or 'failed'}). The last good version stays; "
            "the next reminder follows if it still fails."
        ),
        link=INDEX,
        kind="still_failing",
        id=f"{TAG_PREFIX}{key}/still-failing/{since.isoformat()}/{days}d",
    )


def feed_entries(
    store: Store,
    *,
    pending: Sequence[tuple[Version, Assessment]] = (),
    pending_events: Sequence[tuple[str, str, FetchEvent]] = (),
    reminders: Sequence[FeedEntry] = (),
    titles: Mapping[str, str] | None = None,
    limit: int = MAX_ENTRIES,
) -> list[FeedEntry]:
    """Every assessed change and fetch event in the store plus pending ones and this run's
    ``reminders`` (still failing documents), newest first, at most ``limit``.

    ``titles`` maps ``service/document`` to a display name for fetch events.
    """
    names = dict(titles or {})
    found: list[tuple[Version, Assessment]] = list(pending)
    seen = {(v.service, v.document, v.id) for v, _ in pending}
    entries: list[FeedEntry] = []
    for service, document in store.documents(tracked=True):
        title = names.get(f"{service}/{document}", f"{service} — {document}")
        try:
            mine = _assessed(store, service, document, seen)
            events = [
                _event_entry(service, document, e, title) for e in store.fetch_events(service, document)
            ]
        except StoreError:  # damaged files cost their document its feed entries, not the feed
            continue  # (the run reports the damage for that document; verify names the file)
        found.extend(mine)
        entries.extend(events)
    for service, document, event in pending_events:
        title = names.get(f"{service}/{document}", f"{service} — {document}")
        entries.append(_event_entry(service, document, event, title))
    entries.extend(_change_entry(version, assessment) for version, assessment in found)
    entries.extend(reminders)
    entries.sort(key=lambda e: (e.fetched_at, e.id), reverse=True)
    return entries[:limit]


def _assessed(
    store: Store, service: str, document: str, seen: set[tuple[str, str, str]]
) -> list[tuple[Version, Assessment]]:
    found: list[tuple[Version, Assessment]] = []
    for version in store.versions(service, document):
        if (service, document, version.id) not in seen:
            assessment = store.assessment(version)
            if assessment is not None:
                found.append((version, assessment))
    return found


def xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 forbids (C0 controls but tab and newlines, lone
    surrogates, U+FFFE/U+FFFF) replaced by U+FFFD: ElementTree would write them raw, and a feed
    holding one is not XML (a control character in a service name broke 2 of 144 feeds)."""
    return _NOT_XML.sub("\ufffd", text)


def render_feed(
    entries: Sequence[FeedEntry],
    *,
    title: str,
    feed_key: str,
    updated: datetime,
    path: str = "feed.atom",
    base_url: str | None = None,
) -> str:
    """An Atom 1.0 document for ``entries``, to be written at ``path`` in the report folder."""
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    title = xml_text(title)
    ET.SubElement(feed, f"{{{ATOM_NS}}}id").text = f"{TAG_PREFIX}feed/{_quoted(feed_key)}"
    ET.SubElement(feed, f"{{{ATOM_NS}}}title").text = title
    newest = max((e.fetched_at for e in entries), default=updated)
    ET.SubElement(feed, f"{{{ATOM_NS}}}updated").text = newest.isoformat()
    link = {"rel": "self", "type": "application/atom+xml", "href": href(path, base_url=base_url, here=path)}
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", link)
    index = href(INDEX, base_url=base_url, here=path)
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", {"rel": "alternate", "type": "text/html", "href": index})
    author = ET.SubElement(feed, f"{{{ATOM_NS}}}author")
    ET.SubElement(author, f"{{{ATOM_NS}}}name").text = "policydiff"
    ET.SubElement(feed, f"{{{ATOM_NS}}}generator").text = "policydiff"
    for entry in entries:
        item = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
        ET.SubElement(item, f"{{{ATOM_NS}}}id").text = entry.id or entry_id(
            entry.service, entry.document, entry.sha256
        )
        ET.SubElement(item, f"{{{ATOM_NS}}}title").text = xml_text(entry.title)
        ET.SubElement(item, f"{{{ATOM_NS}}}updated").text = entry.fetched_at.isoformat()
        if entry.link:
            target = xml_text(href(entry.link, base_url=base_url, here=path))
            ET.SubElement(item, f"{{{ATOM_NS}}}link", {"rel": "alternate", "href": target})
        ET.SubElement(item, f"{{{ATOM_NS}}}summary", {"type": "text"}).text = xml_text(entry.summary)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
