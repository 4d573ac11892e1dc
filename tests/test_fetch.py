"""fetch against real HTTP servers on 127.0.0.1: retries, caps, politeness, not-the-document pages.

Every server here is a stdlib ``ThreadingHTTPServer`` whose routes are plain functions; it logs
each request (path, headers, start and end times) so tests can check what the fetcher really did.
"""

from __future__ import annotations

import gzip
import http.server
import itertools
import resource
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC
from email.utils import formatdate
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policydiff
from policydiff.errors import InputError
from policydiff.fetch import (
    REASONS,
    FetchConfig,
    FetchResult,
    Validators,
    check_content,
    fetch_all_sync,
    host_of,
)
from policydiff.model import Snapshot
from policydiff.targets import DocumentTarget

# ------------------------------------------------------------------------------------ server

Route = Callable[["Handler"], None]


@attrs.define
class Hit:
    path: str
    headers: dict[str, str]
    start: float
    end: float = 0.0


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        owner: LocalServer = self.server.owner  # type: ignore[attr-defined]
        path = self.path.split("?")[0]
        hit = Hit(path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
        with owner.lock:
            owner.hits.append(hit)
        route = owner.routes.get(path)
        try:
            if route is None:
                self.send(404, b"<html><body>not found</body></html>")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            hit.end = time.monotonic()

    def send(
        self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8", **headers: str
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class LocalServer:
    """A real HTTP server on 127.0.0.1 with function routes and a request log."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str) -> Callable[[Route], Route]:
        def register(func: Route) -> Route:
            self.routes[path] = func
            return func

        return register

    def hits_for(self, path: str) -> list[Hit]:
        with self.lock:
            return [h for h in self.hits if h.path == path]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    srv = LocalServer()
    yield srv
    srv.close()


@pytest.fixture
def server2() -> Iterator[LocalServer]:
    srv = LocalServer()
    yield srv
    srv.close()


# the browser fallback and robots.txt have their own tests (test_browser_fetch.py,
# test_fetch_robots.py); these judge the plain fetch alone and count its requests
FAST = FetchConfig(
    timeout=5.0,
    retries=2,
    backoff=0.05,
    host_delay=0.0,
    max_retry_after=5.0,
    browser_fallback=False,
    obey_robots=False,
)


def policy_html(version: int = 1, *, wrapper: str = "main", extra: str = "") -> bytes:
    """A plausible privacy policy page (our own words), with site chrome around it."""
    paragraphs = "".join(
        f"<p>Section {i} of version {version}. We collect the information you give us when you use the "
        f"service, and we use it to provide, secure and improve the service for you.</p>"
        for i in range(1, 13)
    )
    return (
        "<!doctype html><html><head><title>Privacy Policy - Example</title></head><body>"
        "<header><nav><a href='/'>Home</a> <a href='/login'>Sign in</a></nav></header>"
        f"<{wrapper} id='content'><h1>Privacy Policy</h1>{paragraphs}{extra}</{wrapper}>"
        "<footer>Copyright Example</footer></body></html>"
    ).encode()


def target(url: str, name: str = "privacy", **kwargs: Any) -> DocumentTarget:
    return DocumentTarget(service="example", document=name, url=url, **kwargs)


def fetch(*targets: DocumentTarget, config: FetchConfig = FAST, **kwargs: Any) -> list[FetchResult]:
    return fetch_all_sync(list(targets), config=config, **kwargs)


def only(*targets: DocumentTarget, config: FetchConfig = FAST, **kwargs: Any) -> FetchResult:
    (result,) = fetch(*targets, config=config, **kwargs)
    return result


# ------------------------------------------------------------------------------ the document


def test_good_page_becomes_a_snapshot_with_its_evidence(server: LocalServer) -> None:
    body = policy_html()

    @server.route("/old")
    def old(h: Handler) -> None:
        h.send_response(301)
        h.send_header("Location", "/privacy")
        h.send_header("Content-Length", "0")
        h.end_headers()

    @server.route("/privacy")
    def privacy(h: Handler) -> None:
        h.send(200, body, ETag='"v1"', Set_Cookie="session=secret")

    result = only(target(server.url("/old"), select=("main",), remove=("footer",)))
    assert result.ok and result.failure is None and not result.not_modified
    snap = result.snapshot
    assert snap is not None
    assert snap.content == body
    assert snap.url == server.url("/old")
    assert snap.final_url == server.url("/privacy")
    assert snap.fetched_at is not None and snap.fetched_at.tzinfo is not None
    assert snap.fetched_at.utcoffset() == UTC.utcoffset(None)
    assert snap.media_type == "text/html; charset=utf-8"  # the declared charset travels with it
    assert snap.headers["etag"] == '"v1"'
    assert "set-cookie" not in snap.headers  # session noise is not evidence
    assert (snap.service, snap.document) == ("example", "privacy")
    assert snap.selectors == ("main",) and snap.remove_selectors == ("footer",)
    assert result.attempts == 1
    ua = server.hits_for("/privacy")[0].headers["user-agent"]
    assert ua.startswith("policydiff/") and "+http" in ua


def test_page_that_changes_between_runs_gives_different_snapshots(server: LocalServer) -> None:
    version = {"n": 1}

    @server.route("/p")
    def page(h: Handler) -> None:
        h.send(200, policy_html(version["n"]))

    first = only(target(server.url("/p")))
    version["n"] = 2
    second = only(target(server.url("/p")))
    third = only(target(server.url("/p")))
    assert first.snapshot and second.snapshot and third.snapshot
    assert first.snapshot.sha256 != second.snapshot.sha256
    assert second.snapshot.sha256 == third.snapshot.sha256
    assert b"version 2" in second.snapshot.content


def test_locale_and_headers_are_sent(server: LocalServer) -> None:
    @server.route("/p")
    def page(h: Handler) -> None:
        h.send(200, policy_html())

    only(target(server.url("/p"), locale="de-DE", headers={"X-Test": "yes"}))
    hit = server.hits_for("/p")[0]
    assert hit.headers["accept-language"] == "de-DE"
    assert hit.headers["x-test"] == "yes"


def test_gzip_page_is_decoded(server: LocalServer) -> None:
    body = policy_html()

    @server.route("/gz")
    def page(h: Handler) -> None:
        h.send(200, gzip.compress(body), Content_Encoding="gzip")

    result = only(target(server.url("/gz")))
    assert result.snapshot is not None and result.snapshot.content == body
    assert "gzip" in server.hits_for("/gz")[0].headers["accept-encoding"]


def test_deflate_raw_and_zlib_wrapped_are_decoded(server: LocalServer) -> None:
    body = policy_html()
    raw = zlib.compressobj(6, zlib.DEFLATED, -15)

    @server.route("/zlib")
    def wrapped(h: Handler) -> None:
        h.send(200, zlib.compress(body), Content_Encoding="deflate")

    @server.route("/raw")
    def bare(h: Handler) -> None:
        h.send(200, raw.compress(body) + raw.flush(), Content_Encoding="deflate")

    results = fetch(target(server.url("/zlib"), "a"), target(server.url("/raw"), "b"))
    assert [r.snapshot.content if r.snapshot else r.failure for r in results] == [body, body]


def test_plain_text_document_is_accepted(server: LocalServer) -> None:
    text = ("We collect the information you give us and use it to run the service. " * 10).encode()

    @server.route("/terms.txt")
    def page(h: Handler) -> None:
        h.send(200, text, "text/plain; charset=utf-8")

    result = only(target(server.url("/terms.txt")))
    assert result.snapshot is not None and result.snapshot.media_type.startswith("text/plain")


# ------------------------------------------------------------------------------ retries


def test_503_then_200_recovers_with_a_retry(server: LocalServer) -> None:
    calls = {"n": 0}

    @server.route("/flaky")
    def flaky(h: Handler) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            h.send(503, b"busy")
        else:
            h.send(200, policy_html())

    result = only(target(server.url("/flaky")))
    assert result.ok and result.attempts == 2
    assert len(server.hits_for("/flaky")) == 2


def test_429_with_retry_after_is_honoured(server: LocalServer) -> None:
    calls = {"n": 0}

    @server.route("/limited")
    def limited(h: Handler) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            h.send(429, b"slow down", Retry_After="1")
        else:
            h.send(200, policy_html())

    result = only(target(server.url("/limited")))
    assert result.ok and result.attempts == 2
    first, second = server.hits_for("/limited")
    assert second.start - first.end >= 0.9  # waited for Retry-After, measured by the server


def test_retry_after_is_capped(server: LocalServer) -> None:
    calls = {"n": 0}

    @server.route("/limited")
    def limited(h: Handler) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            h.send(429, b"slow down", Retry_After="3600")
        else:
            h.send(200, policy_html())

    config = attrs.evolve(FAST, max_retry_after=0.3)
    started = time.monotonic()
    result = only(target(server.url("/limited")), config=config)
    assert result.ok and result.attempts == 2
    assert time.monotonic() - started < 3


def test_persistent_500_fails_after_bounded_retries(server: LocalServer) -> None:
    @server.route("/down")
    def down(h: Handler) -> None:
        h.send(500, b"oops")

    result = only(target(server.url("/down")))
    assert result.snapshot is None and result.failure is not None
    assert result.failure.reason == "http_error" and result.failure.status == 500
    assert result.attempts == FAST.retries + 1 == len(server.hits_for("/down"))


def test_404_is_not_retried(server: LocalServer) -> None:
    result = only(target(server.url("/missing")))
    assert result.failure is not None and result.failure.reason == "http_error"
    assert result.failure.status == 404 and result.attempts == 1
    assert len(server.hits_for("/missing")) == 1
    with pytest.raises(policydiff.FetchError) as info:  # the exported error, for callers that want one
        result.snapshot_or_raise()
    assert info.value.reason == "http_error" and info.value.url == server.url("/missing")
    assert isinstance(info.value, OSError)


def test_connection_refused_is_a_connection_failure() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = only(target(f"http://127.0.0.1:{port}/x"))
    assert result.failure is not None and result.failure.reason == "connection"
    assert result.attempts == FAST.retries + 1


def test_slow_server_times_out(server: LocalServer) -> None:
    @server.route("/slow")
    def slow(h: Handler) -> None:
        time.sleep(6)
        h.send(200, policy_html())

    config = attrs.evolve(FAST, timeout=0.3, retries=0)
    started = time.monotonic()
    result = only(target(server.url("/slow")), config=config)
    assert result.failure is not None and result.failure.reason == "timeout"
    assert time.monotonic() - started < 4  # well before the server's 6 s


def test_slow_drip_body_hits_the_total_deadline(server: LocalServer) -> None:
    @server.route("/drip")
    def drip(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        for _ in range(100):  # a byte every 0.1 s: never idle long enough for the read timeout
            h.wfile.write(b"<p>x</p>")
            h.wfile.flush()
            time.sleep(0.1)

    config = attrs.evolve(FAST, timeout=1.0, total_timeout=0.8, retries=0)
    started = time.monotonic()
    result = only(target(server.url("/drip")), config=config)
    assert result.failure is not None and result.failure.reason == "timeout"
    assert time.monotonic() - started < 6  # well before the 10 s the drip lasts


# ------------------------------------------------------------------------------ caps and redirects


def test_redirect_loop_fails_without_retrying(server: LocalServer) -> None:
    @server.route("/a")
    def a(h: Handler) -> None:
        h.send(302, b"", Location="/b")

    @server.route("/b")
    def b(h: Handler) -> None:
        h.send(302, b"", Location="/a")

    config = attrs.evolve(FAST, max_redirects=5)
    result = only(target(server.url("/a")), config=config)
    assert result.failure is not None and result.failure.reason == "too_many_redirects"
    assert result.attempts == 1
    assert len(server.hits_for("/a")) + len(server.hits_for("/b")) == 6  # first request + 5 redirects


def _gzip_bomb(gigabytes: int = 1) -> bytes:
    """A valid gzip stream of ``gigabytes`` GiB of zeros, ~1 MB compressed, built in well under a second.

    One full-flushed deflate block of 1 MiB zeros is self-contained, so it is repeated.
    """
    zeros = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    blocks = 1024 * gigabytes
    for _ in range(blocks):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, (blocks << 20) & 0xFFFFFFFF)
    return header + block * blocks + compressor.flush() + trailer


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    return _gzip_bomb()


def test_gzip_bomb_is_cut_at_the_decompressed_cap(server: LocalServer, gzip_bomb: bytes) -> None:
    assert len(gzip_bomb) < 2 * 1024 * 1024

    @server.route("/bomb")
    def bomb(h: Handler) -> None:
        h.send(200, gzip_bomb, Content_Encoding="gzip")

    config = attrs.evolve(FAST, max_decompressed_bytes=5 * 1024 * 1024, retries=0)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    started = time.monotonic()
    result = only(target(server.url("/bomb")), config=config)
    elapsed = time.monotonic() - started
    rss_growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert result.snapshot is None and result.failure is not None
    assert result.failure.reason == "too_large" and result.failure.status == 200
    assert "decompress" in result.failure.message
    assert rss_growth_mb < 100, f"peak memory grew by {rss_growth_mb:.0f} MB"
    assert elapsed < 10


def test_endless_body_is_cut_at_max_bytes_quickly(server: LocalServer) -> None:
    sent = {"bytes": 0}

    @server.route("/endless")
    def endless(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()  # no Content-Length: the body ends when the connection does
        chunk = b"<p>" + b"a" * (64 * 1024 - 7) + b"</p>"
        while sent["bytes"] < 1 << 30:  # 1 GiB, unless the client hangs up
            h.wfile.write(chunk)
            sent["bytes"] += len(chunk)

    config = attrs.evolve(FAST, max_bytes=2 * 1024 * 1024, retries=0)
    started = time.monotonic()
    result = only(target(server.url("/endless")), config=config)
    assert result.failure is not None and result.failure.reason == "too_large"
    assert time.monotonic() - started < 10
    time.sleep(0.2)
    assert sent["bytes"] < 64 * 1024 * 1024  # the client hung up long before 1 GiB


def test_announced_content_length_over_the_cap_is_refused_unread(server: LocalServer) -> None:
    @server.route("/big")
    def big(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(50 * 1024 * 1024))
        h.end_headers()
        h.wfile.write(b"<p>only a little</p>")

    config = attrs.evolve(FAST, max_bytes=1024 * 1024, retries=0)
    result = only(target(server.url("/big")), config=config)
    assert result.failure is not None and result.failure.reason == "too_large"


def test_unknown_content_encoding_is_a_failure(server: LocalServer) -> None:
    @server.route("/br")
    def br(h: Handler) -> None:
        h.send(200, b"\x1b\x00\x00", Content_Encoding="br")

    result = only(target(server.url("/br")))
    assert result.failure is not None and result.failure.reason == "unsupported_type"


# ------------------------------------------------------------------------------ conditional requests


def test_conditional_request_with_etag_gives_not_modified(server: LocalServer) -> None:
    @server.route("/p")
    def page(h: Handler) -> None:
        if h.headers.get("If-None-Match") == '"abc"':
            h.send_response(304)
            h.send_header("ETag", '"abc"')
            h.end_headers()
        else:
            h.send(200, policy_html(), ETag='"abc"')

    first = only(target(server.url("/p")))
    assert first.snapshot is not None
    validators = Validators.from_headers(first.snapshot.headers)
    assert validators.etag == '"abc"'
    second = only(target(server.url("/p")), validators={target(server.url("/p")).key: validators})
    assert second.not_modified and second.snapshot is None and second.failure is None
    assert server.hits_for("/p")[1].headers["if-none-match"] == '"abc"'


def test_conditional_request_with_last_modified(server: LocalServer) -> None:
    stamp = formatdate(time.time() - 3600, usegmt=True)

    @server.route("/p")
    def page(h: Handler) -> None:
        if h.headers.get("If-Modified-Since") == stamp:
            h.send_response(304)
            h.end_headers()
        else:
            h.send(200, policy_html(), Last_Modified=stamp)

    t = target(server.url("/p"))
    first = only(t)
    assert first.snapshot is not None
    second = only(t, validators={t.key: Validators.from_headers(first.snapshot.headers)})
    assert second.not_modified
    # a changed resource answers 200 even to a conditional request
    third = only(t, validators={t.key: Validators(last_modified="Mon, 01 Jan 2001 00:00:00 GMT")})
    assert third.snapshot is not None and not third.not_modified


# ------------------------------------------------------------------------------ not the document

CHALLENGE = b"""<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"></head><body><div class="main-wrapper">
<h1>example.com</h1><h2>Checking if the site connection is secure</h2>
<noscript>Enable JavaScript and cookies to continue</noscript>
<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1"></script>
<div>Ray ID: <code>7d1e1f0b0c0d0e0f</code></div></div></body></html>"""

BLOCKED = b"""<html><head><title>Access Denied</title></head><body><h1>Access Denied</h1>
You don't have permission to access this page on this server.<p>Reference #18.5a3f1</p></body></html>"""

CAPTCHA = b"""<html><head><title>Please wait</title></head><body><p>We have detected unusual traffic
from your computer network. Please complete the captcha below to continue.</p>
<div class="g-recaptcha" data-sitekey="x"></div></body></html>"""

COOKIE_WALL = b"""<html><head><title>Before you continue</title></head><body><div class="consent">
<h1>We value your privacy</h1><p>We and our partners use cookies and similar technologies to store and
access information on your device. With your consent we use cookies for personalised ads.</p>
<button>Accept all</button><button>Reject all</button><a href="#">Manage preferences</a>
</div></body></html>"""

LOGIN = b"""<html><head><title>Sign in</title></head><body><form action="/session" method="post">
<h1>Sign in to continue</h1><label>Email <input type="email" name="email"></label>
<label>Password <input type="password" name="password"></label>
<label><input type="checkbox"> Remember me</label><button>Sign in</button>
<a href="/reset">Forgot your password?</a></form></body></html>"""


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (CHALLENGE, "not_document"),
        (BLOCKED, "not_document"),
        (CAPTCHA, "not_document"),
        (COOKIE_WALL, "cookie_wall"),
        (LOGIN, "login_wall"),
        (b"", "empty"),
        (b"<html><head><title>x</title></head><body>   </body></html>", "empty"),
        (b"<html><body><p>Our privacy policy is loading.</p></body></html>", "too_short"),
        (b"%PDF-1.7\n%binary", "unparseable"),  # a PDF, but a damaged one
    ],
)
def test_pages_that_are_not_the_document_are_failures(server: LocalServer, body: bytes, reason: str) -> None:
    @server.route("/p")
    def page(h: Handler) -> None:
        h.send(200, body, "application/octet-stream" if body.startswith(b"%PDF") else "text/html")

    result = only(target(server.url("/p")))
    assert result.snapshot is None, "a page that is not the document must never be a snapshot"
    assert result.failure is not None and result.failure.reason == reason, result.failure
    assert result.failure.status == 200
    assert result.rejected is not None and result.rejected.content == body


