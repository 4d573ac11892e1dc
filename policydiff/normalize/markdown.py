"""Markdown to blocks with markdown-it-py (CommonMark plus GFM tables): a real parser, no regexes.

Archives such as Open Terms Archive store documents as Markdown converted from HTML; their ordered
lists often hold a whole section ("1. Introduction" as a heading inside a list item, its text
indented below it), so a heading that opens a list item takes the item's number as its label and
the item's other paragraphs become ordinary clauses of that section.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core.normalize import NEWLINES_RE as _NEWLINES
from markdown_it.rules_core.normalize import NULL_RE as _NUL
from markdown_it.token import Token
from markdown_it.utils import EnvType

from policydiff.model import Link
from policydiff.normalize.blocks import HEADING_LEVEL_BOLD, Block, TextBuilder
from policydiff.normalize.markdown_inline import inline_children
from policydiff.normalize.markdown_table import ragged_cells, table_rule
from policydiff.normalize.reuse import reused

_MAX_BOLD_HEADING = 120
# markdown-it stops (silently) at this nesting depth; deeper documents fall back to the text reader,
# which keeps every word. Well below Python's recursion limit (markdown-it recurses per level).
_MAX_NESTING = 100


@lru_cache(maxsize=1)
def _full_parser() -> MarkdownIt:
    """markdown-it as configured (CommonMark plus tables and strikethrough), unmodified."""
    return MarkdownIt("commonmark", {"maxNesting": _MAX_NESTING}).enable(["table", "strikethrough"])


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """The same parser for the block structure only, with link targets normalized once per distinct
    target (policies repeat the same few links many times). The inline content of each block is
    parsed by ``inline_children`` as the walk reaches it, and dropped once read: the inline tokens
    of a whole document never exist at once (a third of the token stream's memory)."""
    md = MarkdownIt("commonmark", {"maxNesting": _MAX_NESTING}).enable(["table", "strikethrough"])
    # normalize: see ``markdown_blocks``; text_join: only acts on inline tokens' children
    md.core.ruler.disable(["normalize", "inline", "text_join"])
    md.block.ruler.at("table", table_rule())
    md.normalizeLink = lru_cache(maxsize=4096)(md.normalizeLink)  # type: ignore[method-assign]
    md.validateLink = lru_cache(maxsize=4096)(md.validateLink)  # type: ignore[method-assign]
    md.normalizeLinkText = lru_cache(maxsize=4096)(md.normalizeLinkText)  # type: ignore[method-assign]
    return md


class _Item:
    __slots__ = ("depth", "label", "used")

    def __init__(self, label: str, depth: int) -> None:
        self.label = label
        self.depth = depth
        self.used = False  # its first block (which carries the label) has been emitted


def markdown_blocks(text: str) -> list[Block]:
    """The block stream of a Markdown document."""
    return MarkdownParse(text)()


class MarkdownParse:
    """A Markdown document's block structure, parsed; calling it walks the tokens (once) into blocks.

    It keeps no reference to the text: a caller that lets the text go before the walk keeps it out
    of the walk's peak memory (a 5 MB page is 20 MB as a ``str`` once one character is past U+FFFF,
    beside ~40 MB of tokens)."""

    def __init__(self, text: str) -> None:
        md = _parser()
        env: EnvType = {}  # link reference definitions, found by the block parser
        # markdown-it's ``normalize`` rule (CR LF and CR to LF, NUL to U+FFFD) copies the whole
        # source even when there is nothing to change (its pattern matches every LF). Done here
        # only when needed.
        src = text
        if "\r" in src or "\0" in src:
            src = _NUL.sub("\ufffd", _NEWLINES.sub("\n", src))
        tokens = md.parse(src, env)
        del src
        self.fallback = _too_deep(tokens, text)
        self.tokens = tokens if self.fallback is None else []
        self.rows = _row_lines(self.tokens, text)
        self.children: Callable[[Token], list[Token]] = lambda token: inline_children(md, env, token)
        # without reference definitions, inline content reads the same in any document (reuse.py)
        self.shared = not env.get("references")

    def __call__(self) -> list[Block]:
        tokens, self.tokens = self.tokens, []  # walked once, then let go
        if self.fallback is not None:
            return self.fallback
        return _TokenWalk(tokens, self.rows, self.children, self.shared).run()


def blocks_with(md: MarkdownIt, text: str) -> list[Block]:
    """The block stream of ``text`` as parsed, inline content included, by ``md`` (tests compare
    ``markdown_blocks`` with markdown-it's unmodified parser)."""
    tokens = md.parse(text)
    fallback = _too_deep(tokens, text)
    if fallback is not None:
        return fallback
    return _TokenWalk(tokens, _row_lines(tokens, text), lambda token: token.children or []).run()


def _too_deep(tokens: list[Token], text: str) -> list[Block] | None:
    """The text reader's blocks when markdown-it stopped at its nesting limit, else None."""
    if not any(token.level >= _MAX_NESTING - 4 for token in tokens):
        return None
    from policydiff.normalize.text import text_blocks

    return text_blocks(text)


def _row_lines(tokens: list[Token], text: str) -> dict[int, str]:
    """The source line of each table row, by line number: a ragged row's cells past the header's
    count are read from it."""
    lines = _Lines(text)
    rows: dict[int, str] = {}
    for token in tokens:
        if token.type == "tr_open" and token.map:
            line = lines.line(token.map[0])
            if line is not None:
                rows[token.map[0]] = line
    return rows


class _TokenWalk:
    """One pass over markdown-it's tokens, emitting blocks; each token type has its handler below,
    which returns how many tokens it used (an ``*_open`` token with its inline content: two).
    ``children`` gives an ``inline`` token's inline tokens; ``shared``: what inline content reads as
    does not depend on this document (it has no reference definitions), so the other side of a
    comparison may reuse it."""

    def __init__(
        self,
        tokens: Sequence[Token],
        rows: dict[int, str],
        children: Callable[[Token], list[Token]],
        shared: bool = False,
    ) -> None:
        self.tokens = tokens
        self.rows = rows  # table rows' source lines, by line number
        self.children = children
        self.shared = shared
        self.blocks: list[Block] = []
        self.lists: list[list[int | str | None]] = []  # [ordered: "ol"/"ul", next number]
        self.items: list[_Item] = []

    def run(self) -> list[Block]:
        i, n = 0, len(self.tokens)
        while i < n:
            handler = _HANDLERS.get(self.tokens[i].type)
            i += handler(self, i) if handler is not None else 1
        return self.blocks

    def list_open(self, i: int) -> int:
        tok = self.tokens[i]
        ordered = tok.type == "ordered_list_open"
        start = int(tok.attrGet("start") or 1) if ordered else 0
        self.lists.append(["ol" if ordered else "ul", start])
        return 1

    def list_close(self, i: int) -> int:
        if self.lists:
            self.lists.pop()
        return 1

    def item_open(self, i: int) -> int:
        tok = self.tokens[i]
        lists = self.lists
        label = "-"
        if lists and lists[-1][0] == "ol":
            label = f"{tok.info or lists[-1][1]}{tok.markup or '.'}"
            lists[-1][1] = int(lists[-1][1] or 0) + 1
        self.items.append(_Item(label, max(0, len(lists) - 1)))
        return 1

    def item_close(self, i: int) -> int:
        if self.items:
            self.items.pop()
        return 1

    def heading(self, i: int) -> int:
        if i + 1 >= len(self.tokens):
            return 1
        tok = self.tokens[i]
        level = int(tok.tag[1]) if tok.tag[1:].isdigit() else 1
        text, links, _ = self.read(self.tokens[i + 1])
        label = None
        if self.items and not self.items[-1].used:
            label = self.items[-1].label
            self.items[-1].used = True
        self.blocks.append(Block("heading", text, links, level=level, label=label))
        return 2

    def paragraph(self, i: int) -> int:
        if i + 1 >= len(self.tokens):
            return 1
        text, links, bold = self.read(self.tokens[i + 1])
        if not self.items:
            if bold:
                self.blocks.append(Block("heading", text, links, level=HEADING_LEVEL_BOLD))
            else:
                self.blocks.append(Block("paragraph", text, links))
            return 2
        item = self.items[-1]
        if item.used:
            self.blocks.append(Block("paragraph", text, links, depth=item.depth))
        elif bold and _numbered_heading(self.tokens, i, item, self.lists):
            item.used = True
            self.blocks.append(Block("heading", text, links, level=HEADING_LEVEL_BOLD, label=item.label))
        else:
            item.used = True
            self.blocks.append(Block("list_item", text, links, label=item.label, depth=item.depth))
        return 2

    def read(self, token: Token) -> _Inline:
        """The text, links and bold-heading look of an ``inline`` token's content."""
        if self.shared or "[" not in token.content:  # no reference link can change its reading
            return reused("markdown inline", token.content, lambda: _read_inline(self.children(token)))
        return _read_inline(self.children(token))

    def code(self, i: int) -> int:
        builder = TextBuilder()
        builder.add(self.tokens[i].content)
        text, links = builder.build()
        self.blocks.append(Block("paragraph", text, links))
        return 1

    def html(self, i: int) -> int:
        # raw HTML inside Markdown goes through the HTML reader (scripts, comments, hidden parts dropped)
        from policydiff.normalize.html import html_blocks

        self.blocks.extend(html_blocks(self.tokens[i].content))
        return 1

    def row(self, i: int) -> int:
        """A table row, ``tr_open`` to ``tr_close``: its cells read as one text."""
        tokens, j, n = self.tokens, i + 1, len(self.tokens)
        cells: list[Token] = []
        while j < n and tokens[j].type != "tr_close":
            if tokens[j].type in ("th_open", "td_open") and j + 1 < n:
                cells.append(tokens[j + 1])
                j += 1
            j += 1
        line_map = tokens[i].map
        line = self.rows.get(line_map[0]) if line_map else None
        contents = tuple(cell.content for cell in cells)
        if self.shared or not any("[" in content for content in contents):
            key = (contents, line)
            text, links = reused("markdown row", key, lambda: self.read_row(cells, line))
        else:
            text, links = self.read_row(cells, line)
        self.blocks.append(Block("table_row", text, links, depth=self.items[-1].depth if self.items else 0))
        return j + 1 - i

    def read_row(self, cells: list[Token], line: str | None) -> tuple[str, tuple[Link, ...]]:
        """The text and links of a row's cells, `` | `` between them; ``line``: its source line."""
        row = TextBuilder()
        for cell in cells:
            row.separator(" | ")
            _inline_into(self.children(cell), row)
        if line is not None:
            ragged_cells(line, len(cells), row, lambda cell: _inline_into(_parsed_inline(cell), row))
        return row.build()


class _Lines:
    """The source's lines by number, found by moving forward from the last one asked for (table rows
    are asked for in document order): the whole source is never split into a list of lines."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.number = 0  # the line starting at ``self.start``
        self.start = 0

    def line(self, number: int) -> str | None:
        """Line ``number`` (0-based) without its line break, or None past the end."""
        if number < self.number:
            self.number, self.start = 0, 0
        source, start = self.source, self.start
        for _ in range(number - self.number):
            end = source.find("\n", start)
            if end < 0:
                return None
            start = end + 1
        self.number, self.start = number, start
        end = source.find("\n", start)
        return source[start:] if end < 0 else source[start:end]


_HANDLERS: dict[str, Callable[[_TokenWalk, int], int]] = {
    "bullet_list_open": _TokenWalk.list_open,
    "ordered_list_open": _TokenWalk.list_open,
    "bullet_list_close": _TokenWalk.list_close,
    "ordered_list_close": _TokenWalk.list_close,
    "list_item_open": _TokenWalk.item_open,
    "list_item_close": _TokenWalk.item_close,
    "heading_open": _TokenWalk.heading,
    "paragraph_open": _TokenWalk.paragraph,
    "fence": _TokenWalk.code,
    "code_block": _TokenWalk.code,
    "html_block": _TokenWalk.html,
    "tr_open": _TokenWalk.row,
}


def _parsed_inline(text: str) -> list[Token]:
    """The inline tokens of ``text`` read on its own (no reference definitions)."""
    return [child for token in _full_parser().parseInline(text) for child in token.children or []]


_Inline = tuple[str, tuple[Link, ...], bool]  # text, links, whether it looks like a bold heading


def _read_inline(children: Sequence[Token]) -> _Inline:
    text, links = _inline(children)
    return text, links, _bold_heading(children, text)


def _inline(children: Sequence[Token]) -> tuple[str, tuple[Link, ...]]:
    builder = TextBuilder()
    _inline_into(children, builder)
    return builder.build()


def _inline_into(children: Sequence[Token], builder: TextBuilder) -> None:
    for child in children:
        ctype = child.type
        if ctype in ("text", "text_special", "code_inline"):  # text_special: an escape or entity
            builder.add(child.content)
        elif ctype in ("softbreak", "hardbreak"):
            builder.space()
        elif ctype == "link_open":
            builder.open_link(str(child.attrGet("href") or ""))
        elif ctype == "link_close":
            builder.close_link()
        elif ctype == "html_inline" and child.content.lower().startswith("<br"):
            builder.space()


def _numbered_heading(
    tokens: Sequence[Token], i: int, item: _Item, lists: list[list[int | str | None]]
) -> bool:
    """A top-level numbered list item holding one paragraph and nothing else ("1. **SHARING**"):
    archives store numbered section headings this way, so it is a heading when that line is bold."""
    return (
        item.depth == 0
        and bool(lists)
        and lists[-1][0] == "ol"
        and i + 3 < len(tokens)
        and tokens[i + 3].type == "list_item_close"
    )


def _bold_heading(children: Sequence[Token], text: str) -> bool:
    """A paragraph that is one short line, entirely bold or italic-bold: it acts as a heading."""
    if not children or not text or len(text) > _MAX_BOLD_HEADING or text[-1] in ".,;:!?":
        return False
    depth = 0
    for child in children:
        if child.type in ("strong_open",):
            depth += 1
        elif child.type == "strong_close":
            depth -= 1
        elif child.type in ("softbreak", "hardbreak"):
            return False
        elif child.type in ("link_open", "image"):
            return False
        elif child.type in ("em_open", "em_close", "s_open", "s_close"):
            continue
        elif child.type in ("text", "text_special") and not child.content.strip():
            continue
        elif depth <= 0:
            return False
    return True
