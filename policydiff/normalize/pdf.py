"""PDF to blocks (pypdf): page text in reading order, without the page furniture.

- **Lines** come from pypdf's text runs with their positions, in the page's content order (the
  order the author's tool wrote them, which follows columns), runs on one baseline joined.
- **Running headers, footers and page numbers** are dropped: a line near the top or bottom of a
  page (in the outer tenth, or among its first or last two lines) whose text, digits aside,
  repeats at the same height on at least half the pages (two at least), and any such line that
  is only a page number ("7", "- 7 -", "Page 7 of 12").
- **Paragraphs** end where the gap to the next line is clearly wider than the usual line spacing
  (the lower quartile of the gaps, at most 1.6 times the font size) and where the font size
  changes; over a page break a paragraph runs on when the page's last line ran to the margin (or
  ended mid-sentence before a lower-case word).
- **Hyphenated line breaks** are joined ("includ-" + "ing" is "including"; soft and Unicode
  hyphens too); a hyphen after a lone letter ("x-") or before an upper-case letter or a digit
  stays. A compound broken at its own hyphen ("self-" + "driving") is joined too: a PDF does not
  say which hyphens the typesetter added.
- **Headings**: a short line in a larger font than the body is a heading (levels by size), and so
  is one bold line at body size (below those); numbered headings ("2.", "3.1 Sharing", "Section
  4") are found by the plain-text front end, which also reads list items, so two PDF versions
  compare clause by clause.

Encrypted (with a password), image-only (no text layer) and malformed PDFs raise ``ParseError``
saying which, and what to do.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import attrs

from policydiff.errors import ParseError
from policydiff.normalize.blocks import Block
from policydiff.normalize.text import text_blocks

__all__ = ["looks_like_pdf", "pdf_blocks"]

_BAND = 0.10  # outer part of the page where running headers and footers live
_PAGE_NUMBER = re.compile(
    r"^[\s\-–—]*(?:(?:page|p\.|seite|página|pagina)\s*)?\d{1,4}(?:\s*(?:of|/|von|de|sur)\s*\d{1,4})?[\s\-–—]*$",
    re.IGNORECASE,
)
_HYPHENATED = re.compile(r"\b[^\W\d_]{2,}[-\u00ad\u2010]$")  # hyphen, soft hyphen, Unicode hyphen
_SENTENCE_END = re.compile(r"[.!?:;)\]\"”’]$")
_MAX_HEADING = 120
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)  # in a font's /BaseFont name


@attrs.frozen
class _Line:
    page: int
    y: float  # baseline, in points from the bottom of the page
    size: float  # font size in points
    text: str
    band: bool  # in the outer tenth of the page, or among its first or last two lines
    bold: bool = False  # every run of the line is in a bold face


@attrs.frozen
class _Paragraph:
    size: float
    bold: bool
    lines: tuple[str, ...]


def looks_like_pdf(data: bytes) -> bool:
    """Whether ``data`` starts like a PDF file (``%PDF-``, possibly after a little junk)."""
    return b"%PDF-" in data[:1024]


def pdf_blocks(data: bytes, *, source: str) -> list[Block]:
    """The block stream of a PDF (see the module's description); ``ParseError`` when unreadable."""
    pages = _read_pages(data, source)
    if not any(pages):
        raise ParseError(
            f"the PDF has no text layer ({len(pages)} page(s) of images only, a scan?): run OCR on it "
            "first (e.g. `ocrmypdf in.pdf out.pdf`) and compare the OCR'd copies",
            source=source,
        )
    lines = _drop_furniture(pages)
    return _blocks(_paragraphs(lines))


def _read_pages(data: bytes, source: str) -> list[list[_Line]]:
    import pypdf
    from pypdf.errors import DependencyError, PdfReadError

    pypdf_log = logging.getLogger("pypdf")
    if pypdf_log.level == logging.NOTSET:  # unless the application set it: damaged files warn per object
        pypdf_log.setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ParseError(
                "the PDF is encrypted with a password: policydiff cannot read it; ask the publisher for "
                "an unprotected copy, or save one without the password (e.g. `qpdf --decrypt "
                "--password=... in.pdf out.pdf`)",
                source=source,
            )
        return [_page_lines(number, page) for number, page in enumerate(reader.pages)]
    except ParseError:
        raise
    except DependencyError as exc:
        raise ParseError(
            f"the PDF is encrypted (readable without a password, but decrypting needs the "
            f"'cryptography' package: pip install cryptography): {exc}",
            source=source,
        ) from None
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError) as exc:
        raise ParseError(
            f"not a readable PDF (damaged or truncated: {type(exc).__name__}: {exc}); download it again, "
            "or open it in a PDF reader and save a new copy",
            source=source,
        ) from None


