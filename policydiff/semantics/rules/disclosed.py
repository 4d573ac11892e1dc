"""Who the old version already handed data to: a recipient restated in a rewrite is not new.

A policy rewritten moves and rewords its disclosures ("we share your purchases with companies in our
corporate group" in one section becomes "our affiliates may receive your purchase history" in another).
Before a party is reported new, the old version's disclosures are looked through: one index per
document and class of party (``DocumentFacts.derived``; a clause both versions have is read once), of
the sentences that hand data over (a sharing or selling action) and deny nothing, read by the action,
negation, actor and data patterns alone (``tag_slot``, cheap), and only in the lines with a trigger
literal of the class. The index is read only as far as the first sentence that settles a question
(``Unfolding``). A sentence that names the class with other data does not cover new data for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from policydiff.semantics.cues import key_triggers, tag_slot
from policydiff.semantics.lexicon import is_third_party, related
from policydiff.semantics.text import DocumentFacts, Unfolding

__all__ = ["disclosed_before", "line_disclosures"]

_SENTENCES = re.compile(r"(?<=[.!?;])\s+|\n+")
_HANDING = frozenset({"share", "sell"})

# an authority named as a body ("law enforcement", "a tax authority"), not implied by a condition ("as
# required by law", "to comply with legal obligations"): a condition covers no authority named later
_BODY = re.compile(
    r"\b(?:authorit\w*|agenc\w*|law enforcement|police|regulators?|officials?|governments?|tribunals?|"
    r"courts?(?! orders?))\b"
)
# the root class ("third parties", "others") is too wide to settle that a party is not new: almost every
# policy hands something to third parties (the clause's own look, ``recipients._covered``, still reads it)
_TOO_WIDE = frozenset({"third_parties"})

Handed = tuple[str, frozenset[str]]  # (class of party, the specific kinds of data the sentence names)


@lru_cache(maxsize=16384)
def line_disclosures(line: str) -> tuple[Handed, ...]:
    """For ``DocumentFacts.answers``: each class of third party a line's affirmative disclosures name,
    with the kinds of data named beside it ("personal data" is no specific kind). The root class and
    an authority implied by a condition ("as required by law") are left out."""
    found: list[Handed] = []
    for sentence in _SENTENCES.split(line):
        if tag_slot(sentence, "negation") or not any(c.key in _HANDING for c in tag_slot(sentence, "action")):
            continue
        data = frozenset(c.key for c in tag_slot(sentence, "data")) - {"personal_data"}
        for cue in tag_slot(sentence, "actor"):
            implied = cue.key == "government" and _BODY.search(cue.text) is None
            if is_third_party(cue.key) and cue.key not in _TOO_WIDE and not implied:
                found.append((cue.key, data))
    return tuple(found)


@lru_cache(maxsize=256)  # one per party concept of the lexicon: bounded
def _handed_to(key: str) -> Callable[[DocumentFacts], Unfolding[frozenset[str]]]:
    """For ``DocumentFacts.derived``: the data of each disclosure to ``key`` in a document, read only
    among the lines with a trigger literal of the concept, and only as far as a question needs."""
    literals = key_triggers("actor", key)

    def handed(facts: DocumentFacts) -> Unfolding[frozenset[str]]:
        return Unfolding(
            data
            for _, found in facts.answers(line_disclosures, literals)
            for party, data in found
            if party == key
        )

    return handed


def disclosed_before(facts: DocumentFacts, key: str, data: frozenset[str]) -> bool:
    """The document ``facts`` already hands ``data`` (or data in general, when ``data`` names no
    specific kind) to the class of party ``key`` somewhere."""
    if not facts.text:
        return False
    wanted = data - {"personal_data"}
    return any(
        not wanted or any(related(a, b) for a in wanted for b in had)
        for had in facts.derived(_handed_to(key))
    )
