"""Benchmark: are the consent findings right on real text? Fitted and held-out figures, with targets.

1. ToS;DR clauses (``../shared/datasets/tosdr-clauses/dev.jsonl``): each clause is added as a new paragraph
   to a short neutral policy of ours (``bench/data/carrier-*.md``) and ``policydiff.compare`` runs on the
   document without and with it. A positive row is found when its expected category is among the findings;
   a negative (boilerplate) row is clean when there is no finding at all. Macro recall, recall per category,
   negatives clean rate, and the wall time of the whole set.
2. Real version pairs of ``../shared/corpus`` and ``corpus2`` listed in ``bench/expected_findings.toml``:
   recall of the expected categories over the key pairs, noise pairs (``expected = []``) that gave a
   finding, and precision over the findings judged in ``bench/judgements.toml`` (unjudged ones listed).
   Own negatives (``tests/data/negatives.toml``): our own boilerplate clauses of many kinds, added to the
   same carriers; the clean rate, a third negatives line beside fitted and held out (our own text, so the
   rules may have been tuned on it; ``--misses`` prints its dirty clauses).
3. ``--speed``: semantics against alignment on the 1 MB / 5 MB synthetic pairs (``bench/findings_speed.py``).

Every figure is given twice: fitted (what the rules may have been tuned on) and held out (the services and
series in ``bench/holdout.toml``, set aside before the rules were rewritten). Misses are printed with their
text for the fitted part only (``--misses``); held-out misses are counted, never shown.

Run: ``.venv/bin/python bench/findings.py [--holdout-only] [--json] [--misses] [--unjudged [all]] [--speed]
[-v]``; ``-v`` and ``--unjudged`` show held-out text only with ``--unjudged all`` (for an independent judge).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# bench/ holds scripts such as html.py that would shadow the standard library: keep it off the path
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))
sys.path.append(str(_HERE))  # last, for findings_score / findings_speed only

from findings_score import (  # noqa: E402  (after the path fix above)
    SHARED,
    TOSDR,
    Clause,
    ClauseScore,
    Holdout,
    Pair,
    PairScore,
    carrier_with,
    keyword_categories,
    load_holdout,
    load_judgements,
    load_keywords,
    load_own_negatives,
    load_pairs,
    load_tosdr,
    sentence_hash,
    split_by,
    target_mark,
)

import policydiff  # noqa: E402  (after the path fix above)

SPLITS = ("fitted", "held-out")
OWN_NEGATIVES_NAME = "tests/data/negatives.toml"


def finding_rows(findings: Sequence[policydiff.Finding]) -> list[dict[str, Any]]:
    return [
        {
            "rule": f.rule,
            "category": f.category,
            "severity": f.severity,
            "hash": sentence_hash(f.old_text, f.new_text),
            "old_text": f.old_text or "",
            "new_text": f.new_text or "",
        }
        for f in findings
    ]


def run_tosdr(clauses: Sequence[Clause], holdout: Holdout) -> dict[str, Any]:
    """Score every clause added to its carrier; returns scores per split, time and the fitted misses."""
    scores = {split: ClauseScore() for split in SPLITS}
    baseline = {split: ClauseScore() for split in SPLITS}
    keywords = load_keywords()
    misses: list[str] = []
    errors: list[str] = []
    start = time.perf_counter()
    for clause in clauses:
        old, new = carrier_with(clause)
        found = [f.category for f in _findings(old, new, clause.id, errors)]
        split = "held-out" if clause.service in holdout.services else "fitted"
        scores[split].add(clause, found)
        baseline[split].add(clause, keyword_categories(clause.text, keywords))
        wrong = (set(clause.expect) - set(found)) if clause.expect else set(found)
        if split == "fitted" and wrong:
            label = f"missed {', '.join(sorted(wrong))}" if clause.expect else f"NEGATIVE gave {found}"
            misses.append(f"{clause.id} [{clause.service}] {label}: {clause.text[:160]}")
    seconds = time.perf_counter() - start
    return {
        "scores": scores,
        "baseline": baseline,
        "seconds": seconds,
        "rows": len(clauses),
        "misses": misses,
        "errors": errors,
    }


def run_own_negatives() -> dict[str, Any]:
    """Our own boilerplate (tests/data/negatives.toml) in the same carriers: how many stay clean."""
    score = ClauseScore()
    errors: list[str] = []
    dirty: list[str] = []
    for clause in load_own_negatives():
        found = [f.category for f in _findings(*carrier_with(clause), clause.id, errors)]
        score.add(clause, found)
        if found:
            dirty.append(f"{clause.id} [{clause.case}] gave {found}: {clause.text[:120]}")
    return {
        "negatives_clean": round(score.clean_rate(), 3),
        "negatives": [score.negatives_clean, score.negatives],
        "dirty_kinds": dict(score.dirty_cases.most_common()),
        "dirty": dirty,
        "errors": errors,
    }


def print_own_negatives(fig: dict[str, Any], misses: bool) -> None:
    """The third negatives line: our own text, so rules may be tuned on it (neither fitted nor held out)."""
    clean, total = fig["negatives"]
    print(f"\nOwn negatives ({OWN_NEGATIVES_NAME}: our own boilerplate, in the same carriers)")
    mark = target_mark("negatives_clean", fig["negatives_clean"])
    print(f"  {'own negatives clean':<28} {_fmt(fig['negatives_clean'], f'({clean}/{total})'):<30} {mark}")
    print("  (our own text: neither fitted nor held out, rules may be tuned on it); dirty by kind:")
    for kind, count in fig["dirty_kinds"].items():
        print(f"    {count:>3}  {kind}")
    if misses:
        print("\n".join(f"  {line}" for line in fig["dirty"]))


def _findings(old: Any, new: Any, name: str, errors: list[str]) -> tuple[policydiff.Finding, ...]:
    """The findings of one comparison; a ``PolicyDiffError`` is recorded (and counts as no finding)."""
    try:
        return policydiff.compare(old, new, format="markdown" if isinstance(old, str) else None).findings
    except policydiff.PolicyDiffError as error:
        errors.append(f"{name}: {error}")
        return ()


def tosdr_figures(result: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"rows": result["rows"], "seconds": round(result["seconds"], 2)}
    out["errors"] = result["errors"]
    for split, score in result["scores"].items():
        per = score.recall()
        out[split] = {
            "rows": sum(score.rows.values()) + score.negatives,
            "macro_recall": round(score.macro_recall(), 3),
            "min_category_recall": round(min(per.values()), 3) if per else None,
            "recall": {c: [round(r, 3), score.hits[c], score.rows[c]] for c, r in per.items()},
            "negatives_clean": round(score.clean_rate(), 3),
            "negatives": [score.negatives_clean, score.negatives],
            "dirty_negative_cases": dict(score.dirty_cases.most_common()),
        }
        base = result["baseline"][split]
        out[split]["keyword_baseline"] = {
            "macro_recall": round(base.macro_recall(), 3),
            "negatives_clean": round(base.clean_rate(), 3),
        }
    return out


def _fmt(value: Any, extra: str = "") -> str:
    text = "-" if value is None else (f"{value:.2f}" if isinstance(value, float) else str(value))
    return f"{text} {extra}".strip()


def _ratio(rules: float, baseline: float) -> str:
    return f"(rules / baseline {rules / baseline:.2f})" if baseline else ""


def print_row(name: str, fitted: Any, held: Any, target: str = "", width: int = 30) -> None:
    print(f"  {name:<28} {_fmt(*fitted):<{width}} {_fmt(*held):<{width}} {target}")


def print_tosdr(fig: dict[str, Any]) -> None:
    fit, held = fig["fitted"], fig["held-out"]
    print(f"\nToS;DR clauses ({TOSDR.relative_to(SHARED.parent)}), each added to a neutral carrier policy")
    print_row("", (f"fitted ({fit['rows']} rows)",), (f"held out ({held['rows']} rows)",), "target")
    for name in ("macro_recall", "min_category_recall"):
        print_row(name, (fit[name],), (held[name],), target_mark(name, held[name]))
    for category in sorted(set(fit["recall"]) | set(held["recall"])):
        f = fit["recall"].get(category, [None, 0, 0])
        h = held["recall"].get(category, [None, 0, 0])
        bar = target_mark("min_category_recall", h[0])
        print_row(f"  {category}", (f[0], f"({f[1]}/{f[2]})"), (h[0], f"({h[1]}/{h[2]})"), bar)
    neg_f, neg_h = fit["negatives"], held["negatives"]
    mark = target_mark("negatives_clean", held["negatives_clean"])
    clean_f = (fit["negatives_clean"], f"({neg_f[0]}/{neg_f[1]})")
    print_row("negatives clean", clean_f, (held["negatives_clean"], f"({neg_h[0]}/{neg_h[1]})"), mark)
    base_f, base_h = fit["keyword_baseline"], held["keyword_baseline"]
    for name in ("macro_recall", "negatives_clean"):
        ratio = [_ratio(s[name], b[name]) for s, b in ((fit, base_f), (held, base_h))]
        print_row(f"keywords: {name}", (base_f[name], ratio[0]), (base_h[name], ratio[1]))
    time_mark = target_mark("dev_seconds", fig["seconds"]) if fig["rows"] > 800 else "(not the whole set)"
    print(f"  time for {fig['rows']} clauses: {fig['seconds']:.1f} s {time_mark}")
    if fit["dirty_negative_cases"]:
        print("  fitted negatives with a finding, by ToS;DR case:")
        for case, count in fit["dirty_negative_cases"].items():
            print(f"    {count:>3}  {case}")


def run_pairs(
    pairs: Sequence[Pair], holdout: Holdout, verbose: bool, held_out_text: bool = False
) -> dict[str, Any]:
    """Score the pairs; ``verbose`` prints each fitted pair's findings (held-out ones too only with
    ``held_out_text``: an independent judge's view, never a rule writer's)."""
    """Compare every pair; score recall, noise and judged precision per split."""
    judged = load_judgements()
    scores = {split: PairScore() for split in SPLITS}
    seconds = 0.0
    errors: list[str] = []
    produced: set[tuple[str, str, str]] = set()
    for pair in pairs:
        old, new = SHARED / pair.corpus / pair.old, SHARED / pair.corpus / pair.new
        if not old.exists() or not new.exists():
            print(f"  skipped (absent): {pair.key}")
            continue
        start = time.perf_counter()
        rows = finding_rows(_findings(old, new, pair.key, errors))
        seconds += time.perf_counter() - start
        split = "held-out" if holdout.pair_held_out(pair) else "fitted"
        scores[split].add(pair, rows, judged)
        produced.update((pair.key, r["category"], r["hash"]) for r in rows)
        if verbose and (split == "fitted" or held_out_text):
            print_pair(pair, rows, split, judged)
    run = {pair.key for pair in pairs}
    stale = sum(1 for key in judged if key[0] in run and key not in produced)
    return {"scores": scores, "seconds": seconds, "pairs": len(pairs), "stale": stale, "errors": errors}


def print_pair(pair: Pair, rows: list[dict[str, Any]], split: str, judged: dict[Any, Any]) -> None:
    found = {r["category"] for r in rows}
    print(f"\n{pair.key}  [{split}]\n    {pair.note}")
    for r in rows:
        verdict = judged.get((pair.key, r["category"], r["hash"]), {}).get("verdict", "unjudged")
        mark = "expected" if r["category"] in pair.expected else "extra"
        print(f"    {r['severity']:<6} {r['category']:<22} {r['rule']:<28} {r['hash']} {mark}, {verdict}")
    missing = [c for c in pair.expected if c not in found]
    if missing and pair.scored:
        print(f"    MISSING: {', '.join(missing)}")


def pair_figures(result: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"pairs": result["pairs"], "seconds": round(result["seconds"], 1)}
    out["stale_judgements"] = result["stale"]
    out["errors"] = result["errors"]
    for split, s in result["scores"].items():
        precision, recall = s.precision(), s.recall()
        out[split] = {
            "pair_recall": None if recall is None else round(recall, 3),
            "expected": [s.found, s.expected],
            "missing": s.missing,
            "noise_findings": s.noise_pairs - s.noise_clean,
            "noise_pairs": [s.noise_clean, s.noise_pairs],
            "judged_precision": None if precision is None else round(precision, 3),
            "judged": [s.right, s.right + s.wrong],
            "unjudged": s.unjudged,
        }
    return out


def print_pairs(fig: dict[str, Any], show_unjudged: str | None) -> None:
    fit, held = fig["fitted"], fig["held-out"]
    print(f"\nReal version pairs (bench/expected_findings.toml, {fig['pairs']} pairs, {fig['seconds']} s)")
    print_row("", ("fitted",), ("held out",), "target (on both)")
    rec = [(s["pair_recall"], "({}/{})".format(*s["expected"])) for s in (fit, held)]
    print_row("expected-category recall", rec[0], rec[1], _both("pair_recall", fit, held))
    noise = [(s["noise_findings"], "of {} noise pairs".format(s["noise_pairs"][1])) for s in (fit, held)]
    print_row("noise pairs with findings", noise[0], noise[1], _both("noise_findings", fit, held))
    prec = [(s["judged_precision"], "({}/{})".format(*s["judged"])) for s in (fit, held)]
    print_row("judged precision", prec[0], prec[1], _both("judged_precision", fit, held))
    print_row("unjudged findings", (len(fit["unjudged"]),), (len(held["unjudged"]),))
    print(f"  judgements that match no finding today (kept as history): {fig['stale_judgements']}")
    for split, s in (("fitted", fit), ("held-out", held)):
        for miss in s["missing"]:
            print(f"  missing [{split}] {miss}")
    shown = {"fitted": fit, "held-out": held} if show_unjudged == "all" else {"fitted": fit}
    for split, s in shown.items() if show_unjudged else ():
        for u in s["unjudged"]:
            print(f"\n  unjudged [{split}] pair = {u['pair']!r} rule = {u['rule']!r}")
            print(f"    category = {u['category']!r} hash = {u['hash']!r}")
            print(f"    old: {u['old_text'][:400]}\n    new: {u['new_text'][:400]}")


def _both(name: str, fit: dict[str, Any], held: dict[str, Any]) -> str:
    values = [s[name] for s in (fit, held) if s[name] is not None]
    worst = (max if name == "noise_findings" else min)(values) if values else None
    return target_mark(name, worst)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--holdout-only", action="store_true", help="score only the held-out part")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON only")
    parser.add_argument("--only", choices=["tosdr", "pairs"], help="run one of the two measurements")
    parser.add_argument("--misses", action="store_true", help="print the fitted ToS;DR misses")
    parser.add_argument(
        "--unjudged",
        nargs="?",
        const="fitted",
        choices=["fitted", "all"],
        help="print each unjudged fitted finding's text ('all': held-out ones too, for an independent "
        "judge only: whoever writes rules must not read held-out text)",
    )
    parser.add_argument("--speed", action="store_true", help="also time semantics against alignment")
    parser.add_argument("--speed-synthetic", action="store_true", help="--speed on synthetic pairs")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every pair's findings")
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent (the shared corpus and datasets)")
        return 0
    holdout = load_holdout()
    figures: dict[str, Any] = {}
    if args.only != "pairs":
        clauses = load_tosdr()
        if args.holdout_only:
            clauses = split_by(clauses, lambda c: c.service in holdout.services)["held-out"]
        tosdr = run_tosdr(clauses, holdout)
        figures["tosdr"] = tosdr_figures(tosdr)
        if args.misses and not args.json:
            print("\n".join(["", "fitted ToS;DR misses:", *tosdr["misses"]]))
        if not args.holdout_only:
            figures["own_negatives"] = run_own_negatives()
    if args.only != "tosdr":
        pairs = load_pairs()
        if args.holdout_only:
            pairs = split_by(pairs, holdout.pair_held_out)["held-out"]
        figures["pairs"] = pair_figures(
            run_pairs(pairs, holdout, args.verbose and not args.json, args.unjudged == "all")
        )
    report(figures, args)
    if (args.speed or args.speed_synthetic) and not args.json:
        from findings_speed import run_speed

        for size in ("1m", "5m"):
            run_speed(size, 3, real=not args.speed_synthetic)
    return 0


def report(figures: dict[str, Any], args: argparse.Namespace) -> None:
    if args.json:
        held = figures.get("pairs", {}).get("held-out")
        if held is not None and args.unjudged != "all":  # held-out text only for an independent judge
            held["unjudged"] = [
                {k: v for k, v in u.items() if not k.endswith("_text")} for u in held["unjudged"]
            ]
        print(json.dumps(figures, indent=1, sort_keys=True))
        return
    if "tosdr" in figures:
        print_tosdr(figures["tosdr"])
    if "own_negatives" in figures:
        print_own_negatives(figures["own_negatives"], args.misses)
    if "pairs" in figures:
        print_pairs(figures["pairs"], args.unjudged)
    for part, fig in figures.items():
        if fig["errors"]:
            print(f"\n{part}: {len(fig['errors'])} comparisons raised an error (counted as no finding):")
            print("\n".join(f"  {line}" for line in fig["errors"][:20]))


if __name__ == "__main__":
    raise SystemExit(main())
