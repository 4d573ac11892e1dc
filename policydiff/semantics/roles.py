"""Who and what a frame is about: its actors, data, recipients and purposes, read around its action.

The actor is the subject to the action's left (a list such as "Acme and its affiliates" counts whole,
an unknown company name too) or, in the passive, the agent after "by" ("trained by Acme or another
provider"); a licence grant names who acts in its scope. Data sits to the right up to the purpose
(to the left in the passive); recipients of a disclosure to the right, past a relative clause in the
object; purposes after a purpose marker ("to", "for").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from policydiff.semantics.analysis import SHARING, Frame
from policydiff.semantics.chunks import Span
from policydiff.semantics.cues import Cue
from policydiff.semantics.grants import Grant, grantee_for
from policydiff.semantics.lexicon import FIRST_PARTY, is_third_party, subsumes
from policydiff.semantics.names import named_agent, named_list_head, named_recipients, named_subject

_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)
_LIST_GLUE = re.compile(
    r"^\s*(?:,|and|or|and/or|,\s*and|,\s*or|and its|or its|and our|or our|including|,\s*including"
    r"|such as)\s*$",
    re.IGNORECASE,
)
_PURPOSE_MARK = re.compile(r"\b(?:to|for|in order to|purposes?|such as|including|as)\b", re.IGNORECASE)
_PREPOSED = re.compile(r"\b(?:on|in|at|from|to|with|of|by|for|about|than)\s+(?:the\s+)?$", re.IGNORECASE)
_PURPOSE_START = re.compile(r"\b(?:to|for|in order to|so that)\s", re.IGNORECASE)


def _preposed(sentence: str, end: int) -> bool:
    """A preposition ("on", "to the") right before ``end``: the party there is not a subject."""
    return _PREPOSED.search(sentence, max(0, end - 24), end) is not None


def _chain_left(cues: Sequence[Cue], index: int, sentence: str, lower: int) -> list[Cue]:
    """The list of party cues ending at ``cues[index]``, extended left over "and", "or", commas."""
    chain = [cues[index]]
    i = index - 1
    while i >= 0 and cues[i].start >= lower:
        gap = sentence[cues[i].end : chain[0].start]
        if _LIST_GLUE.match(gap):
            chain.insert(0, cues[i])
            i -= 1
        else:
            break
    return chain


# words that may stand between "by" and the agent ("accessed by our affiliated companies")
_AGENT_DETERMINERS = frozenset({"", "the", "our", "its", "their", "a", "an", "any", "one of our"})


def _chain_right(parties: Sequence[Cue], sentence: str, start: int, upper: int) -> list[Cue]:
    """Party cues starting at ``start`` and continuing over list glue (for "by X or Y")."""
    chain: list[Cue] = []
    pos = start
    for cue in parties:
        if cue.start < pos or cue.start > upper:
            continue
        gap = sentence[pos : cue.start]
        if not chain and gap.strip().lower() in _AGENT_DETERMINERS:
            chain.append(cue)
            pos = cue.end
        elif chain and _LIST_GLUE.match(gap):
            chain.append(cue)
            pos = cue.end
        elif chain:
            break
    return chain


def actors(
    sentence: str,
    span: Span,
    parties: Sequence[Cue],
    is_passive: bool,
    previous: Frame | None,
    grants: Sequence[Grant],
) -> list[Cue]:
    """The frame's actors: the passive agent, else the subject (a name, or party cues to the left),
    else the coordinated previous frame's; a licence grant's grantee wins (see ``grants``)."""
    action, seg_start, seg_end = span.action, span.seg_start, span.seg_end
    found: list[Cue] = []
    agent_match = _BY.match(sentence[action.end : seg_end])
    if is_passive and agent_match:
        agent_at = action.end + agent_match.end()
        name = named_agent(sentence, agent_at, seg_end)
        agents = sorted([*parties, name], key=lambda c: c.start) if name else parties
        found = _chain_right(agents, sentence, agent_at, seg_end)
    if not found and not is_passive and not (previous and previous.actors):
        # an unknown company name as the subject ("Meta may use ..."): the first party
        subject = named_subject(sentence, seg_start, span.chain_start)
        if subject and any(p.start < subject.end and subject.start < p.end for p in parties):
            subject = None  # "Advertisers provide us ...": a party the lexicon knows, not a company name
        found = [subject] if subject else []
    if not found and not is_passive:
        left = [
            i
            for i, c in enumerate(parties)
            if seg_start <= c.start and c.end <= span.chain_start and not _preposed(sentence, c.start)
        ]
        if left:
            found = _chain_left(parties, left[-1], sentence, seg_start)
            head = named_list_head(sentence, seg_start, found[0].start)
            found = [head, *found] if head else found
        elif previous is not None:
            found = list(previous.actors)
    granted = grantee_for(grants, action, found) if grants and not is_passive else None
    return list(granted) if granted is not None else found


# words that put a noun in another role than the data handled, read in a short window before it (each
# pattern is anchored at the window's end and has no nested quantifier over free text: linear):
# who receives it once the object is named ("share your posts with your friends"), where it is ("in your
# country"), and the user's status in a condition ("if you are under 16", "where you live in a country")
_WINDOW = 80
_LIST_GAP = 40
_DETERMINERS = (
    r"(?:(?:your|our|the|their|its|his|her|other|another|all|any|some|certain|selected|a|an|each|every)\s+)"
)
_RECIPIENT_BEFORE = re.compile(rf"\b(?:with|to|among|between)\s+{_DETERMINERS}{{0,3}}$", re.IGNORECASE)
_PLACE_BEFORE = re.compile(
    rf"\b(?:in|within|outside(?: of)?|across|throughout|from)\s+{_DETERMINERS}{{0,3}}$", re.IGNORECASE
)
_ROLE_LIST = re.compile(rf"\s*(?:,\s*)?(?:and|or|and/or)?\s*{_DETERMINERS}{{0,3}}", re.IGNORECASE)
_STATUS_BEFORE = re.compile(
    r"\b(?:if|when|where|unless|while|because|whether)\s+you\s+(?:are|were|'re|’re|live|reside|work|"
    r"are located|are based)\b[^.;,:]{0,60}$",
    re.IGNORECASE,
)


def role_nouns(sentence: str, cues: Sequence[Cue]) -> frozenset[int]:
    """Starts of the data cues (in order) that name another role than the data handled.

    A noun after "with" or "to" is a recipient only once the object came before it ("provide us with
    your email address" hands the address over); a place word only for a coarse kind of location.
    """
    out: set[int] = set()
    has_object = False
    last_role = -1  # end of the last noun in another role: a list goes on in that role
    for cue in cues:
        if cue.slot != "data":
            continue
        window = max(0, cue.start - _WINDOW)
        if (
            last_role >= 0
            and cue.start - last_role <= _LIST_GAP
            and _ROLE_LIST.fullmatch(sentence, last_role, cue.start)
        ):
            out.add(cue.start)
        elif _STATUS_BEFORE.search(sentence, window, cue.start):
            out.add(cue.start)
        elif has_object and _RECIPIENT_BEFORE.search(sentence, window, cue.start):
            out.add(cue.start)
        elif (
            has_object
            and subsumes("location", cue.key)
            and not subsumes("precise_location", cue.key)
            and _PLACE_BEFORE.search(sentence, window, cue.start)
        ):
            out.add(cue.start)
        else:
            has_object = True
            continue
        last_role = cue.end
    return frozenset(out)


def data(
    sentence: str, span: Span, cues: Sequence[Cue], is_passive: bool, previous: Frame | None
) -> list[Cue]:
    """The frame's data: to the right up to the purpose (active) or to the left (passive), else the
    coordinated previous frame's; nouns in another role (``role_nouns``) left out."""
    action = span.action
    if is_passive:
        data_left = max(span.seg_start, span.prev.end if span.prev else span.seg_start)
        found = [c for c in cues if data_left <= c.start and c.end <= span.chain_start]
    else:
        purpose_here = _PURPOSE_START.search(sentence, action.end, span.right_end)
        data_end = purpose_here.start() if purpose_here else span.right_end
        found = [c for c in cues if action.end <= c.start and c.end <= data_end]
    roles = role_nouns(sentence, found)  # read over the frame's own stretch: linear over the sentence
    found = [c for c in found if c.start not in roles] if roles else found
    if not found and previous is not None:
        found = list(previous.data)
    return found


def recipients(
    sentence: str, span: Span, parties: Sequence[Cue], found: Sequence[Cue], frame_actors: Sequence[Cue]
) -> list[Cue]:
    """Who a disclosure goes to: parties to the right of a sharing action (``found``: every action).

    A relative clause inside the object ("information we collect about you to law enforcement") does
    not end a disclosure: third parties up to the next sharing verb are its recipients, and so is a
    company named after "with" or "to" ("shared with Paymentco"; ``names.named_recipients``).
    """
    action = span.action
    if action.key not in SHARING:
        return []
    share_end = next(
        (a.start for a in found[span.index + 1 :] if a.key in SHARING and a.start >= action.end), span.seg_end
    )
    actor_ids = {id(a) for a in frame_actors}
    names = [
        n
        for n in named_recipients(sentence, action.end, min(share_end, span.seg_end))
        if not any(p.start < n.end and n.start < p.end for p in parties)
    ]
    return [
        c
        for c in sorted([*parties, *names], key=lambda c: c.start)
        if action.end <= c.start
        and (c.end <= span.right_end or (c.end <= min(share_end, span.seg_end) and is_third_party(c.key)))
        and id(c) not in actor_ids
        and c.key not in FIRST_PARTY
    ]


def purposes(sentence: str, action: Cue, cues: Sequence[Cue]) -> tuple[Cue, ...]:
    """Purposes after a purpose marker to the action's right; a training or generating action also
    takes the purpose phrase it sits in ("to train AI models")."""
    found = [c for c in cues if c.start >= action.end and _PURPOSE_MARK.search(sentence, action.end, c.end)]
    if action.key in ("train", "generate"):
        found += [c for c in cues if c.start <= action.start < c.end]
    return tuple(sorted(set(found), key=lambda c: c.start))
