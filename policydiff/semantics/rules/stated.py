"""What the old version already stated: additions are judged against the whole document, not the clause.

A policy rewritten into longer prose restates, in a later section and other words, practices an
earlier section stated ("We use your browsing activity to personalise ads" -> "Based on the pages you
visit, we may show you advertising that matches your interests"). Before a purpose, a kind of data
is reported added, the old version's affirmative practices are looked through: one
index per document and purpose or kind of data asked about (``DocumentFacts.derived``: a clause
both versions have is read once), of the lines whose sentences with a practice's action name it
by the slot patterns alone (``tag_slot``, cheap), looked for only in the lines with a trigger
literal of those patterns. Only those lines are read into frames, each once. A practice the old version only
denied ("we do not use it for ads") is not stated; who receives the data is the sharing rules' and
the purpose rule's own question (a purpose given to a new party stays new).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache

import attrs

from policydiff.semantics.context import Context
from policydiff.semantics.cues import key_triggers, tag_slot
from policydiff.semantics.frames import PRACTICES, Frame, analyse
from policydiff.semantics.lexicon import ancestors, related, subsumes
from policydiff.semantics.rules.helpers import SENSITIVE_DATA, family, practices
from policydiff.semantics.text import DocumentFacts, Unfolding

_SENTENCES = re.compile(r"(?<=[.!?;])\s+|\n+")
# rules of conduct ("you may not ... enable any third parties to use the services for advertising")
# state what users must not do, no practice of the service
_CONDUCT = re.compile(r"\b(?:you|users?)\s+(?:may not|must|shall|should|agree|will not|cannot|can't)\b")
# the service's own handling of data (collected, used, kept) against passing it on or training on it
_CLASSES = {"collect": "handle", "use": "handle", "retain": "handle", "share": "share", "sell": "share"}


def action_class(action: str) -> str:
    """The class of a practice for "stated before": handling, passing on, or a class of its own."""
    return _CLASSES.get(action, family(action))


@attrs.frozen
class Stated:
    """The practices of one line: purposes (by action class and data), data; purposes it denies."""

    purposes: frozenset[tuple[str, str, str]] = frozenset()  # (action class, purpose, data or "")
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
    """The practices a folded document line states: its practice sentences read into frames."""
    purposes: set[tuple[str, str, str]] = set()
    data: set[str] = set()
    denied: set[str] = set()
    for sentence in _practice_sentences(line):
        analysis = analyse(sentence)
        for frame in practices(analysis):
            if not frame.affirmative:
                denied |= frame.purpose_keys
                continue
            kind = action_class(frame.action.key)
            named = frame.data_keys - {"personal_data"} or {""}
            purposes |= {(kind, p, d) for p in frame.purpose_keys for d in named}
            data |= frame.data_keys
    if not (purposes or data or denied):
        return _NOTHING
    return Stated(frozenset(purposes), frozenset(data), frozenset(denied))


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
            _stated(line) for line, keys in facts.answers(_line_purposes, literals) if purpose in keys
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
        return Unfolding(_stated(line) for line, keys in facts.answers(_line_data, literals) if wider & keys)

    return lines


def purpose_stated(ctx: Context, frame: Frame, purpose: str) -> bool:
    """True when the old version affirmatively states this purpose for the same class of practice on
    related data ("use your logo for marketing" states nothing about using messages for marketing), a
    sensitive kind only by a practice naming related data. One answer per document and question."""
    data = frame.data_keys - {"personal_data"}
    return ctx.old_facts.derived(_stated_for(purpose, action_class(frame.action.key), data))


@lru_cache(maxsize=4096)
def _stated_for(purpose: str, kind: str, data: frozenset[str]) -> Callable[[DocumentFacts], bool]:
    general = not any(_sensitive(n) for n in data)  # data in general covers no sensitive kind

    def stated(facts: DocumentFacts) -> bool:
        return any(
            k == kind
            and p == purpose
            and ((not d and general) or not data or any(related(d, n) for n in data))
            for s in facts.derived(_lines_naming(purpose))
            for k, p, d in s.purposes
        )

    return stated


def _related(key: str, data: frozenset[str]) -> bool:
    return any(related(key, n) for n in data)


def purpose_only_denied(ctx: Context, purpose: str) -> bool:
    """True when the old version names this purpose only in practices it denies ("we do not ...")."""
    return ctx.old_facts.derived(_only_denied(purpose))


@cache
def _only_denied(purpose: str) -> Callable[[DocumentFacts], bool]:
    def only_denied(facts: DocumentFacts) -> bool:
        denied = False
        for s in facts.derived(_lines_naming(purpose)):
            if any(p == purpose for _, p, _ in s.purposes):
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
        return any(o in s.data for s in facts.derived(_lines_with_data(key)) for o in wider)

    return stated
