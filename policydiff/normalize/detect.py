"""Format detection: declared media type or file suffix first, then a look at the text itself.

The text is untrusted (any web page), so sniffing looks at most ``SNIFF_LIMIT`` characters and uses
no pattern that can backtrack over more than one line or tag: every scan here is linear in the
text it looks at. The leading comments and XML declaration are skipped by hand, not by a regex.
"""

from __future__ import annotations

import re

from policydiff.model import Format

_MEDIA = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/plain": "text",
    "application/pdf": "pdf",
}
_SUFFIX = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".pdf": "pdf",
}
SNIFF_LIMIT = 20_000
_SPACE = re.compile(r"\s*")
_HTML_ROOT = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.I)
# ``[^<>]*`` stops at the next ``<``, where the next attempt starts: one pass over the text.
_HTML_TAG = re.compile(
    r"<(?:p|div|h[1-6]|ul|ol|li|table|tr|td|span|a\s+href|br|section|article|main|strong|b|em)\b[^<>]*>",
    re.I,
)
_TAGGED = re.compile(r"^\s*<([a-z][a-z0-9]*)\b[^>]*>.*</\1\s*>", re.I | re.S)
_MD_SIGNS = (
    re.compile(r"^#{1,6}[ \t]+\S", re.M),
    re.compile(r"^\S.*\n(?:=+|-+)[ \t]*$", re.M),
    re.compile(r"\[[^\]\n]{1,300}\]\([^)\s]{1,1000}(?:\s+\"[^\"\n]{0,300}\")?\)"),
    re.compile(r"^[ \t]*\|.*\|[ \t]*\n[ \t]*\|?[ \t]*:?-{3,}", re.M),
    re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__"),
    re.compile(r"^```", re.M),
)


def media_format(media_type: str | None) -> Format | None:
    if not media_type:
        return None
    base = media_type.split(";", 1)[0].strip().lower()
    return _MEDIA.get(base)  # type: ignore[return-value]


def suffix_format(name: str | None) -> Format | None:
    if not name:
        return None
    lowered = name.lower()
    for suffix, fmt in _SUFFIX.items():
        if lowered.endswith(suffix):
            return fmt  # type: ignore[return-value]
    return None


def sniff_format(text: str) -> Format:
    """HTML when it starts like a page or is full of block tags; Markdown when its syntax shows."""
    head = text[:SNIFF_LIMIT]
    if _starts_like_a_page(head) or len(_HTML_TAG.findall(head)) >= 3 or _TAGGED.match(head):
        return "html"
    signs = sum(1 for pattern in _MD_SIGNS if pattern.search(head))
    return "markdown" if signs >= 1 else "text"


def _starts_like_a_page(head: str) -> bool:
    """``<html>``, ``<head>``, ``<body>`` or a doctype, after whitespace, an XML declaration and any
    number of comments."""
    pos = _skip_space(head, 0)
    if head.startswith("<?xml", pos):
        end = head.find(">", pos)
        if end < 0:
            return False
        pos = _skip_space(head, end + 1)
    while head.startswith("<!--", pos):
        end = head.find("-->", pos + 4)
        if end < 0:
            return False
        pos = _skip_space(head, end + 3)
    return _HTML_ROOT.match(head, pos) is not None


def _skip_space(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    return match.end() if match else pos
