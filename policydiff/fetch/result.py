"""What a fetch yields: a snapshot, a failure with a stable reason code, or not-modified."""

from __future__ import annotations

import attrs

from policydiff.errors import FetchError
from policydiff.model import Document, Snapshot
from policydiff.targets import DocumentTarget

__all__ = ["REASONS", "FetchFailure", "FetchResult", "Response"]


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
    "truncated",
    "internal_address",
    "browser_unavailable",
    "robots_disallowed",
    "budget",
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
    fetcher: str = "http"  # "http" or "browser": which fetcher produced the answer

    @property
    def ok(self) -> bool:
        return self.snapshot is not None

    def snapshot_or_raise(self) -> Snapshot:
        """The fetched snapshot; a failure (or a 304, which carries none) raises ``FetchError``."""
        if self.snapshot is not None:
            return self.snapshot
        if self.failure is not None:
            raise FetchError(self.failure.message, url=self.target.url, reason=self.failure.reason)
        raise FetchError(
            "not modified since the last fetch (no new content)", url=self.target.url, reason="not_modified"
        )


@attrs.frozen
class Response:
    """A final response: status, URL after redirects, kept headers, decoded body, and who got it."""

    status: int
    url: str
    headers: dict[str, str]
    body: bytes
    fetcher: str = "http"
