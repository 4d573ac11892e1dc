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
- at most ``max_redirects`` redirects; a descriptive User-Agent;
- one request at a time per host (``host:port`` of the target URL; a redirect elsewhere is part of
  the same request) with ``host_delay`` seconds between the end of one request and the start of
  the next, and at most ``concurrency`` requests overall.

Whole-page heuristics (bot challenge, login page, cookie wall) are generic and only fire on short
pages, so a real policy that mentions cookies, captchas or sign-in is never rejected; then the
extraction (``policydiff.normalize``) must keep every selector matching and yield at least
``min_words`` words.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import functools
import logging
import random
import re
import threading
import time
import zlib
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from datetime import UTC, datetime
from importlib import metadata
from typing import Any
from urllib.parse import urlsplit

import attrs
import httpx

from policydiff.errors import InputError, ParseError
from policydiff.model import Document, Snapshot
from policydiff.targets import DocumentTarget

__all__ = [
    "DEFAULT_USER_AGENT",
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
    "make_client",
]

log = logging.getLogger(__name__)


def _version() -> str:
    try:
        return metadata.version("policydiff")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0"


DEFAULT_USER_AGENT = (
    f"policydiff/{_version()} (+https://pypi.org/project/policydiff/; "
    "watches published privacy policies and terms for changes)"
)


@attrs.frozen
class FetchConfig:
    """Limits and politeness of a fetch run."""

    timeout: float = 20.0  # seconds per network operation (connect, each read, write)
    retries: int = 3  # retries after the first attempt, for transient failures only
    backoff: float = 0.5  # first retry delay; doubles each retry (with a little jitter)
    max_retry_after: float = 30.0  # cap on a server's Retry-After
    max_bytes: int = 10 * 1024 * 1024  # raw body, as received
    max_decompressed_bytes: int = 20 * 1024 * 1024  # body after gzip/deflate decoding
    max_redirects: int = 10
    user_agent: str = DEFAULT_USER_AGENT
    host_delay: float = 1.0  # seconds between requests to the same host:port
    concurrency: int = 8  # requests in flight overall
    total_timeout: float = 60.0  # deadline for one whole attempt (headers and body)
    min_words: int = 40  # fewer words extracted than this: "too_short"

    def __attrs_post_init__(self) -> None:
        positive = ("timeout", "total_timeout", "max_bytes", "max_decompressed_bytes", "concurrency")
        for name in positive:
            if not getattr(self, name) > 0:
                raise InputError(f"fetch setting {name} must be greater than 0, not {getattr(self, name)!r}")
        not_negative = ("retries", "backoff", "max_retry_after", "max_redirects", "host_delay", "min_words")
        for name in not_negative:
            if getattr(self, name) < 0:
                raise InputError(f"fetch setting {name} must not be negative, not {getattr(self, name)!r}")


@attrs.frozen
class Validators:
    """Validators of the previously stored version, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> Validators:
        """Take ``ETag`` and ``Last-Modified`` from stored response headers (any case)."""
        lower = {k.lower(): v for k, v in headers.items()}
        return cls(etag=lower.get("etag"), last_modified=lower.get("last-modified"))

    def request_headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


REASONS = (
    "http_error",
    "timeout",
    "connection",
    "too_many_redirects",
    "too_large",
    "not_document",
    "cookie_wall",
    "login_wall",
    "empty",
    "too_short",
    "selector_missing",
    "unsupported_type",
    "unparseable",
    "internal_error",
)


@attrs.frozen
class FetchFailure:
    """Why a fetch produced no version: a stable ``reason`` code and a sentence for humans."""

    reason: str  # one of REASONS
    message: str
    status: int | None = None


@attrs.frozen
class FetchResult:
    """The outcome of fetching one target: exactly one of snapshot, failure or not_modified."""

    target: DocumentTarget
    snapshot: Snapshot | None
    failure: FetchFailure | None
    not_modified: bool = False  # 304 on a conditional request
    attempts: int = 1
    elapsed: float = 0.0  # seconds, including retries and politeness waits
    document: Document | None = None  # the snapshot normalized (when normalize succeeded), for reuse
    rejected: Snapshot | None = None  # what came back when it was judged not the document (evidence only)
    # the bytes equal the caller's known digest (the latest stored version): already judged the
    # document then, so not classified again and ``document`` is None
    unchanged_bytes: bool = False

    @property
    def ok(self) -> bool:
        return self.snapshot is not None


# ------------------------------------------------------------------------------- politeness


def host_of(url: str) -> str:
    """``host:port`` of ``url`` (default ports filled in): the unit of politeness."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:  # an unparseable URL: its own "host", so it fails on its own
        return url
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None:
        port = 443 if parts.scheme == "https" else 80
    return f"{host}:{port}"


