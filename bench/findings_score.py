"""Loaders and scoring for ``bench/findings.py``: pure functions over plain values, no policydiff calls.

What it reads (all from ``../shared`` beside the repo, never copied into the project):
- ToS;DR clauses (``datasets/tosdr-clauses/dev.jsonl``): one labelled clause per row;
- ``bench/expected_findings.toml``: pairs of real versions (``corpus`` or ``corpus2``) with the categories
  a reviewer must see (``expected = []``: a noise pair, which must give no finding);
- ``bench/holdout.toml``: the services and corpus2 series set aside before the rules were rewritten;
- ``bench/judgements.toml``: findings on the key pairs judged right or wrong, keyed by pair, category and a
  hash of the finding's sentences (the rule id is kept for information: a renamed rule keeps its verdicts).
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
SHARED = BENCH.parent.parent / "shared"
TOSDR = SHARED / "datasets" / "tosdr-clauses" / "dev.jsonl"
EXPECTED = BENCH / "expected_findings.toml"
HOLDOUT = BENCH / "holdout.toml"
JUDGEMENTS = BENCH / "judgements.toml"
KEYWORDS = BENCH / "data" / "keyword-baseline.toml"
# our own boilerplate clauses (tests/test_semantics_negatives.py): the "own negatives" figure
OWN_NEGATIVES = BENCH.parent / "tests" / "data" / "negatives.toml"
CARRIERS = {"privacy": BENCH / "data" / "carrier-privacy.md", "terms": BENCH / "data" / "carrier-terms.md"}
INSERT_BEFORE = "\n## Other provisions"  # the added clause becomes the last paragraph of "Our services"

# the targets of issue 10, printed beside each figure
TARGETS: dict[str, tuple[str, float]] = {
    "macro_recall": (">=", 0.90),
    "min_category_recall": (">=", 0.80),
    "negatives_clean": (">=", 0.97),
    "dev_seconds": ("<", 30.0),
    "pair_recall": (">=", 0.95),
    "judged_precision": (">=", 0.85),
    "noise_findings": ("<=", 0.0),
}


@dataclass(frozen=True)
class Clause:
    """One ToS;DR row: the clause, its service and the categories expected when it is added."""

    id: str
    service: str
    doc: str
    case: str
    expect: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Pair:
    """Two real versions from ``../shared/corpus`` or ``corpus2`` and what a reviewer must see."""

    corpus: str
    old: str
    new: str
    expected: tuple[str, ...]
    note: str = ""
    scored: bool = True
    announced: bool = False

    @property
    def key(self) -> str:
        return f"{self.corpus}:{self.old} -> {self.new.rsplit('/', 1)[-1]}"

    @property
    def noise(self) -> bool:
        return not self.expected


@dataclass(frozen=True)
class Holdout:
    services: frozenset[str]
    series: tuple[str, ...]
    salt: str = ""

    def pair_held_out(self, pair: Pair) -> bool:
        return pair.corpus == "corpus2" and any(pair.old.startswith(s + "/") for s in self.series)


@dataclass
class ClauseScore:
    """Recall per category over positive rows, and how many negatives stayed clean."""

    hits: Counter[str] = field(default_factory=Counter)
    rows: Counter[str] = field(default_factory=Counter)
    negatives: int = 0
    negatives_clean: int = 0
    dirty_cases: Counter[str] = field(default_factory=Counter)

    def add(self, clause: Clause, found: Iterable[str]) -> None:
        found = set(found)
        if not clause.expect:
            self.negatives += 1
            self.negatives_clean += not found
            if found:
                self.dirty_cases[clause.case] += 1
            return
        for category in clause.expect:
            self.rows[category] += 1
            self.hits[category] += category in found

    def recall(self) -> dict[str, float]:
        return {c: self.hits[c] / n for c, n in sorted(self.rows.items())}

    def macro_recall(self) -> float:
        per = self.recall()
        return sum(per.values()) / len(per) if per else 0.0

    def clean_rate(self) -> float:
        return self.negatives_clean / self.negatives if self.negatives else 1.0


def load_tosdr(path: Path = TOSDR) -> list[Clause]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    fields = ("id", "service", "doc", "case", "text")
    return [Clause(**{k: str(r[k]) for k in fields}, expect=tuple(r["expect"])) for r in rows]


def load_own_negatives(path: Path = OWN_NEGATIVES) -> list[Clause]:
    """Our own boilerplate clauses as negative rows (``doc`` picks the carrier, ``kind`` is the case)."""
    rows: list[dict[str, Any]] = tomllib.loads(path.read_text(encoding="utf-8"))["clause"]
    docs = {"privacy": "Privacy Policy", "terms": "Terms of Service"}
    return [
        Clause(f"own-{i}", "own", docs[r["doc"]], r["kind"], (), r["text"]) for i, r in enumerate(rows, 1)
    ]


def load_holdout(path: Path = HOLDOUT) -> Holdout:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return Holdout(frozenset(data["tosdr_services"]), tuple(data["corpus2_series"]), data.get("salt", ""))


def derive_holdout_services(clauses: Sequence[Clause], salt: str, fraction: float = 0.2) -> frozenset[str]:
    """The rule of ``holdout.toml``: services ranked by ``sha256(salt:service)``, the first fifth held out."""
    services = sorted({c.service for c in clauses})
    ranked = sorted(services, key=lambda s: hashlib.sha256(f"{salt}:{s}".encode()).hexdigest())
    return frozenset(ranked[: round(len(services) * fraction)])


def load_pairs(path: Path = EXPECTED) -> list[Pair]:
    table: list[dict[str, Any]] = tomllib.loads(path.read_text(encoding="utf-8"))["pair"]
    return [
        Pair(
            corpus=p.get("corpus", "corpus"),
            old=p["old"],
            new=p["new"],
            expected=tuple(p["expected"]),
            note=p.get("note", ""),
            scored=p.get("score", True),
            announced=p.get("announced", False),
        )
        for p in table
    ]


def load_keywords(path: Path = KEYWORDS) -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = tomllib.loads(path.read_text(encoding="utf-8"))["categories"]
    return {category: tuple(p.lower() for p in phrases) for category, phrases in table.items()}


def keyword_categories(text: str, keywords: Mapping[str, Sequence[str]]) -> set[str]:
    """The keyword baseline: every category with a phrase that occurs in ``text``."""
    folded = text.lower()
    return {category for category, phrases in keywords.items() if any(p in folded for p in phrases)}


def carrier_with(clause: Clause) -> tuple[str, str]:
    """The neutral carrier policy of the clause's kind, without (old) and with (new) the clause."""
    kind = "privacy" if "privacy" in clause.doc.lower() or "cookie" in clause.doc.lower() else "terms"
    old = CARRIERS[kind].read_text(encoding="utf-8")
    head, sep, tail = old.partition(INSERT_BEFORE)
    assert sep, f"carrier {kind} lacks the '{INSERT_BEFORE.strip()}' heading"
    return old, f"{head}\n{clause.text}\n{sep}{tail}"


