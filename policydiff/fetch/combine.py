"""Documents of several pages (Open Terms Archive's ``combine``): all parts or nothing.

Each part is fetched like a one-page target (the browser included) and must be the document on
its own. The first part that fails fails the whole document, naming the part: a version is never
stored with a part missing. The parts' snapshots are packed, in order, into one multi-part
snapshot (:func:`policydiff.normalize.parts.pack_parts`): the evidence keeps every part's bytes,
URL and selectors, and normalize reads it back as one document whose parts keep their sections.
Parts are fetched one after another, without conditional requests (a 304 for one part says
nothing about the others).
"""

from __future__ import annotations

from datetime import UTC, datetime

import attrs
import httpx

from policydiff.fetch.browser import BrowserFetcher
from policydiff.fetch.config import FetchConfig
from policydiff.fetch.judge import Classifier, judge
from policydiff.fetch.politeness import HostScheduler
from policydiff.fetch.result import FetchResult
from policydiff.fetch.robots import RobotsRules
from policydiff.fetch.source import fetch_source
from policydiff.model import Snapshot
from policydiff.normalize.parts import pack_parts
from policydiff.targets import DocumentTarget

__all__ = ["fetch_combined"]


async def fetch_combined(
    client: httpx.AsyncClient,
    target: DocumentTarget,
    *,
    config: FetchConfig,
    scheduler: HostScheduler | None,
    browser: BrowserFetcher,
    robots: RobotsRules | None,
    known_sha256: str | None,
    classifier: Classifier | None = None,
) -> FetchResult:
    """Fetch every part of ``target`` in order; one snapshot of all of them, or the first failure."""
    sources = target.sources()
    snapshots: list[Snapshot] = []
    attempts = 0
    fetchers: set[str] = set()
    for index, source in enumerate(sources, 1):
        part = await fetch_source(
            client,
            target,
            source,
            config=config,
            validators=None,
            scheduler=scheduler,
            known_sha256=None,
            browser=browser,
            robots=robots,
            classifier=classifier,
        )
        attempts += part.attempts
        fetchers.add(part.fetcher)
        if part.failure is not None or part.snapshot is None:
            failure = part.failure
            assert failure is not None  # a result without a snapshot has a failure (no validators here)
            where = f"part {index} of {len(sources)} ({source.url})"
            failure = attrs.evolve(failure, message=f"{where}: {failure.message}")
            return attrs.evolve(part, failure=failure, attempts=attempts)
        snapshots.append(part.snapshot)
    packed, media_type = pack_parts(snapshots)
    snapshot = Snapshot(
        content=packed,
        url=target.url,
        final_url=target.url,
        fetched_at=datetime.now(UTC),
        headers={"content-type": media_type},
        media_type=media_type,
        service=target.service,
        document=target.document,
    )
    fetcher = "browser" if "browser" in fetchers else "http"
    result = await judge(
        target,
        snapshot,
        status=200,
        min_words=config.min_words,
        known_sha256=known_sha256,
        fetcher=fetcher,
        classifier=classifier,
    )
    return attrs.evolve(result, attempts=attempts)
