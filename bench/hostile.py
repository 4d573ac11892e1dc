"""Benchmark: hostile inputs (issue 15) through each stage, timed, with the outcome and peak memory.

For every reproducer in ``tests/hostile/hostile_docs.py`` (at the size the issue reported, or
``--scale`` times it) and every stage, one subprocess runs the stages up to that one and reports
the last stage's CPU seconds (``time.process_time``: fair on a shared machine), the outcome
(``ok``, ``typed`` = a PolicyDiffError, ``UNTYPED`` = any other exception) and the subprocess's
peak RSS; a stage still running after ``--cap`` CPU seconds is reported as ``>cap`` (the stages
before it are not counted). Also tries the charset, list-number and API reproducers for typed
vs untyped errors. The obvious alternative, in the same run: none exists for hostile input, so
the comparison is against the code before the fix: ``--before DIR``
(a folder holding the old ``policydiff`` package, e.g. ``git archive fc4c13e policydiff | tar -x
-C DIR``) runs every measurement again on it, and the summary gives both: inputs tried, typed vs
untyped errors, the slowest input per stage (seconds and size), and the peak memory of the
largest input.

Stages: sniff (format detection), normalize, compare (align + word diff + findings vs a small base
document), render-html, render-terminal, render-markdown.

Run: ``.venv/bin/python bench/hostile.py [--cap 20] [--scale 1.0] [--only NAME,...] [--before DIR]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "hostile"))

from hostile_docs import BASE, REPRODUCERS  # noqa: E402  # found through the path set just above

STAGES = ("sniff", "normalize", "compare", "render-html", "render-terminal", "render-markdown")


def run_stage(name: str, size: int, stage: str) -> dict[str, Any]:
    """In the child: build the input, run the stages before ``stage`` untimed, time ``stage``."""
    import policydiff
    from policydiff.normalize.detect import sniff_format

    text = REPRODUCERS[name][1](size)
    steps: list[tuple[str, Any]] = [
        ("sniff", lambda _: sniff_format(text)),
        ("normalize", lambda _: policydiff.normalize(text)),
        ("compare", lambda doc: policydiff.compare(policydiff.normalize(BASE), doc)),
        ("render-html", lambda result: result.to_html()),
        ("render-terminal", lambda result: result.to_terminal(color=False, width=100)),
        ("render-markdown", lambda result: result.to_markdown()),
    ]
    value: Any = None
    for step, call in steps:
        if step == "sniff" and stage != "sniff":
            continue
        if step.startswith("render") and step != stage:
            continue
        start = time.process_time()
        try:
            value = call(value)
        except policydiff.PolicyDiffError as exc:
            return _report(step, start, "typed", f"{type(exc).__name__}: {str(exc)[:80]}")
        except Exception as exc:  # the bench reports bugs rather than stopping at them
            return _report(step, start, "UNTYPED", f"{type(exc).__name__}: {str(exc)[:80]}")
        if step == stage:
            return _report(step, start, "ok", "")
    return _report(stage, time.process_time(), "ok", "")


def _report(stage: str, start: float, outcome: str, detail: str) -> dict[str, Any]:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"stage": stage, "seconds": time.process_time() - start, "outcome": outcome, "detail": detail,
            "peak_mb": round(peak)}  # fmt: skip


LOAD = 3  # wall-clock seconds allowed per CPU second of the cap (the machine is shared)


def measure(name: str, size: int, stage: str, cap: float, before: str | None = None) -> dict[str, Any]:
    """One stage in a child process (with ``before``: the old code); over ``cap`` s: ``>cap``."""
    command = [sys.executable, __file__, "--child", name, str(size), stage]
    earlier = 2 if stage.startswith("render") else (1 if stage == "compare" else 0)  # untimed stages
    start = time.perf_counter()
    try:  # the cap is CPU seconds of the stage; the wall-clock allowance covers a loaded machine
        done = subprocess.run(command, capture_output=True, text=True, timeout=LOAD * cap * (1 + earlier),
                              env=_env(before))  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"stage": stage, "seconds": cap, "outcome": f">{cap:g}s", "detail": "killed", "peak_mb": 0}
    if done.returncode != 0 or not done.stdout.strip():
        tail = (done.stderr.strip().splitlines() or ["?"])[-1][:80]
        return {"stage": stage, "seconds": time.perf_counter() - start, "outcome": "CRASH",
                "detail": tail, "peak_mb": 0}  # fmt: skip
    result: dict[str, Any] = json.loads(done.stdout)
    if result["seconds"] > cap:
        result.update(seconds=cap, outcome=f">{cap:g}s", detail="over the cap")
    return result


def _env(before: str | None) -> dict[str, str] | None:
    return None if before is None else {**os.environ, "PYTHONPATH": before}


CHARSETS = ("rot13", "base64", "hex", "zlib", "bz2", "uu", "quopri", "undefined", "punycode", "utf-7",
            "unicode_escape", "raw_unicode_escape", "idna")  # fmt: skip
LIST_NUMBERS = ("\u00b2", "\u2460", "--5", "9" * 5000)


def error_cases(folder: Path) -> list[tuple[str, Any]]:
    """(label, zero-argument call) for the issue's traceback reproducers."""
    import os

    import policydiff

    page = "<p>We collect your caf\u00e9 email +2AA- \\ud800 data.</p>"
    cases: list[tuple[str, Any]] = []
    for charset in CHARSETS:
        body = f'<meta charset="{charset}">{page}'.encode()
        media = f"text/html; charset={charset}"
        cases.append((f"charset header {charset}", lambda b=body, m=media: policydiff.normalize(
            policydiff.Snapshot(content=b, media_type=m))))  # fmt: skip
        cases.append((f"charset meta {charset}", lambda b=body: policydiff.normalize(b)))
    for number in LIST_NUMBERS:
        for html in (f'<ol start="{number}"><li>We collect data.</li></ol>',
                     f'<ol><li value="{number}">We collect data.</li></ol>'):  # fmt: skip
            cases.append((f"list {html[:14]}... {number[:6]!r}", lambda h=html: policydiff.normalize(h)))
    good = folder / "a.md"
    good.write_text("# T\n\nWe collect data.\n")
    fifo = folder / "fifo.md"
    if not fifo.exists():
        os.mkfifo(fifo)
    bundle = folder / "bundle"
    bundle.mkdir(exist_ok=True)
    (bundle / os.fsdecode(b"priv\xffacy.md")).write_text("# P\n\nWe collect data.\n")
    text = "# a\n\nWe collect data.\n"
    cases += [
        ("api missing path", lambda: policydiff.compare(folder / "missing.md", good)),
        ("api non-str keys", lambda: policydiff.compare({1: text, "b": text}, {"1": text})),
        ("api similarity=10**400", lambda: policydiff.compare(text, text, similarity=10**400)),
        ("api word_timeout=10**400", lambda: policydiff.compare(text, text, word_timeout=10**400)),
        ("api FIFO", lambda: policydiff.compare(fifo, good)),
        ("api /dev/zero", lambda: policydiff.compare(Path("/dev/zero"), good)),
        ("bundle undecodable name", lambda: policydiff.compare(bundle, bundle).to_json()),
        ("str with lone surrogate", lambda: policydiff.compare("# a\n\nWe \ud800.\n", text).to_json()),
    ]
    return cases


