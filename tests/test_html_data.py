"""Comparisons built straight from the model, for the HTML renderer's tests (every change kind,
findings of each severity, a bundle with a contradiction, and a hostile variant for XSS tests)."""

from __future__ import annotations

from datetime import UTC, datetime

from policydiff.model import (
    Clause,
    ClauseChange,
    Comparison,
    Document,
    DocumentDiff,
    Evidence,
    Finding,
    Link,
    Section,
    SectionChange,
    SideInfo,
    WordOp,
)


def clause(cid: str, section: str, text: str, **kw: object) -> Clause:
    return Clause(id=cid, section_id=section, text=text, canonical=" ".join(text.lower().split()), **kw)  # type: ignore[arg-type]


def doc(sections: list[Section], root_clauses: tuple[Clause, ...] = (), **kw: object) -> Document:
    root = Section(id="s0", title="", canonical_title="", level=0, clauses=root_clauses, sections=sections)
    return Document(root=root, **kw)  # type: ignore[arg-type]


def section(sid: str, title: str, clauses: list[Clause], level: int = 1, **kw: object) -> Section:
    return Section(id=sid, title=title, canonical_title=title.lower(), level=level, clauses=clauses, **kw)  # type: ignore[arg-type]


def ops(*pairs: tuple[str, str]) -> tuple[WordOp, ...]:
    return tuple(WordOp(op, text) for op, text in pairs)  # type: ignore[arg-type]


OLD_TEXTS = {
    "s0-p1": "Effective date: August 1, 2024.",
    "s1-p1": "We collect your name and email.",
    "s1-p2": "We collect device data.",
    "s1-p3": "We keep logs for 90 days.",
    "s1-p4": "Messages you send",
    "s1-p5": "We use cookies to remember you.",
    "s2-p1": "We use your data to provide the service.",
    "s2-p2": "You can object to processing at any time.",
    "s2-p3": "We will not sell your data. We do not share it with advertisers.",
    "s2-p4": "Contact us.",
    "s2-p5": "By email.",
    "s3-p1": "You can delete your account.",
}


