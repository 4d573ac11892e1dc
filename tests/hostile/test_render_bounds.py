"""Hostile comparisons render in time proportional to their size (CPU-time budgets per item).

Before: ``to_html`` with 20,000 links in one paragraph took 23 s (every text run looked for its link
among all links), ``to_terminal`` on 100,000 added headings or table rows 70-90 s (rich's cost per
line). The budgets below are ~20x what the linear code needs and far below the old costs.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

import policydiff
from policydiff.model import Comparison
from policydiff.render.terminal import _indented, _Out


def _cpu(render: Callable[[], object]) -> float:
    start = time.process_time()
    render()
    return time.process_time() - start


def _added(text: str) -> Comparison:
    return policydiff.compare("# T\n\nStart.\n", text, format="markdown", findings=False)


def test_many_links_in_one_paragraph_render_in_linear_time() -> None:
    links = 10_000
    comparison = _added("# T\n\n" + " ".join(f"[w{i}](https://e.com/{i})" for i in range(links)) + "\n")
    page = ""

    def render() -> None:
        nonlocal page
        page = comparison.to_html()

    assert _cpu(render) < 0.5 + 150e-6 * links
    assert page.count('href="https://e.com/') == links  # every link kept, each once


def test_many_headings_render_on_the_terminal_in_linear_time() -> None:
    headings = 10_000
    comparison = _added("\n\n".join(f"# H{i}\n\nP{i}." for i in range(headings)))
    text = ""

    def render() -> None:
        nonlocal text
        text = comparison.to_terminal()

    assert _cpu(render) < 0.5 + 100e-6 * headings
    assert "{+P9999.+}" in text


def test_many_table_rows_render_on_the_terminal_in_linear_time() -> None:
    rows = 10_000
    comparison = _added("| a | b |\n| - | - |\n" + "\n".join(f"| r{i} | v{i} |" for i in range(rows)))
    assert _cpu(comparison.to_terminal) < 0.5 + 100e-6 * rows


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=50), max_size=3),
    st.sampled_from([20, 40, 100]),
)
def test_plain_lines_written_directly_are_what_rich_writes(parts: list[str], width: int) -> None:
    # direct=False sends every line through rich: both must give the same text
    text = Text("    ")
    for n, part in enumerate(parts):
        text.append(part, style="bold" if n % 2 else "dim")
    outputs = []
    for direct in (True, False):
        buffer = io.StringIO()
        console = Console(
            file=buffer,
            width=width,
            no_color=True,
            color_system=None,
            soft_wrap=False,
            emoji=False,
            highlight=False,
        )
        out = _Out(console, buffer, plain=direct)
        out.print(text)
        out.print()
        _indented(out, text)
        _indented(out, text, first=0)
        outputs.append(buffer.getvalue())
    assert outputs[0] == outputs[1]
