"""Documents of several parts (pages fetched separately): one container, one block stream.

The container is a MIME ``multipart/mixed`` body: each part keeps its raw bytes (the evidence),
its media type, its URL (``Content-Location``) and the selectors that pick the document out of
it. The boundary is derived from the parts' bytes, so the same parts always pack to the same
bytes (an unchanged document is recognised by its digest) and the boundary never occurs inside a
part.

Read back, every part yields its own blocks in order; a part whose blocks do not start with a
heading gets one (its HTML title, else "Part N"), so each part's clauses stay in its own
sections and never run into the previous part's last section.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import re
from collections.abc import Sequence

from policydiff.errors import ParseError
from policydiff.model import Format, Snapshot
from policydiff.normalize.blocks import Block
from policydiff.normalize.decode import charset_from_content_type, decode
from policydiff.normalize.detect import media_format, sniff_format, suffix_format

__all__ = ["MULTIPART", "pack_parts", "parts_blocks", "unpack_parts"]

MULTIPART = "multipart/mixed"
_BOUNDARY = re.compile(r"boundary=\"?([A-Za-z0-9'()+_,./:=?-]{1,70})\"?", re.IGNORECASE)
_TITLE = re.compile(rb"<title\b[^>]{0,200}>(.{0,500}?)</title\s*>", re.IGNORECASE | re.DOTALL)


def pack_parts(snapshots: Sequence[Snapshot]) -> tuple[bytes, str]:
    """The parts as one ``multipart/mixed`` body, and its media type (with the boundary)."""
    digest = hashlib.sha256()
    for snapshot in snapshots:
        digest.update(snapshot.sha256.encode("ascii"))
    boundary = f"policydiff-part-{digest.hexdigest()[:40]}"
    out = bytearray()
    for snapshot in snapshots:
        head = {
            "Content-Type": snapshot.media_type or "application/octet-stream",
            "Content-Location": snapshot.final_url or snapshot.url or "",
            "X-Policydiff-Url": snapshot.url or "",
            "X-Policydiff-Select": json.dumps(list(snapshot.selectors)),
            "X-Policydiff-Remove": json.dumps(list(snapshot.remove_selectors)),
        }
        out += f"--{boundary}\r\n".encode("ascii")
        for key, value in head.items():
            out += f"{key}: {_header_value(value)}\r\n".encode()
        out += b"\r\n" + snapshot.content + b"\r\n"
    out += f"--{boundary}--\r\n".encode("ascii")
    return bytes(out), f'{MULTIPART}; boundary="{boundary}"'


def _header_value(value: str) -> str:
    return " ".join(value.split())  # no line breaks inside a header


def unpack_parts(data: bytes, media_type: str, *, source: str) -> list[Snapshot]:
    """The parts packed by :func:`pack_parts`, in order; ``ParseError`` when the body is not one."""
    match = _BOUNDARY.search(media_type)
    if not match:
        raise ParseError("a multi-part document without a boundary in its media type", source=source)
    delimiter = b"--" + match.group(1).encode("ascii")
    closing = delimiter + b"--\r\n"
    if not data.startswith(delimiter + b"\r\n") or not data.endswith(closing):
        raise ParseError("a damaged multi-part document (a boundary is missing)", source=source)
    pieces = data[: -len(closing)].split(delimiter + b"\r\n")[1:]
    parts: list[Snapshot] = []
    for piece in pieces:
        head, sep, body = piece.partition(b"\r\n\r\n")
        if not sep or not body.endswith(b"\r\n"):
            raise ParseError("a damaged multi-part document (a part without headers)", source=source)
        fields = dict(
            line.split(": ", 1) for line in head.decode("utf-8", "replace").split("\r\n") if ": " in line
        )
        parts.append(
            Snapshot(
                content=body[:-2],
                url=fields.get("X-Policydiff-Url") or None,
                final_url=fields.get("Content-Location") or None,
                media_type=fields.get("Content-Type"),
                selectors=tuple(json.loads(fields.get("X-Policydiff-Select", "[]"))),
                remove_selectors=tuple(json.loads(fields.get("X-Policydiff-Remove", "[]"))),
            )
        )
    if not parts:
        raise ParseError("a multi-part document with no parts", source=source)
    return parts


def parts_blocks(parts: Sequence[Snapshot], *, source: str) -> tuple[list[Block], Format]:
    """The parts' blocks one after another, each part opening with a heading; the first part's format."""
    blocks: list[Block] = []
    first: Format | None = None
    for number, part in enumerate(parts, 1):
        label = part.final_url or part.url or f"{source} part {number}"
        own, fmt = _part_blocks(part, label)
        first = first or fmt
        if not own:
            raise ParseError(f"part {number} has no text", source=label)
        if own[0].kind != "heading":
            blocks.append(Block("heading", _part_title(part, number), level=1))
        blocks.extend(own)
    assert first is not None  # unpack_parts never returns an empty list
    return blocks, first


def _part_title(part: Snapshot, number: int) -> str:
    match = _TITLE.search(part.content[:65536]) if media_format(part.media_type) == "html" else None
    if match:
        title = " ".join(
            html_lib.unescape(re.sub(r"<[^>]*>", " ", match.group(1).decode("utf-8", "replace"))).split()
        )
        if title:
            return title
    return f"Part {number}"


def _part_blocks(part: Snapshot, label: str) -> tuple[list[Block], Format]:
    from policydiff.normalize.pdf import looks_like_pdf, pdf_blocks

    declared = media_format(part.media_type) or suffix_format(part.final_url or part.url)
    if declared == "pdf" or (declared is None and looks_like_pdf(part.content)):
        return pdf_blocks(part.content, source=label), "pdf"
    text = decode(part.content, source=label, charset=charset_from_content_type(part.media_type))
    fmt: Format = declared or sniff_format(text)
    if fmt == "html":
        from policydiff.normalize.html import html_blocks

        return html_blocks(
            text, selectors=part.selectors, remove_selectors=part.remove_selectors, source=label
        ), fmt
    if fmt == "markdown":
        from policydiff.normalize.markdown import markdown_blocks

        return markdown_blocks(text), fmt
    from policydiff.normalize.text import text_blocks

    return text_blocks(text), fmt
