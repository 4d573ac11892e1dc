"""From a final response to a result: the snapshot as evidence, then "is it the document?"."""

from __future__ import annotations

import asyncio
import functools
import threading
from datetime import UTC, datetime

import attrs

from policydiff.fetch.classify import classify
from policydiff.fetch.media import media_type_of
from policydiff.fetch.result import FetchFailure, FetchResult, Response
from policydiff.model import Document, Snapshot
from policydiff.targets import DocumentTarget, Part

__all__ = ["declared_media_type", "judge", "snapshot_of"]

_CLASSIFY_LOCK = threading.Lock()


def snapshot_of(target: DocumentTarget, source: Part, response: Response) -> Snapshot:
    """The response as a snapshot of ``target``: bytes, URLs, headers, time, selectors."""
    return Snapshot(
        content=response.body,
        url=source.url,
        final_url=response.url,
        fetched_at=datetime.now(UTC),
        headers=response.headers,
        media_type=declared_media_type(target, media_type_of(response.headers, response.body)),
        service=target.service,
        document=target.document,
        selectors=source.select,
        remove_selectors=source.remove,
    )


_FORMAT_MEDIA = {
    "html": "text/html",
    "markdown": "text/markdown",
    "text": "text/plain",
    "pdf": "application/pdf",
}


def declared_media_type(target: DocumentTarget, media_type: str) -> str:
    """The target's ``format`` overrides the server's type (Markdown served as text/plain), charset kept."""
    if target.format is None:
        return media_type
    charset = [p.strip() for p in media_type.split(";")[1:] if p.strip().lower().startswith("charset=")]
    return "; ".join([_FORMAT_MEDIA[target.format], *charset])


async def judge(
    target: DocumentTarget,
    snapshot: Snapshot,
    *,
    status: int,
    min_words: int,
    known_sha256: str | None = None,
    fetcher: str = "http",
) -> FetchResult:
    """Classify ``snapshot`` (off the event loop); bytes equal to ``known_sha256`` are not re-judged."""
    if known_sha256 is not None and snapshot.sha256 == known_sha256:
        return FetchResult(target, snapshot, None, unchanged_bytes=True, fetcher=fetcher)
    failure, document = await asyncio.to_thread(functools.partial(_classify_serial, snapshot, min_words))
    if failure is not None:
        failure = attrs.evolve(failure, status=failure.status or status)
        return FetchResult(target, None, failure, rejected=snapshot, fetcher=fetcher)
    return FetchResult(target, snapshot, None, document=document, fetcher=fetcher)


def _classify_serial(snapshot: Snapshot, min_words: int) -> tuple[FetchFailure | None, Document | None]:
    """:func:`classify` off the event loop, one at a time (CPU-bound anyway; normalize's lazily
    loaded parts are never initialised by two threads at once)."""
    with _CLASSIFY_LOCK:
        return classify(snapshot, min_words=min_words)
