"""The in-memory cache of normalized documents: the same input bytes, read the same way, are
normalized once per process; anything else that decides the result is part of the key."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import policydiff
from policydiff.model import Snapshot
from policydiff.normalize import clauses, normalize, recent

TEXT = "# Terms\n\nWe use your data to run the service.\n\nWe share it with partners.\n"


def _counting_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the documents actually built (not recalled) from now on."""
    built: list[int] = []
    real = clauses.build_document

    def counted(*args: object, **kwargs: object) -> object:
        built.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.import_module("policydiff.normalize"), "build_document", counted)
    return built


def test_the_same_file_twice_is_normalized_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "terms.md"
    path.write_text(TEXT, encoding="utf-8")
    built = _counting_builds(monkeypatch)
    result = policydiff.compare(path, path)
    assert len(built) == 1
    assert result.documents[0].old is result.documents[0].new
    assert not any(c.material for c in result.changes)


def test_a_changed_file_is_normalized_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "terms.md"
    path.write_text(TEXT, encoding="utf-8")
    built = _counting_builds(monkeypatch)
    first = normalize(path)
    path.write_text(TEXT.replace("partners", "advertisers"), encoding="utf-8")
    second = normalize(path)
    assert len(built) == 2
    assert [c.text for c in first.clauses()] != [c.text for c in second.clauses()]


def test_name_and_format_are_part_of_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    built = _counting_builds(monkeypatch)
    plain = normalize(TEXT, format="text")
    markdown = normalize(TEXT, format="markdown")
    named = normalize(TEXT, format="markdown", name="terms.md")
    again = normalize(TEXT, format="markdown", name="terms.md")
    assert len(built) == 3
    assert plain.format == "text" and markdown.format == "markdown"
    assert named.source == "terms.md" and markdown.source == "<string>"
    assert again is named


def test_snapshots_are_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """A snapshot brings its fetch time and selectors: the store keeps its own cache for those."""
    built = _counting_builds(monkeypatch)
    snapshot = Snapshot(TEXT.encode(), url="https://example.com/terms.md", media_type="text/markdown")
    normalize(snapshot)
    normalize(snapshot)
    assert len(built) == 2


def test_the_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recent, "MAX_DOCUMENTS", 3)
    docs = [normalize(TEXT + f"\nClause {i}.\n", format="markdown") for i in range(5)]
    assert len(recent._kept) == 3
    assert recent.recall((docs[0].sha256, "<string>", "markdown")) is None
    assert recent.recall((docs[4].sha256, "<string>", "markdown")) is docs[4]
    monkeypatch.setattr(recent, "MAX_INPUT_BYTES", len(TEXT) * 2)
    normalize(TEXT * 3, format="markdown")  # larger than the whole budget: not kept
    assert len(recent._kept) == 3
