"""Organisation names are read by grammar (subject, head of a party list, passive agent), not listed."""

from __future__ import annotations

import pytest

from policydiff.semantics.frames import analyse
from policydiff.semantics.lexicon import ENTRIES


@pytest.mark.parametrize(
    ("sentence", "action", "actors"),
    [
        ("Brindlewood may use your messages.", "use", ["first_party_named"]),
        (
            "Brindlewood and its affiliates will not sell your data.",
            "sell",
            ["first_party_named", "affiliates"],
        ),
        (
            "Your posts may be used by Brindlewood or another provider.",
            "use",
            ["first_party_named", "another_provider"],
        ),
        ("Finally, Brindlewood Holdings Ltd may share your data.", "share", ["first_party_named"]),
        ("You may share your data with us.", "share", ["user"]),
        ("Personal Data may be shared with advertisers.", "share", []),
    ],
)
def test_names_in_party_positions(sentence: str, action: str, actors: list[str]) -> None:
    frame = next(f for f in analyse(sentence).frames if f.action.key == action)
    assert [c.key for c in frame.actors] == actors


def test_the_lexicon_names_no_service() -> None:
    words = " ".join(p for e in ENTRIES if e.slot == "actor" for p in e.patterns)
    for service in ("linkedin", "zoom", "microsoft", "twitter", "github", "bing"):
        assert service not in words
