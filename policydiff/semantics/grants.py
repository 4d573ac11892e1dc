"""Licence grants are permissions: the grantee acts, the licence's scope lists its actions.

"You grant us a worldwide licence to use, copy and modify your content" lets *us* use it; "You grant
Acme Inc. and its affiliates a licence to host ..." lets Acme and its affiliates; "You allow us and
our partners to show your designs" lets both. A later sentence about the licence ("This licence
includes the right to use your content to train AI models") is a permission of the same grantee,
the first party. "We grant you a licence to use the service" makes the user the actor: the user's
own use is no practice of the service.

Only actions after the grant whose subject the frame builder could not name (none, or the granting
user) take the grantee: "... but we will not sell it" keeps its own subject.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from policydiff.semantics.cues import Cue

_GRANT_VERB = re.compile(
    r"\b(?:grant|give|allow|authori[sz]e|permit|licen[cs]e)(?:s|ed|ing)?\s+(?:to\s+)?", re.IGNORECASE
)
# what follows the grantee: a licence or right ("a worldwide, royalty-free licence") or an infinitive
_AFTER_GRANTEE = re.compile(
    r"\s+(?:(?:an?|the|such|all|any)\s+(?:[\w,’'-]+\s+){0,12}?"
    r"(?:sub)?(?:licen[cs]es?|rights?|permissions?|consent)\b|to\s+(?=\w))",
    re.IGNORECASE,
)
# "This licence includes the right to ...", "The rights you grant allow us ...": the licence as subject
_LICENCE_SUBJECT = re.compile(
    r"\b(?:this|the|that|such|these|those|your)\s+(?:[\w-]+\s+){0,2}(?:sub)?(?:licen[cs]es?|rights?|permissions?)\b"
    r"(?:\s+[\w’'-]+){0,6}?\s+(?:includes?|including|covers?|extends?|allows?|permits?|gives?|lets?|enables?)\b",
    re.IGNORECASE,
)
# a company name as the grantee ("Acme Inc.", "Quillstack", "the Company")
_NAME = re.compile(r"^(?:the\s+)?([A-Z][\w&.'’-]*(?:,? (?:[A-Z][\w&.-]*|of)){0,4})")
_GRANTEE_MAX = 160


@attrs.frozen
class Grant:
    """One grant in a sentence: who receives it and where its scope begins."""

    grantees: tuple[Cue, ...]
    scope_start: int


def _grantees(sentence: str, start: int, end: int, parties: Sequence[Cue]) -> tuple[Cue, ...]:
    inside = tuple(c for c in parties if start <= c.start and c.end <= end)
    named = _NAME.match(sentence[start:end])
    if named is None or (inside and inside[0].start <= start + named.start(1)):
        return inside  # the region opens with a known party ("us", "the Company")
    offset = start + named.start(1)
    name = Cue("actor", "first_party_named", offset, offset + len(named.group(1)), named.group(1))
    return (name, *inside)


def find_grants(sentence: str, cues: Sequence[Cue]) -> tuple[Grant, ...]:
    """The grants in ``sentence``, in order (most sentences have none: a cheap search first)."""
    lowered = sentence.lower()
    if not any(w in lowered for w in ("grant", "give", "allow", "authori", "permit", "licen", "right")):
        return ()
    parties = [c for c in cues if c.slot == "actor"]
    grants: list[Grant] = []
    for verb in _GRANT_VERB.finditer(sentence):
        after = _AFTER_GRANTEE.search(sentence, verb.end() + 1, verb.end() + _GRANTEE_MAX)
        if after is None:
            continue
        grantees = _grantees(sentence, verb.end(), after.start(), parties)
        if grantees:
            grants.append(Grant(grantees, after.start()))
    for subject in _LICENCE_SUBJECT.finditer(sentence):
        if not any(g.scope_start <= subject.start() for g in grants):
            word = subject.group(0).split()[0]
            cue = Cue("actor", "first_party", subject.start(), subject.start() + len(word), word)
            grants.append(Grant((cue,), subject.end()))
    return tuple(sorted(grants, key=lambda g: g.scope_start))


def grantee_for(grants: Sequence[Grant], action: Cue, actors: Sequence[Cue]) -> tuple[Cue, ...] | None:
    """The grantee acting ``action``, when it lies in a grant's scope and has no subject of its own."""
    governing = [g for g in grants if g.scope_start <= action.start]
    if not governing:
        return None
    grant = governing[-1]
    if actors and not all(a.key == "user" or a.start < grant.scope_start for a in actors):
        return None  # a subject of its own after the grant ("..., but we will not sell it")
    return grant.grantees
