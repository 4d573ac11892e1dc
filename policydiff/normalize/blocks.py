"""The flat block stream every front end (HTML, Markdown, text) produces, and a text builder.

Front ends only decide *what* the blocks are; ``clauses.py`` turns the stream into sections and
clauses with ids. Keeping this intermediate form small is what makes the three formats agree.
"""

from __future__ import annotations

import re
from typing import Literal

import attrs

from policydiff.model import Link

BlockKind = Literal["heading", "paragraph", "list_item", "table_row"]

HEADING_LEVEL_BOLD = 7  # a bold one-line paragraph acting as a heading: below every h1-h6

_WS = re.compile(r"[^\S ]\s*| \s+")  # whitespace that is not already one space


@attrs.frozen
class Block:
    """One heading, paragraph, list item or table row, with display text and link spans."""

    kind: BlockKind
    text: str
    links: tuple[Link, ...] = ()
    level: int = 0  # heading level, 1..7
    label: str | None = None  # list marker given by the markup (ordered number, bullet)
    depth: int = 0  # list nesting


class TextBuilder:
    """Accumulates inline text with whitespace collapsed, keeping link offsets right.

    Display text keeps every visible character but runs of whitespace (wrapping, indentation,
    non-breaking spaces) become one space, so re-wrapping never changes ``Clause.text``.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._len = 0
        self._space = False
        self._sep = ""
        self._open: list[list[object]] = []  # [target, start | None]
        self._links: list[tuple[str, int, int]] = []

    def __len__(self) -> int:
        return self._len

    def add(self, text: str) -> None:
        """Append visible text; whitespace runs collapse into single spaces."""
        if not text:
            return
        # every whitespace character but the space is unprintable: most text needs no collapsing
        collapsed = text if "  " not in text and text.isprintable() else _WS.sub(" ", text)
        core = collapsed.strip(" ")
        if not core:
            self._space = True
            return
        if self._sep and self._len:
            self._parts.append(self._sep)
            self._len += len(self._sep)
        elif (self._space or collapsed[0] == " ") and self._len:
            self._parts.append(" ")
            self._len += 1
        self._sep = ""
        for pending in self._open:
            if pending[1] is None:
                pending[1] = self._len
        self._parts.append(core)
        self._len += len(core)
        self._space = collapsed[-1] == " "

    def space(self) -> None:
        """A break between words (line break, cell boundary) without adding a character now."""
        self._space = True

    def separator(self, sep: str) -> None:
        """Put ``sep`` (e.g. `` | `` between table cells) before the next text, if any follows."""
        if self._len:
            self._sep = sep

    def open_link(self, target: str) -> None:
        self._open.append([target, None])

    def close_link(self) -> None:
        if not self._open:
            return
        target, start = self._open.pop()
        if isinstance(start, int) and self._len > start:
            self._links.append((str(target), start, self._len))

    def build(self) -> tuple[str, tuple[Link, ...]]:
        """The collapsed text and its links (targets kept aside, never in the text)."""
        while self._open:
            self.close_link()
        text = "".join(self._parts)
        links = tuple(
            Link(text=text[s:e], target=t, start=s, end=e) for t, s, e in sorted(self._links, key=_link_key)
        )
        return text, links

    def reset(self) -> None:
        self.__init__()  # type: ignore[misc]


def _link_key(item: tuple[str, int, int]) -> tuple[int, int]:
    return (item[1], item[2])