def run_error_case(folder: str, index: int) -> dict[str, Any]:
    import policydiff

    limit = 2 * 1024**3  # /dev/zero read whole took 5.9 GB before the fix: stop at 2 GB instead
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    label, call = error_cases(Path(folder))[index]
    try:
        call()
        outcome = "ok"
    except policydiff.PolicyDiffError as exc:
        outcome = f"typed {type(exc).__name__}"
    except Exception as exc:  # the bench reports bugs rather than stopping at them
        outcome = f"UNTYPED {type(exc).__name__}"
    return {"label": label, "outcome": outcome}


def errors_table(cap: float, before: str | None = None) -> dict[str, int]:
    """Each error reproducer in a child; prints its outcome, returns the tally (ok, typed, UNTYPED ...)."""
    import tempfile

    folder = tempfile.mkdtemp(prefix="policydiff-hostile-")
    count = len(error_cases(Path(folder)))
    tally: dict[str, int] = {}
    for index in range(count):
        command = [sys.executable, __file__, "--error-case", folder, str(index)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=cap, env=_env(before))
            row = json.loads(done.stdout) if done.stdout.strip() else {"label": "?", "outcome": "CRASH"}
        except subprocess.TimeoutExpired:
            row = {"label": error_cases(Path(folder))[index][0], "outcome": f"HANG >{cap:g}s"}
        kind = row["outcome"].split()[0]
        tally[kind] = tally.get(kind, 0) + 1
        print(f"{row['label']:44} {row['outcome']}", flush=True)
    print("totals:", ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))
    return tally


