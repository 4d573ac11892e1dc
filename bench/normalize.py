"""Benchmark normalize: documents/s, MB/s and peak memory for HTML and Markdown of 30 KB, 300 KB, 3 MB.

``--parsers`` instead weighs the Markdown parser: markdown-it-py (ours, with its shortcuts; the same
without the hand-written link/bold/escape shortcuts) against native parsers when installed
(markdown-it-pyrs, cmarkgfm: ``pip install markdown-it-pyrs cmarkgfm``), on the corpus Markdown
concatenated to 5 MB, and whether each survives deep nesting (run in a child process: a crash shows as
a signal). The decision it supports is in docs/architecture.md.

Inputs are built by repeating real documents from ../shared/corpus (skipped when absent):
the LinkedIn French privacy page (its <main> repeated inside one page) and the corpus Markdown files
concatenated. Run by hand:  .venv/bin/python bench/normalize.py [--sizes 30000,300000,3000000]

``--identical DIR`` checks that a normalize speed change changes nothing, more strictly than
``bench/identical.py`` (which compares changes and findings): every corpus and corpus2 file, alone
and as each side of its consecutive pair (normalized as ``compare`` does, the new side reusing the
old side's reading), and both sides of the 1 MB and 5 MB bench pairs, must give the same
``Document`` (SHA-256 of its unstructured tree) with this code and with ``DIR`` first on
``PYTHONPATH`` (a checkout before the change). Exit status 1 when any differs.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib.util
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

# bench/ holds other scripts (one is named html.py): keep them from shadowing the standard library
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from policydiff.normalize import normalize, recent  # noqa: E402

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
        recent.clear()  # the same text again would be handed back from the recent-documents cache
        doc = normalize(source, format=fmt)  # type: ignore[arg-type]
        runs += 1
        elapsed = time.perf_counter() - started
        if elapsed >= min_seconds or runs >= 200:
            break
    clauses = sum(1 for _ in doc.clauses())
    del doc
    gc.collect()
    recent.clear()
    tracemalloc.start()
    normalize(source, format=fmt)  # type: ignore[arg-type]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed / runs, runs, clauses, peak / 1e6


def _median_cpu(fn: object, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()  # type: ignore[operator]
        times.append(time.process_time() - start)
    return sorted(times)[len(times) // 2]


_NESTING = {
    "markdown_it_pyrs": "import markdown_it_pyrs as m; m.MarkdownIt('commonmark').tree(TEXT)",
    "cmarkgfm": "import cmarkgfm; cmarkgfm.github_flavored_markdown_to_html(TEXT)",
    "markdown-it-py": "from policydiff.normalize import normalize; normalize(TEXT, format='markdown')",
}


def _failure(code: int, stderr: str) -> str:
    if code < 0:
        return f"crashed (signal {-code})"
    last = (stderr.strip().splitlines() or ["?"])[-1]
    return f"failed (exit {code}): {last[:80]}"


def parsers(size: int) -> None:
    from markdown_it import MarkdownIt

    from policydiff.normalize.markdown import _parser, blocks_with

    text = markdown_of_size(size)
    plain = MarkdownIt("commonmark", {"maxNesting": 100}).enable(["table", "strikethrough"])
    print(f"Markdown parse of {len(text.encode()) / 1e6:.1f} MB (median CPU of 3):")
    print(f"  markdown-it-py, our shortcuts   {_median_cpu(lambda: _parser().parse(text)):6.2f} s")
    print(f"  markdown-it-py, none            {_median_cpu(lambda: plain.parse(text)):6.2f} s")
    print(f"  our blocks, shortcuts           {_median_cpu(lambda: blocks_with(_parser(), text)):6.2f} s")
    print(f"  our blocks, no shortcuts        {_median_cpu(lambda: blocks_with(plain, text)):6.2f} s")
    if importlib.util.find_spec("markdown_it_pyrs"):
        import markdown_it_pyrs

        md = markdown_it_pyrs.MarkdownIt("commonmark").enable_many(["table", "strikethrough"])
        print(f"  markdown-it-pyrs tree           {_median_cpu(lambda: md.tree(text)):6.2f} s")
    if importlib.util.find_spec("cmarkgfm"):
        import cmarkgfm

        print(
            f"  cmarkgfm to HTML (no tree API)  "
            f"{_median_cpu(lambda: cmarkgfm.github_flavored_markdown_to_html(text)):6.2f} s"
        )
    for name, code in _NESTING.items():
        if name != "markdown-it-py" and not importlib.util.find_spec(name):
            continue
        for doc in (">" * 100_000 + " x\n", "- " * 100_000 + "x\n"):
            script = "import sys; TEXT = sys.stdin.read(); " + code
            proc = subprocess.run(
                [sys.executable, "-c", script], input=doc, text=True, capture_output=True, check=False
            )
            status = "ok" if proc.returncode == 0 else _failure(proc.returncode, proc.stderr)
            print(f"  {name:16} nesting {doc[:2]!r} x 100,000: {status}")


def _bench_compare() -> Any:
    spec = importlib.util.spec_from_file_location("bench_compare", Path(__file__).with_name("compare.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _digest(document: object) -> str:
    from policydiff.model import unstructure

    data = json.dumps(unstructure(document), sort_keys=True, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _alone(path: Path) -> str:
    from policydiff.errors import PolicyDiffError

    recent.clear()
    try:
        return _digest(normalize(path))
    except PolicyDiffError as error:
        return f"{type(error).__name__}: {error}"


def _side_by_side(old: str | Path, new: str | Path) -> tuple[str, str]:
    """Both documents' digests, normalized as ``compare`` does (see policydiff.normalize.reuse)."""
    from policydiff.errors import PolicyDiffError
    from policydiff.normalize.reuse import between_sides

    recent.clear()
    fmt = "markdown" if isinstance(old, str) else None
    try:
        with between_sides() as sides:
            old_doc = normalize(old, format=fmt)
            sides.next_side()
            new_doc = normalize(new, format=fmt)
    except PolicyDiffError as error:
        return f"{type(error).__name__}: {error}", ""
    return _digest(old_doc), _digest(new_doc)


