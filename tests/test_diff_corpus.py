"""diff_documents on real policy versions from ../shared/corpus (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policydiff.diff import align, diff_documents
from policydiff.diff.words import new_text, old_text
from policydiff.model import DocumentDiff
from policydiff.normalize import normalize

NOISE_PAIRS = [
    ("linkedin/privacy-policy/2024-09-19_0bb97299d.md", "linkedin/privacy-policy/2025-04-02_244c5a5a8.md"),
    (
        "zoom/terms-of-service__noise-tracking-param/2025-05-02_c0d03f0d1.md",
        "zoom/terms-of-service__noise-tracking-param/2025-05-02_9036f2fa6.md",
    ),
    (
        "linkedin/privacy-policy__html-fr-2023/2023-03-14_296313be8.html",
        "linkedin/privacy-policy__html-fr-2023/2023-03-14_fc7f8518f.html",
    ),
    (
        "linkedin/privacy-policy__html-fr-2023/2023-03-14_fc7f8518f.html",
        "linkedin/privacy-policy__html-fr-2023/2023-06-29_82499dde6.html",
    ),
    ("x/privacy-policy/2023-08-23_193f9b02c.md", "x/privacy-policy/2023-08-24_b2b0ab8a0.md"),
    (
        "daily-mail/terms-of-service__flapping/2024-03-19_92ad0aba5.md",
        "daily-mail/terms-of-service__flapping/2024-03-19_3128cb948.md",
    ),
]

LINKEDIN_SEPT_2024 = (
    "linkedin/privacy-policy/2024-08-01_0b17f7794.md",
    "linkedin/privacy-policy/2024-09-19_0bb97299d.md",
)


def diff_pair(corpus: Path, old: str, new: str) -> DocumentDiff:
    return diff_documents(normalize(corpus / old), normalize(corpus / new), name=Path(old).parent.name)


@pytest.mark.parametrize(
    ("old", "new"), NOISE_PAIRS, ids=[p[0].split("/")[0] + ":" + p[1][-16:] for p in NOISE_PAIRS]
)
def test_noise_pairs_have_no_material_change(corpus: Path, old: str, new: str) -> None:
    diff = diff_pair(corpus, old, new)
    assert [c for c in diff.changes if c.material] == []
    assert diff.status == "unchanged"


@pytest.fixture(scope="module")
def linkedin(corpus: Path) -> DocumentDiff:
    return diff_pair(corpus, *LINKEDIN_SEPT_2024)


def test_linkedin_ai_training_sentence_is_a_word_level_edit(linkedin: DocumentDiff) -> None:
    hits = [c for c in linkedin.changes if "train artificial intelligence (AI) models" in (c.new_text or "")]
    assert hits, "the AI-training sentence is not reported"
    change = hits[0]
    assert change.material and change.kind in ("modified", "moved_modified", "added")
    inserted = " ".join(op.text for op in change.ops if op.op == "insert")
    assert "train artificial intelligence (AI) models" in inserted
    # a word-level edit keeps most of the old clause as equal text
    if change.kind != "added":
        equal = sum(len(op.text) for op in change.ops if op.op == "equal")
        assert equal > len(change.old_text or "") / 3


def test_linkedin_messages_renamed_communications_once(linkedin: DocumentDiff) -> None:
    renames = [s for s in linkedin.section_changes if s.kind == "renamed"]
    assert [(s.old_title, s.new_title) for s in renames] == [("Messages", "Communications")]
    # the clauses below the renamed heading are edits, not a removed section plus an added one
    below = [c for c in linkedin.changes if (c.new_section or "").endswith("> Communications")]
    assert below and all(c.kind == "modified" for c in below)
    assert all(c.old_section and c.old_section.endswith("> Messages") for c in below)


def test_linkedin_consent_paragraph_is_matched_not_deleted(linkedin: DocumentDiff) -> None:
    """The corpus notes call the consent/objection paragraph "moved"; in the files it keeps its place
    (a line diff shows it as deleted and re-added because a paragraph was inserted after it), and its
    words are unchanged (only a link's extent moved). It must not appear as removed + added."""
    needle = "you have the right to withdraw or decline your consent"
    touched = [c for c in linkedin.changes if needle in (c.old_text or "") + (c.new_text or "")]
    assert all(c.kind not in ("added", "removed") for c in touched)
    assert linkedin.old is not None and linkedin.new is not None
    alignment = align(linkedin.old, linkedin.new)
    pairs = [
        (alignment.old[m.old[0]].text, alignment.new[m.new[0]].text)
        for m in alignment.matches
        if needle in alignment.old[m.old[0]].text
    ]
    assert len(pairs) == 1 and needle in pairs[0][1]


def test_linkedin_redlines_rebuild_both_texts(linkedin: DocumentDiff) -> None:
    assert len(linkedin.changes) > 10
    for change in linkedin.changes:
        if change.old_text is not None:
            assert old_text(change.ops) == change.old_text
        if change.new_text is not None:
            assert new_text(change.ops) == change.new_text
        assert not change.degraded


def test_zoom_training_promise_is_added(corpus: Path) -> None:
    diff = diff_pair(
        corpus,
        "zoom/terms-of-service/2023-07-28_0c3e673eb.md",
        "zoom/terms-of-service/2023-08-07_99ab2d06d.md",
    )
    hits = [c for c in diff.changes if "to train our artificial intelligence models" in (c.new_text or "")]
    assert hits and all(c.material for c in hits)
    assert len([c for c in diff.changes if c.material]) <= 5
