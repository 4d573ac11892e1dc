"""Sources that are not text: PDFs (``pdf.py``) and documents of several parts (``parts.py``).

``normalize`` asks :func:`container_document` first; it answers None for everything else, which
then goes through decoding and the text front ends as before.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

from policydiff.errors import InputError, ParseError
from policydiff.inputs import open_local_file, read_local_file, shown_path
from policydiff.model import Document, Format, Snapshot, sha256_hex
from policydiff.normalize.blocks import Block
from policydiff.normalize.clauses import build_document
from policydiff.normalize.detect import media_format, suffix_format
from policydiff.normalize.parts import MULTIPART, parts_blocks, unpack_parts
from policydiff.normalize.pdf import looks_like_pdf, pdf_blocks

__all__ = ["container_document"]


def container_document(source: Any, *, format: Format | None, name: str | None) -> Document | None:
    """The document of a PDF or multi-part ``source``; None when ``source`` is text of some kind."""
    peeked = _peek(source, format)
    if peeked is None:
        return None
    data, label, kind, fetched_at, media_type = peeked
    label = name or label
    blocks: list[Block]
    fmt: Format
    if kind == "pdf":
        blocks, fmt = pdf_blocks(data, source=label), "pdf"
    else:
        blocks, fmt = parts_blocks(unpack_parts(data, media_type, source=label), source=label)
    document = build_document(
        blocks, source=label, format=fmt, sha256=sha256_hex(data), fetched_at=fetched_at
    )
    if document.root.sections == () and document.root.clauses == ():
        raise ParseError(f"no text left after cleaning the {fmt} (only page furniture?)", source=label)
    return document


def _peek(source: Any, format: Format | None) -> tuple[bytes, str, str, datetime | None, str] | None:
    """(bytes, label, "pdf" or "parts", fetch time, media type) of a container source, else None."""
    if format not in (None, "pdf"):
        return None
    if format == "pdf" and isinstance(source, str):
        raise InputError("a PDF is binary: pass its bytes or its path, not a str")
    if isinstance(source, Snapshot):
        media = (source.media_type or "").split(";")[0].strip().lower()
        if format is None and media == MULTIPART:
            return source.content, source.source, "parts", source.fetched_at, source.media_type or ""
        declared = media_format(source.media_type) or suffix_format(source.final_url or source.url)
        if format == "pdf" or declared == "pdf" or (declared is None and looks_like_pdf(source.content)):
            if source.selectors or source.remove_selectors:
                raise ParseError(
                    "a PDF has no page structure for CSS selectors: drop 'select' and 'remove' from it",
                    source=source.source,
                )
            return source.content, source.source, "pdf", source.fetched_at, "application/pdf"
        return None
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        if format == "pdf" or looks_like_pdf(data):
            return data, "<bytes>", "pdf", None, "application/pdf"
        return None
    if isinstance(source, os.PathLike):
        path = Path(source)
        if format == "pdf" or suffix_format(path.name) == "pdf" or _starts_like_pdf(path):
            return read_local_file(path), shown_path(path), "pdf", None, "application/pdf"
    return None


def _starts_like_pdf(path: Path) -> bool:
    try:
        with open_local_file(path) as handle:  # a FIFO or a device is no PDF, and never blocks
            return looks_like_pdf(handle.read(1024))
    except (OSError, InputError):  # unreadable or no regular file: normalize's own read reports it
        return False