def documents(out_path: str) -> None:
    """Child side of ``--identical``: one line per document normalized (see the module docstring)."""
    bench = _bench_compare()
    pairs = bench.consecutive("md") + bench.consecutive("html")
    with open(out_path, "w", encoding="utf-8") as out:
        for path in sorted({path for pair in pairs for path in pair}):
            out.write(f"{path} {_alone(path)}\n")
        for old, new in pairs:
            out.write(f"{old} -> {new} {' '.join(_side_by_side(old, new))}\n")
        for size in (1_000_000, 5_000_000):
            out.write(f"bench pair {size} {' '.join(_side_by_side(*bench.markdown_pair(size)))}\n")


def identical(before: str) -> int:
    """Every document normalized by this code and by ``before``; 1 if any differs."""
    with tempfile.TemporaryDirectory(prefix="policydiff-normalize-") as tmp:
        lines = {}
        for side in ("after", "before"):
            env = dict(os.environ)
            if side == "before":
                env["PYTHONPATH"] = before + os.pathsep + env.get("PYTHONPATH", "")
            out = Path(tmp) / side
            subprocess.run([sys.executable, __file__, "--documents", str(out)], check=True, env=env)
            lines[side] = out.read_text(encoding="utf-8").splitlines()
    differ = [a for a, b in zip(lines["after"], lines["before"], strict=True) if a != b]
    for line in differ:
        print(f"DIFFERS: {line.rsplit(' ', 2)[0]}")
    verdict = f"{len(differ)} differ" if differ else "the same Document from both"
    print(f"{len(lines['after'])} documents and pairs normalized: {verdict}")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parsers", action="store_true", help="weigh Markdown parsers (see above)")
    parser.add_argument("--sizes", default="30000,300000,3000000", help="comma-separated sizes in bytes")
    parser.add_argument("--min-seconds", type=float, default=2.0, help="time each case at least this long")
    parser.add_argument("--identical", metavar="DIR", help="same Documents as the checkout DIR? (see above)")
    parser.add_argument("--documents", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: the real corpus is absent ({CORPUS}); the benchmark builds its inputs from it")
        return 0
    if args.documents:
        documents(args.documents)
        return 0
    if args.identical:
        return identical(args.identical)
    if args.parsers:
        parsers(5_000_000)
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
