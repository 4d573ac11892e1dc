"""The redline page streamed: ``iter_html`` pieces are exactly ``to_html``'s page, bounded in size, and
``policydiff compare --format html`` writes them (to a file, atomically, or to stdout) unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_html_data import sample_bundle, sample_comparison

import policydiff
from policydiff.atomic import atomic_stream
from policydiff.cli import main
from policydiff.render.html import CHUNK_CHARS, iter_html, render_html, to_html


def _pair(tmp_path: Path, paragraphs: int) -> tuple[Path, Path]:
    old = [f"Paragraph {n} says we keep record {n} for {n % 7 + 1} days." for n in range(paragraphs)]
    new = list(old)
    for n in range(0, paragraphs, 5):
        new[n] = f"Paragraph {n} says we keep record {n} for {n % 7 + 10} weeks and share it."
    old_path, new_path = tmp_path / "old.md", tmp_path / "new.md"
    old_path.write_text("# Terms\n\n" + "\n\n".join(old) + "\n", encoding="utf-8")
    new_path.write_text("# Terms\n\n" + "\n\n".join(new) + "\n", encoding="utf-8")
    return old_path, new_path


@pytest.mark.parametrize("comparison", [sample_comparison(), sample_bundle()], ids=["single", "bundle"])
def test_pieces_join_to_the_page(comparison: policydiff.Comparison) -> None:
    assert "".join(iter_html(comparison)) == to_html(comparison)
    assert "".join(iter_html(comparison, csp=False)) == render_html(comparison, csp=False)
    acked = {f.id: "known (acknowledged by legal)" for f in comparison.findings if f.id}
    assert "".join(iter_html(comparison, back_link="index.html", acknowledged=acked)) == to_html(
        comparison, back_link="index.html", acknowledged=acked
    )


def test_a_large_page_comes_in_bounded_pieces(tmp_path: Path) -> None:
    old, new = _pair(tmp_path, 3000)
    comparison = policydiff.compare(old, new)
    pieces = list(iter_html(comparison))
    page = to_html(comparison)
    assert "".join(pieces) == page
    assert len(page) > 8 * CHUNK_CHARS
    assert len(pieces) >= 8
    # a piece is at least a run of CHUNK_CHARS (the last one excepted) and never much more
    assert all(CHUNK_CHARS <= len(p) < 2 * CHUNK_CHARS for p in pieces[:-1])


def test_cli_writes_the_same_page_to_a_file_and_to_stdout(tmp_path: Path) -> None:
    old, new = _pair(tmp_path, 600)
    page = to_html(policydiff.compare(old, new))
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["compare", str(old), str(new), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == page.encode("utf-8")
    result = CliRunner().invoke(main, ["compare", str(old), str(new), "--format", "html"])
    assert result.exit_code == 0
    assert result.stdout == page + ("" if page.endswith("\n") else "\n")


def test_a_stream_that_fails_midway_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_bytes(b"previous report")

    def chunks() -> Iterator[bytes]:
        yield b"<!DOCTYPE html>"
        raise RuntimeError("renderer failed")

    with pytest.raises(RuntimeError):
        atomic_stream(target, chunks(), durable=False)
    assert target.read_bytes() == b"previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
