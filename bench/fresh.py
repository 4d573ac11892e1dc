"""Benchmark: a fresh evaluation set (``bench/data/fresh``, ``fresh2``) scored against its manifest.

A set is fictional services' before/after policies written independently of the rules, with the expected
findings written before policydiff was first run on them (see the set's ``README.md``: it is never tuned on).
For each pair ``policydiff.compare(old, new)`` runs on the two Markdown files; printed:

- expected-category recall over the key pairs (per category, and the misses with their sentence), and how
  many of the hits cite the expected sentence;
- findings per pair, and the noise pairs (correct answer: nothing) that gave any finding;
- automatic precision (finding's category expected): the share of findings whose category is among the
  pair's expected or ``also_acceptable`` categories. It is an estimate: a finding of an unlisted category
  may still be right, and one of a listed category may cite the wrong sentence.

Beside it, the obvious alternative in the same run: the keyword baseline
(``bench/data/keyword-baseline.toml``, written from the taxonomy) on every line a plain line diff adds
or removes; ratio policydiff/keywords.

With ``--clauses``, the set's single clauses (``clauses.toml``) are scored instead, each added to a neutral
carrier as ``bench/findings.py`` does with ToS;DR clauses (``bench/fresh_clauses.py``): recall per category,
macro recall and negatives clean, beside the keyword baseline on the clause's text.

Run: ``.venv/bin/python bench/fresh.py [--set bench/data/fresh2] [--clauses] [--verbose] [--json]``.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# bench/ holds scripts that would shadow the standard library: keep it off the path
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))
sys.path.append(str(_HERE))  # last, for findings_score only

from findings_score import keyword_categories, load_keywords  # noqa: E402  (after the path fix above)
from fresh_clauses import figures, report_clauses, score_clauses  # noqa: E402  (after the path fix above)
from fresh_manifest import (  # noqa: E402  (after the path fix above)
    CLAUSES_NAME,
    FRESH,
    MANIFEST_NAME,
    Pair,
    load_clauses,
    load_manifest,
    squash,
)


@dataclass(frozen=True)
class Found:
    """A finding reduced to what the scorer needs."""

    category: str
    rule: str
    text: str  # old and new sentences, squashed


def run_policydiff(pair: Pair) -> list[Found]:
    import policydiff

    comparison = policydiff.compare(pair.old, pair.new)
    return [
        Found(f.category, f.rule, squash(f"{f.old_text or ''} {f.new_text or ''}"))
        for f in comparison.findings
    ]


def run_keywords(pair: Pair, keywords: Mapping[str, Sequence[str]]) -> list[Found]:
    """The keyword baseline: categories whose phrases occur in a line the line diff adds or removes."""
    old = pair.old.read_text(encoding="utf-8").splitlines()
    new = pair.new.read_text(encoding="utf-8").splitlines()
    changed = [
        line[1:]
        for line in difflib.unified_diff(old, new, lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    return [
        Found(c, "keywords", squash(line)) for line in changed for c in keyword_categories(line, keywords)
    ]


def cites(found: Found, sentence: str) -> bool:
    """Whether the finding's text and the expected sentence overlap (either holds the other's first half)."""
    want = squash(sentence).lower()
    got = found.text.lower()
    return bool(got) and (want[: len(want) // 2] in got or got[: len(got) // 2] in want)


def score(pairs: Sequence[Pair], results: Mapping[str, Sequence[Found]]) -> dict[str, Any]:
    """Recall per category, misses, noise pairs with findings and automatic precision (pure)."""
    hit: Counter[str] = Counter()
    total: Counter[str] = Counter()
    uncited: list[str] = []
    misses: list[dict[str, str]] = []
    for pair in (p for p in pairs if p.kind == "key"):
        for exp in pair.expected:
            total[exp.category] += 1
            same = [f for f in results[pair.id] if f.category == exp.category]
            if same:
                hit[exp.category] += 1
                if not any(cites(f, exp.sentence) for f in same):
                    uncited.append(f"{pair.id} {exp.category}: {same[0].text[:160]}")
            else:
                misses.append(
                    {"pair": pair.id, "category": exp.category, "side": exp.side, "sentence": exp.sentence}
                )
    findings = [(p, f) for p in pairs for f in results[p.id]]
    right = sum(f.category in p.acceptable() for p, f in findings)
    return {
        "recall": sum(hit.values()) / max(1, sum(total.values())),
        "hits": sum(hit.values()),
        "expected": sum(total.values()),
        "cited": sum(hit.values()) - len(uncited),
        "uncited": uncited,
        "per_category": {c: (hit[c], total[c]) for c in sorted(total)},
        "misses": misses,
        "findings_per_pair": {p.id: Counter(f.category for f in results[p.id]) for p in pairs},
        "noise_with_findings": [p.id for p in pairs if p.kind == "noise" and results[p.id]],
        "noise_pairs": sum(p.kind == "noise" for p in pairs),
        "precision": right / len(findings) if findings else 1.0,
        "findings": len(findings),
        "findings_right": right,
        "unexpected": [
            (p.id, f.category, f.rule, f.text) for p, f in findings if f.category not in p.acceptable()
        ],
    }


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def report(ours: Mapping[str, Any], base: Mapping[str, Any], manifest: Path, verbose: bool) -> Iterable[str]:
    yield f"fresh set: {len(ours['findings_per_pair'])} pairs ({ours['noise_pairs']} noise), {manifest}"
    yield (
        f"expected-category recall: {ours['hits']}/{ours['expected']} = {ours['recall']:.2f}"
        f"  (keywords {base['recall']:.2f}, ratio {_ratio(ours['recall'], base['recall'])});"
        f" hits citing the expected sentence: {ours['cited']}/{ours['hits']}"
    )
    for category, (h, t) in ours["per_category"].items():
        kh, _ = base["per_category"][category]
        yield f"  {category:22} {h}/{t}   (keywords {kh}/{t})"
    yield (
        f"automatic precision (finding's category expected): {ours['findings_right']}/{ours['findings']}"
        f" = {ours['precision']:.2f}  (keywords {base['precision']:.2f},"
        f" ratio {_ratio(ours['precision'], base['precision'])})"
    )
    yield (
        f"noise pairs with findings: {len(ours['noise_with_findings'])}/{ours['noise_pairs']}"
        f" {ours['noise_with_findings']}  (keywords {len(base['noise_with_findings'])}/{base['noise_pairs']})"
    )
    yield "findings per pair:"
    for pair_id, counts in ours["findings_per_pair"].items():
        yield f"  {pair_id:16} {sum(counts.values()):3}  {dict(sorted(counts.items()))}"
    yield "misses:"
    for m in ours["misses"]:
        yield f"  {m['pair']} {m['category']} ({m['side']}): {m['sentence']}"
    if verbose:
        yield "hits whose findings cite another sentence than the expected one (first finding shown):"
        yield from (f"  {line}" for line in ours["uncited"])
        yield "findings of a category not expected for their pair:"
        for pair_id, category, rule, text in ours["unexpected"]:
            yield f"  {pair_id} {category} [{rule}]: {text[:160]}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--verbose", "-v", action="store_true", help="list findings of unexpected categories")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--set", type=Path, default=FRESH, help="the set's folder (default bench/data/fresh)")
    parser.add_argument("--clauses", action="store_true", help="score the set's clauses.toml, not its pairs")
    args = parser.parse_args(argv)
    if args.clauses:
        return main_clauses(args.set / CLAUSES_NAME, args.json, args.verbose)
    manifest = args.set / MANIFEST_NAME
    if not manifest.is_file():
        print(f"not a fresh set: {manifest} is absent", file=sys.stderr)
        return 2
    pairs = load_manifest(manifest)
    keywords = load_keywords()
    ours = score(pairs, {p.id: run_policydiff(p) for p in pairs})
    base = score(pairs, {p.id: run_keywords(p, keywords) for p in pairs})
    if args.json:
        print(json.dumps({"policydiff": ours, "keywords": base}, indent=2, default=str))
    else:
        print("\n".join(report(ours, base, manifest, args.verbose)))
    return 0


def main_clauses(path: Path, as_json: bool, verbose: bool) -> int:
    """``--clauses``: score the set's single clauses, each added to a neutral carrier."""
    if not path.is_file():
        print(f"no clauses in this set: {path} is absent", file=sys.stderr)
        return 2
    result = score_clauses(load_clauses(path), load_keywords())
    if as_json:
        out = {name: figures(result[name]) for name in ("policydiff", "keywords")}
        print(json.dumps({**out, "errors": result["errors"]}, indent=2))
    else:
        print("\n".join(report_clauses(result, path, verbose)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
