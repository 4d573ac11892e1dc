"""A response's media type and charset, declared or sniffed, and its text."""

from __future__ import annotations

import re
from collections.abc import Mapping

from policydiff.model import Snapshot

__all__ = ["HTML_TYPES", "TEXT_TYPES", "charset_of", "decode_text", "media_type_of"]


HTML_TYPES = {"text/html", "application/xhtml+xml"}
TEXT_TYPES = {"text/plain", "text/markdown", "text/x-markdown"}


def media_type_of(headers: Mapping[str, str], body: bytes) -> str:
    """The body's media type: the declared one (with its charset), or sniffed when missing or generic."""
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    declared = content_type.split(";")[0].strip().lower()
    if declared and declared not in ("application/octet-stream", "binary/octet-stream"):
        charset = charset_of(headers)
        return f"{declared}; charset={charset}" if charset else declared
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf"):
        return "application/pdf"
    if head.startswith(b"<") and re.search(rb"<(!doctype html|html|head|body|p|div|h1)\b", head):
        return "text/html"
    if b"\x00" in body[:4096]:
        return "application/octet-stream"
    return "text/plain"


def decode_text(snapshot: Snapshot) -> str:
    charset = charset_of(snapshot.headers) or "utf-8"
    try:
        return snapshot.content.decode(charset, errors="replace")
    except LookupError:
        return snapshot.content.decode("utf-8", errors="replace")


def charset_of(headers: Mapping[str, str]) -> str | None:
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    match = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None
