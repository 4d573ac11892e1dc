"""Semantic findings on the real corpus (../shared/corpus), through ``policydiff.compare``."""

from __future__ import annotations

from pathlib import Path

import pytest

import policydiff
from policydiff.model import Comparison, Finding


def _texts(comparison: Comparison, document: str, side: str) -> list[str]:
    for diff in comparison.documents:
        if diff.name == document:
            doc = diff.old if side == "old" else diff.new
            return [c.text for c in doc.clauses()] if doc else []
    return []


def _assert_verbatim(comparison: Comparison, f: Finding) -> None:
    if f.old_text is not None:
        assert any(f.old_text in t for t in _texts(comparison, f.document, "old")), f
    if f.new_text is not None:
        assert any(f.new_text in t for t in _texts(comparison, f.document, "new")), f
    for ev in f.evidence:
        text = f.old_text if ev.side == "old" else f.new_text
        assert text is not None and text[ev.start : ev.end] == ev.text


@pytest.fixture(scope="module")
def bundle(corpus: Path) -> Comparison:
    root = corpus / "linkedin-2024-bundle"
    return policydiff.compare(root / "before", root / "after")


def test_linkedin_bundle_reports_the_six_findings(bundle: Comparison) -> None:
    by_cat: dict[str, list[Finding]] = {}
    for f in bundle.findings:
        by_cat.setdefault(f.category, []).append(f)
        _assert_verbatim(bundle, f)

    # 1. the privacy policy now allows developing and training AI models
    assert any(
        f.document == "privacy-policy" and "train artificial intelligence" in (f.new_text or "")
        for f in by_cat["purpose.added"]
    )
    # 2. "may be trained by LinkedIn or another provider": a new, unnamed recipient
    assert any(
        "another provider" in (f.new_text or "") and any(e.text == "another provider" for e in f.evidence)
        for f in by_cat["recipient.added"]
    )
    # 3. the setting is on by default, with an opt-out
    assert any("on by default" in (f.new_text or "") for f in by_cat["default.changed"])
    # 4. opting out does not affect training that has already taken place
    assert any("already taken place" in (f.new_text or "") for f in by_cat["optout.limited"])
    # 5. members in the EU, EEA and Switzerland are carved out
    assert any("Switzerland" in (f.new_text or "") for f in by_cat["region.scope_changed"])
    # 6. the subscription agreement's unchanged confidentiality promise (3.2) against the new permission
    contra = by_cat["bundle.contradiction"]
    assert contra
    for f in contra:
        assert f.related_document == "subscription-agreement"
        assert (
            f.related_text is not None and "will not disclose your Confidential Information" in f.related_text
        )
        assert f.document in ("generative-ai-faq", "privacy-policy") and f.new_text
        assert any(f.related_text in t for t in _texts(bundle, "subscription-agreement", "new"))
    assert all(
        f.severity == "high" for cat in ("recipient.added", "bundle.contradiction") for f in by_cat[cat]
    )


def test_bundle_findings_are_ranked_by_severity(bundle: Comparison) -> None:
    ranks = [{"high": 0, "medium": 1, "low": 2}[f.severity] for f in bundle.findings]
    assert ranks == sorted(ranks)


CONSENT_PAIRS = [
    ("linkedin/privacy-policy/2024-08-01_0b17f7794.md", "linkedin/privacy-policy/2024-09-19_0bb97299d.md",
     {"purpose.added", "region.scope_changed"}),
    ("linkedin/user-agreement/2024-09-19_413ce7a46.md", "linkedin/user-agreement/2024-11-21_71980c92c.md",
     {"purpose.added"}),
    ("linkedin/user-agreement/2024-11-21_71980c92c.md", "linkedin/user-agreement/2025-11-04_1f6447059.md",
     {"notice.weakened"}),
    ("zoom/terms-of-service/2023-02-01_cf09ff11d.md", "zoom/terms-of-service/2023-04-01_6cee2e467.md",
     {"purpose.added"}),
    ("zoom/terms-of-service/2023-07-28_0c3e673eb.md", "zoom/terms-of-service/2023-08-07_99ab2d06d.md",
     {"promise.added"}),
    ("zoom/terms-of-service/2023-08-07_99ab2d06d.md", "zoom/terms-of-service/2023-08-11_894baaa7a.md",
     {"promise.added"}),
    ("x/privacy-policy/2023-05-18_64fcd5e7e.md", "x/privacy-policy/2023-09-29_30a4d834a.md",
     {"purpose.added", "data.broadened"}),
    ("x/privacy-policy/2024-07-24_58ac2e2f2.md", "x/privacy-policy/2024-11-15_e33a8e4fb.md",
     {"purpose.added", "recipient.added", "default.changed"}),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "expected"), CONSENT_PAIRS, ids=[p[1] for p in CONSENT_PAIRS])
