"""diff_documents on hand-built documents: each kind of change, sections, ordering, options."""

from __future__ import annotations

import attrs
import pytest
from test_diff_support import make_doc

from policydiff.diff import align, diff_documents, document_added_or_removed
from policydiff.diff.words import new_text, old_text
from policydiff.errors import ConfigError
from policydiff.model import Announcement, Clause, ClauseChange, Document, Section

INTRO = [
    "This policy explains how Example Corp handles personal information.",
    "We collect the name, email address and phone number you give us at registration.",
    "We keep server logs for 30 days and then delete them.",
]
SHARING = [
    "We share data with service providers who process it on our behalf under contract.",
    "You can object to processing based on legitimate interests at any time by writing to us.",
    "We never sell personal information to data brokers or advertisers.",
]
RIGHTS = [
    "You may access, correct or delete your account information from the settings page.",
    "Residents of some countries have additional rights under local law.",
]


def kinds(changes: tuple[ClauseChange, ...]) -> list[str]:
    return [c.kind for c in changes]


def test_identical_documents_have_no_changes() -> None:
    doc = make_doc([("Intro", INTRO), ("Sharing", SHARING)])
    assert diff_documents(doc, doc).changes == ()


def test_modified_clause_has_word_ops_on_original_text() -> None:
    old = make_doc([("Intro", INTRO)])
    new = make_doc([("Intro", [INTRO[0], INTRO[1], INTRO[2].replace("30", "300")])])
    (change,) = diff_documents(old, new, name="privacy").changes
    assert change.kind == "modified" and change.material
    assert change.old_id == change.new_id == "s1-p3"
    assert change.old_section == change.new_section == "Intro"
    assert change.document == "privacy"
    assert [(o.op, o.text) for o in change.ops if o.op != "equal"] == [("delete", "30"), ("insert", "300")]
    assert old_text(change.ops) == change.old_text == INTRO[2]
    assert new_text(change.ops) == change.new_text


def test_added_and_removed_in_document_order() -> None:
    old = make_doc([("Intro", INTRO), ("Sharing", SHARING)])
    new_sharing = [
        SHARING[0],
        "We may use your content to develop and train artificial intelligence models.",
        SHARING[2],
    ]
    new = make_doc([("Intro", INTRO[1:]), ("Sharing", new_sharing)])
    changes = diff_documents(old, new).changes
    assert kinds(changes) == ["removed", "removed", "added"] or kinds(changes) == [
        "removed",
        "added",
        "removed",
    ]
    removed_intro = changes[0]
    assert removed_intro.old_text == INTRO[0] and removed_intro.old_section == "Intro"
    # the removed objection clause sits where it used to be, next to the clause added in its place
    texts = [c.old_text or c.new_text for c in changes]
    assert texts.index(SHARING[1]) > texts.index(INTRO[0])


def test_moved_clause_is_one_move_not_delete_plus_insert() -> None:
    old = make_doc([("Intro", INTRO), ("Sharing", SHARING), ("Rights", RIGHTS)])
    new = make_doc(
        [("Intro", INTRO), ("Sharing", [SHARING[0], SHARING[2]]), ("Rights", [SHARING[1], *RIGHTS])]
    )
    (change,) = diff_documents(old, new).changes
    assert change.kind == "moved" and change.material
    assert change.old_section == "Sharing" and change.new_section == "Rights"
    assert change.old_text == change.new_text == SHARING[1]
    assert new_text(change.ops) == change.new_text


def test_moved_and_edited_keeps_its_redline() -> None:
    edited = SHARING[1].replace("at any time", "within 30 days")
    old = make_doc([("Intro", INTRO), ("Sharing", SHARING), ("Rights", RIGHTS)])
    new = make_doc([("Intro", INTRO), ("Sharing", [SHARING[0], SHARING[2]]), ("Rights", [*RIGHTS, edited])])
    (change,) = diff_documents(old, new).changes
    assert change.kind == "moved_modified" and change.material
    assert [(o.op, o.text) for o in change.ops if o.op != "equal"] == [
        ("delete", "at any time"),
        ("insert", "within 30 days"),
    ]


