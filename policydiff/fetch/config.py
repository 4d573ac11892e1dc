"""Fetch settings: limits and politeness of a run, and a stored version's validators."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import metadata

import attrs

from policydiff.errors import InputError

__all__ = ["DEFAULT_CONFIG", "DEFAULT_USER_AGENT", "FetchConfig", "Validators"]


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
    browser_fallback: bool = True  # render a blocked or empty plain fetch in the browser (when installed)
    obey_robots: bool = True  # read robots.txt and obey it (a target may opt out, with a reason)
    # seconds classifying one page may take, in a worker process stopped at the deadline (the
    # page then fails with reason "budget"); 0: classified in this process, without a limit
    budget: float = 0.0

    def __attrs_post_init__(self) -> None:
        positive = ("timeout", "total_timeout", "max_bytes", "max_decompressed_bytes", "concurrency")
        for name in positive:
            if not getattr(self, name) > 0:
                raise InputError(f"fetch setting {name} must be greater than 0, not {getattr(self, name)!r}")
        not_negative = (
            "budget",
            "retries",
            "backoff",
            "max_retry_after",
            "max_redirects",
            "host_delay",
            "min_words",
        )
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


DEFAULT_CONFIG = FetchConfig()  # frozen: safe to share as a default argument
