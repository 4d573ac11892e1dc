"""Shared fixtures: the real corpus beside the repo (skipped cleanly when absent)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"


@pytest.fixture(autouse=True)
def _fresh_normalize_cache() -> Iterator[None]:
    """Each test normalizes its inputs itself: documents kept in memory by an earlier test (the
    normalize cache, ``policydiff.normalize.recent``) would hide what a test patches or counts."""
    from policydiff.normalize import recent

    recent.clear()
    yield


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The real policy corpus in ../shared/corpus; tests using it skip when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"real corpus not available: {CORPUS} is absent")
    return CORPUS


class WebServer(HTTPServer):
    """pytest-httpserver answering 404 to paths without a handler, as a web server does.

    policydiff reads a site's robots.txt before its pages; pytest-httpserver's default 500 there
    would mean "robots.txt unreachable", which RFC 9309 treats as "fetch nothing".
    """

    def clear(self) -> None:
        super().clear()
        self.no_handler_status_code = 404


@pytest.fixture(scope="session")
def make_httpserver() -> Iterator[HTTPServer]:
    """The ``httpserver`` fixture's server (same host and port choice as the plugin's), a WebServer."""
    server = WebServer(
        host=HTTPServer.DEFAULT_LISTEN_HOST, port=HTTPServer.DEFAULT_LISTEN_PORT, threaded=True
    )
    server.clear()
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def web_servers() -> Iterator[Callable[[], HTTPServer]]:
    """Start fresh WebServers on 127.0.0.1 (each its own port: its own host for politeness)."""
    started: list[HTTPServer] = []

    def start() -> HTTPServer:
        server = WebServer(host="127.0.0.1", port=0, threaded=True)
        server.clear()
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.clear()
        server.stop()
