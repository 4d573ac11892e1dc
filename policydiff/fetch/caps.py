"""Reading a response under caps: raw and decoded size, bounded gzip/deflate, Retry-After.

Failures of one attempt raise :class:`Abort`; transient ones may be retried by the caller.
"""

from __future__ import annotations

import email.utils
import zlib
from datetime import UTC, datetime
from typing import Any

import httpx

from policydiff.fetch.config import FetchConfig
from policydiff.fetch.result import FetchFailure, Response

__all__ = ["Abort", "kept_headers", "read_body", "retry_after_seconds"]


class Abort(Exception):
    """Internal: one attempt ended with a failure (transient ones may be retried)."""

    def __init__(
        self,
        failure: FetchFailure,
        *,
        transient: bool = False,
        retry_after: float | None = None,
        evidence: Response | None = None,
    ):
        super().__init__(failure.message)
        self.failure = failure
        self.transient = transient
        self.retry_after = retry_after
        self.evidence = evidence  # what came back instead of the document, when it is worth keeping


def kept_headers(headers: httpx.Headers) -> dict[str, str]:
    """Response headers as evidence, keys lowercased; Set-Cookie dropped (session noise, personal)."""
    return {k.lower(): v for k, v in headers.items() if k.lower() != "set-cookie"}


def retry_after_seconds(value: str | None) -> float | None:
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


class Decoder:
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
                raise TooLarge
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


class TooLarge(Exception):
    pass


async def read_body(response: httpx.Response, config: FetchConfig) -> bytes:
    """The decoded body, aborting as soon as the raw or decoded size passes its cap."""
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > config.max_bytes:
        raise Abort(
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
            raise Abort(FetchFailure("unsupported_type", f"content encoding {encoding!r} is not supported"))
    decoders = [Decoder(e) for e in reversed(encodings)]
    raw = 0
    out = bytearray()
    try:
        async for chunk in response.aiter_raw():
            raw += len(chunk)
            if raw > config.max_bytes:
                raise Abort(
                    FetchFailure("too_large", f"body larger than the cap of {config.max_bytes} bytes")
                )
            data = chunk
            for decoder in decoders:
                data = decoder.feed(data, config.max_decompressed_bytes - len(out))
            out += data
            if len(out) > config.max_decompressed_bytes:
                raise TooLarge
    except TooLarge:
        raise Abort(
            FetchFailure(
                "too_large",
                f"body decompresses to more than the cap of {config.max_decompressed_bytes} bytes",
            )
        ) from None
    except zlib.error as exc:
        raise Abort(FetchFailure("http_error", f"corrupt {', '.join(encodings)} body: {exc}")) from None
    if not all(d.finish() for d in decoders):
        raise Abort(FetchFailure("connection", "compressed body ended early (truncated)"), transient=True)
    return bytes(out)
