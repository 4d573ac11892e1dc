"""Benchmark: policydiff.compare() on pairs built from real consecutive versions, against the obvious
alternatives, interleaved in one run.

The pairs: consecutive versions of every series of ../shared/corpus and ../shared/corpus2 (skipped when
absent), concatenated (each pair under its own heading) until each side reaches ~100 KB, 1 MB and 5 MB;
both sides are built the same way, so the changes are the real edits, moves and rewrites of those
documents (links, lists, tables and bold text included). ``html-*`` sizes do the same with the raw HTML
pages of the ``__html-*`` series (their ``<main>`` or ``<body>`` contents joined into one page).

Each tool runs in its own subprocess, in shuffled order, ``--runs`` times per size (medians printed;
redlines ``--slow-runs`` times, once by default: one run takes minutes at 1 MB):

- ``policydiff``: ``policydiff.compare(old_path, new_path)`` then ``to_html`` of the result; CPU and wall
  time of the compare, peak RSS, and the CPU of each stage (normalize, align + word diff, semantics,
  HTML rendering);
- ``before`` (with ``--before DIR``): the same with ``DIR`` first on ``PYTHONPATH`` (a checkout of the
  code before a change), so a speed change is measured against its baseline in the same run;
- ``git``: ``git diff --no-index --word-diff=porcelain``;
- ``difflib``: ``difflib.unified_diff`` over lines;
- ``dmp-lines``: diff-match-patch in line mode (``diff_linesToChars``);
- ``redlines`` (bench extra: ``pip install -e '.[bench]'``), skipped where projected over ``--cap``.

Printed: per size and tool the median CPU and wall seconds, peak RSS (MB and as a multiple of the
input), policydiff's stage split, its ratio to every other tool (CPU), and its growth per 10x input.

    .venv/bin/python bench/compare.py [--sizes 100k,1m,5m,html-1m] [--runs 3] [--before DIR]
    .venv/bin/python bench/identical.py --before DIR           # identical changes + findings per file
    .venv/bin/python bench/synthetic.py                        # the synthetic move-recall check
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# other scripts in bench/ must not shadow standard modules
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

REPO = Path(__file__).resolve().parents[1]
CORPORA = [REPO.parent / "shared" / "corpus", REPO.parent / "shared" / "corpus2"]
SIZES = {"100k": 100_000, "1m": 1_000_000, "5m": 5_000_000}
TOOLS = ["policydiff", "git", "difflib", "dmp-lines", "redlines"]
QUADRATIC = {"redlines"}  # projected from the previous size as ~n^2 and skipped over --cap
_BODY = re.compile(r"<body\b[^>]*>(.*)</body>", re.S | re.I)
_MAIN = re.compile(r"<main\b[^>]*>(.*)</main>", re.S | re.I)


# --------------------------------------------------------------------------- real pairs


def series(suffix: str) -> list[list[Path]]:
    """The version series (files of one folder, in date order) of both corpora, each folder once."""
    seen: dict[str, list[Path]] = {}
    for corpus in CORPORA:
        if not corpus.is_dir():
            continue
        for folder in sorted({p.parent for p in corpus.rglob(f"*.{suffix}") if p.name[:4].isdigit()}):
            key = str(folder.relative_to(corpus))
            if "bundle" in key or key in seen:
                continue
            seen[key] = sorted(folder.glob(f"*.{suffix}"))
    return [files for files in seen.values() if len(files) > 1]


def consecutive(suffix: str) -> list[tuple[Path, Path]]:
    return [pair for files in series(suffix) for pair in itertools.pairwise(files)]


def markdown_pair(size: int) -> tuple[str, str]:
    """Consecutive Markdown versions, concatenated under headings until each side reaches ``size``.

    Pages that show a pending version, or announce one, are left out: a page announcing a future
    version followed (pages later) by another page's "current version" heading would make
    everything between them one announced version, not text in force.
    """
    pairs = [(a, b) for a, b in consecutive("md") if not _announces(a) and not _announces(b)]
    old: list[str] = []
    new: list[str] = []
    total = 0
    for k in itertools.count():
        a, b = pairs[k % len(pairs)]
        title = f"# {a.parent.name} {a.stem} -> {b.stem} ({k})"
        old.append(f"{title}\n\n{a.read_text(encoding='utf-8')}")
        new.append(f"{title}\n\n{b.read_text(encoding='utf-8')}")
        total += len(old[-1].encode())
        if total >= size:
            break
    return "\n\n".join(old), "\n\n".join(new)


def _announces(page: Path) -> bool:
    """Whether ``page`` shows or announces a pending version: it does when a "current version"
    part placed after it would be read as the version in force below an announced one."""
    from policydiff import normalize

    text = page.read_text(encoding="utf-8")
    probe = f"{text}\n\nOne.\n\nTwo.\n\nThree.\n\n# Current version\n\nIn force.\n"
    return normalize(text, format="markdown").upcoming is not None or (
        normalize(probe, format="markdown").upcoming is not None
    )


def html_pair(size: int) -> tuple[str, str]:
    """Consecutive raw HTML pages, their bodies joined into one page per side until ``size``."""
    old: list[str] = []
    new: list[str] = []
    total = 0
    pairs = consecutive("html")
    for k in itertools.count():
        a, b = pairs[k % len(pairs)]
        title = f"<h1>{a.parent.name} {a.stem} -&gt; {b.stem} ({k})</h1>"
        old.append(f"<section>{title}{_content(a)}</section>")
        new.append(f"<section>{title}{_content(b)}</section>")
        total += len(old[-1].encode())
        if total >= size:
            break
    frame = (
        '<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head><body>{}</body></html>'
    )
    return frame.format("\n".join(old)), frame.format("\n".join(new))


def _content(page: Path) -> str:
    """A page's main content (its ``<main>``, else its ``<body>``), so that one joined page keeps the
    text of every page rather than the reader picking one page's ``<main>``."""
    text = page.read_text(encoding="utf-8")
    found = _MAIN.search(text) or _BODY.search(text)
    return found.group(1) if found else ""


