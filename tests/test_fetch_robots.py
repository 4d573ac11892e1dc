"""robots.txt against real servers on 127.0.0.1: read once per site, obeyed, overridable with a reason."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from policydiff.fetch import FetchConfig, FetchResult, fetch_all_sync
from policydiff.targets import DocumentTarget, Part

CONFIG = FetchConfig(timeout=5.0, retries=0, host_delay=0.0, browser_fallback=False)
POLICY = (
    "<html><body><main><h1>Privacy</h1>"
    + "".join(
        f"<p>Clause {i}. We use the information you give us to run the service and keep it safe.</p>"
        for i in range(1, 10)
    )
    + "</main></body></html>"
)


@pytest.fixture
def server(web_servers: Callable[[], HTTPServer]) -> HTTPServer:
    srv = web_servers()
    for path in ("/privacy", "/terms", "/private/notes"):
        srv.expect_request(path).respond_with_data(POLICY, content_type="text/html")
    return srv


def robots(server: HTTPServer, text: str, status: int = 200) -> None:
    server.expect_request("/robots.txt").respond_with_data(text, status=status, content_type="text/plain")


def target(server: HTTPServer, path: str, name: str = "privacy", **kwargs: Any) -> DocumentTarget:
    return DocumentTarget(service="example", document=name, url=server.url_for(path), **kwargs)


def run(*targets: DocumentTarget) -> list[FetchResult]:
    return fetch_all_sync(list(targets), config=CONFIG)


def asked(server: HTTPServer) -> list[str]:
    return [request.path for request, _ in server.log]


def test_a_disallowed_page_is_not_fetched_and_says_how_to_override(server: HTTPServer) -> None:
    robots(server, "User-agent: *\nDisallow: /private/\n")
    allowed, refused = run(target(server, "/privacy"), target(server, "/private/notes", "notes"))
    assert allowed.ok
    assert refused.failure is not None and refused.failure.reason == "robots_disallowed"
    assert "robots.txt disallows policydiff" in refused.failure.message
    assert 'robots = "ignore"' in refused.failure.message and "robots_reason" in refused.failure.message
    assert "/private/notes" not in asked(server)
    assert asked(server).count("/robots.txt") == 1, "robots.txt is read once per site and run"


def test_a_group_for_policydiff_wins_over_the_star_group(server: HTTPServer) -> None:
    robots(
        server, "User-agent: *\nDisallow: /\n\nUser-agent: policydiff\nAllow: /privacy\nDisallow: /terms\n"
    )
    privacy, terms = run(target(server, "/privacy"), target(server, "/terms", "terms"))
    assert privacy.ok
    assert terms.failure is not None and terms.failure.reason == "robots_disallowed"


def test_ignoring_robots_with_a_reason_fetches_anyway(server: HTTPServer) -> None:
    robots(server, "User-agent: *\nDisallow: /\n")
    (result,) = run(
        target(server, "/privacy", robots="ignore", robots_reason="written permission, 2026-11-02")
    )
    assert result.ok
    assert "/robots.txt" not in asked(server)


def test_no_robots_txt_allows_everything(server: HTTPServer) -> None:
    (result,) = run(target(server, "/privacy"))  # /robots.txt answers 404
    assert result.ok
    assert asked(server) == ["/robots.txt", "/privacy"]


def test_an_unreadable_robots_txt_forbids_the_site(server: HTTPServer) -> None:
    robots(server, "oops", status=503)
    (result,) = run(target(server, "/privacy"))
    assert result.failure is not None and result.failure.reason == "robots_disallowed"
    assert "could not be read" in result.failure.message and "RFC 9309" in result.failure.message
    assert "/privacy" not in asked(server)


def test_a_site_that_cannot_be_reached_is_a_connection_failure() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    (result,) = run(DocumentTarget(service="example", document="privacy", url=f"http://127.0.0.1:{port}/p"))
    assert result.failure is not None and result.failure.reason == "connection"
    assert "robots.txt" in result.failure.message


def test_a_disallowed_part_fails_the_combined_document(server: HTTPServer) -> None:
    robots(server, "User-agent: *\nDisallow: /terms\n")
    parts = [Part(server.url_for("/privacy")), Part(server.url_for("/terms"))]
    (result,) = run(DocumentTarget(service="example", document="all", url=parts[0].url, parts=parts))
    assert result.snapshot is None and result.failure is not None
    assert result.failure.reason == "robots_disallowed" and result.failure.message.startswith("part 2 of 2")


def test_a_crawl_delay_spaces_the_requests_to_that_site(web_servers: Callable[[], HTTPServer]) -> None:
    server = web_servers()
    arrived: dict[str, float] = {}

    def page(request: Request) -> Response:
        arrived[request.path] = time.monotonic()
        return Response(POLICY, content_type="text/html")

    for path in ("/privacy", "/terms"):
        server.expect_request(path).respond_with_handler(page)
    robots(server, "User-agent: *\nCrawl-delay: 1\n")
    first, second = run(target(server, "/privacy"), target(server, "/terms", "terms"))
    assert first.ok and second.ok
    assert abs(arrived["/terms"] - arrived["/privacy"]) >= 0.95, arrived  # host_delay is 0 here
