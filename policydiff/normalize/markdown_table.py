"""GFM tables in Markdown: markdown-it's own table rule with a cheaper cell split, and the cells of
ragged rows, which GFM drops.

markdown-it's ``escapedSplit`` walks a row's characters one by one in Python (0.12 s per 5 MB side
of the bench pair, 13% of the block parse, for rows that hold a fifth of its text); ``split_cells``
gives the same cells with one regular expression. The rule itself is markdown-it's, run unchanged
with ``split_cells`` in place of ``escapedSplit`` (tests/test_normalize_fast.py checks both that the
two splits agree and that the rule still calls ``escapedSplit``).
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from typing import cast

from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_block.table import table as gfm_table

from policydiff.normalize.blocks import TextBuilder

__all__ = ["ragged_cells", "split_cells", "table_rule"]

_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")

TableRule = Callable[[StateBlock, int, int, bool], bool]


def split_cells(line: str) -> list[str]:
    """markdown-it's ``escapedSplit``: ``line`` cut at each pipe no backslash escapes, each escaped
    pipe (``\\|``) read as a pipe."""
    return [cell.replace("\\|", "|") for cell in _UNESCAPED_PIPE.split(line)]


def table_rule() -> TableRule:
    """markdown-it's GFM table rule, the same code run with ``split_cells`` as its ``escapedSplit``."""
    names = dict(gfm_table.__globals__, escapedSplit=split_cells)
    rule = types.FunctionType(gfm_table.__code__, names, gfm_table.__name__, gfm_table.__defaults__)
    return cast(TableRule, rule)


def ragged_cells(line: str, parsed: int, row: TextBuilder, read: Callable[[str], None]) -> None:
    """GFM drops the cells of a row beyond the header's count; keep their text (ragged tables).
    ``line`` is the row's source line, ``parsed`` how many cells GFM kept, ``read`` adds a cell's
    inline content to ``row``."""
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    cells = _UNESCAPED_PIPE.split(line)
    for cell in cells[parsed:]:
        if cell.strip():
            row.separator(" | ")
            read(cell.strip())
