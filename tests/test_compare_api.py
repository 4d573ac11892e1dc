"""policydiff.compare(): single documents, bundles, and the errors a caller can act on."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest

import policydiff
from policydiff import model

OLD = """# Privacy Policy

## 1. Data we collect

We collect your name and email address.

We use your data to provide the service.

## 2. Sharing

We do not sell your personal data.
"""

NEW = """# Privacy Policy

## 1. Data we collect

We collect your name and email address.

We use your data to provide the service and to develop and train AI models.

## 2. Sharing

We do not sell your personal data.
"""


def test_comparison_docstring_example_runs() -> None:
    result = doctest.testmod(model.result, verbose=False)  # where Comparison lives
    assert result.attempted >= 3
    assert result.failed == 0


def test_compare_text_reports_the_edit_word_level() -> None:
    result = policydiff.compare(OLD, NEW)
    assert result.summary.material_changes == 1
    (change,) = [c for c in result.changes if c.material]
    assert change.kind == "modified"
    inserted = "".join(op.text for op in change.ops if op.op == "insert")
    assert "train AI models" in inserted
    assert "".join(op.text for op in change.ops if op.op != "insert") == change.old_text


def test_compare_identical_has_no_material_change_and_no_finding() -> None:
    result = policydiff.compare(OLD, OLD)
    assert result.summary.material_changes == 0
    assert result.findings == ()


def test_compare_paths_records_sources_and_hashes(tmp_path: Path) -> None:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    result = policydiff.compare(old, new)
    assert result.old is not None and result.new is not None
    assert result.old.source.endswith("old.md")
    assert result.old.format == "markdown"
    assert result.old.sha256 == model.sha256_hex(OLD.encode())
    assert result.new.sha256 == model.sha256_hex(NEW.encode())


def test_compare_bundle_directories_matches_documents_by_name(tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir()
    after.mkdir()
    (before / "privacy-policy.md").write_text(OLD, encoding="utf-8")
    (after / "privacy-policy.md").write_text(NEW, encoding="utf-8")
    (before / "faq.md").write_text("# FAQ\n\nNothing to see.\n", encoding="utf-8")
    (after / "faq.md").write_text("# FAQ\n\nNothing to see.\n", encoding="utf-8")
    (after / "ai-faq.md").write_text("# AI\n\nWe may train models on your posts.\n", encoding="utf-8")
    result = policydiff.compare(before, after)
    assert result.bundle
    status = {d.name: d.status for d in result.documents}
    assert status == {"ai-faq": "added", "faq": "unchanged", "privacy-policy": "modified"}
    assert {c.document for c in result.changes if c.material} == {"ai-faq", "privacy-policy"}
    data = json.loads(result.to_json())
    assert data["bundle"] is True
    assert data["old"]["format"] == "bundle"


def test_compare_bundle_mapping() -> None:
    result = policydiff.compare({"policy": OLD}, {"policy": NEW})
    assert result.bundle
    assert [d.name for d in result.documents] == ["policy"]
    assert result.summary.material_changes == 1


def test_single_against_bundle_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(policydiff.InputError, match="bundle"):
        policydiff.compare(OLD, {"policy": NEW})


def test_empty_bundle_directory_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with pytest.raises(policydiff.InputError, match="no documents"):
        policydiff.compare(tmp_path / "a", tmp_path / "b")


def test_errors_are_policydiff_errors_and_builtins() -> None:
    assert issubclass(policydiff.ParseError, ValueError)
    assert issubclass(policydiff.FetchError, OSError)
    assert issubclass(policydiff.StoreLockedError, policydiff.StoreError)
    with pytest.raises(policydiff.PolicyDiffError):
        policydiff.compare(b"\x00\x01\x02binary\x00", NEW)


def test_unknown_option_or_format_is_an_input_error() -> None:
    with pytest.raises(policydiff.InputError, match="word_timout"):
        policydiff.compare(OLD, NEW, word_timout=5)
    with pytest.raises(policydiff.InputError, match="docx"):
        policydiff.compare(OLD, NEW, format="docx")
    with pytest.raises(policydiff.InputError, match="PDF is binary"):  # text is never read as a PDF
        policydiff.compare(OLD, NEW, format="pdf")


def test_word_timeout_option_reaches_the_word_diff() -> None:
    result = policydiff.compare(OLD, NEW, word_timeout=0, title="Acme")
    assert result.title == "Acme"
    assert result.summary.material_changes == 1
    assert not any(c.degraded for c in result.changes)


def test_a_str_naming_an_existing_file_is_refused_with_a_pointer_to_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policydiff.errors import InputError

    (tmp_path / "old.md").write_text("# P\n\nWe keep data.\n", encoding="utf-8")
    (tmp_path / "new.md").write_text("# P\n\nWe sell data.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=r"pathlib.Path\('old.md'\)"):
        policydiff.compare("old.md", "new.md")
    result = policydiff.compare(Path("old.md"), Path("new.md"))
    assert result.summary.material_changes == 1
    assert policydiff.compare("no such file.md", "no such file.md").summary.changes == 0


@pytest.mark.parametrize(
    "options",
    [{"similarity": 2}, {"similarity": "x"}, {"word_timeout": -1}, {"findings": "no"}, {"title": 3}],
)
def test_a_bad_option_value_is_an_input_error_naming_it(options: dict[str, object]) -> None:
    from policydiff.errors import InputError

    with pytest.raises(InputError, match=next(iter(options))):
        policydiff.compare("We keep data.", "We sell data.", **options)