def test_redirect_to_a_login_url_is_a_login_wall(server: LocalServer) -> None:
    @server.route("/terms")
    def terms(h: Handler) -> None:
        h.send(302, b"", Location="/accounts/login?next=/terms")

    @server.route("/accounts/login")
    def login(h: Handler) -> None:
        h.send(200, b"<html><body><h1>Welcome back</h1><p>Please continue to your account.</p></body></html>")

    result = only(target(server.url("/terms")))
    assert result.failure is not None and result.failure.reason == "login_wall"


def test_redirect_to_a_consent_page_is_a_cookie_wall(server: LocalServer) -> None:
    @server.route("/privacy")
    def privacy(h: Handler) -> None:
        h.send(302, b"", Location="/consent/?continue=/privacy")

    @server.route("/consent/")
    def consent(h: Handler) -> None:
        h.send(200, b"<html><body><h1>Before you continue</h1><p>Choose an option.</p></body></html>")

    result = only(target(server.url("/privacy")))
    assert result.failure is not None and result.failure.reason == "cookie_wall"


def test_a_real_policy_that_talks_about_cookies_captcha_and_login_is_accepted(server: LocalServer) -> None:
    extra = (
        "<h2>Cookies</h2><p>We use cookies and you can accept all or reject all cookies in the cookie "
        "settings. We ask for your consent where the law requires it.</p>"
        "<h2>Security</h2><p>We use reCAPTCHA to check that you are not a robot when you sign in, and we "
        "store your password hashed. Access denied errors are logged.</p>"
        "<div class='g-recaptcha'></div><form><input type='password'></form>"
    )

    @server.route("/p")
    def page(h: Handler) -> None:
        h.send(200, policy_html(extra=extra))

    result = only(target(server.url("/p"), select=("main",)))
    assert result.ok, result.failure


