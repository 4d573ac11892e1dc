"""Organisation names read as parties by grammar, not by a list of services.

A capitalised name where a subject stands ("Acme may use ...", "Finally, Example.com will ..."),
at the head of a list of parties ("Acme Inc. and its affiliates won't ..."), or as the agent of a
passive ("may be trained by Acme or another provider") is the document's own party: policies name
themselves, and third parties they name come with a class word ("our processor Paylane") that the
lexicon reads. Names are proper nouns: the lexicon matches words case-blind, so names are found here.
"""

from __future__ import annotations

import re

from policydiff.semantics.cues import Cue

_NAME = r"([A-Z0-9][\w&.'’-]*(?:,? (?:[A-Z][\w&.-]*|of|for)){0,4})"
# a name as the subject, perhaps after a short opening phrase: "Acme, Inc. may", "Finally, Example.com will"
_SUBJECT = re.compile(rf"^\s*(?:[A-Z][^,;:]{{0,40}}, )?(?:[Tt]he )?{_NAME}\s*$")
# a name heading a list of parties: "Acme Inc. and its affiliates", "Acme, our affiliates"
_LIST_HEAD = re.compile(rf"^\s*(?:[A-Z][^,;:]{{0,40}}, )?(?:[Tt]he )?{_NAME}\s*(?:,|and|or|and/or)\s*$")
_AGENT = re.compile(rf"^(?:the )?{_NAME}")
# capitalised words that open sentences or name data, people or documents, not an organisation
_NOT_NAMES = frozenset(
    "You Your They It This These Those Users Members Children Some Such Each All Any Data Information "
    "Content If When We Our Us Where While Unless In On For By To As At From With Please Note Personal "
    "Terms Policy Section Agreement Service Services".split()
)


def _cue(sentence: str, lo: int, match: re.Match[str] | None) -> Cue | None:
    if match is None or match.group(1).split()[0].rstrip(",") in _NOT_NAMES:
        return None
    start = lo + match.start(1)
    return Cue("actor", "first_party_named", start, start + len(match.group(1)), match.group(1))


def named_subject(sentence: str, lo: int, hi: int) -> Cue | None:
    """The name that is the whole subject in ``sentence[lo:hi]`` (the words before the verb chain)."""
    return _cue(sentence, lo, _SUBJECT.match(sentence[lo:hi]))


def named_list_head(sentence: str, lo: int, hi: int) -> Cue | None:
    """The name in ``sentence[lo:hi]`` that heads a list of parties starting at ``hi``."""
    return _cue(sentence, lo, _LIST_HEAD.match(sentence[lo:hi]))


def named_agent(sentence: str, lo: int, hi: int) -> Cue | None:
    """The name that opens ``sentence[lo:hi]`` (the words after a passive's "by")."""
    return _cue(sentence, lo, _AGENT.match(sentence[lo:hi]))
