"""The fresh evaluation sets' manifests (bench/data/fresh*/expected.toml, clauses.toml) are well-formed.

Only the data's shape is tested here, never the scores: the sets are not to be tuned on (see their READMEs).
The category names are checked against ../shared/taxonomy.md, skipped cleanly when ../shared is absent.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
TAXONOMY = REPO.parent / "shared" / "taxonomy.md"


def _load_manifest_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fresh_manifest", REPO / "bench" / "fresh_manifest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fresh_manifest"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


fresh = _load_manifest_module()
SETS = [REPO / "bench" / "data" / name for name in ("fresh", "fresh2")]


def _taxonomy_names() -> set[str]:
    if not TAXONOMY.is_file():
        pytest.skip(f"{TAXONOMY} is absent (../shared sits beside the repo)")
    return set(re.findall(r"^\| `([a-z]+\.[a-z_]+)` \|", TAXONOMY.read_text(encoding="utf-8"), re.MULTILINE))


@pytest.fixture(params=SETS, ids=lambda path: path.name)
def manifest(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param / fresh.MANIFEST_NAME
    return path


def test_manifest_lists_key_and_noise_pairs_whose_files_exist(manifest: Path) -> None:
    pairs = fresh.load_manifest(manifest)
    assert sum(p.kind == "key" for p in pairs) >= 14
    assert sum(p.kind == "noise" for p in pairs) >= 5
    for pair in pairs:
        for path in (pair.old, pair.new):
            assert path.is_file(), f"{pair.id}: {path} is missing"
            assert 40 <= len(path.read_text(encoding="utf-8").splitlines()) <= 150, path
        assert pair.old.read_text(encoding="utf-8") != pair.new.read_text(encoding="utf-8"), pair.id


def test_each_expected_sentence_is_in_the_side_it_names(manifest: Path) -> None:
    for pair in fresh.load_manifest(manifest):
        for exp in pair.expected:
            side = pair.old if exp.side == "old" else pair.new
            text = fresh.squash(side.read_text(encoding="utf-8"))
            assert fresh.squash(exp.sentence) in text, (
                f"{pair.id} {exp.category}: sentence not in {side.name}"
            )


def test_categories_are_taxonomy_names(manifest: Path) -> None:
    names = _taxonomy_names()
    for pair in fresh.load_manifest(manifest):
        used = pair.categories() | set(pair.also_acceptable)
        assert used <= names, f"{pair.id}: {sorted(used - names)} are not taxonomy categories"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[[pair]]\nid = "a"\nkind = "odd"\nold = "o.md"\nnew = "n.md"\n', "kind must be one of"),
        ('[[pair]]\nid = "a"\nkind = "key"\nold = "o.md"\nnew = "n.md"\n', "a key pair lists expected"),
        (
            '[[pair]]\nid = "a"\nkind = "key"\nold = "o.md"\nnew = "n.md"\n'
            '[[pair.expected]]\ncategory = "sale.added"\nside = "both"\nsentence = "x"\n',
            "side (old/new)",
        ),
        (
            '[[pair]]\nid = "a"\nkind = "noise"\nold = "o.md"\nnew = "n.md"\n'
            '[[pair]]\nid = "a"\nkind = "noise"\nold = "o.md"\nnew = "n.md"\n',
            "duplicate pair ids",
        ),
    ],
)
def test_malformed_manifests_are_refused(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "expected.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)):
        fresh.load_manifest(path)


def test_fresh2_clauses_parse_with_positives_of_many_categories_and_boilerplate() -> None:
    clauses = fresh.load_clauses(REPO / "bench" / "data" / "fresh2" / fresh.CLAUSES_NAME)
    positives = [c for c in clauses if not c.negative]
    assert len(positives) >= 100
    assert sum(c.negative for c in clauses) >= 40
    categories = {c.category for c in positives}
    assert len(categories) >= 10
    assert categories <= _taxonomy_names()
    assert {c.doc for c in clauses} == {"privacy", "terms"}


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[[clause]]\nid = "a"\ncategory = "sale.added"\ndoc = "cookie"\ntext = "x"\n', "doc must be one of"),
        ('[[clause]]\nid = "a"\ncategory = "none"\ndoc = "terms"\ntext = "x"\n', "needs a kind"),
        ('[[clause]]\nid = "a"\ncategory = "sale.added"\ndoc = "terms"\n', "needs a category"),
        (
            '[[clause]]\nid = "a"\ncategory = "sale.added"\ndoc = "terms"\ntext = "x"\n'
            '[[clause]]\nid = "a"\ncategory = "sale.added"\ndoc = "terms"\ntext = "y"\n',
            "duplicate clause ids",
        ),
    ],
)
def test_malformed_clause_sets_are_refused(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "clauses.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)):
        fresh.load_clauses(path)