def test_selector_that_stops_matching_is_a_failure(server: LocalServer) -> None:
    layout = {"wrapper": "main"}

    @server.route("/p")
    def page(h: Handler) -> None:
        h.send(200, policy_html(wrapper=layout["wrapper"]))

    t = target(server.url("/p"), select=("main",))
    assert only(t).ok
    layout["wrapper"] = "article"  # the site's redesign drops <main>
    result = only(t)
    assert result.snapshot is None and result.failure is not None
    assert result.failure.reason == "selector_missing"
    assert "'main'" in result.failure.message


def test_every_selector_must_match(server: LocalServer) -> None:
    @server.route("/p")
    def page(h: Handler) -> None:
        h.send(200, policy_html())

    result = only(target(server.url("/p"), select=("main", "#gone")))
    assert result.failure is not None and result.failure.reason == "selector_missing"
    assert "#gone" in result.failure.message and "'main'" not in result.failure.message


def test_remove_selectors_can_make_the_extraction_too_short(server: LocalServer) -> None:
    @server.route("/p")
    def page(h: Handler) -> None:
        h.send(200, policy_html())

    result = only(target(server.url("/p"), select=("main",), remove=("p",)))
    assert result.failure is not None and result.failure.reason in {"too_short", "empty"}


# ------------------------------------------------------------------------------ check_content alone