# --------------------------------------------------------------------------- tools (child side)


def _peak_mb() -> float:
    """This process's peak resident memory, MB. Linux's ``VmHWM`` starts afresh at exec, whereas
    ``ru_maxrss`` carries over the peak of the bench process that forked this child (which holds
    the pairs it built): with it, a small child reported the parent's 106 MB."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _stage_timers() -> dict[str, float]:
    """Wrap the stage functions ``policydiff.compare`` calls so each one's CPU time is summed."""
    import importlib

    pipeline = importlib.import_module("policydiff.compare")  # the package re-exports the function

    spent = {"normalize": 0.0, "diff": 0.0, "semantics": 0.0}

    def timed(stage: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[stage] += time.process_time() - start

        return wrapper

    pipeline.normalize = timed("normalize", pipeline.normalize)  # type: ignore[attr-defined]
    pipeline.diff_documents = timed("diff", pipeline.diff_documents)  # type: ignore[attr-defined]
    pipeline.find_findings = timed("semantics", pipeline.find_findings)  # type: ignore[attr-defined]
    return spent


def _policydiff(old_path: str, new_path: str) -> dict[str, Any]:
    import policydiff
    from policydiff.render.html import to_html

    # warm-up on a tiny pair: lazy imports, sentence model, compiled patterns
    policydiff.compare("# T\n\nWe use data.\n", "# T\n\nWe use your data.\n", format="markdown")
    spent = _stage_timers()
    cpu, wall = time.process_time(), time.perf_counter()
    result = policydiff.compare(Path(old_path), Path(new_path))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    rss_compare = _peak_mb()
    html_cpu = time.process_time()
    page = to_html(result)
    spent["html"] = time.process_time() - html_cpu
    return {
        "cpu": cpu,
        "wall": wall,
        "rss_mb": rss_compare,
        "rss_html_mb": _peak_mb(),
        "stages": spent,
        "changes": len(result.changes),
        "findings": len(result.findings),
        "page_mb": len(page.encode()) / 1e6,
    }


def _others(tool: str, old_path: str, new_path: str) -> dict[str, Any]:
    old = Path(old_path).read_text(encoding="utf-8")
    new = Path(new_path).read_text(encoding="utf-8")
    if tool == "redlines":
        import redlines  # noqa: F401  (imported before the clock starts, like policydiff)
    cpu, wall = time.process_time(), time.perf_counter()
    if tool == "git":
        subprocess.run(
            ["git", "diff", "--no-index", "--word-diff=porcelain", "--no-color", old_path, new_path],
            capture_output=True,
            check=False,
        )
    elif tool == "difflib":
        import difflib

        sum(1 for _ in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm=""))
    elif tool == "dmp-lines":
        from diff_match_patch import diff_match_patch

        dmp = diff_match_patch()
        dmp.Diff_Timeout = 0
        chars_old, chars_new, lines = dmp.diff_linesToChars(old, new)
        diffs = dmp.diff_main(chars_old, chars_new, False)
        dmp.diff_charsToLines(diffs, lines)
    elif tool == "redlines":
        from redlines import Redlines

        _ = Redlines(old, new, markdown_style="none").output_markdown
    else:
        raise SystemExit(f"unknown tool {tool}")
    if tool == "git":
        child = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu += child.ru_utime + child.ru_stime
    else:
        cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    rss = _peak_mb()
    if tool == "git":  # an upper bound: git's own peak, or this process's when it forked git
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"cpu": cpu, "wall": wall, "rss_mb": rss}


