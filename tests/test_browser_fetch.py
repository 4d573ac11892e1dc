"""The browser fetcher against real servers on 127.0.0.1, in the system's headless chromium.

Pages whose text a script inserts after load, a server answering 403 to the plain client's
User-Agent, third-party requests that must be blocked, the caps, one browser per run closed on
every exit path. Tests needing chromium are slow (they still run in .ci/run); the choice of
fetcher, the request rule and the messages when the browser is missing are fast.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from policydiff.fetch import FetchConfig, FetchResult, fetch_all_sync, fetch_one, make_client
from policydiff.fetch import browser as browser_module
from policydiff.fetch.browser import FETCHER_HEADER, NO_SANDBOX_ENV, BrowserFetcher, allowed_request
from policydiff.targets import DocumentTarget

HAVE_CHROMIUM = browser_module.browser_missing() is None


def needs_chromium(test: Callable[..., None]) -> Callable[..., None]:
    """Slow, in a real chromium; skipped with the reason when the extra or chromium is missing."""
    skip = pytest.mark.skipif(not HAVE_CHROMIUM, reason="playwright or /usr/bin/chromium is not installed")
    return pytest.mark.slow(pytest.mark.browser(skip(test)))


CONFIG = FetchConfig(timeout=8.0, total_timeout=20.0, retries=0, host_delay=0.0)
PARAGRAPHS = "".join(
    f"<p>Clause {i}. We use the information you give us to run the service and to keep it safe.</p>"
    for i in range(1, 13)
)
POLICY = (
    "<!doctype html><html><head><title>Privacy</title></head><body>"
    f"<main id='content'><h1>Privacy</h1>{PARAGRAPHS}</main></body></html>"
)
SCRIPTED = """<!doctype html><html><head><title>Privacy</title></head><body>
<main id="content"></main>
<script>
setTimeout(function () {
  var html = "<h1>Privacy</h1>";
  for (var i = 1; i <= 12; i++) {
    html += "<p>Clause " + i + ". Inserted " + "by a script: we use what you give us to run the service.</p>";
  }
  document.getElementById("content").innerHTML = html;
}, 150);
</script></body></html>"""


@pytest.fixture(autouse=True)
def no_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    """CI containers run as root, where chromium cannot sandbox itself: the one place it is off."""
    monkeypatch.setenv(NO_SANDBOX_ENV, "1")


@pytest.fixture
def server(web_servers: Callable[[], HTTPServer]) -> HTTPServer:
    return web_servers()  # 404 to paths without a handler: no robots.txt, everything allowed


def target(url: str, **kwargs: Any) -> DocumentTarget:
    return DocumentTarget(service="example", document="privacy", url=url, **kwargs)


def pages(server: HTTPServer) -> list[str]:
    """The paths the server was asked for, robots.txt aside."""
    return [req.path for req, _ in server.log if req.path != "/robots.txt"]


def only(*targets: DocumentTarget, config: FetchConfig = CONFIG) -> FetchResult:
    (result,) = fetch_all_sync(list(targets), config=config)
    return result


def html(body: str, status: int = 200) -> Response:
    return Response(body, status=status, content_type="text/html; charset=utf-8")


def descendants() -> set[int]:
    """Process ids below this one (chromium and Playwright's driver while a browser is open)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found: set[int] = set()
    stack = [os.getpid()]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def wait_no_descendants() -> set[int]:
    deadline = time.monotonic() + 5
    while descendants() and time.monotonic() < deadline:
        time.sleep(0.05)
    return descendants()


# ------------------------------------------------------------------------------- browser


@needs_chromium
def test_text_inserted_by_a_script_is_seen_by_the_browser_only(server: HTTPServer) -> None:
    server.expect_request("/js").respond_with_handler(lambda r: html(SCRIPTED))
    url = server.url_for("/js")
    plain = only(target(url, select=["#content"]), config=FetchConfig(browser_fallback=False, retries=0))
    assert plain.failure is not None and plain.failure.reason in ("empty", "too_short", "selector_missing")
    assert b"Inserted by a script" not in (plain.rejected.content if plain.rejected else b"")

    start = time.monotonic()
    result = only(target(url, select=["#content"]))
    elapsed = time.monotonic() - start
    assert result.failure is None, result.failure
    assert result.fetcher == "browser" and result.snapshot is not None
    snapshot = result.snapshot
    assert snapshot.headers[FETCHER_HEADER] == "browser"
    assert snapshot.final_url == url and snapshot.url == url
    assert b"Clause 12. Inserted by a script" in snapshot.content
    assert result.document is not None and len(list(result.document.clauses())) == 12
    print(f"plain fetch, then browser fallback: {elapsed:.2f}s")


CHALLENGE = (
    "<html><head><title>Just a moment...</title></head><body><p>Checking your browser before "
    "accessing the site.</p><script src='/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1'></script>"
    "</body></html>"
)


@needs_chromium
@pytest.mark.parametrize(
    ("status", "body"),
    [(403, "<html><body><h1>403 Forbidden</h1></body></html>"), (429, CHALLENGE), (200, CHALLENGE)],
    ids=["403", "429-challenge", "200-challenge"],
)
def test_a_blocked_plain_client_falls_back_to_the_browser(server: HTTPServer, status: int, body: str) -> None:
    def gate(request: Request) -> Response:
        if "policydiff" in request.headers.get("User-Agent", ""):
            return html(body, status)
        return html(POLICY)

    server.expect_request("/p").respond_with_handler(gate)
    result = only(target(server.url_for("/p")))
    assert result.failure is None, result.failure
    assert result.fetcher == "browser" and result.attempts == 2
    agents = [req.headers.get("User-Agent", "") for req, _ in server.log if req.path == "/p"]
    assert len(agents) == 2 and "policydiff" in agents[0] and "policydiff" not in agents[1]


@needs_chromium
def test_a_browser_target_skips_the_plain_fetch(server: HTTPServer) -> None:
    server.expect_request("/p").respond_with_handler(lambda r: html(POLICY))
    result = only(target(server.url_for("/p"), browser=True))
    assert result.ok and result.fetcher == "browser"
    assert pages(server) == ["/p"]
    (request,) = [req for req, _ in server.log if req.path == "/p"]
    assert "policydiff" not in request.headers.get("User-Agent", "")


@needs_chromium
def test_requests_to_other_hosts_are_blocked_and_the_page_s_own_are_not(
    server: HTTPServer, web_servers: Callable[[], HTTPServer]
) -> None:
    other = web_servers()
    other.expect_request("/track.js").respond_with_data(
        "document.body.insertAdjacentHTML('beforeend', '<p>THIRD PARTY RAN</p>')",
        content_type="application/javascript",
    )
    server.expect_request("/own.js").respond_with_data(
        "document.getElementById('content').insertAdjacentHTML('beforeend', '<p>OWN SCRIPT RAN</p>')",
        content_type="application/javascript",
    )
    page = POLICY.replace(
        "</body>",
        f"<img src='/pixel.png'><script src='/own.js'></script>"
        f"<script src='http://localhost:{other.port}/track.js'></script></body>",
    )
    server.expect_request("/p").respond_with_handler(lambda r: html(page))
    result = only(target(server.url_for("/p"), browser=True))
    assert result.snapshot is not None, result.failure
    assert b"OWN SCRIPT RAN" in result.snapshot.content
    assert b"THIRD PARTY RAN" not in result.snapshot.content
    assert other.log == [], "a request to another host left the browser"
    assert "/pixel.png" not in pages(server), "images are never loaded"


@needs_chromium
def test_a_selector_that_never_gets_text_fails_within_the_time_cap(server: HTTPServer) -> None:
    server.expect_request("/p").respond_with_handler(
        lambda r: html("<html><body><main id='content'></main></body></html>")
    )
    config = FetchConfig(timeout=1.5, total_timeout=30.0, retries=0, host_delay=0.0)
    start = time.monotonic()
    result = only(target(server.url_for("/p"), browser=True, select=["#content"]), config=config)
    assert result.failure is not None and result.failure.reason == "selector_missing"
    assert "held no text after 1.5s in the browser" in result.failure.message
    rejected = result.rejected  # the rendered page is kept as evidence of what was there instead
    assert rejected is not None and rejected.headers[FETCHER_HEADER] == "browser"
    assert b'<main id="content"></main>' in rejected.content
    assert time.monotonic() - start < 15.0, "the wait is capped by the timeout, not the 30 s deadline"


@needs_chromium
def test_a_rendered_page_over_the_size_cap_is_too_large(server: HTTPServer) -> None:
    grow = "<script>document.body.insertAdjacentHTML('beforeend', '<p>' + 'word '.repeat(20000))</script>"
    server.expect_request("/p").respond_with_handler(
        lambda r: html(POLICY.replace("</body>", grow + "</body>"))
    )
    config = FetchConfig(
        timeout=5.0, total_timeout=15.0, retries=0, host_delay=0.0, max_decompressed_bytes=50_000
    )
    result = only(target(server.url_for("/p"), browser=True), config=config)
    assert result.failure is not None and result.failure.reason == "too_large"


@needs_chromium
def test_one_browser_serves_every_target_and_is_closed_after(server: HTTPServer) -> None:
    for name in ("a", "b", "c"):
        server.expect_request(f"/{name}").respond_with_handler(lambda r: html(POLICY))
    targets = [
        DocumentTarget(service="example", document=name, url=server.url_for(f"/{name}"), browser=True)
        for name in ("a", "b", "c")
    ]

    async def run() -> tuple[list[FetchResult], int, bool]:
        async with make_client(CONFIG) as client, BrowserFetcher(CONFIG) as browser:
            results = []
            for t in targets:
                start = time.monotonic()
                results.append(await fetch_one(client, t, config=CONFIG, browser=browser))
                print(f"browser fetch {t.document}: {time.monotonic() - start:.3f}s")
            running = bool(descendants())
        return results, browser.launches, running

    results, launches, running = asyncio.run(run())
    assert all(r.ok for r in results) and launches == 1 and running
    assert wait_no_descendants() == set(), "chromium left running after the run"


@needs_chromium
def test_the_browser_is_closed_when_the_run_fails(server: HTTPServer) -> None:
    server.expect_request("/p").respond_with_handler(lambda r: html(POLICY))

    def explode(result: FetchResult) -> None:
        raise RuntimeError("a progress callback broke")

    with pytest.raises(RuntimeError, match="progress callback"):
        fetch_all_sync([target(server.url_for("/p"), browser=True)], config=CONFIG, on_result=explode)
    assert wait_no_descendants() == set(), "chromium left running after a failed run"


@needs_chromium
def test_a_pdf_behind_a_browser_target_is_read(server: HTTPServer) -> None:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for i in range(1, 9):
        pdf.multi_cell(0, 6, f"Clause {i}. We keep the information you give us only as long as we need it.")
        pdf.ln(4)
    server.expect_request("/terms.pdf").respond_with_data(bytes(pdf.output()), content_type="application/pdf")
    result = only(target(server.url_for("/terms.pdf"), browser=True))
    assert result.snapshot is not None, result.failure
    assert result.snapshot.media_type == "application/pdf" and result.fetcher == "browser"
    assert result.document is not None and result.document.format == "pdf"


# ------------------------------------------------------------------------- fast: no chromium


@pytest.mark.parametrize(
    ("url", "navigation", "kind", "allowed"),
    [
        ("https://www.example.com/app.js", False, "script", True),
        ("https://static.example.com/app.css", False, "stylesheet", True),
        ("https://cdn.other.net/app.js", False, "script", False),
        ("https://tracker.example.org/p", False, "xhr", False),
        ("https://www.example.com/logo.png", False, "image", False),
        ("https://login.other.net/", True, "document", True),  # the page's own redirect
        ("ftp://www.example.com/x", False, "other", False),
        ("data:text/plain,hi", False, "other", True),
    ],
)
def test_the_request_rule(url: str, navigation: bool, kind: str, allowed: bool) -> None:
    assert allowed_request(url, {"example.com"}, navigation=navigation, resource_type=kind) is allowed


def test_an_ip_address_or_localhost_is_its_own_site() -> None:
    assert not allowed_request(
        "http://localhost:9/x.js", {"127.0.0.1"}, navigation=False, resource_type="script"
    )
    assert allowed_request("http://127.0.0.1:9/x.js", {"127.0.0.1"}, navigation=False, resource_type="script")
    assert not allowed_request(
        "https://evil.co.uk/x", {"example.co.uk"}, navigation=False, resource_type="script"
    )


def test_the_sandbox_is_on_unless_the_test_setting_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NO_SANDBOX_ENV)
    assert BrowserFetcher(CONFIG).sandbox is True
    monkeypatch.setenv(NO_SANDBOX_ENV, "1")
    assert BrowserFetcher(CONFIG).sandbox is False
    assert BrowserFetcher(CONFIG, sandbox=True).sandbox is True