def test_check_content_works_on_snapshots_without_a_network() -> None:
    good = Snapshot(content=policy_html(), media_type="text/html", url="https://x.test/privacy")
    assert check_content(good) is None
    bad = Snapshot(content=CHALLENGE, media_type="text/html")
    failure = check_content(bad)
    assert failure is not None and failure.reason == "not_document"
    short = Snapshot(content=b"Coming soon.", media_type="text/plain")
    failure = check_content(short)
    assert failure is not None and failure.reason == "too_short"
    assert check_content(short, min_words=1) is None


# ------------------------------------------------------------------------------ politeness


def test_same_host_is_fetched_one_at_a_time_with_a_delay(server: LocalServer) -> None:
    @server.route("/slow")
    def slow(h: Handler) -> None:
        time.sleep(0.2)
        h.send(200, policy_html())

    config = attrs.evolve(FAST, host_delay=0.3, concurrency=8)
    targets = [target(server.url(f"/slow?n={i}"), f"doc{i}") for i in range(3)]
    results = fetch(*targets, config=config)
    assert all(r.ok for r in results)
    hits = sorted(server.hits_for("/slow"), key=lambda h: h.start)
    assert len(hits) == 3
    for before, after in itertools.pairwise(hits):
        assert after.start >= before.end, "two requests to one host overlapped"
        assert after.start - before.end >= 0.25, "no delay between requests to one host"