def run_tool(tool: str, old_path: str, new_path: str) -> dict[str, Any]:
    if tool in ("policydiff", "before"):
        return _policydiff(old_path, new_path)
    return _others(tool, old_path, new_path)


def measure(
    tool: str, old_path: Path, new_path: Path, cap: float, before: str | None = None, script: str = __file__
) -> dict[str, Any] | str:
    """Run ``script --child tool old new`` in its own process (``bench/synthetic.py`` passes itself)
    and return the JSON its last line prints, or why it gave none (a timeout after ``cap`` seconds,
    a failure). The ``before`` tool runs with ``before`` first on ``PYTHONPATH``."""
    env = dict(os.environ)
    if tool == "before" and before:
        env["PYTHONPATH"] = before + os.pathsep + env.get("PYTHONPATH", "")
    try:
        proc = subprocess.run(
            [sys.executable, script, "--child", tool, str(old_path), str(new_path)],
            capture_output=True,
            text=True,
            timeout=cap,
            check=False,
            cwd=REPO,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return f"timeout (> {cap:.0f} s)"
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return f"failed: {last[:100]}"
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


# --------------------------------------------------------------------------- parent side


def build_pair(label: str, tmp: Path) -> tuple[Path, Path, int]:
    if label.startswith("html-"):
        old, new = html_pair(SIZES[label[5:]])
        suffix = "html"
    else:
        old, new = markdown_pair(SIZES[label])
        suffix = "md"
    old_path, new_path = tmp / f"old-{label}.{suffix}", tmp / f"new-{label}.{suffix}"
    old_path.write_text(old, encoding="utf-8")
    new_path.write_text(new, encoding="utf-8")
    return old_path, new_path, len(old.encode())


def run_size(
    label: str, tools: list[str], args: argparse.Namespace, tmp: Path, rng: random.Random
) -> tuple[int, dict[str, list[dict[str, Any]]]]:
    old_path, new_path, size = build_pair(label, tmp)
    results: dict[str, list[dict[str, Any]]] = {t: [] for t in tools}
    skipped: set[str] = set()
    for run in range(args.runs):
        order = list(tools)
        rng.shuffle(order)
        for tool in order:
            if tool in skipped or (tool in QUADRATIC and run >= args.slow_runs):
                continue
            result = measure(tool, old_path, new_path, args.cap, args.before)
            if isinstance(result, str):
                print(f"{label:>8} {tool:<11} {result}")
                skipped.add(tool)
                continue
            results[tool].append(result)
    return size, results


def median(runs: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(r[key] for r in runs))


def report(label: str, size: int, results: dict[str, list[dict[str, Any]]]) -> None:
    print(f"\n{label}: old side {size / 1e6:.2f} MB")
    ours = results.get("policydiff") or []
    for tool, runs in results.items():
        if not runs:
            continue
        cpu, wall, rss = median(runs, "cpu"), median(runs, "wall"), max(r["rss_mb"] for r in runs)
        line = f"{label:>8} {tool:<11} cpu {cpu:7.2f} s  wall {wall:7.2f} s  peak {rss:6.0f} MB"
        line += f" ({rss * 1048576 / size:4.0f}x input)"
        if tool in ("policydiff", "before"):
            stages = {k: statistics.median(r["stages"][k] for r in runs) for k in runs[0]["stages"]}
            line += "  stages: " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items())
            line += f"  with html peak {max(r['rss_html_mb'] for r in runs):.0f} MB"
            line += f"  ({runs[0]['changes']} changes, {runs[0]['findings']} findings)"
        elif ours:
            ratio = median(ours, "cpu") / max(cpu, 1e-6)
            line += f"  policydiff/{tool} = {ratio:.1f}x" if ratio >= 1 else f"  {1 / ratio:.1f}x faster"
        print(line + f"  [{len(runs)} run{'s' if len(runs) != 1 else ''}]")