def _page_lines(number: int, page: Any) -> list[_Line]:
    """The text lines of one page, in content order, pypdf's runs on one baseline joined.

    pypdf's runs already carry the spaces it infers from glyph positions (``" col"``), so runs
    are joined as they come: pypdf's own text, with each line's height and font size beside it.
    """
    runs: list[tuple[float, float, str, bool]] = []  # y, size, text, bold

    def visit(text: str, cm: Sequence[float], tm: Sequence[float], font: Any, size: float) -> None:
        if not text.strip():
            return
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1.0
        face = str(font.get("/BaseFont", "")) if isinstance(font, dict) else ""
        runs.append((y, size * scale, text.replace("\n", " "), bool(_BOLD.search(face))))

    page.extract_text(visitor_text=visit)
    height = float(page.mediabox.height) or 792.0
    bottom = float(page.mediabox.bottom)
    merged: list[list[Any]] = []  # [y, size, text, bold]
    for y, size, text, bold in runs:
        last = merged[-1] if merged else None
        if last is not None and abs(last[0] - y) <= 0.4 * max(size, last[1], 1.0):
            last[1], last[2], last[3] = max(last[1], size), last[2] + text, last[3] and bold
        else:
            merged.append([y, size, text, bold])
    lines: list[_Line] = []
    for index, (y, size, text, bold) in enumerate(merged):
        clean = " ".join(text.split())
        if not clean:
            continue
        edge = index < 2 or index >= len(merged) - 2
        outer = (y - bottom) < _BAND * height or (y - bottom) > (1 - _BAND) * height
        lines.append(_Line(number, y, size, clean, edge or outer, bold))
    return lines


def _shape(line: _Line) -> tuple[str, int]:
    """What a running header or footer keeps from page to page: its text, digits aside, and its place."""
    return re.sub(r"\d+", "#", line.text.lower()), round(line.y / 4)


def _drop_furniture(pages: list[list[_Line]]) -> list[_Line]:
    """Every line but running headers, footers and page numbers."""
    repeats: Counter[tuple[str, int]] = Counter()
    for lines in pages:
        repeats.update({_shape(line) for line in lines if line.band})
    enough = max(2, (len(pages) + 1) // 2)
    kept: list[_Line] = []
    for lines in pages:
        for line in lines:
            if line.band and (repeats[_shape(line)] >= enough or _PAGE_NUMBER.match(line.text)):
                continue
            kept.append(line)
    return kept


def _paragraphs(lines: list[_Line]) -> list[_Paragraph]:
    """Lines grouped into paragraphs."""
    gaps = sorted(a.y - b.y for a, b in itertools.pairwise(lines) if a.page == b.page and a.y > b.y)
    usual = gaps[len(gaps) // 4] if gaps else 0.0  # the lower quartile: spacing inside paragraphs
    lengths = sorted(len(line.text) for line in lines)
    typical = lengths[(len(lengths) * 4) // 5] if lengths else 0  # a body line running to the margin
    paragraphs: list[_Paragraph] = []
    previous: _Line | None = None
    for line in lines:
        if previous is None or _breaks(previous, line, usual, _full(paragraphs[-1].lines, typical)):
            paragraphs.append(_Paragraph(line.size, line.bold, (line.text,)))
        else:
            paragraphs[-1] = attrs.evolve(paragraphs[-1], lines=(*paragraphs[-1].lines, line.text))
        previous = line
    return paragraphs


def _full(paragraph: Sequence[str], typical: int) -> float:
    """How long a line of this paragraph is when it runs to the margin (its own longest, else typical)."""
    longest = max(len(text) for text in paragraph[:-1]) if len(paragraph) > 1 else typical
    return 0.85 * longest


def _breaks(previous: _Line, line: _Line, usual: float, full: float) -> bool:
    """Whether ``line`` starts a new paragraph after ``previous``."""
    if abs(previous.size - line.size) > 0.5 or previous.bold != line.bold:
        return True
    if previous.page != line.page:  # a paragraph runs on when its line ran to the margin
        unfinished = not _SENTENCE_END.search(previous.text) and line.text[:1].islower()
        return not (len(previous.text) >= full or unfinished)
    gap = previous.y - line.y
    # wider than the usual spacing; "usual" capped by the size, for documents of one-line paragraphs
    return gap <= 0 or gap > 1.3 * min(usual or gap, 1.6 * line.size)


def _join(lines: Sequence[str]) -> str:
    """A paragraph's lines as text: hyphenated breaks joined, other breaks kept for the text reader."""
    out = lines[0]
    for line in lines[1:]:
        if _HYPHENATED.search(out) and line[:1].islower():
            out = out[:-1] + line
        else:
            out += "\n" + line
    return out


def _blocks(paragraphs: list[_Paragraph]) -> list[Block]:
    """Short paragraphs in a larger font, or one bold line, are headings; the rest is read as text."""
    sizes: Counter[float] = Counter()
    for paragraph in paragraphs:
        sizes[round(paragraph.size, 1)] += sum(len(line) for line in paragraph.lines)
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    larger = sorted({round(p.size, 1) for p in paragraphs if round(p.size, 1) > body + 0.5}, reverse=True)
    blocks: list[Block] = []
    for paragraph in paragraphs:
        text = _join(paragraph.lines)
        flat = " ".join(text.split())
        short = len(flat) <= _MAX_HEADING and not flat.endswith((".", ",", ";", ":"))
        size = round(paragraph.size, 1)
        if short and size in larger:
            blocks.append(Block("heading", flat, level=min(larger.index(size) + 1, 6)))
        elif short and paragraph.bold and len(paragraph.lines) == 1 and size >= body - 0.5:
            blocks.append(Block("heading", flat, level=min(len(larger) + 1, 6)))
        else:
            blocks.extend(text_blocks(text))
    return blocks
