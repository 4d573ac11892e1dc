"""Politeness: one request at a time per host, a delay between them, a cap overall."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

__all__ = ["HostScheduler", "host_of"]


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
        self.delay = 0.0  # the site's own wish (robots.txt Crawl-delay), when longer than ours


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
                    gate.next_time = max(gate.next_time, loop.time() + max(self.host_delay, gate.delay))

    def slow_host(self, url: str, seconds: float) -> None:
        """Space requests to the host of ``url`` at least ``seconds`` apart (a Crawl-delay)."""
        gate = self.gates.setdefault(host_of(url), _HostGate())
        gate.delay = max(gate.delay, seconds)

    @staticmethod
    def hold_host(gate: _HostGate, seconds: float) -> None:
        """Keep every request to this host waiting ``seconds`` from now (a Retry-After)."""
        gate.next_time = max(gate.next_time, asyncio.get_running_loop().time() + seconds)