def test_different_hosts_are_fetched_concurrently(server: LocalServer, server2: LocalServer) -> None:
    for srv in (server, server2):

        @srv.route("/slow")
        def slow(h: Handler) -> None:
            time.sleep(0.8)
            h.send(200, policy_html())

    assert host_of(server.url("/")) != host_of(server2.url("/"))
    config = attrs.evolve(FAST, host_delay=1.0, concurrency=4)
    results = fetch(target(server.url("/slow"), "a"), target(server2.url("/slow"), "b"), config=config)
    assert all(r.ok for r in results)
    (one,) = server.hits_for("/slow")
    (two,) = server2.hits_for("/slow")
    assert one.start < two.end and two.start < one.end, "different hosts should overlap"


def test_overall_concurrency_is_capped(server: LocalServer, server2: LocalServer) -> None:
    for srv in (server, server2):

        @srv.route("/slow")
        def slow(h: Handler) -> None:
            time.sleep(0.3)
            h.send(200, policy_html())

    config = attrs.evolve(FAST, concurrency=1)
    results = fetch(target(server.url("/slow"), "a"), target(server2.url("/slow"), "b"), config=config)
    assert all(r.ok for r in results)
    (one,) = server.hits_for("/slow")
    (two,) = server2.hits_for("/slow")
    assert one.end <= two.start or two.end <= one.start, "concurrency=1 but requests overlapped"