def sample_document_diff(
    name: str = "privacy-policy", texts: dict[str, str] | None = None, **doc_kw: object
) -> DocumentDiff:
    """One document with every change kind: modified, added, removed, moved, moved_modified,
    split, merged, an unchanged clause whose id shifted, a renamed section and a link."""
    t = dict(OLD_TEXTS, **(texts or {}))
    old = doc(
        [
            section(
                "s1",
                "Information we collect",
                [
                    clause("s1-p1", "s1", t["s1-p1"]),
                    clause("s1-p2", "s1", t["s1-p2"]),
                    clause("s1-p3", "s1", t["s1-p3"]),
                    clause("s1-p4", "s1", t["s1-p4"], kind="list_item", label="-"),
                    clause("s1-p5", "s1", t["s1-p5"]),
                ],
            ),
            section(
                "s2",
                "How we use data",
                [clause(f"s2-p{i}", "s2", t[f"s2-p{i}"]) for i in range(1, 6)],
            ),
            section("s3", "Your choices", [clause("s3-p1", "s3", t["s3-p1"])]),
        ],
        (clause("s0-p1", "s0", t["s0-p1"]),),
        source="old/privacy.md",
        format="markdown",
        sha256="a" * 64,
    )
    location = "We collect your general location, see our cookie policy."
    link_start = location.index("cookie policy")
    new = doc(
        [
            section(
                "s1",
                "Data we collect",
                [
                    clause("s1-p1", "s1", t["s1-p1"]),
                    clause("s1-p2", "s1", t["s1-p2"]),
                    clause("s1-p3", "s1", t["s1-p4"], kind="list_item", label="-"),
                    clause(
                        "s1-p4",
                        "s1",
                        location,
                        links=(
                            Link("cookie policy", "https://example.com/cookies", link_start, link_start + 13),
                        ),
                    ),
                ],
            ),
            section(
                "s2",
                "How we use data",
                [
                    clause(
                        "s2-p1",
                        "s2",
                        "We use your data to provide the service and to develop and train AI models.",
                    ),
                    clause("s2-p2", "s2", "We will not sell your data."),
                    clause("s2-p3", "s2", "We do not share it with advertisers."),
                    clause("s2-p4", "s2", "Contact us by email."),
                ],
            ),
            section(
                "s3",
                "Your choices",
                [
                    clause("s3-p1", "s3", "You can object to processing at any time, going forward."),
                    clause("s3-p2", "s3", t["s3-p1"]),
                    clause("s3-p3", "s3", t["s1-p5"]),
                ],
            ),
        ],
        (clause("s0-p1", "s0", "Effective date: September 18, 2024."),),
        source="new/privacy.md",
        format="markdown",
        sha256="b" * 64,
    )
    changes = (
        ClauseChange(
            "modified",
            True,
            "s0-p1",
            "s0-p1",
            old_text=t["s0-p1"],
            new_text="Effective date: September 18, 2024.",
            ops=ops(
                ("equal", "Effective date: "),
                ("delete", "August 1"),
                ("insert", "September 18"),
                ("equal", ", 2024."),
            ),
        ),
        ClauseChange("removed", True, "s1-p3", None, "Information we collect", None, t["s1-p3"], None),
        ClauseChange("added", True, None, "s1-p4", None, "Data we collect", None, location),
        ClauseChange(
            "modified",
            True,
            "s2-p1",
            "s2-p1",
            "How we use data",
            "How we use data",
            t["s2-p1"],
            "We use your data to provide the service and to develop and train AI models.",
            ops(
                ("equal", "We use your data to provide the service"),
                ("insert", " and to develop and train AI models"),
                ("equal", "."),
            ),
        ),
        ClauseChange(
            "moved_modified",
            True,
            "s2-p2",
            "s3-p1",
            "How we use data",
            "Your choices",
            t["s2-p2"],
            "You can object to processing at any time, going forward.",
            ops(
                ("equal", "You can object to processing at any time"),
                ("delete", "."),
                ("insert", ", going forward."),
            ),
        ),
        ClauseChange(
            "split",
            True,
            "s2-p3",
            ("s2-p2", "s2-p3"),
            "How we use data",
            "How we use data",
            t["s2-p3"],
            "We will not sell your data. We do not share it with advertisers.",
            ops(("equal", t["s2-p3"])),
        ),
        ClauseChange(
            "merged",
            True,
            ("s2-p4", "s2-p5"),
            "s2-p4",
            "How we use data",
            "How we use data",
            "Contact us. By email.",
            "Contact us by email.",
            ops(("equal", "Contact us"), ("delete", ". By"), ("insert", " by"), ("equal", " email.")),
        ),
        ClauseChange(
            "moved", True, "s1-p5", "s3-p3", "Information we collect", "Your choices", t["s1-p5"], t["s1-p5"]
        ),
    )
    return DocumentDiff(
        name=name,
        old=old,
        new=new,
        changes=changes,
        section_changes=(
            SectionChange("renamed", "s1", "s1", "Information we collect", "Data we collect", True),
        ),
        **doc_kw,  # type: ignore[arg-type]
    )


