"""Stable finding ids: same finding, same id, across runs, formats and presentation changes."""

from __future__ import annotations

import json
import re

import attrs
from hypothesis import given
from hypothesis import strategies as st

import policydiff
from policydiff.fingerprint import finding_id, with_ids
from policydiff.model import Finding

OLD = "# Privacy\n\nWe use your data to provide the service.\n"
NEW = "# Privacy\n\nWe use your data to provide the service and to train artificial intelligence models.\n"
ID = re.compile(r"^f-[0-9a-f]{16}(-\d+)?$")


def _finding(**changes: object) -> Finding:
    base = Finding(
        rule="purpose.added.ai",
        category="purpose.added",
        severity="high",
        direction="weakens",
        explanation="x",
        document="privacy",
        new_text="We may train AI models on your content.",
    )
    return attrs.evolve(base, **changes)


def test_every_finding_has_an_id_shown_in_every_format() -> None:
    result = policydiff.compare(OLD, NEW, format="markdown")
    assert result.findings, "the AI training purpose must be found"
    ids = [f.id for f in result.findings]
    assert all(ID.match(i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert [f["id"] for f in json.loads(result.to_json())["findings"]] == ids
    for text in (result.to_markdown(), result.to_terminal(), result.to_html()):
        for i in ids:
            assert i in text


def test_id_is_stable_across_runs_and_presentation() -> None:
    first = policydiff.compare(OLD, NEW, format="markdown")
    retyped = NEW.replace("We use", "We  use").replace("service and", "service\nand")
    second = policydiff.compare(OLD, retyped, format="markdown")
    assert [f.id for f in first.findings] == [f.id for f in second.findings]


def test_id_depends_on_rule_document_and_sentence() -> None:
    base = finding_id(_finding())
    assert finding_id(_finding(explanation="other words", severity="low")) == base
    assert finding_id(_finding(rule="other.rule")) != base
    assert finding_id(_finding(document="terms")) != base
    assert finding_id(_finding(new_text="We may sell your content.")) != base
    # a finding about removed text is identified by the old sentence
    removed = _finding(new_text=None, old_text="We never sell data.")
    assert finding_id(removed) == finding_id(_finding(new_text=None, old_text="We  never sell data."))


@given(st.lists(st.sampled_from(["a.", "b.", "c."]), max_size=8))
def test_with_ids_are_unique_and_keep_the_first_fingerprint(sentences: list[str]) -> None:
    findings = [_finding(new_text=s) for s in sentences]
    ids = [f.id for f in with_ids(findings)]
    assert len(set(ids)) == len(ids)
    for finding, i in zip(findings, ids, strict=True):
        assert i.startswith(finding_id(finding))