def test_host_of_fills_default_ports() -> None:
    assert host_of("https://Example.com/x") == "example.com:443"
    assert host_of("http://example.com/x") == "example.com:80"
    assert host_of("http://127.0.0.1:8080/") == "127.0.0.1:8080"


# ------------------------------------------------------------------------------ whole runs


def test_fetch_all_returns_one_result_per_target_in_order_and_never_raises(server: LocalServer) -> None:
    @server.route("/ok")
    def ok(h: Handler) -> None:
        h.send(200, policy_html())

    targets = [
        target(server.url("/ok"), "a"),
        target(server.url("/missing"), "b"),
        target("http://[bad-url/", "c"),
        target("ftp://127.0.0.1/x", "d"),
        target(server.url("/ok"), "e", select=("#nothing",)),
    ]
    seen: list[str] = []
    results = fetch(*targets, on_result=lambda r: seen.append(r.target.document))
    assert [r.target for r in results] == targets
    assert sorted(seen) == ["a", "b", "c", "d", "e"]
    assert results[0].ok
    assert [r.failure.reason if r.failure else None for r in results[1:]] == [
        "http_error",
        "connection",
        "connection",
        "selector_missing",
    ]
    for result in results:
        assert (result.snapshot is None) != (result.failure is None)


@pytest.mark.parametrize("status", [403, 503])
def test_challenge_pages_with_error_status_are_named_and_not_retried(
    server: LocalServer, status: int
) -> None:
    @server.route("/p")
    def page(h: Handler) -> None:
        h.send(status, CHALLENGE)

    result = only(target(server.url("/p")))
    assert result.failure is not None and result.failure.reason == "not_document"
    assert result.failure.status == status and result.attempts == 1


