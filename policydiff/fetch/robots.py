"""robots.txt, read and obeyed (RFC 9309, parsed by protego), once per site and run.

- Matched as the user-agent token ``policydiff``; a ``User-agent: *`` group applies otherwise.
- ``/robots.txt`` of the document URL's scheme, host and port, fetched like any page (politeness,
  caps, redirects) and kept for the run.
- 2xx: its rules apply. 4xx (404 included): there are no rules, everything is allowed. 5xx and
  other errors: nothing may be fetched ("unreachable" in the RFC's words), so the document's
  failure says robots.txt could not be read; when the site cannot be reached at all (connection
  failure, timeout), that is the document's failure.
- ``Crawl-delay`` spaces the run's requests to that host (up to ``max_retry_after`` seconds),
  when it asks for more than ``host_delay``.
- A target that must be fetched anyway says ``robots = "ignore"`` with a ``robots_reason``
  (e.g. the site's written permission); ``FetchConfig.obey_robots = False`` turns the check off
  for a whole run (tests).
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import attrs
import httpx
from protego import Protego

from policydiff.fetch.config import FetchConfig
from policydiff.fetch.http import fetch_http
from policydiff.fetch.politeness import HostScheduler
from policydiff.fetch.result import FetchFailure

__all__ = ["AGENT", "RobotsRules"]

AGENT = "policydiff"  # the user-agent token robots.txt groups are matched against
_MAX_ROBOTS = 512 * 1024  # RFC 9309: at least 500 KiB must be read


@attrs.frozen
class _Verdict:
    parser: Protego | None  # None: nothing is allowed (robots.txt unreachable)
    why: str  # how robots.txt answered, for messages
    network: FetchFailure | None = None  # the site itself could not be reached


class RobotsRules:
    """robots.txt of each site a run touches, fetched on first use and kept for the run."""

    def __init__(
        self, client: httpx.AsyncClient, config: FetchConfig, scheduler: HostScheduler | None = None
    ) -> None:
        self.client = client
        self.config = attrs.evolve(
            config, max_bytes=min(config.max_bytes, _MAX_ROBOTS), retries=min(config.retries, 1)
        )
        self.scheduler = scheduler
        self._sites: dict[str, asyncio.Task[_Verdict]] = {}

    async def refusal(self, url: str) -> FetchFailure | None:
        """None when robots.txt lets policydiff fetch ``url``, else the failure saying why not."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return None  # not a web URL: the fetch itself reports it
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        task = self._sites.get(robots_url)
        if task is None:
            task = self._sites[robots_url] = asyncio.ensure_future(self._read(robots_url))
        verdict = await task
        override = '; to fetch it anyway set robots = "ignore" and robots_reason = "..." on the target'
        if verdict.network is not None:  # the site is down: that is the document's failure too
            failure = verdict.network
            return attrs.evolve(failure, message=f"{robots_url}: {failure.message}")
        if verdict.parser is None:
            return FetchFailure(
                "robots_disallowed",
                f"{robots_url} could not be read ({verdict.why}), which RFC 9309 treats as a full "
                f"disallow; it is tried again next run{override}",
            )
        if not verdict.parser.can_fetch(url, AGENT):
            return FetchFailure("robots_disallowed", f"{robots_url} disallows {AGENT} from {url}{override}")
        return None

    async def _read(self, robots_url: str) -> _Verdict:
        outcome, _attempts = await fetch_http(
            self.client,
            robots_url,
            {"Accept": "text/plain,*/*;q=0.5"},
            config=self.config,
            scheduler=self.scheduler,
        )
        if isinstance(outcome, FetchFailure):
            status = outcome.status
            if status is not None and 400 <= status < 500:
                return _Verdict(Protego.parse(""), f"HTTP {status}: no rules")
            network = outcome if outcome.reason in ("connection", "timeout") else None
            return _Verdict(None, outcome.message, network)
        text = outcome.body[:_MAX_ROBOTS].decode("utf-8", errors="replace")
        parser = Protego.parse(text)
        delay = parser.crawl_delay(AGENT)
        if delay and self.scheduler is not None:  # honoured up to the longest wait we accept
            self.scheduler.slow_host(robots_url, min(float(delay), self.config.max_retry_after))
        return _Verdict(parser, f"HTTP {outcome.status}")