def stages_table(names: list[str], scale: float, cap: float, before: str | None) -> list[dict[str, Any]]:
    """Every reproducer through every stage (stopping at a stage over the cap); the rows."""
    label = "before" if before else "after"
    head = f"{'input':16} {'size':>8} {'bytes':>9} {'stage':16} {'seconds':>8} {'peak MB':>7}  outcome"
    print(f"\n{label}: {head}")
    rows: list[dict[str, Any]] = []
    for name in names:
        issue_stage, build, issue_size = REPRODUCERS[name]
        size = max(1, int(issue_size * scale))
        length = len(build(size).encode("utf-8", "surrogatepass"))
        for stage in STAGES:
            if stage == "sniff" and issue_stage != "sniff":
                continue
            row = measure(name, size, stage, cap, before)
            rows.append({**row, "input": name, "size": size, "bytes": length})
            mark = "*" if stage == issue_stage else " "
            print(f"{label}: {name:16} {size:>8} {length:>9} {stage:15}{mark} {row['seconds']:>8.2f} "
                  f"{row['peak_mb']:>7}  {row['outcome']} {row['detail']}", flush=True)  # fmt: skip
            if row["outcome"].startswith(">"):
                break  # later stages need this one
    return rows


def summary(runs: dict[str, tuple[list[dict[str, Any]], dict[str, int]]]) -> None:
    """The figures for the note: per code version, inputs, errors, slowest per stage, peak memory."""
    print("\nsummary")
    for label, (rows, errors) in runs.items():
        kinds: dict[str, int] = {}
        for row in rows:
            outcome = row["outcome"]
            kind = outcome if outcome in ("ok", "typed", "UNTYPED", "CRASH") else "over the cap"
            kinds[kind] = kinds.get(kind, 0) + 1
        print(f"{label}: {len({r['input'] for r in rows})} hostile inputs x stages = {len(rows)} runs "
              f"({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}); "
              f"{sum(errors.values())} error reproducers: "
              f"{', '.join(f'{k} {v}' for k, v in sorted(errors.items()))}")  # fmt: skip
        for stage in STAGES:
            mine = [r for r in rows if r["stage"] == stage]
            if mine:
                worst = max(mine, key=lambda r: r["seconds"])
                shown = worst["outcome"] if worst["outcome"].startswith(">") else f"{worst['seconds']:.2f}s"
                print(f"{label}:   slowest {stage:15} {shown:>8} "
                      f"{worst['input']} (size {worst['size']}, {worst['bytes']} bytes)")  # fmt: skip
        largest = max(rows, key=lambda r: (r["bytes"], r["peak_mb"]))
        peak = max(r["peak_mb"] for r in rows if r["input"] == largest["input"])
        print(f"{label}:   peak memory of the largest input ({largest['input']}, {largest['bytes']} bytes): "
              f"{peak} MB")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cap", type=float, default=20.0, help="seconds before a stage is killed")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the issue's sizes")
    parser.add_argument("--only", default="", help="comma-separated reproducer names")
    parser.add_argument("--errors", action="store_true", help="only the typed-vs-untyped error table")
    parser.add_argument("--before", help="a folder holding the old policydiff package, measured too")
    parser.add_argument("--child", nargs=3, metavar=("NAME", "SIZE", "STAGE"), help=argparse.SUPPRESS)
    parser.add_argument("--error-case", nargs=2, metavar=("FOLDER", "INDEX"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.error_case:
        print(json.dumps(run_error_case(args.error_case[0], int(args.error_case[1]))))
        return
    if args.errors:
        errors_table(args.cap)
        return
    if args.child:
        name, size, stage = args.child
        print(json.dumps(run_stage(name, int(size), stage)))
        return
    names = [n for n in args.only.split(",") if n] or list(REPRODUCERS)
    runs = {"after": (stages_table(names, args.scale, args.cap, None), errors_table(args.cap))}
    if args.before:
        before = str(Path(args.before).resolve())
        runs["before"] = (stages_table(names, args.scale, args.cap, before), errors_table(args.cap, before))
    summary(runs)


if __name__ == "__main__":
    main()
