"""Speed of the semantic stage against alignment + word diff, on 1 MB and 5 MB pairs.

Normalize, alignment (``diff_documents``) and the semantic stage (``find_findings``, every cache
cleared before each run) are timed separately, the cyclic GC paused around each as ``compare()`` does:
wall and CPU time, best of ``repeat`` runs. Called by
``bench/findings.py --speed``. By default the pairs are built from real consecutive versions by
``bench/compare.py``'s ``markdown_pair`` (issue 14's speed bench); ``--speed-synthetic`` uses the
synthetic pairs of ``bench/synthetic.py`` (corpus sentences with planted edits and moves) instead.
"""

from __future__ import annotations

import functools
import importlib.util
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from policydiff.collector import collector_paused
from policydiff.diff import diff_documents
from policydiff.normalize import normalize
from policydiff.semantics import find_findings

REPO = Path(__file__).resolve().parents[1]
SIZES = {"100k": 100_000, "1m": 1_000_000, "5m": 5_000_000}
T = TypeVar("T")


def _load_bench(name: str) -> Any:
    """``bench/<name>.py`` as a module (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[f"bench_{name}"] = module
    spec.loader.exec_module(module)
    return module


def _clear_caches() -> None:
    """Empty every ``functools`` cache of the semantic stage, so each timed run starts cold."""
    for name, module in list(sys.modules.items()):
        if not name.startswith("policydiff.semantics"):
            continue
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def run_speed(size_label: str, repeat: int, real: bool = True) -> None:
    """Time normalize, alignment + word diff and the semantic stage on one pair; print the ratio."""
    if real:
        old_text, new_text = _load_bench("compare").markdown_pair(SIZES[size_label])
    else:
        synthetic = _load_bench("synthetic")
        pair = synthetic.Pair(synthetic.corpus_sentences(), SIZES[size_label], 1)
        old_text, new_text = pair.old_text, pair.new_text
    start = time.perf_counter()
    old = normalize(old_text, format="markdown")
    new = normalize(new_text, format="markdown")
    t_norm = time.perf_counter() - start
    best: dict[str, tuple[float, float]] = {}
    findings: tuple[Any, ...] = ()
    for _ in range(repeat):
        diff, wall, cpu = _timed(functools.partial(diff_documents, old, new, name="speed"))
        best["align"] = min(best.get("align", (wall, cpu)), (wall, cpu))
        _clear_caches()  # no help from a previous run
        findings, wall, cpu = _timed(functools.partial(find_findings, [diff]))
        best["sem"] = min(best.get("sem", (wall, cpu)), (wall, cpu))
    changes = sum(1 for c in diff.changes if c.material)
    kind = "real consecutive versions" if real else "synthetic"
    print("\n" + "=" * 80)
    print(f"{kind} {size_label}: {len(old_text.encode()) / 1e6:.2f} MB old, {changes} material changes")
    print(f"  normalize (both sides) {t_norm:.2f} s")
    (t_align, c_align), (t_sem, c_sem) = best["align"], best["sem"]
    n = f"best of {repeat}"
    print(f"  alignment + word diff  {t_align:.3f} s wall, {c_align:.3f} s CPU  (diff_documents, {n})")
    print(f"  semantics              {t_sem:.3f} s wall, {c_sem:.3f} s CPU  (find_findings, {n}, cold)")
    ratio = f"{t_sem / t_align:.2f} wall, {c_sem / c_align:.2f} CPU"
    print(f"  semantics / alignment  {ratio}   (target <= 1)   findings: {len(findings)}")
    print(f"  by category: {dict(Counter(f.category for f in findings))}")


def _timed(call: Callable[[], T]) -> tuple[T, float, float]:
    """``call()`` with its wall and CPU time, the cyclic GC paused as ``policydiff.compare`` pauses it."""
    with collector_paused():
        start, cpu = time.perf_counter(), time.process_time()
        result = call()
        return result, time.perf_counter() - start, time.process_time() - cpu
