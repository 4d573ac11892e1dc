"""The memory of a whole comparison of real documents stays a bounded multiple of its input (issue 14).

The pair is built like ``bench/compare.py``'s: consecutive versions of the corpus's series joined,
each pair under its own heading, until a side reaches ~600 KB; its real edits, moves, links, lists
and tables included. The Python memory held at the comparison's peak (tracemalloc, after a warm-up
that loads the parsers and the sentence model) must stay under ``RATIO`` times the old side's size.
Measured with this test's pair (0.62 MB a side): 114x before issue 14's memory work (a read buffer
of the 64 MB file cap, the list of every word of each document, copies of the whole source), 24x
after it.
"""

from __future__ import annotations

import itertools
import tracemalloc
from pathlib import Path

import pytest

import policydiff

RATIO = 30
SIZE = 600_000


def _pair(corpus: Path, tmp_path: Path) -> tuple[Path, Path, int]:
    folders = sorted({p.parent for p in corpus.rglob("*.md") if p.name[:4].isdigit()})
    pairs = [
        pair
        for folder in folders
        if "bundle" not in str(folder)
        for pair in itertools.pairwise(sorted(folder.glob("*.md")))
    ]
    old: list[str] = []
    new: list[str] = []
    for k, (a, b) in enumerate(itertools.cycle(pairs)):
        title = f"# {a.parent.name} {a.stem} -> {b.stem} ({k})"
        old.append(f"{title}\n\n{a.read_text(encoding='utf-8')}")
        new.append(f"{title}\n\n{b.read_text(encoding='utf-8')}")
        if sum(len(t.encode()) for t in old) >= SIZE:
            break
    old_path, new_path = tmp_path / "old.md", tmp_path / "new.md"
    old_path.write_text("\n\n".join(old), encoding="utf-8")
    new_path.write_text("\n\n".join(new), encoding="utf-8")
    return old_path, new_path, old_path.stat().st_size


@pytest.mark.slow
def test_compare_peak_memory_stays_a_bounded_multiple_of_the_input(corpus: Path, tmp_path: Path) -> None:
    old, new, size = _pair(corpus, tmp_path)
    policydiff.compare("# T\n\nWe use data. We sell it.\n", "# T\n\nWe use your data.\n", format="markdown")
    tracemalloc.start()
    try:
        result = policydiff.compare(old, new)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.changes  # the pair holds real edits: every stage ran
    assert peak <= RATIO * size, (
        f"peak {peak / 1e6:.1f} MB = {peak / size:.1f}x the {size / 1e6:.2f} MB input"
    )
