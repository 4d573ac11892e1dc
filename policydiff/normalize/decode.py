"""Bytes to text: byte-order mark, declared charset, ``<meta>`` / XML declaration, then detection.

Binary files (NUL bytes, control characters, known file signatures) and bytes that are not valid in
the encoding they declare are refused with a ``ParseError`` naming the source, never guessed at.

A declared charset is used only if it names a text encoding a web page can be in: Python's other
codecs (``rot13``, ``base64``, ``zlib`` ...) and its internal ones (``punycode``, ``unicode_escape``,
``undefined``; ``utf-7``, which browsers refuse) are treated like an unknown name, i.e. ignored.
Text holding lone surrogates (which no encoding of real text yields) is refused.
"""

from __future__ import annotations

import codecs
import re

from policydiff.errors import ParseError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SIGNATURES = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.odt document)"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "a legacy Microsoft Office document"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.IGNORECASE)
_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_HINT = "policydiff reads HTML, Markdown or plain text"
# Python codecs that are text encodings to Python but not charsets a document is written in.
_NOT_CHARSETS = frozenset(
    {"undefined", "punycode", "idna", "utf-7", "unicode-escape", "raw-unicode-escape", "charmap"}
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def charset_from_content_type(value: str | None) -> str | None:
    """``text/html; charset=ISO-8859-1`` -> ``ISO-8859-1``."""
    if not value:
        return None
    match = _CHARSET_PARAM.search(value)
    return match.group(1) if match else None


def decode(data: bytes, *, source: str, charset: str | None = None) -> str:
    """Decode ``data`` to text; ``charset`` is the one declared outside the bytes (HTTP header)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], encoding, source, "its byte-order mark")
    head = data[:4096]
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            raise ParseError(f"this is {what}, not a text document; {_HINT}", source=source)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ParseError(
            f"binary data (a NUL byte at offset {nul}); this is not a text document; {_HINT}", source=source
        )
    controls = len(_CONTROL.findall(head))
    if controls > max(4, len(head) // 100):
        raise ParseError(
            f"binary data ({controls} control bytes in the first {len(head)}); {_HINT}", source=source
        )
    if charset and _known(charset):
        return _strict(data, charset, source, f"the declared charset {charset!r}")
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if match:
        declared = match.group(1).decode("ascii", "replace")
        if _known(declared):
            if codecs.lookup(declared).name in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
                declared = "utf-8"  # a meta tag read as ASCII cannot be UTF-16
            return _strict(data, declared, source, f"the charset {declared!r} its <meta> tag declares")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    # No declaration and not UTF-8: Windows-1252 is what such pages are in practice, but only if
    # the result is plausible text (few C1 controls, which Windows-1252 text never contains).
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if text and sum(1 for c in text[:100_000] if "\x80" <= c <= "\x9f") == 0:
        return text
    raise ParseError(
        f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}) and no charset "
        f"declared; convert it to UTF-8 or pass its encoding",
        source=source,
    )


def check_text(text: str, *, source: str) -> str:
    """``text`` itself, if every code point in it is a character (no lone surrogates)."""
    match = _SURROGATE.search(text)
    if match:
        raise ParseError(
            f"the text holds a lone surrogate (U+{ord(match.group()):04X} at character {match.start()}), "
            f"which is not a character: it was decoded wrongly; pass the original bytes instead",
            source=source,
        )
    return text


def _known(charset: str) -> bool:
    try:
        info = codecs.lookup(charset)
    except LookupError:
        return False
    # ``_is_text_encoding`` is how codecs itself tells rot13/base64/zlib from text encodings.
    return bool(getattr(info, "_is_text_encoding", True)) and info.name not in _NOT_CHARSETS


def _strict(data: bytes, encoding: str, source: str, why: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"not valid {encoding} as {why} says (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            f"re-save it in that encoding or UTF-8",
            source=source,
        ) from None
    except UnicodeError as exc:  # a codec failing as a whole, not at one byte
        raise ParseError(
            f"not valid {encoding} as {why} says ({exc}); re-save it in that encoding or UTF-8", source=source
        ) from None
    if _SURROGATE.search(text):
        raise ParseError(
            f"decoding as {encoding} ({why}) gives lone surrogates, which are not characters; "
            f"re-save it as UTF-8",
            source=source,
        )
    return text
