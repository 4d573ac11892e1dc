"""The rule table, the lexicon data files and the semantic stage's bounds (time linear in size)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import policydiff
from policydiff.cli import main
from policydiff.errors import InputError
from policydiff.semantics import all_rules
from policydiff.semantics.cues import tag
from policydiff.semantics.lexicon import BY_KEY, ENTRIES, FILES, ancestors
from policydiff.semantics.rules import CLAUSE_RULES, rule_set

TAXONOMY = Path(__file__).resolve().parents[2] / "shared" / "taxonomy.md"

OLD = "# Privacy\n\nWe collect your email address to provide the service.\n\nContact us by email.\n"
NEW = (
    "# Privacy\n\nWe collect your email address to provide the service.\n\n"
    "We may use your posts and messages to train our artificial intelligence models.\n\n"
    "Contact us by email.\n"
)


def test_rule_ids_are_unique_and_the_bundle_rule_is_in_the_table() -> None:
    ids = [r.id for r in all_rules()]
    assert len(ids) == len(set(ids))
    assert ids[-1] == "bundle.contradiction"
    assert all(r.description and r.severity in ("high", "medium", "low") for r in all_rules())


@pytest.mark.skipif(not TAXONOMY.is_file(), reason="../shared/taxonomy.md is absent")
def test_every_rule_category_is_a_taxonomy_category() -> None:
    text = TAXONOMY.read_text(encoding="utf-8")
    for r in all_rules():
        assert f"`{r.category}`" in text, r.id


def test_disabling_a_rule_by_id_removes_its_findings_only() -> None:
    full = policydiff.compare(OLD, NEW, format="markdown")
    fired = {f.rule for f in full.findings}
    assert "purpose.ai_training.added" in fired
    fewer = policydiff.compare(OLD, NEW, format="markdown", disable_rules=["purpose.ai_training.added"])
    assert "purpose.ai_training.added" not in {f.rule for f in fewer.findings}
    assert len(rule_set(["purpose.ai_training.added"]).clause) == len(CLAUSE_RULES) - 1


def test_an_unknown_rule_id_is_an_input_error() -> None:
    with pytest.raises(InputError, match="policydiff rules"):
        policydiff.compare(OLD, NEW, format="markdown", disable_rules=["no.such.rule"])


def test_cli_disable_rule_and_rules_listing(tmp_path: Path) -> None:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    runner = CliRunner()
    listed = runner.invoke(main, ["rules"])
    assert listed.exit_code == 0
    assert all(r.id in listed.output for r in all_rules())
    on = runner.invoke(main, ["compare", str(old), str(new), "--format", "json"])
    off = runner.invoke(
        main,
        ["compare", str(old), str(new), "--format", "json", "--disable-rule", "purpose.ai_training.added"],
    )
    assert on.exit_code == off.exit_code == 0
    assert "purpose.ai_training.added" in on.output
    assert "purpose.ai_training.added" not in off.output
    bad = runner.invoke(main, ["compare", str(old), str(new), "--disable-rule", "nope"])
    assert bad.exit_code == 2
    assert "unknown rule id" in bad.output


def test_lexicon_is_loaded_from_every_data_file_with_known_parents() -> None:
    assert len(FILES) >= 6
    slots = {e.slot for e in ENTRIES}
    assert {"actor", "action", "data", "purpose", "condition", "region"} <= slots
    for entry in ENTRIES:
        chain = list(ancestors(entry.key))
        assert chain[0] == entry.key
        assert all(k in BY_KEY for k in chain)


def test_one_finding_per_clause_and_category() -> None:
    new = NEW.replace(
        "models.",
        "models. We also use your messages to improve our machine learning models and for research.",
    )
    found = policydiff.compare(OLD, new, format="markdown").findings
    keys = [(f.category, f.old_clause, f.new_clause) for f in found]
    assert len(keys) == len(set(keys))
    ai = next(f for f in found if f.category == "purpose.added")
    assert ai.severity == "high"
    assert ai.new_text is not None
    for ev in ai.evidence:
        assert ai.new_text[ev.start : ev.end] == ev.text


def _timed(fn: object, *args: object) -> float:
    """CPU seconds of ``fn(*args)`` (wall time measures the machine's load, not the code)."""
    start = time.process_time()
    fn(*args)  # type: ignore[operator]  # a callable passed in by the test
    return time.process_time() - start


def test_one_long_sentence_costs_time_linear_in_its_size() -> None:
    """ "we may sell your data " repeated to ~200 KB: tagging and the whole comparison stay linear."""
    unit = "we may sell your data "
    small = unit * (20_000 // len(unit))
    large = unit * (200_000 // len(unit))
    t_small = min(_timed(tag, small) for _ in range(2))
    t_large = _timed(tag, large)
    assert t_large < 25 * t_small + 0.5  # 10x the text: linear is ~10x, quadratic would be ~100x
    start = time.process_time()
    policydiff.compare(OLD, OLD.replace("Contact", large + "\n\nContact"), format="markdown")
    assert time.process_time() - start < 20.0
