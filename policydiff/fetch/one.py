"""One target: its single page, or its parts (:mod:`policydiff.fetch.combine`), one result."""

from __future__ import annotations

import contextlib
import time

import attrs
import httpx

from policydiff.fetch.browser import BrowserFetcher
from policydiff.fetch.combine import fetch_combined
from policydiff.fetch.config import DEFAULT_CONFIG, FetchConfig, Validators
from policydiff.fetch.judge import Classifier
from policydiff.fetch.politeness import HostScheduler
from policydiff.fetch.result import FetchResult
from policydiff.fetch.robots import RobotsRules
from policydiff.fetch.source import fetch_source
from policydiff.targets import DocumentTarget

__all__ = ["fetch_one"]


async def fetch_one(
    client: httpx.AsyncClient,
    target: DocumentTarget,
    *,
    config: FetchConfig = DEFAULT_CONFIG,
    validators: Validators | None = None,
    scheduler: HostScheduler | None = None,
    known_sha256: str | None = None,
    browser: BrowserFetcher | None = None,
    robots: RobotsRules | None = None,
    classifier: Classifier | None = None,
) -> FetchResult:
    """Fetch ``target`` and classify what came back. Never raises for network trouble.

    ``client`` should come from :func:`~policydiff.fetch.http.make_client`. ``scheduler``
    enforces per-host politeness when several fetches share it. When the body's SHA-256 equals
    ``known_sha256`` (the latest stored version, fetched with the same selectors), it is returned
    without classifying it again (``unchanged_bytes``). ``browser`` renders pages that need it;
    without one, a browser is started for this target only when it needs one. ``robots`` holds
    the run's robots.txt rules (read here for this target alone when not given and
    ``config.obey_robots``). ``classifier`` judges the pages (by default one for this target,
    in a worker process when ``config.budget`` is set).
    """
    start = time.monotonic()
    async with contextlib.AsyncExitStack() as stack:
        if browser is None:
            browser = await stack.enter_async_context(BrowserFetcher(config))  # started only if used
        if classifier is None:
            classifier = Classifier(config.budget)
            stack.callback(classifier.close)
        if robots is None and config.obey_robots:
            robots = RobotsRules(client, config, scheduler)
        if len(target.sources()) > 1:
            result = await fetch_combined(
                client,
                target,
                config=config,
                scheduler=scheduler,
                browser=browser,
                robots=robots,
                known_sha256=known_sha256,
                classifier=classifier,
            )
        else:
            result = await fetch_source(
                client,
                target,
                target.sources()[0],
                config=config,
                validators=validators,
                scheduler=scheduler,
                known_sha256=known_sha256,
                browser=browser,
                robots=robots,
                classifier=classifier,
            )
    return attrs.evolve(result, elapsed=time.monotonic() - start)