def test_split_clause() -> None:
    whole = (
        "We collect device identifiers, browser type and operating system when you visit. "
        "We retain diagnostic crash reports for ninety days to fix defects."
    )
    first, second = whole.split(". ", 1)
    old = make_doc([("Intro", [INTRO[0], whole, INTRO[2]])])
    new = make_doc([("Intro", [INTRO[0], first + ".", second, INTRO[2]])])
    (change,) = diff_documents(old, new).changes
    assert change.kind == "split"
    assert change.old_id == "s1-p2" and change.new_id == ("s1-p2", "s1-p3")
    assert not change.material  # same words, only cut in two
    assert old_text(change.ops) == change.old_text and new_text(change.ops) == change.new_text


def test_merged_clauses_with_an_edit_are_material() -> None:
    a = "We collect device identifiers, browser type and operating system when you visit."
    b = "We retain diagnostic crash reports for ninety days to fix defects."
    merged = a + " " + b.replace("ninety", "three hundred sixty")
    old = make_doc([("Intro", [INTRO[0], a, b, INTRO[2]])])
    new = make_doc([("Intro", [INTRO[0], merged, INTRO[2]])])
    (change,) = diff_documents(old, new).changes
    assert change.kind == "merged" and change.material
    assert change.old_id == ("s1-p2", "s1-p3") and change.new_id == "s1-p2"
    assert ("insert", "three hundred sixty") in [(o.op, o.text) for o in change.ops]


def test_renamed_section_reported_once() -> None:
    old = make_doc([("Intro", INTRO), ("Messages", SHARING)])
    new = make_doc([("Intro", INTRO), ("Communications", SHARING)])
    diff = diff_documents(old, new)
    assert diff.changes == ()
    (section,) = diff.section_changes
    assert (section.kind, section.old_title, section.new_title) == ("renamed", "Messages", "Communications")


def test_renumbered_sections_are_not_clause_edits() -> None:
    old = make_doc([("Intro", INTRO), ("Sharing", SHARING)], labels=["1.", "2."])
    new = make_doc([("Intro", INTRO), ("Rights", RIGHTS), ("Sharing", SHARING)], labels=["1.", "2.", "3."])
    diff = diff_documents(old, new)
    assert kinds(diff.changes) == ["added", "added"]
    by_kind = {(s.kind, s.new_title) for s in diff.section_changes}
    assert ("renumbered", "Sharing") in by_kind and ("added", "Rights") in by_kind
    assert not any(s.kind == "renamed" for s in diff.section_changes)


def _doc_with(texts: list[tuple[str, str]]) -> Document:
    clauses = tuple(
        Clause(id=f"s1-p{n}", section_id="s1", text=text, canonical=canonical)
        for n, (text, canonical) in enumerate(texts, start=1)
    )
    section = Section(id="s1", title="Intro", canonical_title="Intro", level=1, clauses=clauses)
    return Document(root=Section(id="s0", title="", canonical_title="", level=0, sections=(section,)))


def test_presentation_only_change_is_not_reported_unless_asked() -> None:
    old = _doc_with(
        [("We don\u2019t sell data.", "We don't sell data."), ("Other text here.", "Other text here.")]
    )
    new = _doc_with(
        [("We don't sell data.", "We don't sell data."), ("Other text here.", "Other text here.")]
    )
    assert diff_documents(old, new).changes == ()
    (change,) = diff_documents(old, new, presentation=True).changes
    assert change.kind == "modified" and not change.material
    assert old_text(change.ops) == change.old_text and new_text(change.ops) == change.new_text


def test_spacing_around_punctuation_is_not_material() -> None:
    old = _doc_with([("Partners , vendors ; and", "Partners , vendors ; and")])
    new = _doc_with([("Partners, vendors; and", "Partners, vendors; and")])
    assert diff_documents(old, new).changes == ()


def test_repeated_clauses_pair_in_place() -> None:
    old = make_doc([("A", ["Learn more.", INTRO[0]]), ("B", ["Learn more.", SHARING[0]])])
    new = make_doc([("A", ["Learn more.", INTRO[0]]), ("B", ["Learn more.", SHARING[0]])])
    alignment = align(old, new)
    assert all(not m.moved for m in alignment.matches)
    assert diff_documents(old, new).changes == ()


