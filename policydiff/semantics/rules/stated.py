"""What the old version already stated: additions are judged against the whole document, not the clause.

A policy rewritten into longer prose restates, in a later section and other words, practices an
earlier section stated ("We use your browsing activity to personalise ads" -> "Based on the pages you
visit, we may show you advertising that matches your interests"). Each affirmative practice is read
into one ``Practice`` frame: its action class, purposes, kinds of data and third parties. A new
practice is reported added only when no old frame implies it (``implies``: the same action class,
the purposes asked about, each party under an old party, related data, with lexicon subsumption),
whichever slot the rule asks about: a purpose (``purpose_stated``), a recipient (``party_stated``) or
a kind of data (``data_stated``). The old version's frames are looked through by one index per
document and key asked about (``DocumentFacts.derived``: a clause both versions have is read once),
of the lines whose sentences with a practice's action name it by the slot patterns alone
(``tag_slot``, cheap), looked for only in the lines with a trigger literal of those patterns. Only
those lines are read into frames, each once. A practice the old version only denied ("we do not use
it for ads") is not stated; a purpose given to a party the old version never gave it stays new.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache

import attrs

from policydiff.semantics.context import Context
from policydiff.semantics.cues import key_triggers, tag_slot
from policydiff.semantics.frames import PRACTICES, Analysis, Frame, analyse
from policydiff.semantics.lexicon import ancestors, related, subsumes
from policydiff.semantics.rules.helpers import SENSITIVE_DATA, family, narrowed, practices
from policydiff.semantics.text import DocumentFacts, Unfolding

_SENTENCES = re.compile(r"(?<=[.!?;])\s+|\n+")
# rules of conduct ("you may not ... enable any third parties to use the services for advertising")
# state what users must not do, no practice of the service
_CONDUCT = re.compile(
    r"\b(?:you|users?)\s+(?:may not|must|shall|should|agree|will not|cannot|can[’']t)\b"
    r"|\b(?:you|users?)\s+(?:are|is|remain)\s+(?:solely\s+|fully\s+)?responsible\b",
    re.IGNORECASE,
)
# the service's own handling of data (collected, used, kept, trained on: training is a use, told apart
# by its purpose, ``Frame.purpose_keys``) against passing it on
_CLASSES = {
    "collect": "handle",
    "use": "handle",
    "retain": "handle",
    "train": "handle",
    "share": "share",
    "sell": "share",
}


def action_class(action: str) -> str:
    """The class of a practice for "stated before": handling, passing on, or a class of its own."""
    return _CLASSES.get(action, family(action))


@attrs.frozen
class Practice:
    """One affirmative practice, as the whole-document check compares it: its action class
    (``action_class``), purposes, kinds of data ("personal data" left out: data in general) and the
    third parties that get or act on the data."""

    kind: str
    purposes: frozenset[str] = frozenset()
    data: frozenset[str] = frozenset()
    parties: frozenset[str] = frozenset()


# a condition read as a party ("if required by applicable law"): no one who gets the data
_CONDITION = re.compile(r"\b(?:required|requires?|laws?(?! enforcement))\b", re.IGNORECASE)


def practice_of(frame: Frame, analysis: Analysis | None = None) -> Practice:
    """The practice of ``frame``; with its sentence, a generic class of party narrowed by a relative
    clause ("other companies that process card payments") stands for no class (``""``)."""
    return Practice(
        action_class(frame.action.key),
        frame.purpose_keys,
        frame.data_keys - {"personal_data"},
        frozenset(
            "" if analysis is not None and narrowed(analysis, c) else c.key
            for c in frame.parties
            if not _CONDITION.search(c.text)
        ),
    )


def implies(
    old: Practice,
    new: Practice,
    purposes: frozenset[str],
    *,
    parties: bool = True,
    general: bool = True,
    kinds: bool = True,
) -> bool:
    """True when the old practice states the new one, as far as ``purposes`` go: the same action class
    (``kinds``), those purposes among the old ones, each third party of the new under one of the old
    (``parties``), and data the old covers (``covers_data``; ``general``: data in general covers
    specific data)."""
    if (kinds and old.kind != new.kind) or not purposes <= old.purposes:
        return False
    if parties and not all(any(o and subsumes(o, p) for o in old.parties) for p in new.parties):
        return False
    return covers_data(old.data, new.data, general=general)


def covers_data(old: frozenset[str], new: frozenset[str], *, general: bool = True) -> bool:
    """Data in general covers specific data (``general``), but no sensitive kind ("use your logo for
    marketing" states nothing about using messages for marketing); else some related kind."""
    if not new:
        return True
    if not old:
        return general and not any(_sensitive(n) for n in new)
    return any(related(o, n) for o in old for n in new)


@attrs.frozen
class Stated:
    """The practices of one line: its affirmative practices, the data they name; purposes it denies."""

    practices: tuple[Practice, ...] = ()
    data: frozenset[str] = frozenset()
    denied: frozenset[str] = frozenset()


_NOTHING = Stated()


@lru_cache(maxsize=16384)
def _practices(line: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """The sentences of a line with a practice's action cue (found by the action patterns alone,
    ``tag_slot``), rules of conduct left out, each with its action keys."""
    out = []
    for sentence in _SENTENCES.split(line):
        sentence = sentence.strip()
        if _CONDUCT.search(sentence):
            continue
        actions = frozenset(c.key for c in tag_slot(sentence, "action"))
        if actions & PRACTICES:
            out.append((sentence, actions))
    return tuple(out)


def _practice_sentences(line: str) -> list[str]:
    return [sentence for sentence, _ in _practices(line)]


def _line_purposes(line: str) -> frozenset[str]:
    """For ``DocumentFacts.each_line``: the purposes a line's practice sentences may state, by the
    purpose patterns alone (a superset of its frames' purpose keys); AI training for a training
    action too (``Frame.purpose_keys``)."""
    found = {c.key for s, _ in _practices(line) for c in tag_slot(s, "purpose")}
    if any("train" in actions for _, actions in _practices(line)):
        found.add("ai_training")
    return frozenset(found)


def _line_data(line: str) -> frozenset[str]:
    """For ``DocumentFacts.each_line``: the kinds of data a line's practice sentences may name, by
    the data patterns alone (a superset of its frames' data keys)."""
    return frozenset(c.key for s, _ in _practices(line) for c in tag_slot(s, "data"))


@lru_cache(maxsize=16384)
def _stated(line: str) -> Stated:
    """The practices a document line states (as written: names and capitals read), its practice
    sentences read into frames."""
    found: dict[Practice, None] = {}
    data: set[str] = set()
    denied: set[str] = set()
    for sentence in _practice_sentences(line):
        analysis = analyse(sentence)
        for frame in practices(analysis):
            if not frame.affirmative:
                denied |= frame.purpose_keys
                continue
            found[practice_of(frame, analysis)] = None
            data |= frame.data_keys
    if not (found or data or denied):
        return _NOTHING
    return Stated(tuple(found), frozenset(data), frozenset(denied))


def _either(a: tuple[str, ...] | None, b: tuple[str, ...] | None) -> tuple[str, ...] | None:
    return None if a is None or b is None else a + b


@cache
def _lines_naming(purpose: str) -> Callable[[DocumentFacts], Unfolding[Stated]]:
    """For ``DocumentFacts.derived``: the lines whose practice sentences name ``purpose`` (every
    training action names AI training too: ``Frame.purpose_keys``), read only among the lines with
    a trigger literal of its patterns (``key_triggers``)."""
    training = purpose == "ai_training"
    literals = key_triggers("purpose", purpose)
    if training:
        literals = _either(literals, key_triggers("action", "train"))

    def lines(facts: DocumentFacts) -> Unfolding[Stated]:
        return Unfolding(
            _stated(facts.original(line))
            for line, keys in facts.answers(_line_purposes, literals)
            if purpose in keys
        )

    return lines


@cache
def _lines_with_data(key: str) -> Callable[[DocumentFacts], Unfolding[Stated]]:
    """For ``DocumentFacts.derived``: the lines whose practice sentences name ``key`` or a wider
    kind of data (not "personal data"), read only among the lines with a trigger literal of them."""
    wider = frozenset(o for o in ancestors(key) if o != "personal_data")
    literals: tuple[str, ...] | None = ()
    for kind in sorted(wider):
        literals = _either(literals, key_triggers("data", kind))

    def lines(facts: DocumentFacts) -> Unfolding[Stated]:
        answers = facts.answers(_line_data, literals)
        return Unfolding(_stated(facts.original(line)) for line, keys in answers if wider & keys)

    return lines


def purpose_stated(ctx: Context, frame: Frame, purpose: str) -> bool:
    """True when some practice of the old version implies this one for ``purpose`` (``implies``):
    the same class of practice, on related data, given to the same or a wider class of party. One
    answer per document and question."""
    return ctx.old_facts.derived(_stated_for(purpose, practice_of(frame)))


@lru_cache(maxsize=4096)
def _stated_for(purpose: str, new: Practice) -> Callable[[DocumentFacts], bool]:
    asked = frozenset({purpose})

    def stated(facts: DocumentFacts) -> bool:
        return any(
            implies(p, new, asked) for s in facts.derived(_lines_naming(purpose)) for p in s.practices
        ) or any(implies(p, new, asked) for p in facts.derived(_listed_practices))

    return stated


_ITEMS = 40  # list items read under one lead-in at most (a lead-in governs a list, not a section)


def _listed_practices(facts: DocumentFacts) -> tuple[Practice, ...]:
    """For ``DocumentFacts.derived``: the practices of list items and table rows under a lead-in that
    states one ("We use the information we collect to:" / "- show you personalised advertising;"):
    each item has the lead-in's practice with the item's purposes and data. One pass over the lines;
    an item is a line after the lead-in with no practice of its own."""
    found: dict[Practice, None] = {}
    lead: tuple[Practice, ...] = ()
    items = 0
    for line in facts.text.split("\n"):
        if not line.strip():
            continue
        if line.rstrip().endswith(":"):
            lead, items = _stated(facts.original(line)).practices, 0
        elif lead and items < _ITEMS and not _practices(line):
            items += 1
            purposes = frozenset(c.key for c in tag_slot(line, "purpose"))
            data = frozenset(c.key for c in tag_slot(line, "data")) - {"personal_data"}
            for p in lead:
                found[attrs.evolve(p, purposes=p.purposes | purposes, data=p.data | data)] = None
        else:
            lead = ()
    return tuple(found)


def party_stated(ctx: Context, frame: Frame, party: str) -> bool:
    """True when some practice of the old version gives ``party`` or a wider class of party related
    data (for AI training or the party's own purposes, for those purposes too): a recipient restated
    elsewhere in other words is not new, whichever the practice
    ("we share it with our service providers" / "our vendors process it for us"). Named data must be
    named there too: "we may disclose information to government authorities" does not give a tax
    authority your confidential customer information."""
    new = attrs.evolve(practice_of(frame), parties=frozenset({party}))
    strong = frame.purpose_keys & _PARTY_PURPOSES
    return ctx.old_facts.derived(_party_stated_for(party, new, strong))


def parties_stated(ctx: Context, frame: Frame) -> bool:
    """True when, for each third party of ``frame``, some practice of the old version gives it (or a
    wider class) related data (``party_stated``): data passed on as the old version passed it on."""
    return bool(frame.parties) and all(party_stated(ctx, frame, c.key) for c in frame.parties)


def sensitive_data(frame: Frame) -> bool:
    """The frame names a specific sensitive kind of data (messages, biometrics, precise location ...;
    not "content" at large, which names web pages and what users create as much as their data)."""
    return any(_sensitive(k) and k != "content" for k in frame.data_keys)


# purposes that make a party new even when it got the data before ("their own purposes", AI training)
_PARTY_PURPOSES = frozenset({"ai_training", "own_purposes"})


@lru_cache(maxsize=4096)
def _party_stated_for(party: str, new: Practice, strong: frozenset[str]) -> Callable[[DocumentFacts], bool]:
    def stated(facts: DocumentFacts) -> bool:
        lines = facts.derived(_lines_naming_party(party))
        return any(implies(p, new, strong, general=False, kinds=False) for s in lines for p in s.practices)

    return stated


@cache
def _lines_naming_party(key: str) -> Callable[[DocumentFacts], Unfolding[Stated]]:
    """For ``DocumentFacts.derived``: the lines with a practice given to ``key`` or a wider class of
    party, read only among the lines with a trigger literal of them (all lines for a party the lexicon
    does not find by a literal: a name)."""
    literals: tuple[str, ...] | None = ()
    for wider in ancestors(key):
        literals = _either(literals, key_triggers("actor", wider))

    def lines(facts: DocumentFacts) -> Unfolding[Stated]:
        return Unfolding(
            stated
            for line in facts.lines(literals)
            if (stated := _stated(facts.original(line))).practices
            and any(subsumes(o, key) for p in stated.practices for o in p.parties)
        )

    return lines


def purpose_only_denied(ctx: Context, purpose: str) -> bool:
    """True when the old version names this purpose only in practices it denies ("we do not ...")."""
    return ctx.old_facts.derived(_only_denied(purpose))


@cache
def _only_denied(purpose: str) -> Callable[[DocumentFacts], bool]:
    def only_denied(facts: DocumentFacts) -> bool:
        denied = False
        for s in facts.derived(_lines_naming(purpose)):
            if any(purpose in p.purposes for p in s.practices):
                return False
            denied = denied or purpose in s.denied
        return denied

    return only_denied


def _sensitive(key: str) -> bool:
    return any(subsumes(s, key) for s in SENSITIVE_DATA)


def data_stated(ctx: Context, key: str) -> bool:
    """True when the old version affirmatively states a practice on this data or a wider kind of it
    (not "personal data"): which kinds of data the policy covers does not hang on the verb ("we
    collect device data" covers "we use your device identifiers"; passing data to a party is the
    sharing rules' question). Sensitive data is never taken as stated: which messages or content a
    practice reaches is the clause's own question ("web content joins the browsing data")."""
    if _sensitive(key):
        return False
    return ctx.old_facts.derived(_data_stated(key))


@cache
def _data_stated(key: str) -> Callable[[DocumentFacts], bool]:
    wider = frozenset(o for o in ancestors(key) if o != "personal_data")

    def stated(facts: DocumentFacts) -> bool:
        return any(o in s.data for s in facts.derived(_lines_with_data(key)) for o in wider) or any(
            o in p.data for p in facts.derived(_listed_practices) for o in wider
        )

    return stated
