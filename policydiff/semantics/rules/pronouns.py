"""A pronoun that receives data, and the party it refers to.

"Our newsletters are delivered by Mailbird. We provide them with your email address": "them" is
Mailbird. The pronoun is the indirect object of a verb of giving ("give them your address", "pass it
the details") or the object of "to"/"with" after one ("sent straight to them"); it refers to the last
third party or outside name before it, in its sentence or in the sentence ahead in the same clause.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from policydiff.semantics.cues import Cue
from policydiff.semantics.frames import Analysis
from policydiff.semantics.lexicon import FIRST_PARTY, is_third_party
from policydiff.semantics.names import OwnNames, named_parties
from policydiff.semantics.rules.disclosures import WINDOW, cues_between

# a pronoun that receives: the indirect object of a verb of giving ("we give them your address", "provide
# them with", "pass it the details") or the object of "to"/"with" after one ("send your address to them")
_PRONOUN_RECIPIENT = re.compile(
    r"\b(?:giv|gave|pass|send|sent|provid|suppl|show|forward|hand|offer|disclos|transfer|shar|mak|made)\w*\s+"
    r"(?:(?P<io>them|it|him|her)\s+(?=with\b|your\b|the\b|an?\b|any\b|all\b|some\b|access\b|"
    r"(?:personal\s+)?(?:data|information|details)\b)|[^.;:]{0,60}?\b(?:to|with)\s+(?P<obj>them|it|him|her)\b)",
    re.IGNORECASE,
)


def pronoun_recipient(
    new: Analysis, before: Callable[[], Analysis | None], own: OwnNames | None
) -> tuple[Cue, Cue] | None:
    """A pronoun receiving data from the service, and the third party it refers to.

    "Our newsletters are delivered by Mailbird. We provide them with your email address": "them" is
    Mailbird, the last third party or outside name before it in the sentence or in the sentence
    ``before()`` returns (the one ahead in the same clause, read only when the sentence names none).
    The giver must be the service: the last party before the verb is the first party, and no negation
    comes before the pronoun. Returns (the pronoun as a cue of the antecedent's key, the antecedent).
    """
    for match in _PRONOUN_RECIPIENT.finditer(new.text):
        group = "io" if match.group("io") else "obj"
        start, end = match.span(group)
        givers = [c for c in cues_between(new, "actor", match.start() - WINDOW, match.start())]
        givers = [c for c in givers if c.end <= match.start()]
        negated = bool(cues_between(new, "negation", start - WINDOW, start))
        # the service gives: its name before the verb, not the user's ("you can send them a link")
        if not any(g.key in FIRST_PARTY for g in givers) or givers[-1].key == "user" or negated:
            continue
        antecedent = _antecedent(new, match.start(), before, own)
        if antecedent is not None:
            return Cue("actor", antecedent.key, start, end, match.group(group)), antecedent
    return None


def _antecedent(
    new: Analysis, at: int, sentence_before: Callable[[], Analysis | None], own: OwnNames | None
) -> Cue | None:
    """The last third party named before ``at`` in ``new``, else the last one of the sentence before."""
    earlier = [
        c for c in cues_between(new, "actor", at - WINDOW, at) if c.end <= at and is_third_party(c.key)
    ]
    if earlier:
        return earlier[-1]
    before = sentence_before()
    if before is None:
        return None
    named = [c for c in named_parties(before.text) if own is None or c.text not in own]
    parties = [c for c in before.of("actor") if is_third_party(c.key)] + named
    return max(parties, key=lambda c: c.start, default=None)
