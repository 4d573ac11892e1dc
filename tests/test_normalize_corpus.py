"""Normalize on the real corpus (../shared/corpus, skipped when absent): noise pairs, HTML vs Markdown,
announcements and pending-version pages."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from policydiff.model import Document
from policydiff.normalize import normalize


def canon(doc: Document) -> list[str]:
    return [c.canonical for c in doc.clauses()]


def test_every_corpus_document_normalizes_with_unique_ids(corpus: Path) -> None:
    files = sorted(p for p in corpus.rglob("*") if p.suffix in (".md", ".html") and p.name != "README.md")
    assert len(files) > 30
    for path in files:
        doc = normalize(path)
        ids = [s.id for s in doc.sections()] + [c.id for c in doc.clauses()]
        if doc.upcoming is not None:
            ids += [s.id for s in doc.upcoming.walk()] + [
                c.id for s in doc.upcoming.walk() for c in s.clauses
            ]
        assert len(ids) == len(set(ids)), path
        assert sum(1 for _ in doc.clauses()) >= 5, path
        for clause in doc.clauses():
            assert clause.text and clause.canonical
            for link in clause.links:
                assert clause.text[link.start : link.end] == link.text
            for sentence in clause.sentences:
                assert 0 <= sentence.start < sentence.end <= len(clause.text)


def test_three_raw_snapshots_with_the_same_text_give_identical_documents(corpus: Path) -> None:
    folder = corpus / "linkedin" / "privacy-policy__html-fr-2023"
    pages = sorted(folder.glob("*.html"))
    assert len(pages) == 3
    raw = [p.read_bytes() for p in pages]
    assert len(set(raw)) == 3  # the bytes differ (tokens, build ids) ...
    docs = [attrs.evolve(normalize(p), source="", sha256="") for p in pages]
    assert docs[0] == docs[1] == docs[2]  # ... the documents do not
    assert sum(1 for _ in docs[0].clauses()) > 100


def _overlap(a: Document, b: Document) -> float:
    left, right = canon(a), canon(b)
    shared = sum(1 for x, y in zip(left, right, strict=False) if x == y)
    return shared / max(len(left), len(right))


@pytest.mark.parametrize(
    ("html", "markdown", "minimum"),
    [
        ("linkedin/privacy-policy__html-fr-2023/2023-03-14_296313be8.html", "2023-03-14_378b78148.md", 0.99),
        ("linkedin/services-terms__html-fr-2023/2023-03-14_0d087918d.html", "2023-03-14_e49e4f47b.md", 0.95),
        ("linkedin/services-terms__html-fr-2023/2023-04-06_5ae4ac929.html", "2023-04-06_86906a534.md", 0.95),
    ],
)
def test_raw_html_and_archive_markdown_give_the_same_clauses(
    corpus: Path, html: str, markdown: str, minimum: float
) -> None:
    """Share of clauses with identical canonical text at the same position (measured: 1.0, 0.97, 0.99);
    the rest differ where the archive's Markdown itself is broken (``**7.1.2.**S'il`` is literal)."""
    page = corpus / html
    a, b = normalize(page), normalize(page.parent / markdown)
    assert a.format == "html" and b.format == "markdown"
    assert _overlap(a, b) >= minimum


def test_privacy_html_and_markdown_share_ids_too(corpus: Path) -> None:
    folder = corpus / "linkedin" / "privacy-policy__html-fr-2023"
    a = normalize(folder / "2023-03-14_296313be8.html")
    b = normalize(folder / "2023-03-14_378b78148.md")
    assert [(c.id, c.canonical, c.label) for c in a.clauses()] == [
        (c.id, c.canonical, c.label) for c in b.clauses()
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "linkedin/privacy-policy/2024-09-19_0bb97299d.md",
            "linkedin/privacy-policy/2025-04-02_244c5a5a8.md",
        ),
        (
            "zoom/terms-of-service__noise-tracking-param/2025-05-02_c0d03f0d1.md",
            "zoom/terms-of-service__noise-tracking-param/2025-05-02_9036f2fa6.md",
        ),
    ],
)
def test_link_target_noise_leaves_canonical_text_identical(corpus: Path, old: str, new: str) -> None:
    a, b = normalize(corpus / old), normalize(corpus / new)
    links_a = [link.target for c in a.clauses() for link in c.links]
    links_b = [link.target for c in b.clauses() for link in c.links]
    assert links_a != links_b  # the inputs really differ, in link targets
    assert canon(a) == canon(b)
    assert [c.text for c in a.clauses()] == [c.text for c in b.clauses()]
    assert [c.id for c in a.clauses()] == [c.id for c in b.clauses()]


def test_pending_version_page_is_split(corpus: Path) -> None:
    folder = corpus / "x" / "privacy-policy"
    pending = normalize(folder / "2023-08-23_193f9b02c.md")
    alone = normalize(folder / "2023-08-24_b2b0ab8a0.md")
    assert alone.upcoming is None
    assert pending.upcoming is not None
    upcoming = [c for s in pending.upcoming.walk() for c in s.clauses]
    assert len(upcoming) > 80 and all(c.upcoming for c in upcoming)
    assert not any(c.upcoming for c in pending.clauses())
    # the part in force is the policy the next day's page shows alone
    current, single = set(canon(pending)), canon(alone)
    assert sum(1 for c in single if c in current) / len(single) >= 0.97
    assert any("machine learning" in c.canonical for c in upcoming) or any(
        "biometric" in c.canonical for c in upcoming
    )
    assert "2023-09-22" in {a.date for a in pending.announcements}
    assert alone.announcements == ()


def test_second_pending_version_page(corpus: Path) -> None:
    folder = corpus / "x" / "privacy-policy"
    pending = normalize(folder / "2024-10-21_02a040318.md")
    before = normalize(folder / "2024-07-24_58ac2e2f2.md")
    assert pending.upcoming is not None
    upcoming = " ".join(c.canonical for s in pending.upcoming.walk() for c in s.clauses)
    assert "train their artificial intelligence models" in upcoming
    current, old = set(canon(pending)), canon(before)
    assert sum(1 for c in old if c in current) / len(old) >= 0.9
    assert "2024-11-15" in {a.date for a in pending.announcements}


@pytest.mark.parametrize(
    ("path", "date"),
    [
        ("linkedin/user-agreement/2024-09-19_413ce7a46.md", "2024-11-20"),
        ("linkedin/user-agreement/2025-09-18_a50e19da3.md", "2025-11-03"),
        ("linkedin/user-agreement/2024-12-21_98f328cbc.md", None),  # "we updated": past, not announced
        ("linkedin/user-agreement/2024-11-21_71980c92c.md", None),
    ],
)
def test_announcement_banners_in_the_corpus(corpus: Path, path: str, date: str | None) -> None:
    doc = normalize(corpus / path)
    assert doc.upcoming is None
    if date is None:
        assert doc.announcements == ()
    else:
        assert [a.date for a in doc.announcements] == [date]
        (announcement,) = doc.announcements
        (clause_id,) = announcement.clause_ids
        clause = doc.clause(clause_id)
        assert clause is not None and "updating" in clause.canonical


def test_lxml_fast_path_and_beautifulsoup_path_agree(corpus: Path) -> None:
    """Pages without selectors take lxml's tree; with selectors, a soup: both must read pages alike."""
    from policydiff.normalize.html import html_blocks

    pages = sorted(corpus.rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        fast = html_blocks(text)
        soup = html_blocks(text, remove_selectors=("#no-such-element-anywhere",))
        assert fast == soup, page
        assert len(fast) > 50
