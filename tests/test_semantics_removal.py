"""Removal is judged against the whole new document: a promise reworded or moved elsewhere is kept."""

from __future__ import annotations

from tests.test_semantics import categories

_OLD = [
    "We use your data to run the service.",
    "We will not sell your contact details to anyone.",
    "You can change your settings at any time.",
]


def test_a_promise_reworded_and_moved_to_another_clause_is_not_removed() -> None:
    new = [
        "We use your data to run the service.",
        "We may update these terms.",
        "You can change your settings at any time. Your contact details are never sold to third parties.",
    ]
    assert not {"promise.removed", "promise.added"} & categories(_OLD, new)


def test_a_promise_gone_from_the_whole_document_is_removed() -> None:
    new = ["We use your data to run the service.", "We may update these terms.", _OLD[2]]
    assert "promise.removed" in categories(_OLD, new)


def test_a_different_promise_elsewhere_does_not_hide_a_removal() -> None:
    new = [
        "We use your data to run the service.",
        "We may update these terms.",
        "You can change your settings at any time. We will not sell your location history.",
    ]
    assert "promise.removed" in categories(_OLD, new)


def test_a_defined_term_renamed_throughout_gives_no_finding() -> None:
    old = [
        '"Member Content" means the posts, photos and messages you share on the service.',
        "We will not sell Member Content. We use Member Content to operate the service.",
        "You keep ownership of your Member Content.",
    ]
    new = [text.replace("Member Content", "Your Content") for text in old]
    assert categories(old, new) == set()


def test_a_right_moved_to_another_clause_is_not_removed() -> None:
    old = ["You have the right to access your data.", "We may update these terms."]
    moved = ["We keep your data while your account is open.", "We may update these terms."]
    moved[1] += " You can access your personal information from your settings."
    assert "rights.narrowed" not in categories(old, moved)
    gone = ["We keep your data while your account is open.", "We may update these terms."]
    assert "rights.narrowed" in categories(old, gone)


def test_a_promise_about_another_named_products_data_was_not_made_before() -> None:
    old = [
        "Tallyho Notes keeps your notes in sync.",
        "Text messages shown in Tallyho Link are never stored on our servers.",
        "We may update these terms.",
    ]
    new = [*old[:2], "We may update these terms. Your Tallyho Chat conversations will not be stored."]
    assert "promise.added" in categories(old, new)
    moved = [old[0], "We may update these terms. Text messages shown in Tallyho Link are not stored."]
    assert not {"promise.added", "promise.removed"} & categories(old, moved)


def test_a_commitment_without_a_negation_is_judged_against_the_whole_document() -> None:
    old = ["We encrypt your files. Your files are kept strictly confidential.", "We may update these terms."]
    reworded = ["We encrypt your files.", "We may update these terms. We treat your files as confidential."]
    assert not {"promise.added", "promise.removed"} & categories(old, reworded)
    gone = ["We encrypt your files.", "We may update these terms."]
    assert "promise.removed" in categories(old, gone)


def test_a_users_duty_of_confidentiality_is_no_promise() -> None:
    old = ["You sign in with your email address.", "We may update these terms."]
    new = ["You sign in with your email address. You must keep your password confidential.", old[1]]
    assert "promise.added" not in categories(old, new)


def test_a_promise_moved_into_a_negated_list_is_kept_and_one_moved_out_is_not_new() -> None:
    old = [
        "We share order details with the courier. We never sell your contact details.",
        "We keep data safe.",
    ]
    listed = [
        "We share order details with the courier.",
        "We keep data safe. We will never:",
        "sell your contact details;",
        "lose track of your orders.",
    ]
    assert not {"promise.added", "promise.removed"} & categories(old, listed)
    assert not {"promise.added", "promise.removed"} & categories(listed, old)
    gone = [
        "We share order details with the courier.",
        "We keep data safe. We will never:",
        "lose your orders.",
    ]
    assert "promise.removed" in categories(old, gone)
