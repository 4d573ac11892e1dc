"""Benchmark: the semantic stage over the shared corpus, scored, and its cost against alignment.

1. Every pair listed in ``bench/expected_findings.toml`` (the README pairs, the LinkedIn bundle and
   consecutive versions from ``index.json``) goes through ``policydiff.compare``; per pair it prints the
   findings by category and severity, their count and the time, and scores the categories found
   against the expected ones (micro precision / recall over pairs, category level; a finding on a
   noise pair is a false positive).
2. On the 1 MB and 5 MB synthetic pairs of ``bench/compare.py`` (corpus sentences with planted edits,
   moves, insertions and deletions) it times normalize, alignment (``diff_documents``) and the semantic
   stage (``find_findings``, every cache cleared before each run) separately: wall and CPU time, best of
   ``--repeat`` runs.

Run: ``.venv/bin/python bench/findings.py [--pairs-only | --speed-only] [--size 5m ...] [--repeat 3] [-v]``
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
EXPECTED = Path(__file__).with_name("expected_findings.toml")

# bench/ holds scripts such as html.py that would shadow the standard library: keep it off the path
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(REPO))

import policydiff  # noqa: E402
from policydiff.diff import diff_documents  # noqa: E402
from policydiff.normalize import normalize  # noqa: E402
from policydiff.semantics import find_findings  # noqa: E402


def run_pairs(verbose: bool) -> None:
    table: list[dict[str, Any]] = tomllib.loads(EXPECTED.read_text(encoding="utf-8"))["pair"]
    tp = fp = fn = 0
    noise_pairs = noise_clean = 0
    total_time = 0.0
    for pair in table:
        old, new = CORPUS / pair["old"], CORPUS / pair["new"]
        start = time.perf_counter()
        comparison = policydiff.compare(old, new)
        elapsed = time.perf_counter() - start
        total_time += elapsed
        findings = comparison.findings
        found = {f.category for f in findings}
        expected = set(pair["expected"])
        scored = pair.get("score", True)
        by_cat = Counter((f.category, f.severity) for f in findings)
        announced = sum(1 for f in findings if f.announced)
        print(f"\n{pair['old']}  ->  {pair['new'].split('/')[-1]}")
        print(f"  {pair['note']}")
        print(
            f"  {len(findings)} findings ({announced} announced), "
            f"{comparison.summary.material_changes} material "
            f"changes, {elapsed:.2f} s (compare, all stages)"
        )
        for (category, severity), count in sorted(by_cat.items()):
            mark = "" if not scored else ("  ok" if category in expected else "  UNEXPECTED")
            print(f"    {severity:<6} {category:<22} x{count}{mark}")
        missing = expected - found
        if scored and missing:
            print(f"    MISSING: {', '.join(sorted(missing))}")
        if pair.get("announced") and findings and not all(f.announced for f in findings):
            print("    note: some findings are not marked announced")
        if verbose:
            for f in findings:
                print(f"      [{f.rule}] {f.explanation}")
        if not scored:
            continue
        tp += len(found & expected)
        fp += len(found - expected)
        fn += len(expected - found)
        if not expected:
            noise_pairs += 1
            noise_clean += not findings
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print("\n" + "=" * 80)
    print(f"pairs: {len(table)}  compare time total {total_time:.1f} s")
    print(f"categories: TP {tp}  FP {fp}  FN {fn}  precision {precision:.2f}  recall {recall:.2f}")
    print(f"pairs expected to have no finding: {noise_clean}/{noise_pairs} clean")


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs-only", action="store_true")
    parser.add_argument("--speed-only", action="store_true")
    parser.add_argument("--size", action="append", choices=["100k", "1m", "5m"], help="default: 1m and 5m")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("-v", "--verbose", action="store_true", help="print every finding's explanation")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: corpus not available ({CORPUS} is absent)")
        return 0
    if not args.speed_only:
        run_pairs(args.verbose)
    if not args.pairs_only:
        for size in args.size or ["1m", "5m"]:
            run_speed(size, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
