"""The new side of a comparison reuses what normalizing the old side worked out (inline content read,
clause parts): the documents are exactly those normalized on their own, whatever the two sides hold
(reference definitions on one side only, blocks that read alike in one document and not the other)."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import policydiff
from policydiff.model import Document
from policydiff.normalize import normalize, recent, reuse

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PIECES = st.sampled_from(
    [
        "We use data.", "We share it (e.g. with partners).", "3.2", "(a)", "**Sharing**", " ", "\n",
        "\n\n", "\n- ", "\n1. ", "\n## ", "[we](https://x.org)", "[a]", "[a][]", "*", "_", "`", "\\",
        "\n\n[a]: https://ref.example\n\n", "\n\n[a]: https://other.example\n\n", "<b>x</b>", "&amp;",
        "\n| a | b |\n|---|---|\n| c | d |\n", "é", "**1. Terms**",
        "\n| a | b |\n|---|---|\n| c \\| d | [e](https://x.org) | [a] |\n",
        "We're updating our Privacy Policy.", "The new terms will take effect on May 3, 2025.",
        "Effective until January 5, 2024", "\n## Current Terms\n",
    ]
)  # fmt: skip
DOCUMENTS = st.lists(PIECES, min_size=1, max_size=30).map("".join)


def _both_sides(old: str, new: str) -> tuple[object, object, reuse.Sides]:
    recent.clear()  # the recent-documents cache would hand back a document without normalizing it
    with reuse.between_sides() as sides:
        old_doc = _normalized(old)
        sides.next_side()
        new_doc = _normalized(new)
    return old_doc, new_doc, sides


def _normalized(text: str) -> object:
    try:
        return normalize(text, format="markdown")
    except policydiff.PolicyDiffError as error:  # an empty document, on both paths alike
        return type(error)


@SETTINGS
@given(DOCUMENTS, DOCUMENTS)
@example("[a]\n\n[a]: https://ref.example\n\nWe use [a].", "[a]\n\nWe use [a].")
@example("[a]\n\nWe use [a].", "[a]\n\n[a]: https://ref.example\n\nWe use [a].")
@example("**Sharing**", "1. **Sharing**")
def test_the_new_side_is_the_document_normalized_alone(old: str, new: str) -> None:
    old_doc, new_doc, _ = _both_sides(old, new)
    recent.clear()
    assert new_doc == _normalized(new)
    assert old_doc == _normalized(old)


def test_the_new_side_reads_what_the_old_side_recorded() -> None:
    old = "# Terms\n\nWe use [data](https://x.org). We keep it.\n\n- We share it.\n"
    new = "# Terms\n\nWe use [data](https://x.org). We keep it.\n\n- We sell it.\n"
    _, _, sides = _both_sides(old, new)
    assert set(sides.tables) == {"markdown inline", "clause parts", "announcement", "future effect"}
    assert "We use [data](https://x.org). We keep it." in sides.tables["markdown inline"]
    # the new side records nothing: only the old side's two clauses are kept
    assert len(sides.tables["clause parts"]) == 2


def test_table_rows_are_read_once() -> None:
    old = "# T\n\n| a | b |\n|---|---|\n| We use [x](https://x.org) | data | kept |\n| c | d |\n"
    new = "# T\n\n| a | b |\n|---|---|\n| We use [x](https://x.org) | data | kept |\n| c | e |\n"
    old_doc, new_doc, sides = _both_sides(old, new)
    assert isinstance(old_doc, Document) and isinstance(new_doc, Document)
    assert len(sides.tables["markdown row"]) == 3  # the old side's header and two rows
    assert [c.text for c in new_doc.clauses()] == ["a | b", "We use x | data | kept", "c | e"]
    assert list(old_doc.clauses())[1].links[0].target == "https://x.org"


def test_nothing_is_recorded_outside_a_comparison() -> None:
    recent.clear()
    assert reuse._CURRENT.get() is None
    normalize("# Terms\n\nWe use data.\n", format="markdown")
    assert reuse._CURRENT.get() is None
    compared = policydiff.compare("# T\n\nWe use data.\n", "# T\n\nWe sell data.\n", format="markdown")
    assert len(compared.changes) == 1
    assert reuse._CURRENT.get() is None
