"""Trigger literals only skip patterns that cannot match: tagging equals running every pattern everywhere."""

from __future__ import annotations

import re

import attrs
import pytest
from clause_pairs import load_pairs
from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.semantics import cues
from policydiff.semantics.cues import Cue, tag, tag_edited
from policydiff.semantics.literals import required_literals, trigger_lead, triggers

# every pattern run on every sentence: the answer the trigger literals must not change
_EVERYWHERE = cues._Tagger.of([attrs.evolve(m, trigger=None) for m in cues._MATCHERS])


def _tag_everywhere(sentence: str) -> tuple[Cue, ...]:
    return cues._resolve(cues._scan(sentence, cues._lower(sentence), 0, len(sentence), _EVERYWHERE))


def test_a_required_group_gives_its_alternatives() -> None:
    found = required_literals("(?:your )?(?:age|gender|date of birth)", 320)
    assert found == ("age", "date of birth", "gender")
    found = required_literals("(?:(?<=is )|(?<=are ))(?:provided|supplied) to", 320)
    assert found == ("provided", "supplied")


def test_optional_parts_lookarounds_and_far_literals_give_no_trigger() -> None:
    assert required_literals("(?:your )?(?:data)?", 320) is None
    assert required_literals("\\w+(?= (?:list|and))", 320) is None  # only in a look-ahead
    assert required_literals("[a-z]{1,20} (?:inc|llc)", 320) == ("inc", "llc")
    assert required_literals("[a-z]{1,20} (?:inc|llc)", 20) is None  # may end past the reach
    assert required_literals("[a-z]+ (?:inc|llc)", 320) is None


def test_the_most_selective_trigger_wins() -> None:
    assert triggers("(?:(?<=is )|(?<=are ))(?:provided|supplied) to", cased=False, reach=320) == (
        "provided",
        "supplied",
    )
    assert triggers("(?:shops|stores)(?: where| that)?", cased=False, reach=320) == ("shops", "stores")
    assert triggers("US(?: law)?", cased=True, reach=320) == ("us",)  # cased: the pattern text only


def test_a_lead_is_how_far_before_its_trigger_a_match_may_start() -> None:
    assert trigger_lead("(?:your )?personal data", cased=False, reach=320) == (("personal data",), 5)
    assert trigger_lead("(?:we|they) share", cased=False, reach=320) == (("share",), 5)
    assert trigger_lead("(?:tell|inform) you", cased=False, reach=320) == (("inform", "tell"), 2)
    assert trigger_lead("US(?: law)?", cased=True, reach=320) == (("us",), None)  # matched ignoring case
    assert trigger_lead("[a-z]+ (?:inc|llc)", cased=False, reach=320) is None


def test_no_match_starts_further_before_its_first_trigger_than_the_lead() -> None:
    """The lead lets ``_scan`` start a pattern late: checked on every match in a fifth of the sentences
    of the hand-written pairs (tagging them all equals running every pattern from the start, above)."""
    sentences = _pair_sentences()[::5]
    led = [m for m in cues._MATCHERS if m.lead is not None and m.trigger]
    assert len(led) > len(cues._MATCHERS) // 2
    lowered = [cues._lower(s) for s in sentences]
    for m in led:
        for lower in lowered:
            first = min((i for i in map(lower.find, m.trigger or ()) if i >= 0), default=None)
            if first is None:
                continue  # no trigger: no match either (checked above)
            for match in m.pattern.finditer(lower):
                assert match.start() >= first - (m.lead or 0), (m.pattern.pattern, lower)


def test_almost_every_pattern_has_a_trigger() -> None:
    always = [m for m in cues._MATCHERS if m.trigger is None]
    assert len(always) <= 1, [m.pattern.pattern for m in always]  # us_state: a list of names
    assert cues.key_triggers("actor", "first_party_named") is not None  # its name is bounded


def _pair_sentences() -> list[str]:
    pairs = load_pairs()
    texts = [side for p in pairs for side in (p.get("old"), p.get("new")) if isinstance(side, str)]
    return sorted({s for t in texts for s in re.split(r"(?<=[.!?;])\s+|\n+", t) if s.strip()})


def test_tagging_the_hand_written_pairs_equals_running_every_pattern() -> None:
    sentences = _pair_sentences()
    assert len(sentences) > 500
    for sentence in sentences:
        assert tag(sentence) == _tag_everywhere(sentence), sentence


_WORDS = sorted({w for m in cues._MATCHERS for w in m.trigger or ()} | {"we", "your", "the", "to", "of", ","})


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=25).map(" ".join), st.sampled_from(_WORDS))
def test_tagging_lexicon_words_equals_running_every_pattern(sentence: str, inserted: str) -> None:
    assert tag(sentence) == _tag_everywhere(sentence)
    middle = len(sentence) // 2
    edited = f"{sentence[:middle]} {inserted} {sentence[middle:]}"
    assert tag_edited(sentence, edited, tag(edited)) == _tag_everywhere(sentence)
