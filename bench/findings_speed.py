"""Speed of the semantic stage against alignment, on the 1 MB / 5 MB synthetic pairs of ``bench/compare.py``.

Corpus sentences with planted edits, moves, insertions and deletions; normalize, alignment
(``diff_documents``) and the semantic stage (``find_findings``, every cache cleared before each run) are
timed separately: wall and CPU time, best of ``repeat`` runs. Called by ``bench/findings.py --speed``.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from policydiff.diff import diff_documents
from policydiff.normalize import normalize
from policydiff.semantics import find_findings

REPO = Path(__file__).resolve().parents[1]


def _load_compare_bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_compare", REPO / "bench" / "compare.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_compare"] = module
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


def run_speed(size_label: str, repeat: int) -> None:
    bench = _load_compare_bench()
    pair = bench.Pair(bench.corpus_sentences(), bench.SIZES[size_label], 1)
    size = len(pair.old_text.encode("utf-8"))
    start = time.perf_counter()
    old = normalize(pair.old_text, format="markdown")
    new = normalize(pair.new_text, format="markdown")
    t_norm = time.perf_counter() - start
    t_align = t_sem = c_align = c_sem = float("inf")
    findings: tuple[Any, ...] = ()
    changes = 0
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        diff = diff_documents(old, new, name="synthetic")
        t_align = min(t_align, time.perf_counter() - start)
        c_align = min(c_align, time.process_time() - cpu)
        changes = sum(1 for c in diff.changes if c.material)
        _clear_caches()  # no help from a previous run
        start, cpu = time.perf_counter(), time.process_time()
        findings = find_findings([diff])
        t_sem = min(t_sem, time.perf_counter() - start)
        c_sem = min(c_sem, time.process_time() - cpu)
    print("\n" + "=" * 80)
    print(f"synthetic pair {size_label}: {size / 1e6:.2f} MB old, {changes} material changes")
    print(f"  normalize (both sides) {t_norm:.2f} s")
    best = f"best of {repeat}"
    print(f"  alignment + word diff  {t_align:.3f} s wall, {c_align:.3f} s CPU  (diff_documents, {best})")
    print(f"  semantics              {t_sem:.3f} s wall, {c_sem:.3f} s CPU  (find_findings, {best}, cold)")
    ratio = f"{t_sem / t_align:.2f} wall, {c_sem / c_align:.2f} CPU"
    print(f"  semantics / alignment  {ratio}   findings: {len(findings)}")
    print(f"  by category: {dict(Counter(f.category for f in findings))}")