class _HostGate:
    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.next_time = 0.0  # loop time before which no request may start


class HostScheduler:
    """One request at a time per host with a delay between them, and a cap on requests overall."""

    def __init__(self, *, host_delay: float = 1.0, concurrency: int = 8) -> None:
        self.host_delay = host_delay
        self.semaphore = asyncio.Semaphore(max(1, concurrency))
        self.gates: dict[str, _HostGate] = {}

    @contextlib.asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[_HostGate]:
        """Wait for the host's turn and an overall slot; the host's delay starts when it ends."""
        loop = asyncio.get_running_loop()
        gate = self.gates.setdefault(host_of(url), _HostGate())
        async with gate.lock:
            wait = gate.next_time - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            async with self.semaphore:
                try:
                    yield gate
                finally:
                    gate.next_time = max(gate.next_time, loop.time() + self.host_delay)

    @staticmethod
    def hold_host(gate: _HostGate, seconds: float) -> None:
        """Keep every request to this host waiting ``seconds`` from now (a Retry-After)."""
        gate.next_time = max(gate.next_time, asyncio.get_running_loop().time() + seconds)


# ---------------------------------------------------------------------------------- fetching


def make_client(config: FetchConfig = FetchConfig()) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` set up for :func:`fetch_one` (timeouts, User-Agent, encodings).

    Redirects are not followed by the client: :func:`fetch_one` follows them itself, up to
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


class _Abort(Exception):
    """Internal: one attempt ended with a failure (transient ones may be retried)."""

    def __init__(self, failure: FetchFailure, *, transient: bool = False, retry_after: float | None = None):
        super().__init__(failure.message)
        self.failure = failure
        self.transient = transient
        self.retry_after = retry_after


@attrs.frozen
class _Response:
    status: int
    url: str
    headers: dict[str, str]
    body: bytes


_TRANSIENT_STATUS = {408, 425, 429, 500, 502, 503, 504}


async def fetch_one(
    client: httpx.AsyncClient,
    target: DocumentTarget,
    *,
    config: FetchConfig = FetchConfig(),
    validators: Validators | None = None,
    scheduler: HostScheduler | None = None,
    known_sha256: str | None = None,
) -> FetchResult:
    """Fetch ``target`` with retries and classify what came back. Never raises for network trouble.

    ``client`` should come from :func:`make_client` (its timeouts and default headers are used;
    redirects are followed here, up to ``config.max_redirects``).
    ``scheduler`` enforces per-host politeness when several fetches share it. When the body's
    SHA-256 equals ``known_sha256`` (the latest stored version, fetched with the same selectors),
    it is returned without classifying it again (``unchanged_bytes``): a nightly run over mostly
    unchanged pages then costs little more than the requests.
    """
    start = time.monotonic()
    headers = target.request_headers()
    if validators:
        headers.update(validators.request_headers())
    attempts = 0
    while True:
        attempts += 1
        try:
            response = await _attempt(client, target.url, headers, config, scheduler)
            break
        except _Abort as abort:
            if not abort.transient or attempts > config.retries:
                return FetchResult(
                    target, None, abort.failure, attempts=attempts, elapsed=time.monotonic() - start
                )
            if abort.retry_after is not None:
                delay = min(abort.retry_after, config.max_retry_after)
            else:
                delay = config.backoff * (2 ** (attempts - 1)) * random.uniform(0.9, 1.1)
            log.info("%s: %s; retry %d in %.2fs", target.url, abort.failure.message, attempts, delay)
            await asyncio.sleep(delay)

    elapsed = time.monotonic() - start
    if response.status == 304:
        if validators:
            return FetchResult(target, None, None, not_modified=True, attempts=attempts, elapsed=elapsed)
        unexpected = FetchFailure("http_error", "304 Not Modified to a request that was not conditional", 304)
        return FetchResult(target, None, unexpected, attempts=attempts, elapsed=elapsed)

    snapshot = Snapshot(
        content=response.body,
        url=target.url,
        final_url=response.url,
        fetched_at=datetime.now(UTC),
        headers=response.headers,
        media_type=_media_type(response.headers, response.body),
        service=target.service,
        document=target.document,
        selectors=target.select,
        remove_selectors=target.remove,
    )
    if known_sha256 is not None and snapshot.sha256 == known_sha256:
        elapsed = time.monotonic() - start
        return FetchResult(target, snapshot, None, attempts=attempts, elapsed=elapsed, unchanged_bytes=True)
    failure, document = await asyncio.to_thread(
        functools.partial(_classify_serial, snapshot, config.min_words)
    )
    elapsed = time.monotonic() - start
    if failure is not None:
        failure = attrs.evolve(failure, status=failure.status or response.status)
        return FetchResult(target, None, failure, attempts=attempts, elapsed=elapsed, rejected=snapshot)
    return FetchResult(target, snapshot, None, attempts=attempts, elapsed=elapsed, document=document)


_CLASSIFY_LOCK = threading.Lock()


def _classify_serial(snapshot: Snapshot, min_words: int) -> tuple[FetchFailure | None, Document | None]:
    """:func:`classify` off the event loop, one at a time (CPU-bound anyway; normalize's lazily
    loaded parts are never initialised by two threads at once)."""
    with _CLASSIFY_LOCK:
        return classify(snapshot, min_words=min_words)


async def _attempt(
    client: httpx.AsyncClient,
    url: str,
    headers: Mapping[str, str],
    config: FetchConfig,
    scheduler: HostScheduler | None,
) -> _Response:
    """One request (following redirects), body read under the caps; failures raise :class:`_Abort`."""
    slot: contextlib.AbstractAsyncContextManager[Any] = (
        scheduler.slot(url) if scheduler else contextlib.nullcontext()
    )
    async with slot as gate:
        try:
            async with asyncio.timeout(config.total_timeout):
                # Redirects are followed here, not by httpx, which reads a redirect's whole body
                # (uncapped, decompressed); these are closed unread.
                request = client.build_request("GET", url, headers=dict(headers))
                redirects = 0
                while True:
                    resp = await client.send(request, stream=True, follow_redirects=False)
                    try:
                        if resp.next_request is not None:
                            if redirects >= config.max_redirects:
                                raise httpx.TooManyRedirects("too many redirects", request=request)
                            redirects += 1
                            request = resp.next_request
                            continue
                        status = resp.status_code
                        kept = _kept_headers(resp.headers)
                        if status == 304:
                            return _Response(status, str(resp.url), kept, b"")
                        if status >= 300:
                            raise await _error_status(resp, config, scheduler, gate)
                        try:
                            body = await _read_body(resp, config)
                        except _Abort as abort:
                            abort.failure = attrs.evolve(abort.failure, status=status)
                            raise
                        return _Response(status, str(resp.url), kept, body)
                    finally:
                        await resp.aclose()
        except _Abort:
            raise
        except httpx.TooManyRedirects:
            raise _Abort(
                FetchFailure("too_many_redirects", f"more than {config.max_redirects} redirects (a loop?)")
            ) from None
        except (TimeoutError, httpx.TimeoutException) as exc:
            kind = type(exc).__name__ if isinstance(exc, httpx.TimeoutException) else "total deadline"
            raise _Abort(
                FetchFailure(
                    "timeout",
                    f"timed out ({kind}) after {config.timeout:g}s per operation "
                    f"/ {config.total_timeout:g}s per attempt",
                ),
                transient=True,
            ) from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise _Abort(FetchFailure("connection", f"cannot request this URL: {exc}")) from None
        except httpx.TransportError as exc:
            raise _Abort(
                FetchFailure("connection", f"connection failed: {type(exc).__name__}: {exc}".rstrip(": ")),
                transient=True,
            ) from None


async def _error_status(
    resp: httpx.Response, config: FetchConfig, scheduler: HostScheduler | None, gate: Any
) -> _Abort:
    """The failure for an error status: a challenge or block page says so; 5xx and 429 are transient."""
    status = resp.status_code
    text = f"HTTP {status} {resp.reason_phrase}".strip()
    if status >= 400:
        # block pages and bot challenges often come as 403/503: say so, and do not retry them
        small = attrs.evolve(config, max_bytes=min(config.max_bytes, 256 * 1024))
        small = attrs.evolve(small, max_decompressed_bytes=min(config.max_decompressed_bytes, 1024 * 1024))
        with contextlib.suppress(_Abort, httpx.HTTPError):
            body = await _read_body(resp, small)
            if _looks_like_challenge(body):
                return _Abort(FetchFailure("not_document", f"{text}: a bot challenge or block page", status))
    if status == 401:
        return _Abort(FetchFailure("login_wall", f"{text}: the document needs a login", status))
    if status in _TRANSIENT_STATUS:
        retry_after = _retry_after(resp.headers.get("retry-after"))
        if retry_after is not None and scheduler is not None and gate is not None:
            scheduler.hold_host(gate, min(retry_after, config.max_retry_after))
        return _Abort(FetchFailure("http_error", text, status), transient=True, retry_after=retry_after)
    return _Abort(FetchFailure("http_error", text, status))


def _looks_like_challenge(body: bytes) -> bool:
    """A bot challenge or block page, judged on an error response's body alone."""
    if not body.strip():
        return False
    snapshot = Snapshot(content=body, media_type="text/html")
    failure = _wall_failure(snapshot, _page_facts(snapshot))
    return failure is not None and failure.reason == "not_document"


def _kept_headers(headers: httpx.Headers) -> dict[str, str]:
    """Response headers as evidence, keys lowercased; Set-Cookie dropped (session noise, personal)."""
    return {k.lower(): v for k, v in headers.items() if k.lower() != "set-cookie"}


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date); None when absent or invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class _Decoder:
    """Incremental gzip/deflate decoding in bounded pieces (never more than ``limit`` bytes out)."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.started = False
        self.obj = self._new()

    def _new(self) -> Any:
        if self.encoding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj()  # deflate: zlib-wrapped, with a raw-deflate fallback below

    def feed(self, data: bytes, limit: int) -> bytes:
        out: list[bytes] = []
        produced = 0
        while data:
            try:
                piece = self.obj.decompress(data, 64 * 1024)
            except zlib.error:
                if self.encoding == "deflate" and not self.started:
                    self.obj = zlib.decompressobj(-zlib.MAX_WBITS)
                    self.started = True
                    continue
                raise
            self.started = True
            produced += len(piece)
            if produced > limit:
                raise _TooLarge
            out.append(piece)
            if self.obj.eof:
                data = self.obj.unused_data  # concatenated gzip members
                if data:
                    self.obj = self._new()
            else:
                data = self.obj.unconsumed_tail
        return b"".join(out)

    def finish(self) -> bool:
        """Whether the stream ended properly (a truncated gzip body is not the document)."""
        return bool(self.obj.eof) or self.encoding == "deflate"


class _TooLarge(Exception):
    pass


async def _read_body(response: httpx.Response, config: FetchConfig) -> bytes:
    """The decoded body, aborting as soon as the raw or decoded size passes its cap."""
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > config.max_bytes:
        raise _Abort(
            FetchFailure(
                "too_large", f"body of {int(declared)} bytes announced; the cap is {config.max_bytes}"
            )
        )
    encodings = [
        e.strip().lower()
        for e in response.headers.get("content-encoding", "").split(",")
        if e.strip() and e.strip().lower() != "identity"
    ]
    for encoding in encodings:
        if encoding not in ("gzip", "x-gzip", "deflate"):
            raise _Abort(FetchFailure("unsupported_type", f"content encoding {encoding!r} is not supported"))
    decoders = [_Decoder(e) for e in reversed(encodings)]
    raw = 0
    out = bytearray()
    try:
        async for chunk in response.aiter_raw():
            raw += len(chunk)
            if raw > config.max_bytes:
                raise _Abort(
                    FetchFailure("too_large", f"body larger than the cap of {config.max_bytes} bytes")
                )
            data = chunk
            for decoder in decoders:
                data = decoder.feed(data, config.max_decompressed_bytes - len(out))
            out += data
            if len(out) > config.max_decompressed_bytes:
                raise _TooLarge
    except _TooLarge:
        raise _Abort(
            FetchFailure(
                "too_large",
                f"body decompresses to more than the cap of {config.max_decompressed_bytes} bytes",
            )
        ) from None
    except zlib.error as exc:
        raise _Abort(FetchFailure("http_error", f"corrupt {', '.join(encodings)} body: {exc}")) from None
    if not all(d.finish() for d in decoders):
        raise _Abort(FetchFailure("connection", "compressed body ended early (truncated)"), transient=True)
    return bytes(out)


_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_TEXT_TYPES = {"text/plain", "text/markdown", "text/x-markdown"}


def _media_type(headers: Mapping[str, str], body: bytes) -> str:
    """The body's media type: the declared one (with its charset), or sniffed when missing or generic."""
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    declared = content_type.split(";")[0].strip().lower()
    if declared and declared not in ("application/octet-stream", "binary/octet-stream"):
        charset = _charset(headers)
        return f"{declared}; charset={charset}" if charset else declared
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf"):
        return "application/pdf"
    if head.startswith(b"<") and re.search(rb"<(!doctype html|html|head|body|p|div|h1)\b", head):
        return "text/html"
    if b"\x00" in body[:4096]:
        return "application/octet-stream"
    return "text/plain"


# --------------------------------------------------------------------------- classification


def check_content(snapshot: Snapshot, *, min_words: int = 40) -> FetchFailure | None:
    """Why ``snapshot`` is not the document (block page, wall, empty ...), or None when it is."""
    return classify(snapshot, min_words=min_words)[0]


# Generic markers of bot challenges and block pages (vendors' page furniture, not sites' content).
_CHALLENGE_MARKUP = re.compile(
    r"cdn-cgi/challenge-platform|cf_chl_opt|cf-chl-|cf-browser-verification|challenges\.cloudflare\.com"
    r"|captcha-delivery\.com|px-captcha|_incapsula_resource|incapsula incident|awswaf|"
    r"g-recaptcha|h-captcha|hcaptcha\.com/1/api|perimeterx|distil_r_captcha|sec-if-cpt-container",
    re.IGNORECASE,
)
_CHALLENGE_TITLE = re.compile(
    r"just a moment|attention required|access denied|access to this page has been denied|"
    r"are you a (?:human|robot)|robot check|security check|pardon our interruption|request rejected|"
    r"^forbidden$|^\s*403\b|ddos[- ]protection|one more step|bot (?:verification|detection)|captcha|"
    r"verify(?:ing)? (?:you are|that you are) (?:a )?human|you have been blocked|unusual traffic",
    re.IGNORECASE,
)
_CHALLENGE_TEXT = re.compile(
    r"checking (?:if the site connection is secure|your browser)|enable javascript and cookies to continue|"
    r"verify(?:ing)? (?:you are|that you are) (?:a )?human|press (?:&|and) hold|request unsuccessful|"
    r"incapsula incident|you have been blocked|your access to this (?:site|page) has been (?:limited|denied)|"
    r"unusual traffic from your (?:computer|network)|the requested url was rejected|"
    r"are you a robot|not a robot|complete the security check|access denied|ray id:|"
    r"automated (?:access|requests|queries)|solve the captcha|captcha",
    re.IGNORECASE,
)
_COOKIE_TEXT = re.compile(r"\bcookies?\b|\bconsent\b|\btracking technologies\b", re.IGNORECASE)
_ACCEPT_TEXT = re.compile(
    r"\baccept(?: all)?\b|\bagree\b|\ballow all\b|\breject all\b|\bmanage (?:cookies|preferences|options)\b|"
    r"\bcookie settings\b|\bgot it\b|\bcontinue\b",
    re.IGNORECASE,
)
_CONSENT_URL = re.compile(
    r"(?:^|[./])(?:consent|guce|cookiewall|cookie-wall|privacy-gate)[./-]", re.IGNORECASE
)
_LOGIN_URL = re.compile(
    r"/(?:log-?in|sign-?in|signon|sso|auth(?:enticate|orize)?|session/new|account/login|uas/login|checkpoint)"
    r"(?:[/?#.]|$)",
    re.IGNORECASE,
)
_LOGIN_TEXT = re.compile(
    r"\b(?:log ?in|sign ?in|password|forgot (?:your )?password|create (?:an )?account|remember me)\b",
    re.IGNORECASE,
)

# A real policy page is long; these heuristics only apply to short pages.
_SHORT_PAGE = 400


def classify(snapshot: Snapshot, *, min_words: int = 40) -> tuple[FetchFailure | None, Document | None]:
    """Classify ``snapshot``: (failure, None) when it is not the document, else (None, document).

    Whole-page checks first (bot challenge or block page, login page, cookie wall: lxml, cheap),
    then the extraction: ``normalize(snapshot)`` (its selectors must all match, checked again
    with bs4 when normalize refuses), and the number of words it yields. The document returned is
    that normalized document (None only while normalize is unavailable), for the caller to reuse.
    """
    media = (
        (snapshot.media_type or _media_type(snapshot.headers, snapshot.content)).split(";")[0].strip().lower()
    )
    if media == "application/pdf":
        return FetchFailure(
            "unsupported_type", "the response is a PDF; only HTML, Markdown and text are read"
        ), None
    if media not in _HTML_TYPES | _TEXT_TYPES and not media.startswith("text/"):
        return FetchFailure("unsupported_type", f"the response is {media}, not HTML, Markdown or text"), None
    if not snapshot.content.strip():
        return FetchFailure("empty", "the response body is empty"), None
    html = media in _HTML_TYPES or (
        media not in _TEXT_TYPES and _media_type({}, snapshot.content) == "text/html"
    )
    if html:
        facts = _page_facts(snapshot)
        wall = _wall_failure(snapshot, facts)
        if wall is not None:
            return wall, None
        crude_words = facts.words
    else:
        crude_words = len(_decode_text(snapshot).split())

    document: Document | None = None
    try:
        from policydiff.normalize import normalize

        document = normalize(snapshot)
    except NotImplementedError:  # normalize not available: judge a crude extraction
        if html:
            missing = _selector_failure(snapshot)
            if missing is not None:
                return missing, None
            crude_words = _crude_words(snapshot)
    except (ParseError, InputError) as exc:  # InputError: a selector soupsieve cannot compile
        if html:
            missing = _selector_failure(snapshot)
            if missing is not None:
                return missing, None
        text = str(exc)
        if "selector" in text.lower():
            return FetchFailure("selector_missing", text), None
        if crude_words == 0 or "no text" in text.lower() or "empty" in text.lower():
            return FetchFailure("empty", f"nothing to extract: {text}"), None
        return FetchFailure("unparseable", text), None
    words = crude_words if document is None else _document_words(document)
    if words == 0:
        return FetchFailure("empty", "the extracted document has no text"), None
    if words < min_words:
        message = f"only {words} words extracted (fewer than {min_words}); not the document?"
        return FetchFailure("too_short", message), None
    return None, document


def _document_words(document: Document) -> int:
    words = sum(len(section.title.split()) for section in document.sections())
    return words + sum(len(clause.text.split()) for clause in document.clauses())


def _decode_text(snapshot: Snapshot) -> str:
    charset = _charset(snapshot.headers) or "utf-8"
    try:
        return snapshot.content.decode(charset, errors="replace")
    except LookupError:
        return snapshot.content.decode("utf-8", errors="replace")


def _charset(headers: Mapping[str, str]) -> str | None:
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    match = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


@attrs.frozen
class _PageFacts:
    """What the whole-page heuristics look at: title, visible text, password field, raw markup."""

    title: str
    text: str
    words: int
    has_password: bool
    markup: str


def _page_facts(snapshot: Snapshot) -> _PageFacts:
    """Parse the whole page once with lxml (fast; bs4 only runs for selector checks)."""
    import lxml.etree  # type: ignore[import-untyped]
    import lxml.html  # type: ignore[import-untyped]

    markup = snapshot.content[:300_000].decode("utf-8", errors="replace")
    charset = _charset(snapshot.headers)
    try:
        parser = lxml.html.HTMLParser(encoding=charset) if charset else lxml.html.HTMLParser()
    except LookupError:
        parser = lxml.html.HTMLParser()
    try:
        root = lxml.html.document_fromstring(snapshot.content, parser=parser)
    except (lxml.etree.ParserError, ValueError, LookupError):
        return _PageFacts("", "", 0, False, markup)
    title = " ".join((root.findtext(".//title") or "").split())
    has_password = bool(root.xpath('boolean(//input[translate(@type, "PASWORD", "pasword") = "password"])'))
    lxml.etree.strip_elements(root, "script", "style", "noscript", "template", "svg", with_tail=False)
    text = " ".join(root.text_content().split())
    return _PageFacts(title, text, len(text.split()), has_password, markup)


def _wall_failure(snapshot: Snapshot, facts: _PageFacts) -> FetchFailure | None:
    """A bot challenge or block page, a login page, or a cookie wall, judged on the whole page."""
    title, page_text, page_words = facts.title, facts.text, facts.words

    # bot challenges and block pages
    if page_words < _SHORT_PAGE and _CHALLENGE_MARKUP.search(facts.markup):
        return FetchFailure("not_document", f"a bot challenge or block page (title {title!r})")
    if page_words < 1000 and title and _CHALLENGE_TITLE.search(title):
        return FetchFailure("not_document", f"a bot challenge or block page (title {title!r})")
    if page_words < _SHORT_PAGE:
        match = _CHALLENGE_TEXT.search(page_text)
        if match:
            return FetchFailure(
                "not_document", f"a bot challenge or block page ({match.group(0)!r} on a short page)"
            )

    # login pages: a redirect to a login URL, or a password form on a short page
    requested = urlsplit(snapshot.url or "")
    final = urlsplit(snapshot.final_url or "")
    if snapshot.final_url and _LOGIN_URL.search(final.path) and not _LOGIN_URL.search(requested.path):
        if page_words < 1000:
            return FetchFailure("login_wall", f"redirected to a login page ({snapshot.final_url})")
    # (a page whose selectors all match has the document's layout: a short cookie FAQ or a page
    # with a sign-in box is not a wall; bs4 runs only when a text heuristic would fire)
    if facts.has_password and page_words < _SHORT_PAGE and _LOGIN_TEXT.search(page_text):
        if not (snapshot.selectors and _selector_failure(snapshot) is None):
            return FetchFailure("login_wall", "a login page (password form) instead of the document")

    # cookie walls: a redirect to a consent host or path, or a short page about cookies with buttons
    if (
        snapshot.final_url
        and _CONSENT_URL.search(final.netloc + final.path)
        and not _CONSENT_URL.search(requested.netloc + requested.path)
        and page_words < 1000
    ):
        return FetchFailure("cookie_wall", f"redirected to a consent page ({snapshot.final_url})")
    if page_words < _SHORT_PAGE:
        cookie_hits = len(_COOKIE_TEXT.findall(page_text))
        if cookie_hits >= 2 and _ACCEPT_TEXT.search(page_text) and cookie_hits * 40 >= page_words:
            if not (snapshot.selectors and _selector_failure(snapshot) is None):
                return FetchFailure("cookie_wall", "a cookie consent wall instead of the document")
    return None


def _soup(snapshot: Snapshot) -> Any:
    from bs4 import BeautifulSoup

    return BeautifulSoup(snapshot.content, "lxml", from_encoding=_charset(snapshot.headers))


def _selector_failure(snapshot: Snapshot) -> FetchFailure | None:
    """Every selector must still match (else the extraction silently shrinks); all must compile."""
    if not snapshot.selectors and not snapshot.remove_selectors:
        return None
    soup = _soup(snapshot)
    missing: list[str] = []
    for selector in (*snapshot.selectors, *snapshot.remove_selectors):
        try:
            found = soup.select_one(selector) is not None
        except Exception as exc:  # soupsieve's SelectorSyntaxError and friends
            return FetchFailure("selector_missing", f"invalid selector {selector!r}: {exc}")
        if not found and selector in snapshot.selectors:
            missing.append(selector)
    if missing:
        shown = ", ".join(repr(s) for s in missing)
        return FetchFailure("selector_missing", f"selector {shown} no longer matches anything on the page")
    return None


def _crude_words(snapshot: Snapshot) -> int:
    """Words in the selected part of the page minus removed parts (used while normalize is absent)."""
    soup = _soup(snapshot)
    for tag in soup(["script", "style", "noscript", "template", "svg"]):
        tag.decompose()
    parts = [el for s in snapshot.selectors for el in soup.select(s)] if snapshot.selectors else [soup]
    for selector in snapshot.remove_selectors:
        for part in parts:
            for element in part.select(selector):
                element.decompose()
    return sum(len(part.get_text(" ", strip=True).split()) for part in parts)


# ------------------------------------------------------------------------------------ runs


async def fetch_all(
    targets: Sequence[DocumentTarget],
    *,
    config: FetchConfig = FetchConfig(),
    validators: Mapping[str, Validators] | None = None,
    on_result: Callable[[FetchResult], None] | None = None,
    known_sha256: Mapping[str, str] | None = None,
) -> list[FetchResult]:
    """Fetch every target politely; one :class:`FetchResult` per target, in the targets' order.

    ``validators`` maps ``DocumentTarget.key`` to the previous version's validators;
    ``known_sha256`` maps it to the SHA-256 of the latest stored content (see :func:`fetch_one`).
    ``on_result`` is called (in the event loop) as each target finishes, e.g. for a progress bar.
    """
    scheduler = HostScheduler(host_delay=config.host_delay, concurrency=config.concurrency)
    validators = validators or {}
    known = known_sha256 or {}
    async with make_client(config) as client:

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
                )
            except Exception as exc:  # a bug must not cost the rest of the run; report it per target
                log.exception("fetching %s failed unexpectedly", target.url)
                failure = FetchFailure("internal_error", f"unexpected error: {type(exc).__name__}: {exc}")
                result = FetchResult(target, None, failure, elapsed=time.monotonic() - start)
            if on_result is not None:
                on_result(result)
            return result

        return list(await asyncio.gather(*(run(t) for t in targets)))


def fetch_all_sync(
    targets: Sequence[DocumentTarget],
    *,
    config: FetchConfig = FetchConfig(),
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