def test_document_added_or_removed() -> None:
    doc = make_doc([("Intro", INTRO)])
    added = document_added_or_removed("faq", None, doc)
    assert added.status == "added" and kinds(added.changes) == ["added"] * 3
    assert all(c.document == "faq" and c.material for c in added.changes)
    removed = document_added_or_removed("faq", doc, None)
    assert removed.status == "removed" and kinds(removed.changes) == ["removed"] * 3


@pytest.mark.parametrize(
    "options",
    [{"similarity": 0}, {"similarity": 2}, {"word_timeout": -1}, {"word_timeout": "soon"}, {"colour": True}],
)
def test_bad_options_raise_config_error(options: dict[str, object]) -> None:
    doc = make_doc([("Intro", INTRO)])
    with pytest.raises(ConfigError):
        diff_documents(doc, doc, **options)


def test_a_section_that_only_moved_is_not_material() -> None:
    old = make_doc([("Intro", INTRO), ("Sharing", SHARING), ("Rights", RIGHTS)])
    new = make_doc([("Intro", INTRO), ("Rights", RIGHTS), ("Sharing", SHARING)])
    changes = diff_documents(old, new).changes
    assert changes and all(c.kind == "moved" for c in changes)
    assert not any(c.material for c in changes)
    # one clause moving out of its section is material
    new2 = make_doc(
        [("Intro", [*INTRO, SHARING[1]]), ("Sharing", [SHARING[0], SHARING[2]]), ("Rights", RIGHTS)]
    )
    (change,) = diff_documents(old, new2).changes
    assert change.kind == "moved" and change.material


def test_rewritten_clause_in_place_is_modified() -> None:
    old_text_ = "We retain your search history for eighteen months to improve suggestions and ranking."
    new_text_ = (
        "Search logs are kept twelve months, then anonymised, to improve ranking quality for everyone."
    )
    old = make_doc([("Intro", [INTRO[0], old_text_, INTRO[2]])])
    new = make_doc([("Intro", [INTRO[0], new_text_, INTRO[2]])])
    (change,) = diff_documents(old, new).changes
    assert change.kind == "modified" and 0 < change.similarity < 0.5


def test_unrelated_replacement_is_removed_plus_added() -> None:
    old = make_doc([("Intro", [INTRO[0], "Cookies help us remember your language preference.", INTRO[2]])])
    new = make_doc(
        [("Intro", [INTRO[0], "Arbitration disputes are resolved individually in Delaware.", INTRO[2]])]
    )
    assert sorted(kinds(diff_documents(old, new).changes)) == ["added", "removed"]


def test_word_time_budget_marks_the_change_degraded() -> None:
    import random

    rng = random.Random(3)
    words = [f"term{n}" for n in range(600)]
    a = " ".join(rng.sample(words, 600))
    b = " ".join(rng.sample(words, 600))
    old = make_doc([("Intro", [INTRO[0], a])])
    new = make_doc([("Intro", [INTRO[0], b])])
    (change,) = diff_documents(old, new, word_timeout=1e-6).changes
    assert change.kind == "modified" and change.degraded
    assert old_text(change.ops) == a and new_text(change.ops) == b
    (full,) = diff_documents(old, new, word_timeout=0).changes
    assert not full.degraded


def test_empty_side_gives_all_added_or_removed() -> None:
    empty = make_doc([])
    doc = make_doc([("Intro", INTRO)])
    assert kinds(diff_documents(empty, doc).changes) == ["added"] * 3
    assert kinds(diff_documents(doc, empty).changes) == ["removed"] * 3
    assert diff_documents(empty, empty).changes == ()


def test_banner_ids_apply_to_their_own_side_only() -> None:
    banner = "We are updating our policy on 1 May; the current policy is below."
    old = make_doc([("", [banner]), ("Intro", INTRO)])
    old = attrs.evolve(old, announcements=(Announcement(text=banner, clause_ids=("s0-p1",)),))
    new = make_doc([("", ["We may now share your data with advertisers."]), ("Intro", INTRO)])
    changes = diff_documents(old, new).changes
    removed = [c for c in changes if c.kind == "removed"]
    added = [c for c in changes if c.kind == "added"]
    assert [c.material for c in removed] == [False]  # the banner went away: not a change in force
    assert [c.material for c in added] == [True]  # the new clause shares the id "s0-p1": still material
