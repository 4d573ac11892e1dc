"""Scoring of a fresh set's single clauses (``<set>/clauses.toml``), as ``bench/findings.py`` scores ToS;DR.

Each clause is added as a new paragraph to the neutral carrier policy of its kind
(``bench/data/carrier-*.md``, ``findings_score.carrier_with``) and ``policydiff.compare`` runs on the carrier
without and with it. A positive clause is found when its category is among the findings; a boilerplate
clause (category ``"none"``) is clean when there is no finding at all. Beside it, the keyword baseline on the
clause's text, as in ``bench/findings.py``. Called by ``bench/fresh.py --clauses``; the misses (with their
text) are listed only with ``--verbose``: a fresh set is never tuned on (see its README), so read them only
once it is used up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from findings_score import Clause, ClauseScore, carrier_with, keyword_categories
from fresh_manifest import FreshClause

# the carrier documents of findings_score.carrier_with, chosen by the clause's doc name
CARRIER_DOC_NAMES = {"privacy": "Privacy Policy", "terms": "Terms of Service"}


def as_scored(clause: FreshClause) -> Clause:
    """The clause as a ``findings_score.Clause`` (expected categories empty for boilerplate)."""
    expect = () if clause.negative else (clause.category,)
    return Clause(clause.id, "fresh", CARRIER_DOC_NAMES[clause.doc], clause.kind, expect, clause.text)


def policydiff_categories(clause: Clause) -> tuple[list[str], str | None]:
    """The categories policydiff finds when the clause is added to its carrier, or the error it raised."""
    import policydiff

    old, new = carrier_with(clause)
    try:
        return [f.category for f in policydiff.compare(old, new, format="markdown").findings], None
    except policydiff.PolicyDiffError as error:
        return [], f"{clause.id}: {error}"


def score_clauses(clauses: Sequence[FreshClause], keywords: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """Recall per category, negatives clean and the misses, for policydiff and the keyword baseline."""
    ours, base = ClauseScore(), ClauseScore()
    misses: list[str] = []
    errors: list[str] = []
    for fresh in clauses:
        clause = as_scored(fresh)
        found, error = policydiff_categories(clause)
        if error:
            errors.append(error)
        ours.add(clause, found)
        base.add(clause, keyword_categories(clause.text, keywords))
        if fresh.negative and found:
            misses.append(
                f"{clause.id} NEGATIVE [{fresh.kind}] gave {sorted(set(found))}: {clause.text[:160]}"
            )
        elif not fresh.negative and fresh.category not in found:
            misses.append(
                f"{clause.id} missed {fresh.category} (gave {sorted(set(found))}): {clause.text[:160]}"
            )
    return {"policydiff": ours, "keywords": base, "misses": misses, "errors": errors}


def figures(score: ClauseScore) -> dict[str, Any]:
    """The printable figures of one scorer (plain values, for ``--json``)."""
    return {
        "macro_recall": round(score.macro_recall(), 3),
        "recall": {c: [score.hits[c], score.rows[c]] for c in sorted(score.rows)},
        "negatives": [score.negatives_clean, score.negatives],
        "negatives_clean": round(score.clean_rate(), 3),
        "dirty_kinds": dict(score.dirty_cases.most_common()),
    }


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def report_clauses(result: Mapping[str, Any], path: Path, verbose: bool) -> Iterable[str]:
    ours, base = figures(result["policydiff"]), figures(result["keywords"])
    positives = sum(total for _, total in ours["recall"].values())
    yield f"fresh clauses: {positives} positive, {ours['negatives'][1]} boilerplate, {path}"
    yield (
        f"macro recall: {ours['macro_recall']:.2f}  (keywords {base['macro_recall']:.2f},"
        f" ratio {_ratio(ours['macro_recall'], base['macro_recall'])})"
    )
    for category, (hits, total) in ours["recall"].items():
        yield f"  {category:22} {hits}/{total}   (keywords {base['recall'][category][0]}/{total})"
    clean, total = ours["negatives"]
    yield (
        f"negatives clean: {clean}/{total} = {ours['negatives_clean']:.2f}"
        f"  (keywords {base['negatives_clean']:.2f}); dirty by kind: {ours['dirty_kinds']}"
    )
    if result["errors"]:
        yield "errors (counted as no finding):"
        yield from (f"  {line}" for line in result["errors"])
    if verbose:
        yield "misses (read them only once this set is used up):"
        yield from (f"  {line}" for line in result["misses"])
