"""One URL of a target: plain HTTP first, the browser when the target asks or the fetch is blocked.

robots.txt is asked first (:mod:`policydiff.fetch.robots`). The browser is a fallback (when
``FetchConfig.browser_fallback`` is on) after a plain fetch that was blocked (403, 406, or a bot
challenge: served with 200, 403, 429 or 503) or whose selectors found no text
(``selector_missing``, ``empty``, ``too_short``: a page built by JavaScript).
"""

from __future__ import annotations

import contextlib
from typing import Any

import attrs
import httpx

from policydiff.fetch.browser import BrowserFetcher
from policydiff.fetch.caps import Abort
from policydiff.fetch.config import FetchConfig, Validators
from policydiff.fetch.http import fetch_http
from policydiff.fetch.judge import Classifier, judge, snapshot_of
from policydiff.fetch.politeness import HostScheduler
from policydiff.fetch.result import FetchFailure, FetchResult
from policydiff.fetch.robots import RobotsRules
from policydiff.targets import DocumentTarget, Part

__all__ = ["fetch_source", "needs_browser"]

_FALLBACK_REASONS = frozenset({"not_document", "selector_missing", "empty", "too_short"})
_FALLBACK_STATUS = frozenset({403, 406})


def needs_browser(result: FetchResult) -> bool:
    """Whether a plain fetch's failure is one a browser may get past."""
    failure = result.failure
    if failure is None:
        return False
    return failure.reason in _FALLBACK_REASONS or (
        failure.reason == "http_error" and failure.status in _FALLBACK_STATUS
    )


async def fetch_source(
    client: httpx.AsyncClient,
    target: DocumentTarget,
    source: Part,
    *,
    config: FetchConfig,
    validators: Validators | None,
    scheduler: HostScheduler | None,
    known_sha256: str | None,
    browser: BrowserFetcher,
    robots: RobotsRules | None,
    classifier: Classifier | None = None,
) -> FetchResult:
    """One URL of ``target``: by browser when the target asks, else plainly with the browser as fallback.

    ``robots`` (unless the target ignores robots.txt) may refuse the URL before any request;
    ``classifier`` judges what came back (see :mod:`policydiff.fetch.judge`).
    """
    if robots is not None and target.robots != "ignore":
        refusal = await robots.refusal(source.url)
        if refusal is not None:
            return FetchResult(target, None, refusal, attempts=0)
    if target.browser:
        return await _by_browser(browser, target, source, config, scheduler, known_sha256, classifier)
    plain = await _by_http(client, target, source, config, validators, scheduler, known_sha256, classifier)
    if not (config.browser_fallback and needs_browser(plain)):
        return plain
    assert plain.failure is not None  # needs_browser holds only for failures
    second = await _by_browser(browser, target, source, config, scheduler, known_sha256, classifier)
    attempts = plain.attempts + second.attempts
    if second.failure is None:
        return attrs.evolve(second, attempts=attempts)
    if second.failure.reason == "browser_unavailable":  # the plain answer stands, with the hint
        hint = f"{plain.failure.message} (a browser might get past it: {second.failure.message})"
        return attrs.evolve(plain, failure=attrs.evolve(plain.failure, message=hint), attempts=attempts)
    message = f"{second.failure.message} (the plain fetch: {plain.failure.message})"
    return attrs.evolve(second, failure=attrs.evolve(second.failure, message=message), attempts=attempts)


async def _by_http(
    client: httpx.AsyncClient,
    target: DocumentTarget,
    source: Part,
    config: FetchConfig,
    validators: Validators | None,
    scheduler: HostScheduler | None,
    known_sha256: str | None,
    classifier: Classifier | None,
) -> FetchResult:
    headers = target.request_headers()
    if validators:
        headers.update(validators.request_headers())
    outcome, attempts = await fetch_http(
        client, source.url, headers, config=config, scheduler=scheduler, allow_internal=target.allow_internal
    )
    if isinstance(outcome, FetchFailure):
        return FetchResult(target, None, outcome, attempts=attempts)
    if outcome.status == 304:
        if validators:
            return FetchResult(target, None, None, not_modified=True, attempts=attempts)
        unexpected = FetchFailure("http_error", "304 Not Modified to a request that was not conditional", 304)
        return FetchResult(target, None, unexpected, attempts=attempts)
    snapshot = snapshot_of(target, source, outcome)
    result = await judge(
        target,
        snapshot,
        status=outcome.status,
        min_words=config.min_words,
        known_sha256=known_sha256,
        classifier=classifier,
    )
    return attrs.evolve(result, attempts=attempts)


async def _by_browser(
    browser: BrowserFetcher,
    target: DocumentTarget,
    source: Part,
    config: FetchConfig,
    scheduler: HostScheduler | None,
    known_sha256: str | None,
    classifier: Classifier | None,
) -> FetchResult:
    slot: contextlib.AbstractAsyncContextManager[Any] = (
        scheduler.slot(source.url) if scheduler else contextlib.nullcontext()
    )
    try:
        async with slot:
            response = await browser.fetch(
                source.url, target.request_headers(), source.select, allow_internal=target.allow_internal
            )
    except Abort as abort:
        rejected = snapshot_of(target, source, abort.evidence) if abort.evidence is not None else None
        return FetchResult(target, None, abort.failure, fetcher="browser", rejected=rejected)
    snapshot = snapshot_of(target, source, response)
    return await judge(
        target,
        snapshot,
        status=response.status,
        min_words=config.min_words,
        known_sha256=known_sha256,
        fetcher="browser",
        classifier=classifier,
    )
