"""The findings benchmark's loaders and scoring (bench/findings_score.py) on tiny inputs, and its data files.

The checks against ../shared (the held-out split re-derived from the ToS;DR dev set, the pairs' files
existing, category names from the taxonomy) skip cleanly when ../shared is absent.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

import policydiff

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def _load_score() -> ModuleType:
    spec = importlib.util.spec_from_file_location("findings_score", REPO / "bench" / "findings_score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["findings_score"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


fs = _load_score()


def _clause(expect: tuple[str, ...], service: str = "svc", case: str = "a case") -> object:
    return fs.Clause(id="1", service=service, doc="Privacy Policy", case=case, expect=expect, text="T.")


def _need_shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return path


def test_clause_score_recall_and_negatives() -> None:
    score = fs.ClauseScore()
    score.add(_clause(("sale.added",)), ["sale.added", "recipient.added"])
    score.add(_clause(("sale.added",)), ["recipient.added"])
    score.add(_clause(("dispute.changed",)), ["dispute.changed"])
    score.add(_clause((), case="boilerplate"), [])
    score.add(_clause((), case="boilerplate"), ["notice.weakened"])
    assert score.recall() == {"dispute.changed": 1.0, "sale.added": 0.5}
    assert score.macro_recall() == pytest.approx(0.75)
    assert score.clean_rate() == 0.5
    assert score.dirty_cases == {"boilerplate": 1}


def test_pair_score_recall_noise_and_judged_precision() -> None:
    key_pair = fs.Pair("corpus2", "a/old.md", "a/new.md", ("purpose.added", "data.broadened"))
    noise = fs.Pair("corpus2", "b/old.md", "b/new.md", ())
    right = {"category": "purpose.added", "hash": "h1", "rule": "r"}
    wrong = {"category": "recipient.added", "hash": "h2", "rule": "r"}
    new = {"category": "purpose.added", "hash": "h3", "rule": "r"}
    judged = {
        (key_pair.key, "purpose.added", "h1"): {"verdict": "right"},
        (key_pair.key, "recipient.added", "h2"): {"verdict": "wrong"},
    }
    score = fs.PairScore()
    score.add(key_pair, [right, wrong, new], judged)
    score.add(noise, [right], judged)
    assert score.recall() == 0.5
    assert score.missing == [f"{key_pair.key}: data.broadened"]
    assert (score.noise_pairs, score.noise_clean) == (1, 0)
    assert score.precision() == 0.5
    assert [u["hash"] for u in score.unjudged] == ["h3"]
    assert fs.PairScore().recall() is None and fs.PairScore().precision() is None


def test_sentence_hash_ignores_whitespace_but_not_words() -> None:
    assert fs.sentence_hash("We  sell\ndata.", None) == fs.sentence_hash("We sell data. ", "")
    assert fs.sentence_hash("We sell data.", None) != fs.sentence_hash(None, "We sell data.")
    assert fs.sentence_hash("We sell data.", None) != fs.sentence_hash("We rent data.", None)


def test_target_marks() -> None:
    assert "NOT met" in fs.target_mark("macro_recall", 0.5)
    assert ": met" in fs.target_mark("macro_recall", 0.9)
    assert ": met" in fs.target_mark("dev_seconds", 12.0)
    assert ": met" in fs.target_mark("noise_findings", 0)
    assert fs.target_mark("no such figure", 1.0) == ""


def test_carrier_gains_the_clause_as_a_paragraph_and_is_neutral() -> None:
    clause = fs.Clause("9", "svc", "Terms of Service", "c", ("dispute.changed",), "Disputes go to a court.")
    old, new = fs.carrier_with(clause)
    assert "Disputes go to a court." not in old
    assert "\nDisputes go to a court.\n" in new
    assert new.replace("\nDisputes go to a court.\n", "", 1) == old
    for kind in ("Privacy Policy", "Terms of Service"):
        old, _ = fs.carrier_with(fs.Clause("9", "svc", kind, "c", (), "x"))
        assert not policydiff.compare("# Empty\n\nNothing here.\n", old, format="markdown").findings


def test_split_by() -> None:
    parts = fs.split_by([1, 2, 3, 4], lambda n: n % 2 == 0)
    assert parts == {"fitted": [1, 3], "held-out": [2, 4]}


def test_holdout_is_rederived_from_its_rule() -> None:
    clauses = fs.load_tosdr(_need_shared("datasets", "tosdr-clauses", "dev.jsonl"))
    holdout = fs.load_holdout()
    assert holdout.services == fs.derive_holdout_services(clauses, holdout.salt)
    rows = [c for c in clauses if c.service in holdout.services]
    categories = {cat for c in clauses for cat in c.expect}
    held = {cat for c in rows for cat in c.expect}
    assert held == categories, "every category has held-out clauses"
    assert any(not c.expect for c in rows)


def test_expected_pairs_exist_and_use_taxonomy_names() -> None:
    taxonomy = _need_shared("taxonomy.md").read_text(encoding="utf-8")
    names = set(re.findall(r"^\| `([a-z]+\.[a-z_]+)` \|", taxonomy, flags=re.MULTILINE))
    assert len(names) >= 20
    pairs = fs.load_pairs()
    assert len({p.key for p in pairs}) == len(pairs), "no pair listed twice"
    for pair in pairs:
        assert set(pair.expected) <= names, pair.key
        for side in (pair.old, pair.new):
            assert (SHARED / pair.corpus / side).exists(), f"{pair.corpus}/{side}"
    holdout = fs.load_holdout()
    held = [p for p in pairs if holdout.pair_held_out(p)]
    assert held and any(p.expected for p in held) and any(p.noise for p in held)


def test_judgements_name_listed_pairs_and_taxonomy_categories() -> None:
    judged = fs.load_judgements()
    keys = {p.key for p in fs.load_pairs()}
    for pair, category, digest in judged:
        assert pair in keys, pair
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", category)
        assert re.fullmatch(r"[0-9a-f]{12}", digest)


def test_keyword_baseline_matches_phrases_case_insensitively() -> None:
    keywords = {"sale.added": ("sell",), "dispute.changed": ("arbitrat", "jury")}
    assert fs.keyword_categories("We may SELL data.", keywords) == {"sale.added"}
    assert fs.keyword_categories("Binding arbitration; no jury.", keywords) == {"dispute.changed"}
    assert fs.keyword_categories("Nothing here.", keywords) == set()
    loaded = fs.load_keywords()
    assert loaded and all(phrases for phrases in loaded.values())


def test_own_negatives_load_as_negative_rows_in_both_carriers() -> None:
    rows = fs.load_own_negatives()
    assert len(rows) >= 150 and all(not r.expect for r in rows)
    kinds = {fs.carrier_with(r)[0].splitlines()[0] for r in rows}
    assert kinds == {"# Privacy Notice", "# Terms of Use"}
    score = fs.ClauseScore()
    for row in rows[:3]:
        score.add(row, [])
    score.add(rows[3], ["notice.weakened"])
    assert score.clean_rate() == 0.75 and score.dirty_cases == {rows[3].case: 1}
