"""Fetch documents politely and safely, and recognise responses that are not the document.

Every target yields a :class:`FetchResult`: a :class:`~policydiff.model.Snapshot` when the
response is the document, a :class:`FetchFailure` with a stable ``reason`` code when it is not
(HTTP error, block or challenge page, cookie wall, login page, empty or far-too-short extraction,
selector no longer matching ...), or ``not_modified`` after a 304 to a conditional request. A
failure is never a Snapshot, so it can never become a stored version or a false change.

Safety and politeness (all set in :class:`FetchConfig`):

- timeouts per network operation and a total deadline per attempt (a slow-drip body cannot hang);
- bounded retries with exponential backoff for transient failures: connection errors, timeouts,
  429 and 5xx, honouring ``Retry-After`` up to ``max_retry_after`` (and delaying the whole host);
- conditional requests from :class:`Validators` (``If-None-Match``/``If-Modified-Since``);
- the raw body is capped at ``max_bytes`` while streaming, and gzip/deflate are decoded here in
  bounded pieces so the decoded size is capped at ``max_decompressed_bytes`` (a gzip bomb stops
  at the cap, never exhausting memory); ``Snapshot.content`` holds the decoded bytes;
- at most ``max_redirects`` redirects, none into an internal address (loopback, private,
  link-local, cloud metadata; checked on the resolved and the connected address of each hop)
  unless the target itself is there or lists the network in ``allow_internal``; a descriptive
  User-Agent;
- a ``206 Partial Content`` or a body that does not match its ``Content-Length`` is ``truncated``,
  never a version;
- one request at a time per host (``host:port`` of the target URL; a redirect elsewhere is part of
  the same request) with ``host_delay`` seconds between the end of one request and the start of
  the next, and at most ``concurrency`` requests overall.

Whole-page heuristics (bot challenge, login page, cookie wall) are generic and only fire on short
pages, so a real policy that mentions cookies, captchas or sign-in is never rejected; then the
extraction (``policydiff.normalize``) must keep every selector matching and yield at least
``min_words`` words.
Modules: ``config`` (settings, validators), ``result`` (result types and reason codes),
``politeness`` (per-host scheduling), ``caps`` (capped body reading, Retry-After), ``media``
(media type and charset), ``walls`` (challenge, login and cookie-wall pages, selectors),
``classify`` (is it the document?), ``http`` (one URL over HTTP, with retries), ``addresses``
(where redirects may lead), ``framing`` (is the body whole?), ``browser``
(one page in headless chromium), ``judge`` (response to result), ``one`` (one target: which
fetcher, the fallback), ``combine`` (documents of several pages) and ``run`` (every target).
"""

from __future__ import annotations

from policydiff.fetch.browser import BrowserFetcher
from policydiff.fetch.classify import check_content, classify
from policydiff.fetch.config import DEFAULT_USER_AGENT, FetchConfig, Validators
from policydiff.fetch.http import make_client
from policydiff.fetch.one import fetch_one
from policydiff.fetch.politeness import HostScheduler, host_of
from policydiff.fetch.result import REASONS, FetchFailure, FetchResult
from policydiff.fetch.run import fetch_all, fetch_all_sync

__all__ = [
    "DEFAULT_USER_AGENT",
    "REASONS",
    "BrowserFetcher",
    "FetchConfig",
    "FetchFailure",
    "FetchResult",
    "HostScheduler",
    "Validators",
    "check_content",
    "classify",
    "fetch_all",
    "fetch_all_sync",
    "fetch_one",
    "host_of",
    "make_client",
]
