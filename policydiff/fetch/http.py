"""The HTTP fetcher: one URL with httpx, redirects followed by hand, retries with backoff."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import httpx

from policydiff.fetch.addresses import AddressPolicy, InternalAddress, peer_address
from policydiff.fetch.caps import Abort, kept_headers, read_body, retry_after_seconds
from policydiff.fetch.config import DEFAULT_CONFIG, FetchConfig
from policydiff.fetch.framing import check_not_partial, check_whole
from policydiff.fetch.politeness import HostScheduler
from policydiff.fetch.result import FetchFailure, Response
from policydiff.fetch.walls import looks_like_challenge

__all__ = ["fetch_http", "make_client"]

log = logging.getLogger(__name__)


def make_client(config: FetchConfig = DEFAULT_CONFIG) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` set up for :func:`fetch_http` (timeouts, User-Agent, encodings).

    Redirects are not followed by the client: :func:`fetch_http` follows them itself, up to
    ``config.max_redirects``, without reading their bodies.
    """
    return httpx.AsyncClient(
        follow_redirects=False,
        timeout=httpx.Timeout(config.timeout),
        headers={
            "User-Agent": config.user_agent,
            "Accept": "text/html,application/xhtml+xml,text/markdown,text/plain;q=0.9,*/*;q=0.5",
            # decoded here, with a size cap; never ask for encodings we cannot decode
            "Accept-Encoding": "gzip, deflate",
        },
        limits=httpx.Limits(max_connections=max(1, config.concurrency) * 2, max_keepalive_connections=20),
    )


_TRANSIENT_STATUS = {408, 425, 429, 500, 502, 503, 504}


async def fetch_http(
    client: httpx.AsyncClient,
    url: str,
    headers: Mapping[str, str],
    *,
    config: FetchConfig = DEFAULT_CONFIG,
    scheduler: HostScheduler | None = None,
    allow_internal: Sequence[str] = (),
) -> tuple[Response | FetchFailure, int]:
    """GET ``url`` with retries for transient failures: the response or the failure, and the attempts.

    ``client`` should come from :func:`make_client` (its timeouts and default headers are used;
    redirects are followed here, up to ``config.max_redirects``). ``scheduler`` enforces per-host
    politeness when several fetches share it. Redirects may lead into internal addresses only
    where ``url`` itself resolves, or into the networks in ``allow_internal`` (no SSRF).
    """
    policy = await AddressPolicy.for_target(url, allow_internal)
    attempts = 0
    while True:
        attempts += 1
        try:
            return await _attempt(client, url, headers, config, scheduler, policy), attempts
        except Abort as abort:
            if not abort.transient or attempts > config.retries:
                return abort.failure, attempts
            if abort.retry_after is not None:
                delay = min(abort.retry_after, config.max_retry_after)
            else:
                delay = config.backoff * (2 ** (attempts - 1)) * random.uniform(0.9, 1.1)
            log.info("%s: %s; retry %d in %.2fs", url, abort.failure.message, attempts, delay)
            await asyncio.sleep(delay)


async def _attempt(
    client: httpx.AsyncClient,
    url: str,
    headers: Mapping[str, str],
    config: FetchConfig,
    scheduler: HostScheduler | None,
    policy: AddressPolicy,
) -> Response:
    """One request (following redirects), body read under the caps; failures raise :class:`Abort`.

    Each redirect hop must resolve to, and connect to, addresses ``policy`` permits."""
    slot: contextlib.AbstractAsyncContextManager[Any] = (
        scheduler.slot(url) if scheduler else contextlib.nullcontext()
    )
    async with slot as gate:
        try:
            async with asyncio.timeout(config.total_timeout):
                request = client.build_request("GET", url, headers=dict(headers))
                return await _exchange(client, request, config, scheduler, gate, policy)
        except Abort:
            raise
        except (InternalAddress, httpx.HTTPError, httpx.InvalidURL, TimeoutError) as exc:
            raise _abort_for(exc, config) from None


