"""Locations in the document's own terms, the clause alignment and sentence offsets the diff exports."""

from __future__ import annotations

import json

import policydiff
from policydiff.diff import diff_documents
from policydiff.diff.locate import side_index
from policydiff.normalize import normalize

NUMBERED = """# Terms

## 3. Definitions

### 3.1 Services

The services are the apps.

### 3.2 Confidential Information

Confidential information is what you share.

We keep your data for ten days.

## 4. Your rights

- You may opt out of sale.
- You may delete your data.
"""

UNNUMBERED = """# Privacy

## How we use data

We use data to run the service.

We use data for security.
"""


def test_numbered_sections_are_named_by_number_and_title() -> None:
    index = side_index(normalize(NUMBERED, format="markdown"))
    located = set(index.locations.values())
    assert "3.2 Confidential Information, paragraph 2" in located
    assert "3.1 Services" in located  # the only clause of its section: no paragraph number
    assert any(loc.startswith("4. Your rights, item") for loc in located)


def test_unnumbered_sections_are_named_by_their_path() -> None:
    index = side_index(normalize(UNNUMBERED, format="markdown"))
    assert "Privacy › How we use data, paragraph 2" in index.locations.values()


def test_changes_and_findings_carry_locations_in_every_format() -> None:
    new = NUMBERED.replace("We keep your data for ten days.", "We keep your data for ten years and sell it.")
    result = policydiff.compare(NUMBERED, new, format="markdown")
    change = next(c for c in result.changes if c.material)
    assert change.new_location == "3.2 Confidential Information, paragraph 2"
    assert change.new_id is not None
    data = json.loads(result.to_json())
    assert data["changes"][0]["new_location"] == change.new_location
    markdown = result.to_markdown()
    assert f"[3.2 Confidential Information, paragraph 2](#{change.new_id})" in markdown
    assert change.new_location in result.to_terminal(width=200)
    assert change.new_location in result.to_html()
    assert result.findings, "selling data must be found"
    for finding in result.findings:
        assert finding.new_location == change.new_location
        assert finding.new_span is not None and finding.new_text is not None
        clause = normalize(new, format="markdown").clause(finding.new_clause or "")
        assert clause is not None
        assert clause.text[finding.new_span[0] : finding.new_span[1]] == finding.new_text


def test_alignment_maps_every_old_clause_to_its_new_position() -> None:
    old = normalize(UNNUMBERED, format="markdown")
    new = normalize(
        UNNUMBERED.replace("## How we use data\n", "## How we use data\n\nA new first line.\n"),
        format="markdown",
    )
    dd = diff_documents(old, new)
    olds, news = list(old.clauses()), list(new.clauses())
    assert len(dd.old_to_new) == len(olds)
    for i, j in enumerate(dd.old_to_new):
        assert j is not None and news[j].canonical == olds[i].canonical
