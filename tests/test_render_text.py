"""The text renderers (JSON, Markdown, terminal) on a Comparison built by hand."""

from __future__ import annotations

import json
import re

import pytest
from markdown_it import MarkdownIt

from policydiff.model import (
    Clause,
    ClauseChange,
    Comparison,
    Document,
    DocumentDiff,
    Evidence,
    Finding,
    Section,
    SideInfo,
    WordOp,
)
from policydiff.render.json import SCHEMA, comparison_dict

HOSTILE = "<script>alert(1)</script> **bold** [x](javascript:alert(1)) [red]markup[/red] `tick`"


def _doc(texts: list[str], source: str) -> Document:
    clauses = tuple(
        Clause(id=f"s1-p{i + 1}", section_id="s1", text=t, canonical=t.lower()) for i, t in enumerate(texts)
    )
    section = Section(id="s1", title="Use of data", canonical_title="use of data", level=1, clauses=clauses)
    root = Section(id="s0", title="", canonical_title="", level=0, sections=(section,))
    return Document(root=root, source=source, format="markdown", sha256="ab" * 32)


def _comparison(extra_text: str = "") -> Comparison:
    old_text = "We use your data to provide the service."
    new_text = "We use your data to provide the service and to train AI models."
    old = _doc([old_text, "We do not sell data.", "Old clause gone."], "old.md")
    new = _doc([new_text, "We do not sell data.", "A new clause " + extra_text], "new.md")
    changes = (
        ClauseChange(
            kind="modified",
            material=True,
            old_id="s1-p1",
            new_id="s1-p1",
            old_section="Use of data",
            new_section="Use of data",
            old_text=old_text,
            new_text=new_text,
            ops=(
                WordOp("equal", "We use your data to provide the service"),
                WordOp("insert", " and to train AI models"),
                WordOp("equal", "."),
            ),
            similarity=0.8,
        ),
        ClauseChange(kind="removed", material=True, old_id="s1-p3", old_text="Old clause gone."),
        ClauseChange(kind="added", material=True, new_id="s1-p3", new_text="A new clause " + extra_text),
        ClauseChange(
            kind="modified",
            material=False,
            old_id="s1-p2",
            new_id="s1-p2",
            old_text="We do not sell data.",
            new_text="We do not sell data.",
        ),
    )
    finding = Finding(
        rule="purpose.ai_training.added",
        category="purpose.added",
        severity="high",
        direction="weakens",
        explanation="Adds a new purpose, training AI models, for your data.",
        old_clause="s1-p1",
        new_clause="s1-p1",
        old_text=old_text,
        new_text=new_text,
        evidence=(
            Evidence(
                "purpose:ai_training",
                "train AI models",
                "new",
                new_text.index("train"),
                new_text.index("train") + len("train AI models"),
            ),
        ),
    )
    return Comparison(
        documents=(DocumentDiff(name="", old=old, new=new, changes=changes),),
        findings=(finding,),
        old=SideInfo("old.md", "markdown", "ab" * 32),
        new=SideInfo("new.md", "markdown", "cd" * 32),
    )


def test_summary_counts_material_changes_and_findings() -> None:
    summary = _comparison().summary
    assert summary.material_changes == 3
    assert summary.changes == 4
    assert summary.by_kind == {"modified": 1, "removed": 1, "added": 1}
    assert summary.findings_by_severity == {"high": 1, "medium": 0, "low": 0}


def test_json_has_the_documented_fields() -> None:
    data = json.loads(_comparison().to_json())
    assert data["schema"] == SCHEMA
    assert data["summary"]["material_changes"] == 3
    assert data["summary"]["findings"] == 1
    assert data["old"] == {"source": "old.md", "format": "markdown", "sha256": "ab" * 32, "fetched_at": None}
    change = data["changes"][0]
    for key in ("kind", "material", "old_id", "new_id", "old_section", "new_section", "old_text", "new_text"):
        assert key in change
    rebuilt = "".join(op["text"] for op in change["ops"] if op["op"] != "delete")
    assert rebuilt == change["new_text"]
    finding = data["findings"][0]
    assert finding["category"] == "purpose.added"
    ev = finding["evidence"][0]
    assert finding["new_text"][ev["start"] : ev["end"]] == ev["text"]


def test_json_is_plain_data_and_deterministic() -> None:
    a, b = _comparison(), _comparison()
    assert comparison_dict(a) == comparison_dict(b)
    assert a.to_json() == b.to_json()


def test_markdown_escapes_document_text() -> None:
    md = _comparison(HOSTILE).to_markdown()
    html = MarkdownIt("commonmark").render(md)
    assert "<script" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "**bold**" in html  # shown literally, not as emphasis


def test_markdown_lists_findings_before_changes_and_marks_words() -> None:
    md = _comparison().to_markdown()
    assert md.index("## Findings") < md.index("## Changes")
    assert "**and to train AI models**" in md
    assert "~~Old clause gone\\.~~" in md or "~~Old clause gone.~~" in md
    # the non-material change is not listed
    assert md.count("We do not sell data") == 0


def test_terminal_without_colour_uses_text_cues_and_no_escapes() -> None:
    out = _comparison(HOSTILE).to_terminal(color=False, width=200)
    assert "\x1b[" not in out
    assert "{+ and to train AI models+}" in out
    assert "[-Old clause gone.-]" in out
    assert "[red]markup[/red]" in out  # document text is never read as rich markup
    assert out.index("Findings") < out.index("[modified]")
    assert "3 material changes" in out


@pytest.mark.parametrize("width", [60, 200])
def test_terminal_with_colour_styles_insertions_and_deletions(width: int) -> None:
    out = _comparison().to_terminal(color=True, width=width)
    assert "\x1b[" in out
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "and to train AI" in plain
    assert "{+" not in plain  # colour mode uses styles (underline/strike), not the piped cues
    assert "\x1b[9" in out or ";9m" in out or "9;" in out  # strike-through


def test_terminal_wrapping_keeps_the_indent_and_counts_read_naturally() -> None:
    import policydiff

    sentence = "We collect your name and email address and use them to provide the service to you. "
    old = "# Privacy\n\n" + sentence * 3 + "\n"
    new = old.replace("provide the service", "provide the service and to train our AI models")
    out = policydiff.compare(old, new).to_terminal(width=60)
    lines = out.splitlines()
    assert "1 material change (1 modified); 1 finding " in out
    body = lines[lines.index(next(line for line in lines if line.startswith("[modified]"))) + 1 :]
    body = [line for line in body if line]
    assert len(body) > 3 and all(line.startswith("    ") and len(line) <= 60 for line in body)
    assert all(line == line.rstrip() for line in lines)
    findings = lines[lines.index("Findings (1)") + 2 :]
    quoted = findings[: next(i for i, line in enumerate(findings) if not line)]
    assert len(quoted) > 3 and all(line.startswith("    ") for line in quoted)
