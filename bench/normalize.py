"""Benchmark normalize: documents/s, MB/s and peak memory for HTML and Markdown of 30 KB, 300 KB, 3 MB.

Inputs are built by repeating real documents from ../shared/corpus (skipped when absent):
the LinkedIn French privacy page (its <main> repeated inside one page) and the corpus Markdown files
concatenated. Run by hand:  .venv/bin/python bench/normalize.py [--sizes 30000,300000,3000000]
"""

from __future__ import annotations

import argparse
import gc
import re
import resource
import sys
import time
import tracemalloc
from pathlib import Path

# bench/ holds other scripts (one is named html.py): keep them from shadowing the standard library
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from policydiff.normalize import normalize  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
HTML_PAGE = CORPUS / "linkedin" / "privacy-policy__html-fr-2023" / "2023-03-14_296313be8.html"


def html_of_size(size: int) -> str:
    page = HTML_PAGE.read_text(encoding="utf-8")
    match = re.search(r"(<main\b[^>]*>)(.*)(</main>)", page, re.S)
    assert match, "the LinkedIn page has no <main>"
    head, inner, tail = page[: match.end(1)], match.group(2), page[match.start(3) :]
    if len(head) + len(tail) > size // 2:  # the page's own scripts and styles would not fit: a bare frame
        head, tail = (
            '<!doctype html><html><head><meta charset="utf-8"></head><body><main>',
            "</main></body></html>",
        )
    frame = len(head) + len(tail)
    body = inner * max(1, (size - frame) // len(inner) + 1)
    cut = body.rfind("</p>", 0, max(0, size - frame))
    body = body[: cut + 4] if cut > 0 else body[: max(0, size - frame)]
    return head + body + tail


def markdown_of_size(size: int) -> str:
    files = sorted(p for p in CORPUS.rglob("*.md") if p.name != "README.md")
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in files)
    text = text * (size // len(text) + 1)
    cut = text.rfind("\n\n", 0, size)
    return text[: cut if cut > 0 else size]


def measure(source: str, fmt: str, min_seconds: float) -> tuple[float, int, int, float]:
    """(seconds per document, runs, clauses, peak MB under tracemalloc)."""
    normalize(source, format=fmt)  # warm: imports, nupunkt model
    runs, started = 0, time.perf_counter()
    while True:
        doc = normalize(source, format=fmt)  # type: ignore[arg-type]
        runs += 1
        elapsed = time.perf_counter() - started
        if elapsed >= min_seconds or runs >= 200:
            break
    clauses = sum(1 for _ in doc.clauses())
    del doc
    gc.collect()
    tracemalloc.start()
    normalize(source, format=fmt)  # type: ignore[arg-type]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed / runs, runs, clauses, peak / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="30000,300000,3000000", help="comma-separated sizes in bytes")
    parser.add_argument("--min-seconds", type=float, default=2.0, help="time each case at least this long")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: the real corpus is absent ({CORPUS}); the benchmark builds its inputs from it")
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    header = ("format", "size", "clauses", "runs", "ms/doc", "docs/s", "MB/s", "peak MB")
    print("{:9} {:>9} {:>8} {:>5} {:>9} {:>8} {:>7} {:>8}".format(*header))
    for fmt, build in (("html", html_of_size), ("markdown", markdown_of_size)):
        for size in sizes:
            source = build(size)
            nbytes = len(source.encode("utf-8"))
            seconds, runs, clauses, peak = measure(source, fmt, args.min_seconds)
            print(
                f"{fmt:9} {nbytes / 1000:>7.0f}KB {clauses:>8} {runs:>5} {seconds * 1000:>9.1f} "
                f"{1 / seconds:>8.2f} {nbytes / seconds / 1e6:>7.2f} {peak:>8.1f}"
            )
            sys.stdout.flush()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process max RSS {rss:.0f} MB (peak MB above: Python allocations during one normalize)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
