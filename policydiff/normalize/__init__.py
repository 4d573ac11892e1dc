"""Normalize: any policy document (HTML, Markdown, plain text, PDF) into a ``Document`` tree.

``normalize`` is the stage's one entry point. ``decode.py`` turns bytes into text and ``detect.py``
picks the format; each format has a front end that turns the text into a flat stream of blocks
(``html.py``, ``markdown.py``, ``text.py``); ``clauses.py`` turns blocks into sections and clauses
with canonical text, labels, sentences and stable ids; ``announce.py`` finds announcement banners
and pending-version pages; ``show.py`` prints the tree for ``policydiff show``. ``containers.py``
takes the sources that are not text first: PDFs (``pdf.py``) and multi-part documents (``parts.py``).
"""

from __future__ import annotations

import html as html_lib
import os
import re
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Union

import attrs

from policydiff.collector import collector_paused
from policydiff.errors import InputError, ParseError
from policydiff.inputs import read_local_file, shown_path
from policydiff.model import Document, Format, Snapshot, sha256_hex
from policydiff.normalize import recent
from policydiff.normalize.blocks import Block
from policydiff.normalize.clauses import build_document, canonical, sentences, split_label
from policydiff.normalize.containers import container_document
from policydiff.normalize.decode import charset_from_content_type, check_text, decode
from policydiff.normalize.detect import media_format, sniff_format, suffix_format

__all__ = ["Source", "canonical", "normalize", "sentences", "split_label"]

Source = Union[str, bytes, "os.PathLike[str]", Snapshot]

_FORMATS = ("html", "markdown", "text", "pdf")
_TITLE = re.compile(r"<title\b[^>]{0,200}>(.{0,500}?)</title\s*>", re.IGNORECASE | re.DOTALL)


def normalize(source: Source, *, format: Format | None = None, name: str | None = None) -> Document:
    """Turn ``source`` into a ``Document``. ``str`` is document text; a path is read from disk.

    ``bytes`` are decoded (declared charset, BOM, ``<meta>``, detection); a ``Snapshot`` brings its
    media type, charset, fetch time and the CSS selectors of the part of the page to keep.
    Unreadable input raises ``ParseError`` with a message naming the source.
    """
    with collector_paused():  # parser tokens, blocks, clauses: no cycles (see policydiff.collector)
        return _normalize(source, format, name)


def _normalize(source: Source, format: Format | None, name: str | None) -> Document:
    if format is not None and format not in _FORMATS:
        raise InputError(f"unknown format {format!r}: use one of {', '.join(_FORMATS)}")
    container = container_document(source, format=format, name=name)  # a PDF or a multi-part document
    if container is not None:
        return container
    selectors: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    fetched_at: datetime | None = None
    declared: Format | None = None
    if isinstance(source, Snapshot):
        label = source.source
        data = source.content
        content_type = source.media_type or _header(source.headers, "content-type")
        text = decode(data, source=label, charset=charset_from_content_type(content_type))
        declared = media_format(content_type) or suffix_format(source.final_url or source.url)
        selectors, remove, fetched_at = source.selectors, source.remove_selectors, source.fetched_at
    elif isinstance(source, str):
        label = "<string>"
        text = check_text(source, source=name or label)
        data = source.encode("utf-8")
    elif isinstance(source, bytes | bytearray | memoryview):
        label = "<bytes>"
        data = bytes(source)
        text = decode(data, source=name or label)
    elif isinstance(source, os.PathLike):
        path = Path(source)
        label = shown_path(path)
        data = read_local_file(path)
        text = decode(data, source=label)
        declared = suffix_format(path.name)
    else:
        raise InputError(
            f"cannot normalize a {type(source).__name__}: pass text, bytes, a path or a Snapshot"
        )
    label = name or label
    digest = sha256_hex(data)
    size = len(data)
    del data  # a second copy of a large input is not needed past this point
    fmt: Format = format or declared or sniff_format(text)
    # a fetched snapshot also brings its fetch time and selectors: only plain inputs are kept
    key = None if isinstance(source, Snapshot) else (digest, label, fmt)
    kept = recent.recall(key) if key is not None else None
    if kept is not None:
        return kept
    read_blocks, head = _front_end(text, fmt, selectors, remove, label)
    del text  # a parsed Markdown document is walked from its tokens: the text is not kept beside them
    document = _document(read_blocks, head, fmt, selectors, label, digest, fetched_at)
    if key is not None:
        recent.remember(key, document, size)
    return document


def _front_end(
    text: str, fmt: Format, selectors: tuple[str, ...], remove: tuple[str, ...], label: str
) -> tuple[Callable[[], list[Block]], str]:
    """What reads the blocks of decoded ``text`` in format ``fmt`` (Markdown is parsed here, and its
    reader holds tokens only), and the start of an HTML page, where its ``<title>`` is looked for."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text or text.isspace():
        raise ParseError("the document is empty (no text at all)", source=label)
    head = text[:65536] if fmt == "html" else ""
    if fmt == "html":
        from policydiff.normalize.html import html_blocks

        return partial(html_blocks, text, selectors=selectors, remove_selectors=remove, source=label), head
    if fmt == "markdown":
        from policydiff.normalize.markdown import MarkdownParse

        return MarkdownParse(text), head
    from policydiff.normalize.text import text_blocks

    return partial(text_blocks, text), head


def _document(
    read_blocks: Callable[[], list[Block]],
    head: str,
    fmt: Format,
    selectors: tuple[str, ...],
    label: str,
    digest: str,
    fetched_at: datetime | None,
) -> Document:
    """The ``Document`` of the blocks ``read_blocks`` gives; ``head``: an HTML page's start."""
    blocks = read_blocks()
    document = build_document(blocks, source=label, format=fmt, sha256=digest, fetched_at=fetched_at)
    if not document.title and fmt == "html":
        match = _TITLE.search(head)
        if match:
            title = " ".join(html_lib.unescape(re.sub(r"<[^>]*>", " ", match.group(1))).split())
            document = attrs.evolve(document, title=title)
    if document.root.sections == () and document.root.clauses == () and document.upcoming is None:
        where = " inside the selected part of the page" if selectors else ""
        raise ParseError(
            f"no text left after cleaning{where}: the {fmt} has no visible paragraphs, list items or "
            f"table rows (only markup, scripts or page chrome?)",
            source=label,
        )
    return document


def _header(headers: object, key: str) -> str | None:
    if not isinstance(headers, dict):
        return None
    for k, v in headers.items():
        if str(k).lower() == key:
            return str(v)
    return None