def sentence_hash(old_text: str | None, new_text: str | None) -> str:
    """A short, whitespace-insensitive hash of a finding's old and new sentences (no text is stored)."""
    folded = [re.sub(r"\s+", " ", t or "").strip() for t in (old_text, new_text)]
    return hashlib.sha256("\x00".join(folded).encode("utf-8")).hexdigest()[:12]


def load_judgements(path: Path = JUDGEMENTS) -> dict[tuple[str, str, str], dict[str, Any]]:
    """``(pair key, category, sentence hash) -> judgement`` (``verdict`` is "right" or "wrong")."""
    if not path.is_file():
        return {}
    table: list[dict[str, Any]] = tomllib.loads(path.read_text(encoding="utf-8")).get("judgement", [])
    for row in table:
        if row["verdict"] not in ("right", "wrong"):
            raise ValueError(f"{path}: verdict must be 'right' or 'wrong', not {row['verdict']!r}")
    return {(row["pair"], row["category"], row["hash"]): row for row in table}


@dataclass
class PairScore:
    """Expected-category recall over key pairs, noise pairs with findings, and judged precision."""

    expected: int = 0
    found: int = 0
    missing: list[str] = field(default_factory=list)
    noise_pairs: int = 0
    noise_clean: int = 0
    right: int = 0
    wrong: int = 0
    unjudged: list[dict[str, str]] = field(default_factory=list)

    def add(self, pair: Pair, findings: Sequence[Mapping[str, Any]], judged: Mapping[Any, Any]) -> None:
        if not pair.scored:
            return
        categories = {f["category"] for f in findings}
        if pair.noise:
            self.noise_pairs += 1
            self.noise_clean += not findings
            return
        self.expected += len(pair.expected)
        self.found += len(set(pair.expected) & categories)
        self.missing += [f"{pair.key}: {c}" for c in pair.expected if c not in categories]
        for f in findings:
            verdict = judged.get((pair.key, f["category"], f["hash"]))
            if verdict is None:
                self.unjudged.append({"pair": pair.key, **{k: str(v) for k, v in f.items()}})
            elif verdict["verdict"] == "right":
                self.right += 1
            else:
                self.wrong += 1

    def recall(self) -> float | None:
        return self.found / self.expected if self.expected else None

    def precision(self) -> float | None:
        judged = self.right + self.wrong
        return self.right / judged if judged else None


def target_mark(name: str, value: float | None) -> str:
    """``"(target >= 0.90: met)"`` for a figure with a target; empty when there is none."""
    if name not in TARGETS or value is None:
        return ""
    op, bound = TARGETS[name]
    met = {">=": value >= bound, "<": value < bound, "<=": value <= bound}[op]
    return f"(target {op} {bound:g}: {'met' if met else 'NOT met'})"


def split_by(items: Iterable[Any], held_out: Any) -> dict[str, list[Any]]:
    """``{"fitted": [...], "held-out": [...]}`` by the predicate ``held_out(item)``."""
    parts: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        parts["held-out" if held_out(item) else "fitted"].append(item)
    return {"fitted": parts["fitted"], "held-out": parts["held-out"]}
