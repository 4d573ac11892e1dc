"""From a final response to a result: the snapshot as evidence, then "is it the document?".

Classifying (the whole-page checks and ``normalize``) is CPU work on text a website chose. A
``Classifier`` runs it one page at a time, in this process or, with a budget
(``FetchConfig.budget``), in a worker process stopped at the deadline (``policydiff.budget``): a
pathological page then becomes that target's ``budget`` failure ("took longer than N s") and the
other targets are fetched and judged as usual.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from datetime import UTC, datetime

import attrs

from policydiff.budget import Budget
from policydiff.errors import BudgetError
from policydiff.fetch.classify import classify
from policydiff.fetch.media import media_type_of
from policydiff.fetch.result import FetchFailure, FetchResult, Response
from policydiff.model import Document, Snapshot
from policydiff.targets import DocumentTarget, Part

__all__ = ["Classifier", "declared_media_type", "judge", "snapshot_of"]


class Classifier:
    """Classifies snapshots one at a time: here (``seconds`` 0), or in a worker process stopped
    after ``seconds`` (one worker for the run; :meth:`close` stops it)."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.seconds = seconds
        self._budget = Budget(seconds, preload=("policydiff.normalize.warm",)) if seconds else None
        self._lock = threading.Lock()  # normalize's lazily loaded parts: never two threads at once

    def classify(self, snapshot: Snapshot, min_words: int) -> tuple[FetchFailure | None, Document | None]:
        with self._lock:
            if self._budget is None:
                return classify(snapshot, min_words=min_words)
            what = f"classifying {snapshot.final_url or snapshot.url or 'the page'}"
            try:
                return self._budget.run(classify, snapshot, min_words=min_words, what=what)
            except BudgetError as exc:
                return FetchFailure("budget", str(exc)), None

    def close(self) -> None:
        if self._budget is not None:
            self._budget.close()


_IN_PROCESS = Classifier()  # for callers without a run's classifier


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
    classifier: Classifier | None = None,
) -> FetchResult:
    """Classify ``snapshot`` (off the event loop, by ``classifier``); bytes equal to ``known_sha256``
    are not re-judged."""
    if known_sha256 is not None and snapshot.sha256 == known_sha256:
        return FetchResult(target, snapshot, None, unchanged_bytes=True, fetcher=fetcher)
    run = (classifier or _IN_PROCESS).classify
    failure, document = await asyncio.to_thread(functools.partial(run, snapshot, min_words))
    if failure is not None:
        failure = attrs.evolve(failure, status=failure.status or status)
        return FetchResult(target, None, failure, rejected=snapshot, fetcher=fetcher)
    return FetchResult(target, snapshot, None, document=document, fetcher=fetcher)