def test_consent_relevant_pairs_get_fitting_findings(
    corpus: Path, old: str, new: str, expected: set[str]
) -> None:
    comparison = policydiff.compare(corpus / old, corpus / new)
    found = {f.category for f in comparison.findings}
    assert expected <= found, sorted(found)
    for f in comparison.findings:
        _assert_verbatim(comparison, f)
        assert not f.announced


def test_strengthening_promises_are_strengthens(corpus: Path) -> None:
    c = policydiff.compare(
        corpus / "zoom/terms-of-service/2023-07-28_0c3e673eb.md",
        corpus / "zoom/terms-of-service/2023-08-07_99ab2d06d.md",
    )
    promise = [f for f in c.findings if f.category == "promise.added"]
    assert promise and all(f.direction == "strengthens" for f in promise)
    assert any("without your consent" in (f.new_text or "") for f in promise)


NOISE_PAIRS = [
    ("zoom/terms-of-service__noise-tracking-param/2025-05-02_c0d03f0d1.md",
     "zoom/terms-of-service__noise-tracking-param/2025-05-02_9036f2fa6.md"),
    ("linkedin/privacy-policy/2024-09-19_0bb97299d.md", "linkedin/privacy-policy/2025-04-02_244c5a5a8.md"),
    ("linkedin/privacy-policy__html-fr-2023/2023-03-14_296313be8.html",
     "linkedin/privacy-policy__html-fr-2023/2023-03-14_fc7f8518f.html"),
    ("linkedin/privacy-policy__html-fr-2023/2023-03-14_fc7f8518f.html",
     "linkedin/privacy-policy__html-fr-2023/2023-06-29_82499dde6.html"),
    ("x/privacy-policy/2023-08-23_193f9b02c.md", "x/privacy-policy/2023-08-24_b2b0ab8a0.md"),
    ("daily-mail/terms-of-service__flapping/2024-03-19_92ad0aba5.md",
     "daily-mail/terms-of-service__flapping/2024-03-19_ca166982e.md"),
    ("daily-mail/terms-of-service__flapping/2024-03-19_ca166982e.md",
     "daily-mail/terms-of-service__flapping/2024-03-19_3128cb948.md"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new"), NOISE_PAIRS, ids=[p[1].split("/")[-1] for p in NOISE_PAIRS])
def test_noise_pairs_have_no_finding(corpus: Path, old: str, new: str) -> None:
    comparison = policydiff.compare(corpus / old, corpus / new)
    assert comparison.findings == (), [f"{f.category}: {f.explanation}" for f in comparison.findings]


def test_pending_version_page_is_announced_not_in_force(corpus: Path) -> None:
    c = policydiff.compare(
        corpus / "x/privacy-policy/2024-07-24_58ac2e2f2.md",
        corpus / "x/privacy-policy/2024-10-21_02a040318.md",
    )
    assert c.findings
    assert all(f.announced and f.date == "2024-11-15" for f in c.findings)
    assert "purpose.added" in {f.category for f in c.findings}


def test_a_real_document_compared_with_itself_has_no_finding(corpus: Path) -> None:
    path = corpus / "linkedin/privacy-policy/2024-09-19_0bb97299d.md"
    assert policydiff.compare(path, path).findings == ()