def test_401_is_a_login_wall(server: LocalServer) -> None:
    @server.route("/p")
    def page(h: Handler) -> None:
        h.send(401, b"<html><body>Authentication required</body></html>", WWW_Authenticate='Basic realm="x"')

    result = only(target(server.url("/p")))
    assert (
        result.failure is not None and result.failure.reason == "login_wall" and result.failure.status == 401
    )


def test_invalid_remove_selector_is_a_failure_not_a_crash(server: LocalServer) -> None:
    @server.route("/p")
    def page(h: Handler) -> None:
        h.send(200, policy_html())

    result = only(target(server.url("/p"), remove=("div[[[",)))
    assert result.failure is not None and result.failure.reason == "selector_missing"


def test_retry_after_holds_back_the_whole_host(server: LocalServer) -> None:
    calls = {"n": 0}

    @server.route("/limited")
    def limited(h: Handler) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            h.send(429, b"slow down", Retry_After="1")
        else:
            h.send(200, policy_html())

    @server.route("/other")
    def other(h: Handler) -> None:
        h.send(200, policy_html())

    results = fetch(target(server.url("/limited"), "a"), target(server.url("/other"), "b"))
    assert all(r.ok for r in results)
    first_429 = server.hits_for("/limited")[0]
    for hit in server.hits_for("/other") + server.hits_for("/limited")[1:]:
        if hit.start > first_429.start:
            assert hit.start - first_429.end >= 0.9, "the host was asked again before its Retry-After"


@pytest.mark.slow
def test_real_policy_pages_are_accepted(corpus: Path) -> None:
    """Real pages from the corpus (raw HTML and extracted Markdown) must never be judged not the document."""
    files = sorted(p for p in corpus.rglob("*") if p.suffix in {".html", ".md"})
    assert files
    for path in files:
        media = "text/html" if path.suffix == ".html" else "text/markdown"
        snapshot = Snapshot(content=path.read_bytes(), media_type=media, url="https://example.test/terms")
        assert check_content(snapshot) is None, path


_markup = st.lists(
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "<div>",
            "</div>",
            "<title>",
            "</title>",
            "<form>",
            "<input type=password>",
            "cookie",
            "consent",
            "accept all",
            "captcha",
            "login",
            "Just a moment",
            "access denied",
            "<main>",
            "</main>",
            "We collect data.",
            "\x00",
            "\xff",
            " ",
            "<script>",
            "</script>",
            "<!--",
            "&amp;",
        ]
    )
    | st.text(max_size=20),
    max_size=60,
)


