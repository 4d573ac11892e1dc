"""Precision on real-text-shaped pairs: one card per reading, nothing found that the old version already said.

Each test pairs a change a reviewer must see with the near miss that must stay quiet (our own words).
"""

from __future__ import annotations

from tests.test_semantics import categories, findings


def test_a_phrase_read_as_a_source_is_not_also_new_data() -> None:
    old = "We collect the information you give us when you create an account."
    new = (
        "We collect the information you give us when you create an account and publicly available "
        "information about you."
    )
    found = findings(old, new)
    assert "source.added" in {f.category for f in found}
    assert "data.broadened" not in {f.category for f in found}
    # new data of its own on the same sentence is still a card
    both = new.replace("about you.", "about you, and your precise location.")
    assert {"source.added", "data.broadened"} <= categories(old, both)
