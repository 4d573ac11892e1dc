"""Hostile HTTP servers (issue 15), real ones on loopback: truncated and partial bodies are never
versions, and redirects never lead into internal addresses the target does not point at.

127.0.0.1 plays the watched site (the target points there, so it is allowed); 127.0.0.2 plays an
internal service that must not be reached by a redirect.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from policydiff.fetch import FetchResult, fetch_one, make_client
from policydiff.fetch.addresses import AddressPolicy, InternalAddress, is_internal
from policydiff.targets import DocumentTarget, parse_targets

PAGE = (
    b"<html><body><main><h1>Privacy</h1><p>"
    + b"We collect your name and email address to provide the service to you. " * 8
    + b"</p></main></body></html>"
)
SECRET = b"<html><body><main><h1>Internal</h1><p>" + b"internal-only secret configuration. " * 20 + b"</p>"
Reply = Callable[[bytes], bytes]  # request bytes -> raw response bytes


class RawServer:
    """Answers every connection with what ``reply`` returns for the request, then closes
    (robots.txt: 404, no rules)."""

    def __init__(self, host: str, reply: Reply, hold: float = 0.0) -> None:
        self.sock = socket.create_server((host, 0))
        self.host, self.port = host, self.sock.getsockname()[1]
        self.reply = reply
        self.hold = hold  # seconds a page's connection stays open after the reply
        self.hits = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                request = conn.recv(65536)
                if request.startswith(b"GET /robots.txt "):
                    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                    continue
                self.hits += 1
                conn.sendall(self.reply(request))
                time.sleep(self.hold)

    def close(self) -> None:
        """Stop listening for good: shutdown wakes the blocked accept (a bare close leaves the
        thread accepting on a listener other tests could reach)."""
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        self.thread.join(5)


def response(body: bytes, *, status: str = "200 OK", length: int | None = None, extra: str = "") -> bytes:
    size = len(body) if length is None else length
    head = f"HTTP/1.1 {status}\r\nContent-Type: text/html\r\nContent-Length: {size}\r\n{extra}\r\n"
    return head.encode() + body


def redirect(location: str) -> bytes:
    return f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n".encode()


@pytest.fixture
def servers() -> Iterator[list[RawServer]]:
    started: list[RawServer] = []
    yield started
    for server in started:
        server.close()


def serve(servers: list[RawServer], reply: Reply, host: str = "127.0.0.1", hold: float = 0.0) -> RawServer:
    server = RawServer(host, reply, hold)
    servers.append(server)
    return server


def fetch(url: str, **target: object) -> FetchResult:
    async def run() -> FetchResult:
        async with make_client() as client:
            return await fetch_one(client, DocumentTarget("svc", "doc", url, **target))  # type: ignore[arg-type]

    return asyncio.run(run())


# ------------------------------------------------------------------------------------ framing


def test_a_body_longer_than_its_content_length_is_not_a_version(servers: list[RawServer]) -> None:
    """h11 cuts the body at the declared length: the cut page used to be stored."""
    site = serve(servers, lambda _: response(PAGE, length=len(PAGE) - 60))
    result = fetch(site.url())
    assert not result.ok and result.failure is not None
    assert result.failure.reason == "truncated" and "60 more" in result.failure.message


def test_a_body_shorter_than_its_content_length_is_not_a_version(servers: list[RawServer]) -> None:
    site = serve(servers, lambda _: response(PAGE, length=len(PAGE) + 60))
    result = fetch(site.url())
    assert result.failure is not None and result.failure.reason == "truncated"
    assert site.hits > 1  # transient: retried, as a broken-off transfer may succeed next time


def test_206_partial_content_is_not_a_version(servers: list[RawServer]) -> None:
    reply = response(
        PAGE, status="206 Partial Content", extra=f"Content-Range: bytes 0-99/{len(PAGE) * 3}\r\n"
    )
    site = serve(servers, lambda _: reply)
    result = fetch(site.url())
    assert result.failure is not None and result.failure.reason == "truncated"
    assert "206" in result.failure.message


def test_exact_framing_still_fetches(servers: list[RawServer]) -> None:
    site = serve(servers, lambda _: response(PAGE))
    result = fetch(site.url())
    assert result.ok and result.snapshot is not None and result.snapshot.content == PAGE


def test_framing_is_checked_on_a_connection_the_server_keeps_open(servers: list[RawServer]) -> None:
    """With the connection still open the check peeks at the socket itself (asyncio's socket
    wrapper has no recv: this failed with AttributeError when the server was slow to close)."""
    exact = serve(servers, lambda _: response(PAGE), hold=1.0)
    result = fetch(exact.url())
    assert result.ok and result.snapshot is not None and result.snapshot.content == PAGE
    longer = serve(servers, lambda _: response(PAGE, length=len(PAGE) - 60), hold=1.0)
    result = fetch(longer.url())
    assert result.failure is not None and result.failure.reason == "truncated"


# ------------------------------------------------------------------------------------ redirects


@pytest.fixture
def internal(servers: list[RawServer]) -> RawServer:
    return serve(servers, lambda _: response(SECRET), host="127.0.0.2")


@pytest.mark.parametrize("spelling", ["127.0.0.2", "2130706434", "0x7f000002", "017700000002"])
def test_a_redirect_into_an_internal_address_is_refused(
    servers: list[RawServer], internal: RawServer, spelling: str
) -> None:
    site = serve(servers, lambda _: redirect(f"http://{spelling}:{internal.port}/admin"))
    result = fetch(site.url())
    assert not result.ok and result.failure is not None
    assert result.failure.reason == "internal_address"
    assert "127.0.0.2" in result.failure.message and "allow_internal" in result.failure.message
    assert internal.hits == 0  # refused before connecting


def test_localhost_is_internal_for_a_target_elsewhere(servers: list[RawServer]) -> None:
    loopback_one = serve(servers, lambda _: response(SECRET))  # 127.0.0.1: what "localhost" is
    site = serve(servers, lambda _: redirect(f"http://localhost:{loopback_one.port}/"), host="127.0.0.2")
    result = fetch(site.url())
    assert result.failure is not None and result.failure.reason == "internal_address"
    assert loopback_one.hits == 0


def test_cloud_metadata_is_refused_without_a_connection(servers: list[RawServer]) -> None:
    site = serve(servers, lambda _: redirect("http://169.254.169.254/latest/meta-data/"))
    result = fetch(site.url())
    assert result.failure is not None and result.failure.reason == "internal_address"


def test_redirects_within_the_target_s_own_address_work(servers: list[RawServer]) -> None:
    def reply(request: bytes) -> bytes:
        return response(PAGE) if request.startswith(b"GET /policy ") else redirect("/policy")

    site = serve(servers, reply)
    result = fetch(site.url("/old"))
    assert result.ok and result.snapshot is not None
    assert result.snapshot.final_url == site.url("/policy")


def test_allow_internal_in_targets_toml_lets_a_redirect_through(
    servers: list[RawServer], internal: RawServer
) -> None:
    site = serve(servers, lambda _: redirect(f"http://127.0.0.2:{internal.port}/"))
    targets = parse_targets(
        f'[services.svc.documents.doc]\nurl = "{site.url()}"\nallow_internal = ["127.0.0.0/30"]\n'
    )
    (target,) = targets.documents
    assert target.allow_internal == ("127.0.0.0/30",)

    async def run() -> FetchResult:
        async with make_client() as client:
            return await fetch_one(client, target)

    result = asyncio.run(run())
    assert result.ok and internal.hits == 1


def test_a_connection_that_lands_on_an_internal_address_is_refused() -> None:
    """The address actually connected to is checked too (a DNS answer that changed in between)."""
    policy = AddressPolicy()
    with pytest.raises(InternalAddress):
        policy.check_peer("http://example.com/", ("10.1.2.3", 80))
    with pytest.raises(InternalAddress):
        policy.check_peer("http://example.com/", ("::ffff:127.0.0.2", 80, 0, 0))
    policy.check_peer("http://example.com/", ("93.184.216.34", 80))


@pytest.mark.parametrize(
    ("address", "internal_"),
    [("127.0.0.2", True), ("10.0.0.1", True), ("172.16.0.1", True), ("192.168.1.1", True),
     ("169.254.169.254", True), ("100.100.100.200", True), ("0.0.0.0", True), ("::1", True),
     ("fd00:ec2::254", True), ("fe80::1", True), ("224.0.0.1", True), ("8.8.8.8", False),
     ("2606:4700::1111", False)],
)  # fmt: skip
def test_what_counts_as_internal(address: str, internal_: bool) -> None:
    import ipaddress

    assert is_internal(ipaddress.ip_address(address)) is internal_


def test_allow_internal_must_be_addresses() -> None:
    from policydiff.errors import ConfigError

    with pytest.raises(ConfigError, match="not an IP address"):
        parse_targets('[services.s.documents.d]\nurl = "https://x.test/"\nallow_internal = ["intranet"]\n')