def sample_findings(document: str = "privacy-policy") -> tuple[Finding, ...]:
    new = "We use your data to provide the service and to develop and train AI models."
    cue = "develop and train AI models"
    return (
        Finding(
            rule="purpose.ai_training",
            category="purpose.added",
            severity="high",
            direction="weakens",
            explanation="Adds a new purpose: developing and training AI models on your data.",
            document=document,
            old_clause="s2-p1",
            new_clause="s2-p1",
            old_text="We use your data to provide the service.",
            new_text=new,
            evidence=(
                Evidence("purpose:ai_training", cue, "new", new.index(cue), new.index(cue) + len(cue)),
            ),
        ),
        Finding(
            rule="retention.removed",
            category="retention.extended",
            severity="medium",
            direction="weakens",
            explanation="The 90-day limit on keeping logs is gone.",
            document=document,
            old_clause="s1-p3",
            old_text="We keep logs for 90 days.",
            evidence=(Evidence("retention:period", "90 days", "old", 17, 24),),
        ),
        Finding(
            rule="optout.not_retroactive",
            category="optout.limited",
            severity="high",
            direction="weakens",
            explanation="Objecting now only works going forward.",
            document=document,
            old_clause="s2-p2",
            new_clause="s3-p1",
            old_text="You can object to processing at any time.",
            new_text="You can object to processing at any time, going forward.",
            evidence=(Evidence("condition:going_forward", "going forward", "new", 42, 55),),
        ),
        Finding(
            rule="signal.generic",
            category="signal.changed",
            severity="low",
            direction="neutral",
            explanation="A note about browser signals changed.",
            document=document,
        ),
    )


def sample_comparison(**kw: object) -> Comparison:
    dd = sample_document_diff()
    fetched = datetime(2024, 9, 19, 0, 32, tzinfo=UTC)
    return Comparison(
        documents=(dd,),
        findings=sample_findings(),
        old=SideInfo("https://www.example.com/legal/privacy?v=1", "markdown", "a" * 64, fetched),
        new=SideInfo("new/privacy.md", "markdown", "b" * 64, None),
        title="Example Service",
        **kw,  # type: ignore[arg-type]
    )


def sample_bundle() -> Comparison:
    """Two documents: the sample policy, and an unchanged agreement whose promise a new FAQ contradicts."""
    policy = sample_document_diff("privacy-policy")
    promise = "We will not disclose your confidential information."
    agreement_doc = doc([section("s3", "Confidentiality", [clause("s3-p1", "s3", promise)])], sha256="c" * 64)
    agreement = DocumentDiff("subscription-agreement", agreement_doc, agreement_doc)
    faq_text = "Models may be trained by LinkedIn or another provider."
    faq_doc = doc([section("s1", "Training", [clause("s1-p1", "s1", faq_text)])], sha256="d" * 64)
    faq = DocumentDiff(
        "generative-ai-faq",
        None,
        faq_doc,
        (ClauseChange("added", True, None, "s1-p1", None, "Training", None, faq_text),),
    )
    findings = (
        *sample_findings("privacy-policy"),
        Finding(
            rule="bundle.promise_vs_permission",
            category="bundle.contradiction",
            severity="high",
            direction="weakens",
            explanation="The FAQ lets another provider train on content the agreement keeps confidential.",
            document="generative-ai-faq",
            new_clause="s1-p1",
            new_text=faq_text,
            evidence=(Evidence("recipient:another_provider", "another provider", "new", 37, 53),),
            related_document="subscription-agreement",
            related_clause="s3-p1",
            related_text=promise,
        ),
    )
    return Comparison(
        documents=(faq, policy, agreement),
        findings=findings,
        old=SideInfo("before/", "bundle", "e" * 64),
        new=SideInfo("after/", "bundle", "f" * 64),
        bundle=True,
        title="LinkedIn-like bundle",
    )


def test_sample_is_consistent() -> None:
    """The fixture itself: word ops rebuild both texts, evidence offsets point at their words."""
    comparison = sample_bundle()
    for change in comparison.changes:
        if change.ops:
            old = "".join(op.text for op in change.ops if op.op != "insert")
            new = "".join(op.text for op in change.ops if op.op != "delete")
            assert old == change.old_text
            assert new == change.new_text
    for finding in comparison.findings:
        for ev in finding.evidence:
            text = finding.new_text if ev.side == "new" else finding.old_text
            assert text is not None and text[ev.start : ev.end] == ev.text