async def _exchange(
    client: httpx.AsyncClient,
    request: httpx.Request,
    config: FetchConfig,
    scheduler: HostScheduler | None,
    gate: Any,
    policy: AddressPolicy,
) -> Response:
    """Send ``request``, following redirects here rather than in httpx (which reads a redirect's whole
    body, uncapped and decompressed; these are closed unread), and read the final body under the caps."""
    redirects = 0
    while True:
        resp = await client.send(request, stream=True, follow_redirects=False)
        try:
            if resp.next_request is not None:
                if redirects >= config.max_redirects:
                    raise httpx.TooManyRedirects("too many redirects", request=request)
                redirects += 1
                request = resp.next_request
                await policy.check_url(str(request.url))
                continue
            if redirects:
                policy.check_peer(str(resp.url), peer_address(resp))
            check_not_partial(resp)
            status = resp.status_code
            kept = kept_headers(resp.headers)
            if status == 304:
                return Response(status, str(resp.url), kept, b"")
            if status >= 300:
                raise await _error_status(resp, config, scheduler, gate)
            try:
                body = await read_body(resp, config)
            except Abort as abort:
                abort.failure = attrs.evolve(abort.failure, status=status)
                raise
            check_whole(resp)
            return Response(status, str(resp.url), kept, body)
        finally:
            await resp.aclose()


def _abort_for(exc: Exception, config: FetchConfig) -> Abort:
    """The recorded failure for a transport-level error (transient ones may be retried)."""
    if isinstance(exc, InternalAddress):
        return Abort(FetchFailure("internal_address", str(exc)))
    if isinstance(exc, httpx.RemoteProtocolError):
        reason = f"the server broke off the response ({exc}); not stored"
        return Abort(FetchFailure("truncated", reason), transient=True)
    if isinstance(exc, httpx.TooManyRedirects):
        reason = f"more than {config.max_redirects} redirects (a loop?)"
        return Abort(FetchFailure("too_many_redirects", reason))
    if isinstance(exc, (TimeoutError, httpx.TimeoutException)):
        kind = type(exc).__name__ if isinstance(exc, httpx.TimeoutException) else "total deadline"
        reason = (
            f"timed out ({kind}) after {config.timeout:g}s per operation "
            f"/ {config.total_timeout:g}s per attempt"
        )
        return Abort(FetchFailure("timeout", reason), transient=True)
    if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
        return Abort(FetchFailure("connection", f"cannot request this URL: {exc}"))
    if isinstance(exc, httpx.TransportError):
        reason = f"connection failed: {type(exc).__name__}: {exc}".rstrip(": ")
        return Abort(FetchFailure("connection", reason), transient=True)
    raise exc


async def _error_status(
    resp: httpx.Response, config: FetchConfig, scheduler: HostScheduler | None, gate: Any
) -> Abort:
    """The failure for an error status: a challenge or block page says so; 5xx and 429 are transient."""
    status = resp.status_code
    text = f"HTTP {status} {resp.reason_phrase}".strip()
    if status >= 400:
        # block pages and bot challenges often come as 403/503: say so, and do not retry them
        small = attrs.evolve(config, max_bytes=min(config.max_bytes, 256 * 1024))
        small = attrs.evolve(small, max_decompressed_bytes=min(config.max_decompressed_bytes, 1024 * 1024))
        with contextlib.suppress(Abort, httpx.HTTPError):
            body = await read_body(resp, small)
            if looks_like_challenge(body):
                return Abort(FetchFailure("not_document", f"{text}: a bot challenge or block page", status))
    if status == 401:
        return Abort(FetchFailure("login_wall", f"{text}: the document needs a login", status))
    if status in _TRANSIENT_STATUS:
        retry_after = retry_after_seconds(resp.headers.get("retry-after"))
        if retry_after is not None and scheduler is not None and gate is not None:
            scheduler.hold_host(gate, min(retry_after, config.max_retry_after))
        return Abort(FetchFailure("http_error", text, status), transient=True, retry_after=retry_after)
    return Abort(FetchFailure("http_error", text, status))
