"""Benchmark: where the memory of ``policydiff.compare()`` goes, on the real pairs ``bench/compare.py``
builds (consecutive corpus versions concatenated to ~100 KB, 1 MB, 5 MB per side).

Each figure comes from a fresh process, read from Linux's ``VmHWM`` (peak resident memory):

- ``baseline``: the interpreter after ``import policydiff`` and a warm-up comparison of a tiny pair
  (lazy imports, sentence model, compiled patterns): what any comparison starts from;
- ``floor``: the baseline plus the two input files read as text (``str``), held at once;
- ``compare``: the peak of ``compare(old_path, new_path)``, and of ``to_html`` of its result after it
  (the page as one string, what the library call returns); each also above the baseline, and as a
  multiple of the input (old side, bytes);
- ``stream``: the peak of ``compare`` and then the page streamed to a file (``iter_html`` written
  piece by piece, what ``policydiff compare --format html -o FILE`` does), in a process of its own.

``--trace`` adds a tracemalloc table (slow: 5-10x): the Python memory held before and after each stage
(normalize of each side, align + word diff, semantics, the HTML page as a string, the page streamed
to a file) and the stage's own peak.

    .venv/bin/python bench/memory.py [--sizes 1m,5m] [--trace]
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import subprocess
import sys
import tempfile
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

# other scripts in bench/ must not shadow standard modules
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

REPO = Path(__file__).resolve().parents[1]
MB = 1024 * 1024


def _bench_compare() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_compare", Path(__file__).with_name("compare.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def peak_mb() -> float:
    """This process's peak resident memory (``VmHWM``), MB."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("bench/memory.py needs Linux's /proc/self/status")


def _warm() -> None:
    import policydiff

    policydiff.compare("# T\n\nWe use data.\n", "# T\n\nWe use your data.\n", format="markdown")


# --------------------------------------------------------------------------- child side


def _floor(old: str, new: str) -> dict[str, Any]:
    _warm()
    baseline = peak_mb()
    texts = [Path(p).read_text(encoding="utf-8") for p in (old, new)]
    return {"baseline": baseline, "floor": peak_mb(), "chars": sum(len(t) for t in texts)}


def _compare(old: str, new: str) -> dict[str, Any]:
    import policydiff
    from policydiff.render.html import to_html

    _warm()
    baseline = peak_mb()
    result = policydiff.compare(Path(old), Path(new))
    compare_peak = peak_mb()
    page = to_html(result)
    return {"baseline": baseline, "compare": compare_peak, "html": peak_mb(), "page_chars": len(page)}


def _write_page(result: Any, path: Path) -> None:
    from policydiff.render.html import iter_html

    with path.open("w", encoding="utf-8") as out:
        out.writelines(iter_html(result))


def _stream(old: str, new: str) -> dict[str, Any]:
    import policydiff

    _warm()
    baseline = peak_mb()
    result = policydiff.compare(Path(old), Path(new))
    with tempfile.TemporaryDirectory(prefix="policydiff-memory-") as tmp:
        _write_page(result, Path(tmp) / "page.html")
    return {"baseline": baseline, "stream": peak_mb()}


def _trace(old: str, new: str) -> dict[str, Any]:
    """Traced memory around each stage: (stage, held before, held after, the stage's own peak), MB."""
    import policydiff
    from policydiff.render.html import to_html

    _warm()
    pipeline = importlib.import_module("policydiff.compare")
    rows: list[tuple[str, float, float, float]] = []

    def traced(stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            before = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            try:
                return fn(*args, **kwargs)
            finally:
                after, peak = tracemalloc.get_traced_memory()
                rows.append((stage, before / MB, after / MB, peak / MB))

        return wrapper

    for attr, stage in (
        ("normalize", "normalize"),
        ("diff_documents", "diff"),
        ("find_findings", "semantics"),
    ):
        setattr(pipeline, attr, traced(stage, getattr(pipeline, attr)))
    tracemalloc.start()
    result = policydiff.compare(Path(old), Path(new))
    rows.append(
        ("(result)", 0.0, tracemalloc.get_traced_memory()[0] / MB, tracemalloc.get_traced_memory()[1] / MB)
    )
    traced("html", to_html)(result)
    with tempfile.TemporaryDirectory(prefix="policydiff-memory-") as tmp:
        traced("html stream", _write_page)(result, Path(tmp) / "page.html")
    return {"rows": rows}


CHILDREN: dict[str, Callable[[str, str], dict[str, Any]]] = {
    "floor": _floor,
    "compare": _compare,
    "stream": _stream,
    "trace": _trace,
}


# --------------------------------------------------------------------------- parent side


def measure(kind: str, old: Path, new: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(old), str(new)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def report(label: str, size: int, floor: dict[str, Any], run: dict[str, Any]) -> None:
    base = run["baseline"]

    def times(mb: float) -> str:
        return f"{mb * MB / size:5.1f}x"

    print(f"\n{label}: old side {size / 1e6:.2f} MB ({floor['chars'] / 2e6:.2f} M characters a side)")
    print(f"  baseline (interpreter + imports + warm-up) {base:6.1f} MB")
    print(f"  floor (baseline + both input texts)        {floor['floor']:6.1f} MB  {times(floor['floor'])}")
    for key, what in (
        ("compare", "compare"),
        ("html", "compare + to_html"),
        ("stream", "compare + page file"),
    ):
        peak = run[key]
        above = peak - base
        print(
            f"  peak {what:<18} {peak:6.1f} MB  {times(peak)}  above baseline {above:6.1f} MB {times(above)}"
        )


def report_trace(rows: list[list[Any]]) -> None:
    print("  traced (tracemalloc), MB:   held before   held after   stage peak")
    for stage, before, after, peak in rows:
        print(f"    {stage:<13} {before:14.1f} {after:12.1f} {peak:12.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1m,5m")
    parser.add_argument("--trace", action="store_true", help="also the tracemalloc table per stage (slow)")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "OLD", "NEW"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, old, new = args.child
        print(json.dumps(CHILDREN[kind](old, new)))
        return 0
    bench = _bench_compare()
    if not any(c.is_dir() for c in bench.CORPORA):
        print(f"skipped: corpus not available ({bench.CORPORA[0]} is absent)")
        return 0
    with tempfile.TemporaryDirectory(prefix="policydiff-memory-") as tmp:
        for label in args.sizes.split(","):
            old, new, size = bench.build_pair(label, Path(tmp))
            runs = measure("stream", old, new) | measure("compare", old, new)
            report(label, size, measure("floor", old, new), runs)
            if args.trace:
                report_trace(measure("trace", old, new)["rows"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
