"""A run: every target fetched politely and concurrently, one result each, never raising."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping, Sequence

from policydiff.fetch.browser import BrowserFetcher
from policydiff.fetch.config import DEFAULT_CONFIG, FetchConfig, Validators
from policydiff.fetch.http import make_client
from policydiff.fetch.judge import Classifier
from policydiff.fetch.one import fetch_one
from policydiff.fetch.politeness import HostScheduler
from policydiff.fetch.result import FetchFailure, FetchResult
from policydiff.fetch.robots import RobotsRules
from policydiff.targets import DocumentTarget

__all__ = ["fetch_all", "fetch_all_sync"]

log = logging.getLogger(__name__)


async def fetch_all(
    targets: Sequence[DocumentTarget],
    *,
    config: FetchConfig = DEFAULT_CONFIG,
    validators: Mapping[str, Validators] | None = None,
    on_result: Callable[[FetchResult], None] | None = None,
    known_sha256: Mapping[str, str] | None = None,
) -> list[FetchResult]:
    """Fetch every target politely; one :class:`FetchResult` per target, in the targets' order.

    ``validators`` maps ``DocumentTarget.key`` to the previous version's validators;
    ``known_sha256`` maps it to the SHA-256 of the latest stored content (see :func:`fetch_one`).
    ``on_result`` is called (in the event loop) as each target finishes, e.g. for a progress bar.
    robots.txt is read once per site and obeyed (``config.obey_robots``; targets may opt out).
    One browser serves every target that needs one; it starts on first use and is closed
    when the run ends, however it ends. Pages are classified one at a time, with
    ``config.budget`` in one worker process for the run (a page past the budget fails alone).
    """
    scheduler = HostScheduler(host_delay=config.host_delay, concurrency=config.concurrency)
    validators = validators or {}
    known = known_sha256 or {}
    classifier = Classifier(config.budget)
    async with make_client(config) as client, BrowserFetcher(config) as browser:
        robots = RobotsRules(client, config, scheduler) if config.obey_robots else None

        async def run(target: DocumentTarget) -> FetchResult:
            start = time.monotonic()
            try:
                result = await fetch_one(
                    client,
                    target,
                    config=config,
                    validators=validators.get(target.key),
                    scheduler=scheduler,
                    known_sha256=known.get(target.key),
                    browser=browser,
                    robots=robots,
                    classifier=classifier,
                )
            except Exception as exc:  # a bug must not cost the rest of the run; report it per target
                log.exception("fetching %s failed unexpectedly", target.url)
                failure = FetchFailure("internal_error", f"unexpected error: {type(exc).__name__}: {exc}")
                result = FetchResult(target, None, failure, elapsed=time.monotonic() - start)
            if on_result is not None:
                on_result(result)
            return result

        try:
            return list(await asyncio.gather(*(run(t) for t in targets)))
        finally:
            await asyncio.to_thread(classifier.close)  # waits for a classification still running


def fetch_all_sync(
    targets: Sequence[DocumentTarget],
    *,
    config: FetchConfig = DEFAULT_CONFIG,
    validators: Mapping[str, Validators] | None = None,
    on_result: Callable[[FetchResult], None] | None = None,
    known_sha256: Mapping[str, str] | None = None,
) -> list[FetchResult]:
    """:func:`fetch_all` for callers without an event loop."""
    return asyncio.run(
        fetch_all(
            targets, config=config, validators=validators, on_result=on_result, known_sha256=known_sha256
        )
    )
