"""Plain text to blocks: blank-line paragraphs, numbered and lettered headings, lists.

A short single line with a heading label ("1.", "3.2", "(a)", "Section 4", "Article IV") and no
sentence-ending punctuation, an ALL-CAPS line, or a line underlined with ``===``/``---`` is a
heading; lines starting with a list marker start list items; other lines continue the paragraph
(re-wrapping never changes a clause).
"""

from __future__ import annotations

import re

from policydiff.normalize.blocks import Block, BlockKind, TextBuilder

_BLANK = re.compile(r"\n[ \t\f\v\u00a0]*\n")
_UNDERLINE = re.compile(r"^\s*(=+|-+)\s*$")
_ITEM = re.compile(
    r"^(\s*)((?:[-*+•·▪◦‣●■]|\d{1,3}[.)]|\(\s*(?:\d{1,3}|[a-zA-Z]{1,2}|[ivxlcdmIVXLCDM]{1,6})\s*\)|[a-zA-Z][.)])"
    r"|\d{1,3}(?:\.\d{1,3})+\.?)\s+(?=\S)"
)
_NUMBERED_HEADING = re.compile(
    r"^\s*(?:(?:section|article|chapter|part|schedule|annex)\s+(?:\d+(?:\.\d+)*|[ivxlcdm]+)\b[.:]?"
    r"|\d{1,3}\.|\d{1,3}(?:\.\d{1,3})+\.?|\([a-z]{1,2}\)|[A-Z][.)]|[IVXLC]{1,6}\.)\s+\S",
    re.IGNORECASE,
)
_MAX_HEADING = 100


def text_blocks(text: str) -> list[Block]:
    """The block stream of a plain-text document."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[Block] = []
    for para in _BLANK.split(text):
        lines = [line for line in para.split("\n") if line.strip()]
        if not lines:
            continue
        if len(lines) == 2 and _UNDERLINE.match(lines[1]) and len(lines[0].strip()) <= _MAX_HEADING * 2:
            level = 1 if lines[1].strip()[0] == "=" else 2
            blocks.append(Block("heading", lines[0].strip(), level=level))
            continue
        if _is_heading(lines[0]) and (len(lines) == 1 or not _ITEM.match(lines[1])):
            # a heading line, alone or directly above its text ("1. Introduction" then the paragraph)
            blocks.append(Block("heading", lines[0].strip(), level=_heading_level(lines[0])))
            lines = lines[1:]
            if not lines:
                continue
        blocks.extend(_paragraph_blocks(lines))
    return blocks


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    if len(stripped) > _MAX_HEADING or (stripped[-1] in ".,;!?" and not _ends_with_label(stripped)):
        return False
    if _NUMBERED_HEADING.match(stripped):
        rest = stripped.split(None, 1)[-1]
        return rest[:1].isupper() or rest[:1].isdigit()
    letters = [c for c in stripped if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _ends_with_label(line: str) -> bool:
    return bool(re.fullmatch(r"(?:section|article)\s+\d+(?:\.\d+)*\.", line, re.IGNORECASE))


def _heading_level(line: str) -> int:
    stripped = line.strip()
    word = re.match(r"(?i)(section|article|chapter|part|schedule|annex)\b", stripped)
    if word:
        return 1 if word.group(1).lower() in ("part", "chapter") else 2
    number = re.match(r"\d{1,3}((?:\.\d{1,3})*)\.?\s", stripped)
    if number:
        return 2 + number.group(1).count(".")
    if re.match(r"[IVXLC]{1,6}\.\s", stripped):
        return 2
    if re.match(r"\(?[a-zA-Z]{1,2}[.)]\s", stripped):
        return 5
    return 1  # ALL CAPS


def _paragraph_blocks(lines: list[str]) -> list[Block]:
    """Lines of one blank-line paragraph: list items where markers start lines, else one paragraph."""
    out: list[Block] = []
    builder: TextBuilder | None = None
    label: str | None = None
    depth = 0
    indents: list[int] = []

    def flush() -> None:
        if builder is None:
            return
        text, links = builder.build()
        if text:
            kind: BlockKind = "list_item" if label is not None else "paragraph"
            out.append(Block(kind, text, links, label=label, depth=depth))

    for line in lines:
        match = _ITEM.match(line)
        if match:
            flush()
            indent = len(match.group(1).expandtabs(4))
            while indents and indents[-1] > indent:
                indents.pop()
            if not indents or indents[-1] < indent:
                indents.append(indent)
            depth = len(indents) - 1
            label = match.group(2)
            builder = TextBuilder()
            builder.add(line[match.end() :])
            continue
        if builder is None:
            builder = TextBuilder()
            label, depth = None, 0
        builder.space()
        builder.add(line)
    flush()
    return out
