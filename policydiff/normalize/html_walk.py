"""The walk of an HTML tree to blocks: an explicit stack (no recursion limit), block elements
splitting the text, lists numbered as a browser numbers them, headings, table rows and bold lines."""

from __future__ import annotations

import re
from typing import Any

from bs4 import NavigableString, Tag
from lxml import etree  # type: ignore[import-untyped]

from policydiff.model import Link
from policydiff.normalize.blocks import HEADING_LEVEL_BOLD, Block, TextBuilder
from policydiff.normalize.html_chrome import SKIP_STRINGS, Attrs, is_chrome

_BLOCK_TAGS = frozenset(
    "p div section article main header footer blockquote ul ol dl dt dd li table thead tbody tfoot tr "
    "td th caption pre address figure figcaption details summary fieldset legend hgroup center body "
    "html h1 h2 h3 h4 h5 h6 hr".split()
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_MAX_BOLD_HEADING = 120
_LIST_NUMBER = re.compile(r"[ \t\n\f\r]*([+-]?)([0-9]+)")


class _List:
    __slots__ = ("count", "ordered", "style")

    def __init__(self, name: str, attrs: Attrs) -> None:
        self.ordered = name == "ol"
        start = _list_number(attrs.get("start"))
        self.count = 1 if start is None else start
        self.style = str(attrs.get("type") or "1")

    def next_label(self, attrs: Attrs) -> str:
        if not self.ordered:
            return "-"
        value = _list_number(attrs.get("value"))
        if value is not None:
            self.count = value
        number = self.count
        self.count += 1
        return f"{_ordinal(number, self.style)}."


def _list_number(value: object) -> int | None:
    """``start`` / ``value`` as HTML reads them (ASCII digits, optional sign, leading spaces); None
    for anything else ("²", "①", "--5") or for more digits than any real list has."""
    match = _LIST_NUMBER.match(str(value or ""))
    if match is None or len(match.group(2)) > 9:
        return None
    return int(match.group(1) + match.group(2))


def _ordinal(number: int, style: str) -> str:
    if style in ("a", "A") and 1 <= number <= 26:
        letter = chr(ord("a") + number - 1)
        return letter.upper() if style == "A" else letter
    if style in ("i", "I") and 1 <= number <= 3999:
        roman = _roman(number)
        return roman.upper() if style == "I" else roman
    return str(number)


def _roman(number: int) -> str:
    out = []
    for value, digits in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):  # fmt: skip
        while number >= value:
            out.append(digits)
            number -= value
    return "".join(out)


class _Item:
    __slots__ = ("depth", "label", "used")

    def __init__(self, label: str, depth: int) -> None:
        self.label = label
        self.depth = depth
        self.used = False


_ENTER, _EXIT = 0, 1


