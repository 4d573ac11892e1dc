"""Is the body the whole response? Partial (206) and mis-framed responses are not the document.

A ``206 Partial Content`` (we never send ``Range``) or a body that does not match its declared
``Content-Length`` is a truncated or garbled page: stored as a version, the next full fetch would
look like a change. A body shorter than declared already fails in h11 (the peer closed early, or
we count fewer raw bytes than declared); one *longer* than declared is cut at the declared length
by h11, which leaves the rest unread on the connection: that leftover is what we look for.
"""

from __future__ import annotations

from typing import Any

import httpx

from policydiff.fetch.caps import Abort
from policydiff.fetch.result import FetchFailure

__all__ = ["check_not_partial", "check_whole", "declared_length"]


def check_not_partial(response: httpx.Response) -> None:
    """``Abort`` on ``206 Partial Content``: only a range of the document came back."""
    if response.status_code == 206:
        where = response.headers.get("content-range", "")
        raise Abort(
            FetchFailure(
                "truncated",
                f"HTTP 206 Partial Content{f' ({where})' if where else ''} to a request for the whole "
                f"page: only part of the document was sent; not stored",
                206,
            ),
            transient=True,
        )


def declared_length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length", "").strip()
    return int(value) if value.isdigit() and len(value) <= 18 else None


def check_whole(response: httpx.Response) -> None:
    """``Abort`` when the raw body read differs from ``Content-Length``, or bytes are left over on
    the connection after it. Call it after the body was read in full."""
    raw_bytes = response.num_bytes_downloaded
    declared = declared_length(response)
    if declared is None:
        return
    extra = _leftover_bytes(response)
    if raw_bytes < declared or extra:
        got = f"{raw_bytes} bytes and {extra} more after them" if extra else f"{raw_bytes} bytes"
        raise Abort(
            FetchFailure(
                "truncated",
                f"Content-Length says {declared} bytes but the server sent {got}: the page is "
                f"truncated or garbled; not stored",
                response.status_code,
            ),
            transient=True,
        )


def _leftover_bytes(response: httpx.Response) -> int:
    """Bytes the server sent after the declared end of the body, as far as we can see them: what
    h11 holds unparsed (found by walking httpx's and httpcore's stream wrappers; the test suite
    checks the walk still finds it) plus what waits in the socket."""
    state = _h11_state(response.stream)
    buffered = len(state.trailing_data[0]) if state is not None else 0
    return buffered + _waiting_in_socket(response)


def _h11_state(stream: Any, depth: int = 0) -> Any:
    for name in ("_stream", "_httpcore_stream", "_connection"):
        inner = getattr(stream, name, None)
        if inner is None or depth > 6:
            continue
        state = getattr(inner, "_h11_state", None)
        if state is not None and hasattr(state, "trailing_data"):
            return state
        found = _h11_state(inner, depth + 1)
        if found is not None:
            return found
    return None


def _waiting_in_socket(response: httpx.Response) -> int:
    import socket

    if response.url.scheme != "http":
        return 0  # over TLS the socket holds records (session tickets ...), not body bytes
    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    if sock is None or sock.fileno() < 0:
        return 0
    try:
        # asyncio hands out a TransportSocket, which has no recv: peek through a duplicate of its
        # descriptor (MSG_PEEK leaves the bytes where they are; closing the duplicate leaves the
        # connection open)
        with socket.fromfd(sock.fileno(), sock.family, sock.type) as peer:
            return len(peer.recv(4096, socket.MSG_PEEK | socket.MSG_DONTWAIT))
    except OSError:  # nothing waiting (EAGAIN), or TLS/closed: nothing we can see
        return 0