def test_a_browser_target_without_chromium_names_the_package(
    server: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.expect_request("/p").respond_with_handler(lambda r: html(POLICY))
    monkeypatch.setattr(browser_module, "CHROMIUM", Path("/nonexistent/chromium"))
    result = only(target(server.url_for("/p"), browser=True))
    assert result.failure is not None and result.failure.reason == "browser_unavailable"
    assert (
        "apt-get install chromium" in result.failure.message
        and "policydiff[browser]" in result.failure.message
    )
    assert pages(server) == [], "a browser target is never fetched plainly instead"


def test_without_the_extra_the_message_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "playwright.async_api", None)  # as if the extra were not installed
    failure = browser_module.browser_missing()
    assert failure is not None and "pip install 'policydiff[browser]'" in failure.message
    assert "chromium" in failure.message


def test_a_blocked_plain_fetch_without_a_browser_says_one_might_help(
    server: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.expect_request("/p").respond_with_handler(lambda r: html("<html><body>no</body></html>", 403))
    monkeypatch.setattr(browser_module, "CHROMIUM", Path("/nonexistent/chromium"))
    result = only(target(server.url_for("/p")))
    assert (
        result.failure is not None and result.failure.reason == "http_error" and result.failure.status == 403
    )
    assert "a browser might get past it" in result.failure.message


@needs_chromium
def test_watch_renders_a_browser_target_and_records_the_fetcher(server: HTTPServer, tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from policydiff.cli import main
    from policydiff.store import Store

    server.expect_request("/js").respond_with_handler(lambda r: html(SCRIPTED))
    targets = tmp_path / "targets.toml"
    targets.write_text(
        '[services.acme.documents.privacy]\nurl = "'
        + server.url_for("/js")
        + '"\nselect = "#content"\nbrowser = true\n',
        encoding="utf-8",
    )
    args = ["watch", "--targets", str(targets), "--store", str(tmp_path / "store"), "--report"]
    args += [str(tmp_path / "report"), "--host-delay", "0", "--retries", "0", "--no-progress"]
    result = CliRunner().invoke(main, args)
    run = json.loads((tmp_path / "report" / "run.json").read_text())
    (document,) = run["documents"]
    assert (document["status"], document["fetcher"]) == ("first", "browser"), result.output
    version = Store(tmp_path / "store").latest("acme", "privacy")
    assert version is not None and version.headers[FETCHER_HEADER] == "browser"
    assert version.final_url == server.url_for("/js")


@needs_chromium
def test_a_browser_that_died_is_started_again(server: HTTPServer) -> None:
    import signal

    server.expect_request("/p").respond_with_handler(lambda r: html(POLICY))
    page = target(server.url_for("/p"), browser=True)

    async def run() -> tuple[FetchResult, FetchResult, int]:
        async with make_client(CONFIG) as client, BrowserFetcher(CONFIG) as browser:
            first = await fetch_one(client, page, config=CONFIG, browser=browser)
            for pid in descendants():
                try:  # a process may end between the listing and these calls
                    if "chrom" in Path(f"/proc/{pid}/comm").read_text(errors="replace"):
                        os.kill(pid, signal.SIGKILL)
                except (FileNotFoundError, ProcessLookupError):
                    continue
            for _ in range(100):  # Playwright notices the disconnection
                if browser._browser is None or not browser._browser.is_connected():
                    break
                await asyncio.sleep(0.05)
            second = await fetch_one(client, page, config=CONFIG, browser=browser)
            return first, second, browser.launches

    first, second, launches = asyncio.run(run())
    assert first.ok and second.ok, second.failure
    assert launches == 2
    assert wait_no_descendants() == set()


# ------------------------------------------------------------------------------- no SSRF (issue 15)


class _Internal:
    """A server on 127.0.0.2 (loopback, another address than the target's): counts its hits."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.hits: list[str] = []
        hits = self.hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                body = f"<html><body><main id='content'><h1>Internal</h1>{PARAGRAPHS}</main></body></html>"
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
        self.url = f"http://127.0.0.2:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def internal() -> Any:
    server = _Internal()
    yield server
    server.httpd.shutdown()


def redirect(location: str) -> Response:
    return Response("", status=302, headers={"Location": location})


@needs_chromium
def test_a_browser_redirect_into_another_internal_address_is_refused(
    server: HTTPServer, internal: _Internal
) -> None:
    server.expect_request("/go").respond_with_handler(lambda r: redirect(f"{internal.url}/admin"))
    result = only(target(server.url_for("/go"), browser=True))
    assert result.failure is not None and result.failure.reason == "internal_address", result.failure
    assert "127.0.0.2" in result.failure.message and "allow_internal" in result.failure.message
    assert internal.hits == []  # refused before any request left


@needs_chromium
def test_allow_internal_lets_a_browser_redirect_through(server: HTTPServer, internal: _Internal) -> None:
    server.expect_request("/go").respond_with_handler(lambda r: redirect(f"{internal.url}/admin"))
    result = only(target(server.url_for("/go"), browser=True, allow_internal=["127.0.0.2/32"]))
    assert result.failure is None, result.failure
    assert result.snapshot is not None and result.snapshot.final_url == f"{internal.url}/admin"
    assert internal.hits == ["/admin"]


@needs_chromium
def test_the_target_s_own_redirects_are_followed_in_the_browser(server: HTTPServer) -> None:
    server.expect_request("/old").respond_with_handler(lambda r: redirect("/privacy"))
    server.expect_request("/privacy").respond_with_handler(lambda r: html(POLICY))
    result = only(target(server.url_for("/old"), browser=True))
    assert result.failure is None, result.failure
    assert result.snapshot is not None and result.snapshot.final_url == server.url_for("/privacy")


@needs_chromium
def test_a_page_s_own_requests_never_reach_an_internal_address(
    server: HTTPServer, internal: _Internal
) -> None:
    """Scripts, frames, fetches, same-site subresources redirected inside: none of them reaches
    127.0.0.2; the page itself is read."""
    page = POLICY.replace(
        "</main>",
        f"</main><script src='/lib.js'></script><iframe src='{internal.url}/frame'></iframe>"
        f"<script>fetch('{internal.url}/fetch').catch(() => 0);"
        "fetch('/bounce').catch(() => 0);</script>",
    )
    server.expect_request("/p").respond_with_handler(lambda r: html(page))
    server.expect_request("/lib.js").respond_with_handler(lambda r: redirect(f"{internal.url}/lib.js"))
    server.expect_request("/bounce").respond_with_handler(lambda r: redirect(f"{internal.url}/bounce"))
    result = only(target(server.url_for("/p"), browser=True, select=["#content"]))
    assert result.failure is None, result.failure
    assert internal.hits == []


@needs_chromium
def test_a_script_navigating_the_page_to_an_internal_address_is_stopped(
    server: HTTPServer, internal: _Internal
) -> None:
    script = f"<script>setTimeout(() => {{ location.href = '{internal.url}/away'; }}, 50);</script>"
    server.expect_request("/p").respond_with_handler(
        lambda r: html(POLICY.replace("</main>", "</main>" + script))
    )
    only(target(server.url_for("/p"), browser=True))  # the page may be read or not: never the address
    assert internal.hits == []