class Walker:
    """Depth-first walk with an explicit stack, emitting blocks at block-element boundaries."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.builder = TextBuilder()
        self.lists: list[_List] = []
        self.items: list[_Item] = []
        self.capture: list[str] = []  # "heading" / "row": block tags inside do not split the text
        self.bold = 0
        self.after_br = False
        self.plain = False  # the buffer has text outside <strong>/<b>
        self.linked = False

    def walk(self, root: Tag) -> None:
        """Walk a beautifulsoup4 tree (used when CSS selectors pick the content)."""
        in_main = root.name not in ("body", "html", "[document]")
        stack: list[tuple[int, Tag | NavigableString]] = [(_ENTER, root)]
        while stack:
            phase, node = stack.pop()
            if isinstance(node, NavigableString):
                if not isinstance(node, SKIP_STRINGS):
                    self._text(str(node))
                continue
            if phase == _EXIT:
                self._exit(node.name, node.attrs)
                continue
            if node is not root and is_chrome(node.name, node.attrs, in_main):
                continue
            self._enter(node.name, node.attrs)
            stack.append((_EXIT, node))
            children = node.contents
            for child in reversed(children):
                if isinstance(child, Tag | NavigableString):
                    stack.append((_ENTER, child))
        self._flush()

    def walk_lxml(self, root: Any) -> None:
        """Walk an lxml tree with ``iterwalk`` (C-speed iteration; same events as ``walk``)."""
        in_main = root.tag not in ("body", "html")
        walker = etree.iterwalk(root, events=("start", "end"))
        skipped: Any = None
        for event, element in walker:
            tag = element.tag
            if event == "start":
                if not isinstance(tag, str):
                    continue  # comment or processing instruction: its text is not shown
                if element is not root and is_chrome(tag, element.attrib, in_main):
                    walker.skip_subtree()
                    skipped = element
                    continue
                self._enter(tag, element.attrib)
                if element.text:
                    self._text(element.text)
                continue
            if skipped is not None and element is skipped:
                skipped = None
            elif isinstance(tag, str):
                self._exit(tag, element.attrib)
            if element is not root and element.tail:
                self._text(element.tail)
        self._flush()

    # ---------------------------------------------------------------- events

    def _text(self, text: str) -> None:
        if not text:
            return
        if text.strip():
            self.after_br = False
            if self.bold == 0:
                self.plain = True
        self.builder.add(text)

    def _enter(self, name: str, attrs: Attrs) -> None:
        if name == "br":
            if self.after_br and not self.capture:
                self._flush()  # <br><br>: a paragraph break in pages without <p>
            else:
                self.builder.space()
            self.after_br = True
            return
        if name == "a" and attrs.get("href") is not None:
            self.builder.open_link(str(attrs.get("href")))
            self.linked = True
            return
        if name in ("strong", "b"):
            self.bold += 1
            return
        if name not in _BLOCK_TAGS:
            return
        if self.capture:
            if name in ("td", "th") and self.capture[-1] == "row":
                self.builder.separator(" | ")
            else:
                self.builder.space()
            return
        self._flush()
        if name in _HEADINGS:
            self.capture.append("heading")
        elif name == "tr":
            self.capture.append("row")
        elif name in ("ul", "ol"):
            self.lists.append(_List(name, attrs))
        elif name == "li":
            label = self.lists[-1].next_label(attrs) if self.lists else "-"
            self.items.append(_Item(label, max(0, len(self.lists) - 1)))

    def _exit(self, name: str, attrs: Attrs) -> None:
        if name == "a" and attrs.get("href") is not None:
            self.builder.close_link()
            return
        if name in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
            return
        if name not in _BLOCK_TAGS:
            return
        if self.capture:
            top = self.capture[-1]
            if (top == "heading" and name in _HEADINGS) or (top == "row" and name == "tr"):
                self.capture.pop()
                text, links = self._take()
                if top == "heading":
                    self._emit_heading(text, links, _HEADINGS[name])
                else:
                    depth = self.items[-1].depth if self.items else 0
                    self._append(Block("table_row", text, links, depth=depth))
            else:
                self.builder.space()
            return
        self._flush(name)
        if name in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif name == "li" and self.items:
            self.items.pop()

    # ---------------------------------------------------------------- output

    def _take(self) -> tuple[str, tuple[Link, ...]]:
        text, links = self.builder.build()
        self.builder = TextBuilder()
        self.plain = False
        self.linked = False
        return text, links

    def _flush(self, closing: str | None = None) -> None:
        if not len(self.builder):
            self.builder = TextBuilder()
            self.plain = self.linked = False
            return
        bold_only = not self.plain and not self.linked
        text, links = self._take()
        if self.items and not self.items[-1].used:
            item = self.items[-1]
            item.used = True
            self._append(Block("list_item", text, links, label=item.label, depth=item.depth))
            return
        depth = self.items[-1].depth if self.items else 0
        if bold_only and not self.items and len(text) <= _MAX_BOLD_HEADING and text[-1] not in ".,;:!?":
            self._append(Block("heading", text, links, level=HEADING_LEVEL_BOLD))
            return
        self._append(Block("paragraph", text, links, depth=depth))

    def _emit_heading(self, text: str, links: tuple[Link, ...], level: int) -> None:
        label = None
        if self.items and not self.items[-1].used:
            label = self.items[-1].label
            self.items[-1].used = True
        self._append(Block("heading", text, links, level=level, label=label))

    def _append(self, block: Block) -> None:
        if block.text:
            self.blocks.append(block)