def growth(cpu: dict[str, float]) -> None:
    for a, b in (("100k", "1m"), ("1m", "5m")):
        if a in cpu and b in cpu:
            per10 = (cpu[b] / cpu[a]) ** (1 / math.log10(SIZES[b] / SIZES[a]))
            print(f"policydiff CPU growth {a} -> {b}, per 10x input: {per10:.1f}x")


def _check_args(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Unknown sizes or tools and impossible counts are usage errors (exit status 2), not tracebacks."""
    known = list(SIZES) + [f"html-{size}" for size in SIZES]
    sizes = [s for s in args.sizes.split(",") if s]
    wrong = [s for s in sizes if s not in known]
    if wrong or not sizes:
        parser.error(f"--sizes: unknown {', '.join(wrong) or '(none given)'}; use some of {', '.join(known)}")
    tools = [t for t in args.tools.split(",") if t]
    wrong = [t for t in tools if t not in TOOLS and not (t == "before" and args.before)]
    if wrong:
        parser.error(
            f"--tools: unknown {', '.join(wrong)}; use some of {', '.join(TOOLS)} (and before with --before)"
        )
    if args.runs < 1 or args.slow_runs < 0:
        parser.error("--runs must be at least 1 and --slow-runs at least 0")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100k,1m,5m,html-1m")
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--runs", type=int, default=3, help="runs per tool and size (medians printed)")
    parser.add_argument(
        "--slow-runs", type=int, default=1, help="runs of redlines (minutes per run at 1 MB), at most --runs"
    )
    parser.add_argument("--cap", type=float, default=300.0, help="seconds before a tool is cut off")
    parser.add_argument("--before", help="a checkout of the code to measure against (its PYTHONPATH)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", nargs=3, metavar=("TOOL", "OLD", "NEW"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_tool(*args.child)))
        return 0
    _check_args(parser, args)
    if not any(c.is_dir() for c in CORPORA):
        print(f"skipped: corpus not available ({CORPORA[0]} is absent)")
        return 0
    # each tool once: "before" named in --tools as well as given by --before ran twice per run
    tools = list(dict.fromkeys([t for t in args.tools.split(",") if t] + (["before"] if args.before else [])))
    rng = random.Random(args.seed)
    print(
        f"{len(consecutive('md'))} Markdown and {len(consecutive('html'))} HTML consecutive pairs; "
        f"{args.runs} runs per tool, shuffled; cap {args.cap:.0f} s"
    )
    cpu: dict[str, float] = {}
    previous: tuple[int, float] | None = None
    with tempfile.TemporaryDirectory(prefix="policydiff-bench-") as tmp:
        for label in args.sizes.split(","):
            here = list(tools)
            if "redlines" in here and previous and not label.startswith("html-"):
                projected = previous[1] * (SIZES[label] / previous[0]) ** 2
                if projected > args.cap:
                    print(f"{label:>8} redlines    skipped (projected {projected:.0f} s > {args.cap:.0f} s)")
                    here.remove("redlines")
            size, results = run_size(label, here, args, Path(tmp), rng)
            report(label, size, results)
            if results.get("policydiff"):
                if not label.startswith("html-"):
                    cpu[label] = median(results["policydiff"], "cpu")
            if results.get("redlines") and not label.startswith("html-"):
                previous = (size, median(results["redlines"], "cpu"))
    print()
    growth(cpu)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
