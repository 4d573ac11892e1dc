"""Benchmark: corpus mode over a history of 1,000 versions, serial vs local processes vs a LocalCluster.

Builds a folder of dated versions (``SERVICE/DOCUMENT/DATE.md``) from the real Markdown series in
../shared/corpus and ../shared/corpus2 (skips when absent): ``--documents`` documents, each a history
of ``--versions / --documents`` versions cycling through one real series, every version carrying a
small edit of its own (a changed number and an added sentence), so consecutive pairs are mostly small
edits with the series' real changes spread evenly, as in an Open Terms Archive history. A history 10x
smaller has the same real versions with fewer small edits between them (for the memory comparison).

Each configuration runs in its own subprocess (so its peak memory is its own) and prints pairs per
second; the ratios printed at the end are against the serial run of the same history:

- ``naive``: the obvious alternative, ``policydiff.compare(old_bytes, new_bytes)`` for every pair in
  one process: every version normalized twice (on ``--naive-pairs`` pairs, every n-th pair of the
  whole run; the corpus run's CPU per pair also carries each history's first version, read against
  nothing);
- ``serial``: ``run_corpus(workers=1)``: each version normalized once, through the cache;
- ``rerun``: the same run again with nothing new (target: under 5 % of the first run's time);
- ``grown``: one new version added to every document, run again (only the new pairs; the old side
  comes from the cache);
- ``processes``: ``run_corpus(workers=2)`` (a local process pool; target: at least 1.8x serial);
- ``cluster``: ``run_corpus(scheduler="local", workers=2)`` (a 2-worker distributed.LocalCluster);
- ``small``: ``processes`` on a history 10x smaller, for peak memory per worker (target: flat);
- ``timeline``: ``policydiff timeline`` over the serial run's tables (page, stance CSV, redlines).

The machine's load average is printed with each figure, and "cores had" (the tasks' CPU time over the
run's wall time): other jobs on the same cores change the wall-clock figures, not the CPU ones.

Run: ``.venv/bin/python bench/corpus.py [--versions 1000] [--documents 10] [--naive-pairs 150]``
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import resource
import shutil
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
SHARED = REPO.parent / "shared"


def real_series() -> list[list[Path]]:
    """Every Markdown series of the shared corpora with at least two versions (noise series left out)."""
    series: dict[str, list[Path]] = {}
    for corpus in ("corpus", "corpus2"):
        for folder in sorted((SHARED / corpus).glob("*/*")):
            files = sorted(f for f in folder.glob("*.md") if re.match(r"\d{4}-\d{2}-\d{2}", f.name))
            name = f"{folder.parent.name}/{folder.name}"  # corpus2 repeats some series of corpus
            if len(files) >= 2 and "__" not in folder.name and name not in series:
                series[name] = files
    return list(series.values())


def build_history(root: Path, versions: int, documents: int) -> int:
    """``documents`` histories of ``versions // documents`` versions each; returns the pair count."""
    series = real_series()
    per_document = max(2, versions // documents)
    for d in range(documents):
        files = series[d % len(series)]
        texts = [f.read_text(encoding="utf-8") for f in files]
        folder = root / f"service{d:02d}" / files[0].parent.name
        folder.mkdir(parents=True)
        for v in range(per_document):
            base = texts[v * len(texts) // per_document]  # every real version, then small edits of it
            edit = f"\n\nRevision {v} of this notice. We keep backups for {30 + v} days.\n"
            day = 1 + v % 28
            month = 1 + (v // 28) % 12
            year = 2000 + v // 336
            (folder / f"{year}-{month:02d}-{day:02d}.md").write_text(base + edit, encoding="utf-8")
    return documents * (per_document - 1)


def grow(root: Path) -> None:
    """One more version at the end of every history."""
    for folder in sorted(root.glob("*/*")):
        last = sorted(folder.glob("*.md"))[-1]
        (folder / "2099-12-31.md").write_text(last.read_text() + "\nOne more sentence.\n", encoding="utf-8")


def run_one(config: str, source: Path, output: Path, naive_pairs: int) -> dict[str, Any]:
    """One configuration, in this (sub)process."""
    load = os.getloadavg()[0]
    began = time.perf_counter()
    if config == "naive":
        import policydiff
        from policydiff.corpus.sources import histories, open_source, read_version

        spec = open_source(source)
        every = [(h, old, new) for h in histories(spec) for old, new in itertools.pairwise(h.versions)]
        stride = max(1, len(every) // naive_pairs)  # a sample spread like the whole run
        cpu = time.process_time()
        done = 0
        for history, old, new in every[::stride][:naive_pairs]:
            policydiff.compare(read_version(spec, history, old), read_version(spec, history, new))
            done += 1
        seconds = time.perf_counter() - began
        result: dict[str, Any] = {"pairs": done, "seconds": seconds, "cpu": time.process_time() - cpu}
    elif config == "timeline":
        from policydiff.corpus.partitions import read_table
        from policydiff.corpus.timeline import write_timeline

        write_timeline(output)
        findings = read_table(output, "findings").num_rows
        seconds = time.perf_counter() - began
        result = {"pairs": read_table(output, "pairs").num_rows, "seconds": seconds, "findings": findings}
        result["redlines"] = len(list((output / "redlines").glob("*.html")))
    else:
        from policydiff.corpus.run import run_corpus

        scheduler = "local" if config == "cluster" else None
        workers = 1 if config in ("serial", "rerun", "grown") else 2
        summary = run_corpus(source, output, scheduler=scheduler, workers=workers)
        result = {
            "pairs": summary.compared,
            "seconds": summary.seconds,
            "normalized": summary.normalized,
            "cached": summary.cached,
            "worker_peak_mb": summary.peak_rss_kb / 1024,
            "cpu": summary.cpu_seconds,
        }
    result["client_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["load"] = (load, os.getloadavg()[0])
    return result


def measure(config: str, source: Path, output: Path, naive_pairs: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--one", config, str(source), str(output), str(naive_pairs)]
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{config} failed:\n{proc.stderr[-3000:]}")
    line = [x for x in proc.stdout.splitlines() if x.startswith("{")][-1]
    result: dict[str, Any] = json.loads(line)
    rate = result["pairs"] / result["seconds"] if result["seconds"] else 0.0
    result["rate"] = rate
    load = "load {:.1f}->{:.1f}".format(*result["load"])
    print(
        f"{config:10} {result['pairs']:5} pairs {result['seconds']:8.2f} s {rate:7.1f} pairs/s  "
        f"worker peak {result.get('worker_peak_mb', 0):6.0f} MB  "
        f"client peak {result['client_peak_mb']:6.0f} MB  "
        f"normalized {result.get('normalized', '-')} cached {result.get('cached', '-')}  "
        f"cores had {result.get('cpu', 0) / result['seconds'] if result['seconds'] else 0:.2f}  ({load})",
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--versions", type=int, default=1000)
    parser.add_argument("--documents", type=int, default=10)
    parser.add_argument("--naive-pairs", type=int, default=150)
    parser.add_argument("--skip", default="", help="comma-separated configurations to leave out")
    parser.add_argument("--one", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        config, source, output, naive = args.one
        print(json.dumps(run_one(config, Path(source), Path(output), int(naive))))
        return
    if not (SHARED / "corpus").is_dir():
        print(f"skipped: the real corpus is absent ({SHARED / 'corpus'})")
        return
    skip = set(filter(None, re.split(r"[, ]+", args.skip)))
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        work = Path(tmp)
        pairs = build_history(work / "big", args.versions, args.documents)
        build_history(work / "small", args.versions // 10, args.documents)
        print(f"history: {args.documents} documents, {pairs} pairs; {os.cpu_count()} cores")
        results: dict[str, dict[str, Any]] = {}
        plan = [
            ("naive", "big", "naive"),
            ("serial", "big", "serial"),
            ("rerun", "big", "serial"),
            ("grown", "big", "serial"),
            ("processes", "big", "processes"),
            ("cluster", "big", "cluster"),
            ("small", "small", "small"),
            ("timeline", "big", "serial"),
        ]
        for config, source, output in plan:
            if config in skip:
                continue
            if config == "grown":
                grow(work / "big")
            if config in ("processes", "cluster", "small"):
                shutil.rmtree(work / f"out-{output}", ignore_errors=True)
            results[config] = measure(config, work / source, work / f"out-{output}", args.naive_pairs)
        report(results)


def report(results: dict[str, dict[str, Any]]) -> None:
    serial = results.get("serial")
    if serial is None:
        return
    print()
    if "naive" in results:
        naive = results["naive"]
        cpu_ratio = (naive["cpu"] / naive["pairs"]) / (serial["cpu"] / serial["pairs"])
        print(
            f"normalize once (cache) vs every version twice: {cpu_ratio:.2f}x in CPU per pair "
            f"({serial['rate'] / naive['rate']:.2f}x wall clock)"
        )
    for config in ("processes", "cluster"):
        if config in results:
            run = results[config]
            cpu_pair, serial_cpu_pair = (1000 * r["cpu"] / r["pairs"] for r in (run, serial))
            print(
                f"{config} (2 workers) vs serial: {run['rate'] / serial['rate']:.2f}x wall clock; "
                f"CPU per pair {cpu_pair:.0f} ms vs {serial_cpu_pair:.0f} ms serial; "
                f"the workers had {run['cpu'] / run['seconds']:.2f} cores of the 2"
            )
    if "rerun" in results:
        print(
            "re-run with nothing new: "
            f"{100 * results['rerun']['seconds'] / serial['seconds']:.1f} % of the first run"
        )
    if "grown" in results:
        print(
            "grown by one version per document: "
            f"{100 * results['grown']['seconds'] / serial['seconds']:.1f} % of the first run"
        )
    if "small" in results and "processes" in results:
        small, big = results["small"]["worker_peak_mb"], results["processes"]["worker_peak_mb"]
        print(f"worker peak memory, history x10: {small:.0f} MB -> {big:.0f} MB ({big / small:.2f}x)")
    if "timeline" in results:
        t = results["timeline"]
        counts = f"{t['pairs']} pair rows, {t['findings']} findings, {t['redlines']} redlines"
        print(f"timeline: {t['seconds']:.1f} s for {counts}")
    wall = serial["seconds"] / serial["pairs"]
    cpu = serial["cpu"] / serial["pairs"]  # what a pair costs a core of its own (baselines included)
    hours = 1_000_000 * cpu / 100 / 3600
    print(
        f"per pair: {1000 * cpu:.0f} ms of CPU ({1000 * wall:.0f} ms wall here); "
        f"1,000,000 pairs on 100 workers with a core each ~ {hours:.2f} h ({60 * hours:.0f} min) of comparing"
    )


if __name__ == "__main__":
    main()
