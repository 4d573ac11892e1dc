"""Contract clauses are not data practices: a sale needs data as its object and the service as its seller.

Each test pairs the near miss that must stay quiet with the change a reviewer must still see (our own words).
"""

from __future__ import annotations

from tests.test_semantics import categories

_OLD = ["## General", "These terms are the whole agreement between you and us."]


def _added(sentence: str) -> set[str]:
    return categories(_OLD, [*_OLD, sentence])


def test_assigning_the_contract_in_a_merger_is_not_a_sale_of_data() -> None:
    assert "sale.added" not in _added(
        "We may assign our rights or transfer our duties under these terms at any time, without notice, "
        "in connection with a merger or a sale of our business, or to one of our affiliates."
    )
    # data handed over in the same event is still a sale without limits
    assert "sale.added" in _added(
        "We may transfer your personal information to a buyer in connection with a merger or a sale of our "
        "business."
    )


def test_a_users_compliance_duty_that_names_licensing_is_not_a_sale() -> None:
    assert "sale.added" not in _added(
        "You are responsible for following every law about your uploads, including laws that require you "
        "to get permission from other people to use, license or publish those uploads."
    )
    # the service licensing the user's data to others is still a sale
    assert "sale.added" in _added("We may license your uploads and profile data to third parties.")
