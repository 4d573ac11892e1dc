"""Format detection: declared media type or file suffix first, then a look at the text itself."""

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
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_HTML_TAG = re.compile(
    r"<(?:p|div|h[1-6]|ul|ol|li|table|tr|td|span|a\s+href|br|section|article|main|strong|b|em)\b[^>]*>",
    re.I,
)
_TAGGED = re.compile(r"^\s*<([a-z][a-z0-9]*)\b[^>]*>.*</\1\s*>", re.I | re.S)
_MD_SIGNS = (
    re.compile(r"^#{1,6}\s+\S", re.M),
    re.compile(r"^\S.*\n(?:=+|-+)[ \t]*$", re.M),
    re.compile(r"\[[^\]\n]{1,300}\]\([^)\s]{1,1000}(?:\s+\"[^\"\n]{0,300}\")?\)"),
    re.compile(r"^\s*\|.*\|\s*$\n^\s*\|?\s*:?-{3,}", re.M),
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
    head = text[:20_000]
    if _HTML_START.match(head) or len(_HTML_TAG.findall(head)) >= 3 or _TAGGED.match(head):
        return "html"
    signs = sum(1 for pattern in _MD_SIGNS if pattern.search(head))
    return "markdown" if signs >= 1 else "text"
