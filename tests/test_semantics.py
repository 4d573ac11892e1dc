"""Semantic stage: frames, rules per taxonomy category (several phrasings + near misses), bundles.

Inputs are built straight from the model classes (``DocumentDiff`` of ``ClauseChange`` values) so
that these tests exercise the semantic stage alone; ``test_semantics_corpus.py`` goes through
``policydiff.compare`` on real documents.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest

from policydiff.model import Clause, ClauseChange, Document, DocumentDiff, Finding, Section, Sentence
from policydiff.semantics import all_rules, find_findings
from policydiff.semantics.frames import analyse
from policydiff.semantics.lexicon import ancestors, subsumes

_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def clause(cid: str, text: str) -> Clause:
    spans: list[Sentence] = []
    start = 0
    for match in _SPLIT.finditer(text):
        spans.append(Sentence(start, match.start()))
        start = match.end()
    spans.append(Sentence(start, len(text)))
    return Clause(id=cid, section_id="s0", text=text, canonical=text, sentences=tuple(spans))


def document(texts: Sequence[str], prefix: str = "p") -> Document:
    clauses = tuple(clause(f"s0-{prefix}{i + 1}", t) for i, t in enumerate(texts))
    return Document(root=Section(id="s0", title="", canonical_title="", level=0, clauses=clauses))


def diff_of(old: Sequence[str], new: Sequence[str], name: str = "policy") -> DocumentDiff:
    """Clause i of old aligned with clause i of new (modified when different); the rest added/removed."""
    old_doc, new_doc = document(old), document(new)
    old_c, new_c = list(old_doc.clauses()), list(new_doc.clauses())
    changes: list[ClauseChange] = []
    for i in range(max(len(old_c), len(new_c))):
        o = old_c[i] if i < len(old_c) else None
        n = new_c[i] if i < len(new_c) else None
        if o and n and o.text == n.text:
            continue
        kind = "modified" if o and n else ("removed" if o else "added")
        changes.append(
            ClauseChange(
                kind=kind,
                material=True,
                old_id=o.id if o else None,
                new_id=n.id if n else None,
                old_text=o.text if o else None,
                new_text=n.text if n else None,
                document=name,
            )
        )
    return DocumentDiff(name=name, old=old_doc, new=new_doc, changes=tuple(changes))


def findings(old: str | Sequence[str], new: str | Sequence[str]) -> tuple[Finding, ...]:
    old_l = [old] if isinstance(old, str) else list(old)
    new_l = [new] if isinstance(new, str) else list(new)
    return find_findings([diff_of(old_l, new_l)])


def categories(old: str | Sequence[str], new: str | Sequence[str]) -> set[str]:
    return {f.category for f in findings(old, new)}


# ------------------------------------------------------------------------------------------ lexicon


def test_subsumption_chains() -> None:
    assert list(ancestors("inmail"))[:4] == ["inmail", "messages", "content", "personal_data"]
    assert subsumes("third_parties", "another_provider")
    assert not subsumes("affiliates", "another_provider")


# ------------------------------------------------------------------------------------------- frames


def test_passive_with_agents_is_a_train_frame_with_both_actors() -> None:
    a = analyse("The models may be trained by LinkedIn or another provider.")
    frame = next(f for f in a.frames if f.action.key == "train")
    assert frame.passive and frame.modality == "permit" and not frame.negated
    assert [c.key for c in frame.actors] == ["first_party_named", "another_provider"]


def test_negation_is_scoped_to_its_verb_and_consent_is_a_condition() -> None:
    a = analyse("We will not use your messages to train AI models without your consent.")
    use = next(f for f in a.frames if f.action.key == "use")
    assert use.negated and use.modality == "prohibit"
    assert "consent" in use.condition_keys
    train = next(f for f in a.frames if f.action.key == "train")
    assert train.negated  # "to train" is the purpose of the negated use


def test_negation_does_not_leak_to_a_later_verb() -> None:
    a = analyse(
        "Opting out does not affect training that has already taken place, and we may use your posts."
    )
    use = next(f for f in a.frames if f.action.key == "use")
    assert not use.negated and use.modality == "permit"


def test_lists_of_actors_and_coordinated_verbs() -> None:
    a = analyse("LinkedIn and its affiliates won't use or share your content.")
    use, share = (next(f for f in a.frames if f.action.key == k) for k in ("use", "share"))
    assert {c.key for c in use.actors} == {"first_party_named", "affiliates"}
    assert use.negated and share.negated
    assert "content" in share.data_keys


def test_recipient_with_named_member_of_a_class() -> None:
    a = analyse(
        "We may share your public posts with our Affiliates, including Microsoft, to develop their services."
    )
    share = next(f for f in a.frames if f.action.key == "share")
    assert {c.key for c in share.recipients} == {"affiliates"}
    assert "own_purposes" in share.purpose_keys


def test_conditions_and_time_scope() -> None:
    a = analyse("Unless you opt out, we will use your data to train models going forward.")
    frame = a.frames[0]
    assert "opt_out" in frame.condition_keys
    assert "going_forward" in {c.key for c in frame.scope}


# --------------------------------------------------------------------------- positives per category

POSITIVES: list[tuple[str, str, str, str]] = [
    # (category, old, new, phrasing)
    ("purpose.added", "We use profile data to provide the service.",
     "We use profile data to provide the service and to develop and train AI models.", "active"),
    ("purpose.added", "Your posts are used to provide the service.",
     "Your posts may be used to train our machine learning models.", "passive"),
    ("purpose.added", "We use your data to operate the service.",
     "If you do not opt out, we may use your data to train generative AI models.", "conditional"),
    ("purpose.added", "We use contact details to send receipts.",
     "We use contact details to send receipts and for targeted advertising.", "listed"),
    ("recipient.added", "Models are built by us.",
     "Models may be built by us or another provider.", "passive"),
    ("recipient.added", "We share your data with our affiliates.",
     "We share your data with our affiliates and with advertisers.", "listed"),
    ("recipient.added", "We use your content to improve the service.",
     "We use your content to improve the service, and third-party collaborators may use it to train "
     "their models.",
     "active"),
    ("recipient.generalized", "We share payment data with our service providers under contract.",
     "We share payment data with our partners.", "active"),
    ("sale.added", "We do not sell your personal data.",
     "We may sell your personal data to advertising partners.", "negated->permit"),
    ("sale.added", "We share data with partners to measure ads.",
     "We share data with partners for cross-context behavioral advertising.", "purpose"),
    ("data.broadened", "We collect your name and email address.",
     "We collect your name, email address, posts and messages.", "listed"),
    ("data.broadened", "We collect your email address.",
     "With your consent, we may collect your biometric information.", "conditional"),
    ("source.added", "We collect data about your activity on our site.",
     "We collect data about your activity on our site and on sites that use our pixel.", "active"),
    ("source.added", "We collect information you give us.",
     "We collect information you give us and data we receive from data brokers and other sources.", "listed"),
    ("promise.weakened", "We will not disclose your messages.",
     "We may disclose your messages to affiliates.",
     "modal"),
    ("promise.weakened", "We never share your contacts with third parties.",
     "We never share your contacts with third parties, except where permitted by law.", "exception"),
    ("promise.removed", ["We never use your messages for ads.", "We use cookies."], ["We use cookies."],
     "deleted"),
    ("promise.added", "We use your calls to provide the service.",
     "We use your calls to provide the service. We will not use your calls to train AI without your consent.",
     "added sentence"),
    ("hedge.added", "We do not train on EU data.", "We do not currently train on EU data.", "hedge"),
    ("hedge.added", "We will not share your messages with advertisers.",
     "We will generally not share your messages with advertisers.", "hedge2"),
    ("default.changed", "If you turn on Data Sharing, we share your activity with partners.",
     "Data Sharing is on by default; you can turn it off in settings.", "default on"),
    ("default.changed", "With your consent, we may share your data with partners.",
     "Unless you opt out, we may share your data with partners.", "opt-in->opt-out"),
    ("optout.limited", "Opting out stops this use.",
     "Opting out stops it going forward but does not affect training that has already taken place.", "retro"),
    ("optout.limited", "You can opt out of this use at any time.",
     "You can opt out of this use at any time; opting out is not retroactive.", "not retroactive"),
    ("rights.narrowed", "You can delete your account and all data at any time.",
     "You can deactivate your account; some data may be retained.", "delete->deactivate"),
    ("rights.narrowed", "You have the right to access, correct and export your data.",
     "You have the right to access and correct your data.", "export dropped"),
    ("retention.extended", "We delete closed account data after 90 days.",
     "We retain closed account data as long as necessary.", "open-ended"),
    ("retention.extended", "We keep logs for 30 days.", "We keep logs for 18 months.", "period"),
    ("security.weakened", "Your messages are encrypted at rest and in transit.",
     "We take reasonable measures to protect your messages.", "disclaimer"),
    ("region.scope_changed", "We will not train on member data.",
     "We do not train on data of members in the EU, EEA and Switzerland.", "carve-out"),
    ("region.scope_changed", "We may share your posts with affiliates in the EU.",
     "In regions outside the Designated Countries, we may share your posts with our affiliates.", "outside"),
    ("children.changed", "Our services are not for children under 16.",
     "Our services are not for children under 13.", "age"),
    ("notice.weakened", "We will email you 30 days before material changes take effect.",
     "Changes take effect when posted.", "notice lost"),
    ("notice.weakened", "If we make material changes, we will provide you notice.",
     "If we make material changes, we will provide you notice. However, we may not always provide "
     "prior notice of "
     "changes.", "carve-out"),
    ("dispute.changed", "Disputes are resolved in the courts of your residence.",
     "Disputes are resolved by binding individual arbitration.", "arbitration"),
    ("dispute.changed", "This agreement is governed by the laws of Ireland.",
     "This agreement is governed by the laws of the State of California.", "law"),
    ("signal.changed", "We honour Global Privacy Control signals.",
     "We do not respond to Global Privacy Control signals.", "reversed"),
    ("signal.changed", "We use cookies for analytics.",
     "We use cookies for analytics. We do not respond to Do Not Track signals.", "added"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("category", "old", "new"),
    [pytest.param(c, o, n, id=f"{c}:{p}") for c, o, n, p in POSITIVES],
)
def test_positive(category: str, old: str | list[str], new: str | list[str]) -> None:
    found = findings(old, new)
    assert category in {f.category for f in found}, [f"{f.category}: {f.explanation}" for f in found]
    f = next(f for f in found if f.category == category)
    assert f.explanation and f.rule
    assert f.evidence, "a finding carries the cue words that fired"


def test_every_category_has_a_rule_and_a_positive_test() -> None:
    taxonomy = {
        "purpose.added", "purpose.broadened", "recipient.added", "recipient.generalized", "sale.added",
        "data.broadened", "source.added", "promise.weakened", "promise.removed", "promise.added",
        "hedge.added",
        "default.changed", "optout.limited", "rights.narrowed", "retention.extended", "security.weakened",
        "region.scope_changed", "children.changed", "notice.weakened", "dispute.changed", "signal.changed",
        "bundle.contradiction",
    }  # fmt: skip
    rules = all_rules()
    assert {r.category for r in rules} == taxonomy
    assert len({r.id for r in rules}) == len(rules)
    tested = {c for c, *_ in POSITIVES} | {"purpose.broadened", "bundle.contradiction"}
    assert tested == taxonomy


def test_purpose_broadened_phrasings() -> None:
    assert "purpose.broadened" in categories(
        "We use your order data only to process your order.",
        "We use your order data for purposes including, but not limited to, processing your order.",
    )
    assert "purpose.broadened" in categories(
        "We will use your contact details solely to send receipts.",
        "We will use your contact details to send receipts.",
    )


def test_strengthening_is_reported_as_strengthens() -> None:
    found = findings(
        "We use your calls to provide the service.",
        ["We use your calls to provide the service.", "We will never sell your call recordings."],
    )
    promise = [f for f in found if f.category == "promise.added"]
    assert promise and promise[0].direction == "strengthens"


def test_promise_broadened_counts_as_promise_added() -> None:
    found = findings(
        "Zoom will not use audio, video or chat to train our AI models without your consent.",
        "Zoom does not use any of your audio, video, chat, screen sharing or attachments to train AI models.",
    )
    assert {f.category for f in found} == {"promise.added"}
    assert all(f.direction == "strengthens" for f in found)


# ----------------------------------------------------------------------------------------- near misses

NEGATIVES: list[tuple[str, list[str], list[str]]] = [
    ("punctuation and case only", ["We may share data with our affiliates."],
     ["We may share data with our Affiliates"]),
    ("sentence moved to another clause",
     ["We do not sell your data. We use cookies.", "Contact us by mail."],
     ["We use cookies.", "Contact us by mail. We do not sell your data."]),
    ("'we do not sell' unchanged while nearby text changes",
     ["We do not sell your personal data. Contact us at the address below."],
     ["We do not sell your personal data. Contact us using the form on our website."]),
    ("defined term renamed throughout",
     ["We scan Messages for spam.", "Messages you send are stored.", "You can delete Messages."],
     ["We scan Communications for spam.", "Communications you send are stored.",
      "You can delete Communications."]),
    ("what users must not do is not a practice",
     ["You must not copy the content of the Site."],
     ["You must not copy, scrape or sell the content of the Site, or use it to train AI models."]),
    ("wording of an existing purpose", ["We use your data to provide and improve the service."],
     ["We use your data to provide, maintain and improve the service."]),
    ("same age threshold reworded", ["You may not use our services if you are under the age of 13."],
     ["Children under 13 may not use our services."]),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new"), [pytest.param(o, n, id=name) for name, o, n in NEGATIVES])
def test_near_miss_has_no_finding(old: list[str], new: list[str]) -> None:
    found = findings(old, new)
    assert not found, [f"{f.category}: {f.explanation}" for f in found]


def test_moved_clause_without_edit_and_non_material_changes_give_nothing() -> None:
    doc = document(["We never sell your data.", "We train AI models on your posts."])
    changes = (
        ClauseChange("moved", True, "s0-p1", "s0-p1", old_text=doc.root.clauses[0].text,
                     new_text=doc.root.clauses[0].text),
        ClauseChange("modified", False, "s0-p2", "s0-p2", old_text="We train AI models on your posts.",
                     new_text="We train AI models on your posts."),
    )  # fmt: skip
    assert find_findings([DocumentDiff("d", doc, doc, changes)]) == ()


# ------------------------------------------------------------------------------------- finding shape


def test_finding_texts_are_exact_sentences_and_evidence_offsets_point_at_the_cue() -> None:
    old = "We use profile data to provide the service. Contact us by mail."
    new = "We use profile data to provide the service and to train AI models. Contact us by mail."
    found = findings(old, new)
    f = next(f for f in found if f.category == "purpose.added")
    assert f.old_text == "We use profile data to provide the service."
    assert f.new_text == "We use profile data to provide the service and to train AI models."
    assert f.old_clause == "s0-p1" and f.new_clause == "s0-p1"
    for ev in f.evidence:
        text = f.new_text if ev.side == "new" else f.old_text
        assert text is not None and text[ev.start : ev.end] == ev.text
    assert "train AI models" in f.explanation


def test_findings_are_ranked_by_severity() -> None:
    found = findings(
        ["We use your data to provide the service.", "We honour Do Not Track."],
        ["We may use your data to train AI models and sell it.", "We do not honour Do Not Track."],
    )
    ranks = [{"high": 0, "medium": 1, "low": 2}[f.severity] for f in found]
    assert ranks == sorted(ranks) and len(found) >= 2


# ------------------------------------------------------------------------------------------ announced


def test_upcoming_version_is_reported_as_announced_with_its_date() -> None:
    from policydiff.model import Announcement

    in_force = document(["We use your data to provide the service."])
    upcoming = Section(
        id="u0", title="", canonical_title="", level=0,
        clauses=(clause("u0-p1", "We may use your data to train AI models."),),
    )  # fmt: skip
    new = Document(
        root=in_force.root,
        upcoming=upcoming,
        announcements=(Announcement("We are updating our policy on November 15, 2024.", "2024-11-15"),),
    )
    found = find_findings([DocumentDiff("policy", in_force, new, ())])
    assert found and all(f.announced and f.date == "2024-11-15" for f in found)
    assert "purpose.added" in {f.category for f in found}


# --------------------------------------------------------------------------------------------- bundle


def _bundle(extra_promise: str | None = None) -> list[DocumentDiff]:
    promise = (
        "We will not disclose your Confidential Information to any third party. "
        '"Confidential Information" includes the content of messages, such as InMail.'
    )
    agreement = document([promise] + ([extra_promise] if extra_promise else []))
    return [
        diff_of(["We use AI to draft posts."],
                ["We use AI to draft posts. We may use your content to train models. "
                 "The models may be trained by LinkedIn or another provider."], name="faq"),
        DocumentDiff("agreement", agreement, agreement, ()),
    ]  # fmt: skip


def test_bundle_contradiction_cites_both_documents() -> None:
    found = find_findings(_bundle())
    contra = [f for f in found if f.category == "bundle.contradiction"]
    assert len(contra) == 1
    f = contra[0]
    assert f.document == "faq" and f.related_document == "agreement"
    assert f.related_text is not None and f.related_text.startswith("We will not disclose")
    assert f.new_text is not None and "another provider" in f.new_text
    assert f.related_clause == "s0-p1"


def test_no_contradiction_for_a_single_document_or_an_unrelated_promise() -> None:
    faq, _agreement = _bundle()
    assert not [f for f in find_findings([faq]) if f.category == "bundle.contradiction"]
    unrelated = document(["We will not charge you twice for the same month."])
    found = find_findings([faq, DocumentDiff("agreement", unrelated, unrelated, ())])
    assert not [f for f in found if f.category == "bundle.contradiction"]


# ------------------------------------------------------------------ more phrasings (real-world style)

MORE_POSITIVES: list[tuple[str, str, str]] = [
    ("promise.weakened", "We do not use your conversations to train our models.",
     "We may use your conversations to improve our models."),
    ("purpose.added", "We use your chats to provide the service.",
     "Your chats may be reviewed by human reviewers and used to train our AI models."),
    ("purpose.added", "Meta uses public posts to provide the service.",
     "Meta may use public posts and comments from adults to develop and improve AI at Meta."),
    ("default.changed", "We use your chats to provide the service.",
     "By default, your chats will be used to improve our models unless you opt out."),
    ("optout.limited", "You can object to us using your information.",
     "You can object to us using your information; objections apply only to future processing."),
    ("notice.weakened", "We will notify you before changes take effect.",
     "We may update this policy at any time. "
     "Your continued use of the service means you accept the changes."),
    ("promise.weakened", "We share your data with partners only with your consent.",
     "We share your data with partners."),
    ("promise.weakened", "We do not use Customer Content to train AI models.",
     "We do not use Customer Content to train AI models, except where you have enabled the feature."),
    ("source.added", "We collect information you provide.",
     "We collect information you provide and information we obtain from data brokers."),
    ("retention.extended", "We will retain your conversations for 30 days.",
     "We will retain your conversations for up to 5 years."),
    ("security.weakened", "Your content is end-to-end encrypted.",
     "Your content is protected using industry standard measures."),
    ("children.changed", "You must be at least 13 years old to use the service.",
     "You must be at least 16 years old to use the service."),
]  # fmt: skip

MORE_NEGATIVES: list[tuple[str, str]] = [
    ("We use cookies to remember your preferences.",
     "We use cookies and similar technologies to remember your preferences."),
    ("We may share information with service providers who help us operate the service.",
     "We may share information with vendors who help us operate our services."),
    ("You can access your data in your account settings.",
     "You can access and download your data in your account settings."),
    ("We collect your name and email address when you register.",
     "When you register, we collect your name and email address."),
    ("We do not sell your personal information.",
     "We do not sell your personal information, and we have not sold it in the preceding 12 months."),
    ("If you have questions, contact us at privacy@example.com.",
     "If you have questions, contact us at privacy@example.com or via our online form."),
    ("We will notify you of material changes by email.",
     "We will notify you of material changes by email or through the service."),
    ("Our service is not directed to children under 13.",
     "Our Service is not directed to children under the age of 13."),
    ("We share data with our affiliates for the purposes described in this policy.",
     "We share data with our corporate affiliates for the purposes described in this Privacy Policy."),
    ("Residents of California have additional rights.",
     "Residents of California and Virginia have additional rights."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("category", "old", "new"), MORE_POSITIVES, ids=[f"{c}:{i}" for i, (c, _, _) in enumerate(MORE_POSITIVES)]
)
def test_more_positive_phrasings(category: str, old: str, new: str) -> None:
    assert category in categories(old, new), [f"{f.category}: {f.explanation}" for f in findings(old, new)]


@pytest.mark.parametrize(("old", "new"), MORE_NEGATIVES, ids=[str(i) for i in range(len(MORE_NEGATIVES))])
def test_more_near_misses(old: str, new: str) -> None:
    found = findings(old, new)
    assert not found, [f"{f.category}: {f.explanation}" for f in found]


# ------------------------------------------------------------------ the taxonomy's own examples

TAXONOMY_EXAMPLES: list[tuple[str, str | list[str], str | list[str]]] = [
    ("purpose.added", "We use profile data to provide the service.",
     "We use profile data to provide the service and to develop and train AI models."),
    ("purpose.broadened", "We use your data only to process your order.",
     "We use your data for purposes including, but not limited to, processing your order."),
    ("recipient.added", "Models are built by us.", "Models may be built by us or another provider."),
    ("recipient.generalized", "We share data with our payment processor, under contract.",
     "We share data with our partners."),
    ("sale.added", "We do not sell your data.", "We may sell or share data with advertising partners."),
    ("data.broadened", "We collect your name and email.", "We collect your name, email, posts and messages."),
    ("source.added", "We collect data on our site.",
     "We collect data on our site and on sites that use our pixel."),
    ("promise.weakened", "We will not disclose your messages.",
     "We may disclose your messages to affiliates."),
    ("promise.removed", ["We never use your messages for ads.", "Other text."], ["Other text."]),
    ("promise.added", "We use your calls to provide the service.",
     "We use your calls to provide the service. We will not use your calls to train "
     "AI without your consent."),
    ("hedge.added", "We do not train on EU data.", "We do not currently train on EU data."),
    ("default.changed", "If you turn on X, we share your data with partners.",
     "X is on by default; you can turn it off."),
    ("optout.limited", "Opting out stops this use.",
     "Opting out stops it going forward but does not affect training that has already taken place."),
    ("rights.narrowed", "You can delete your account and all data.",
     "You can deactivate your account; some data may be kept."),
    ("retention.extended", "Data is deleted after 90 days.", "Data is kept as long as necessary."),
    ("security.weakened", "Data is encrypted at rest.", "We use reasonable measures to protect data."),
    ("region.scope_changed", "We will not train on member data.",
     "We do not train on data of members in the EU, EEA and Switzerland."),
    ("children.changed", "Not for children under 16.", "Not for children under 13."),
    ("notice.weakened", "We will email you 30 days before material changes.",
     "Changes take effect when posted."),
    ("dispute.changed", "Disputes go to the courts of your residence.",
     "Disputes go to binding individual arbitration."),
    ("signal.changed", "We honour GPC.", "We do not respond to browser signals."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("category", "old", "new"), TAXONOMY_EXAMPLES, ids=[c for c, _, _ in TAXONOMY_EXAMPLES]
)
def test_taxonomy_example(category: str, old: str | list[str], new: str | list[str]) -> None:
    assert category in categories(old, new), [f"{f.category}: {f.explanation}" for f in findings(old, new)]


def test_negated_sale_becoming_a_permission_is_weakened_not_removed() -> None:
    cats = categories("We do not sell your data.", "We may sell or share data with advertising partners.")
    assert {"sale.added", "promise.weakened"} <= cats and "promise.removed" not in cats


def test_a_new_clause_collecting_one_kind_of_data_broadens_the_data() -> None:
    old = ["We use cookies to keep you signed in."]
    new = [*old, "We log the IP address of every device that connects to the service."]
    assert "data.broadened" in categories(old, new)
    assert "data.broadened" not in categories(old, [*old, "IP addresses are the numbers of computers."])


def test_a_relative_clause_inside_the_object_does_not_end_a_disclosure() -> None:
    a = analyse("Acme may disclose the information we collect about you to law enforcement agencies.")
    share = next(f for f in a.frames if f.action.key == "share")
    assert {c.key for c in share.recipients} == {"government"}


def test_negation_reaches_over_a_list_of_verbs_the_lexicon_does_not_know() -> None:
    a = analyse("We do not sell, rent, or give away your personal information to third parties.")
    assert [f.action.text for f in a.frames] == ["sell", "rent", "give away"]  # "rent," is a verb here
    assert all(f.negated for f in a.frames)
    b = analyse("This information will never, ever be shared or sold.")
    assert all(f.negated for f in b.frames) and b.frames


def test_a_clause_of_its_own_after_a_list_is_not_coordinated() -> None:
    a = analyse("We do not sell your data to advertisers, and we share it with our processors.")
    share = next(f for f in a.frames if f.action.key == "share")
    assert not share.negated


def test_liability_boilerplate_and_proper_names_add_no_recipient_or_retention() -> None:
    old = ["We use your data to run the service."]
    indemnity = "You agree to indemnify and hold harmless Acme, its agents and suppliers from any claim."
    assert not {"recipient.added"} & categories(old, [*old, indemnity])
    named = "The Mod Archive may remove content that infringes the rights of others."
    assert "retention.extended" not in categories(old, [*old, named])
    assert "retention.extended" in categories(
        old, [*old, "We may keep your data in our archive indefinitely."]
    )


def test_the_user_as_subject_and_a_verb_inside_a_name() -> None:
    assert all(
        f.actors[0].key == "user" for f in analyse("The user undertakes not to publish any content.").frames
    )
    assert not analyse("The advertiser, not The Mod Archive, is responsible for such goods.").frames
    assert analyse("We archive your posts.").frames


def test_protecting_against_liability_is_a_reason_for_a_disclosure_not_boilerplate() -> None:
    old = ["We use your data to run the service."]
    new = [*old, "We may disclose your data to law enforcement to protect against legal liability."]
    assert "recipient.added" in categories(old, new)


def test_working_with_partners_to_show_ads_is_a_practice_with_a_recipient() -> None:
    old = ["We use your data to run the service."]
    new = [*old, "We work with advertising partners to show you more relevant ads."]
    assert {"recipient.added", "purpose.added"} <= categories(old, new)