@settings(max_examples=80, deadline=None)
@given(_markup, st.sampled_from(["text/html", "text/plain", "text/markdown", "application/octet-stream"]))
def test_check_content_never_raises(parts: list[str], media: str) -> None:
    body = "".join(parts).encode("utf-8", "surrogatepass")
    failure = check_content(Snapshot(content=body, media_type=media, selectors=("main",)))
    assert failure is None or failure.reason in REASONS


def test_a_redirect_body_is_never_read(server: LocalServer, gzip_bomb: bytes) -> None:
    """httpx reads (and decompresses) redirect bodies in full; ours are closed unread."""

    @server.route("/moved")
    def moved(h: Handler) -> None:
        h.send(302, gzip_bomb, Location="/privacy", Content_Encoding="gzip")

    @server.route("/privacy")
    def privacy(h: Handler) -> None:
        h.send(200, policy_html())

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    result = only(target(server.url("/moved")))
    assert result.ok and result.snapshot is not None
    assert result.snapshot.final_url == server.url("/privacy")
    assert time.monotonic() - started < 10
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024 < 100


def test_a_short_cookie_page_that_matches_its_selectors_is_the_document(server: LocalServer) -> None:
    """Walls replace the page; a page with the document's layout is judged on its extraction."""
    cookie_faq = (
        b"<html><head><title>Cookies</title></head><body><article class='faq'><h1>Cookie FAQ</h1>"
        + b"<p>What are cookies? Cookies are small files. You can accept all cookies or reject all cookies "
        b"at any time in the cookie settings, and we ask for your consent first.</p>"
        * 4
        + b"</article></body></html>"
    )

    @server.route("/cookies")
    def page(h: Handler) -> None:
        h.send(200, cookie_faq)

    assert only(target(server.url("/cookies"), select=("article.faq",))).ok
    unselected = only(target(server.url("/cookies"), "b"))
    assert unselected.failure is not None and unselected.failure.reason == "cookie_wall"


def test_charset_declared_only_in_the_header_reaches_normalize(server: LocalServer) -> None:
    body = policy_html(extra="<p>Responsable du traitement : Société Générale des Données, Paris.</p>")
    latin1 = body.decode("utf-8").encode("iso-8859-1")

    @server.route("/fr")
    def page(h: Handler) -> None:
        h.send(200, latin1, "text/html; charset=ISO-8859-1")

    result = only(target(server.url("/fr")))
    assert result.snapshot is not None and result.snapshot.content == latin1
    assert result.snapshot.media_type == "text/html; charset=ISO-8859-1"
    if result.document is not None:
        texts = " ".join(clause.text for clause in result.document.clauses())
        assert "Société Générale" in texts


@pytest.mark.parametrize(
    ("name", "value"), [("host_delay", -1.0), ("concurrency", 0), ("timeout", 0.0), ("retries", -1)]
)
def test_bad_fetch_settings_are_input_errors(name: str, value: float) -> None:
    with pytest.raises(InputError, match=name):
        FetchConfig(**{name: value})


def test_known_bytes_are_not_classified_again(server: LocalServer) -> None:
    version = {"n": 1}

    @server.route("/p")
    def page(h: Handler) -> None:
        h.send(200, policy_html(version["n"]))

    t = target(server.url("/p"))
    first = only(t)
    assert first.snapshot is not None and first.document is not None and not first.unchanged_bytes
    known = {t.key: first.snapshot.sha256}
    again = only(t, known_sha256=known)
    assert again.ok and again.unchanged_bytes and again.document is None
    assert again.snapshot is not None and again.snapshot.sha256 == first.snapshot.sha256
    version["n"] = 2  # changed bytes are classified as usual
    changed = only(t, known_sha256=known)
    assert changed.ok and not changed.unchanged_bytes and changed.document is not None


def test_fetch_one_with_its_own_client(server: LocalServer) -> None:
    import asyncio

    from policydiff.fetch import fetch_one, make_client

    @server.route("/p")
    def page(h: Handler) -> None:
        h.send(200, policy_html())

    async def run() -> FetchResult:
        async with make_client(FAST) as client:
            return await fetch_one(client, target(server.url("/p")), config=FAST)

    result = asyncio.run(run())
    assert result.ok and result.snapshot is not None and result.snapshot.url == server.url("/p")
