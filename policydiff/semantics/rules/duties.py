"""Promises beyond negated practices: duties to delete or notify, and purposes the service forgoes.

A duty ("we will delete your recordings within 30 days of closure") or a forgone purpose ("we never
show you ads") is new only if the old version states it nowhere, in any words or tense, and lost only
if the new version states it nowhere. Each version is read once into keyed indexes (``DocumentFacts
.derived``): a question then costs a few set look-ups, whatever the document's length. A promise not to
keep data past a bound ("we do not keep your history longer than 18 months") and a duty to delete it
within that bound are one commitment in two wordings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from policydiff.semantics.context import Context, Hit
from policydiff.semantics.cues import key_triggers, tag_slot
from policydiff.semantics.frames import Analysis, Frame, analyse
from policydiff.semantics.lexicon import ancestors
from policydiff.semantics.rules.helpers import data_phrase, q
from policydiff.semantics.rules.kept import document_promises, sentence_promises
from policydiff.semantics.rules.pledges import OBLIGATIONS, bounded, negated_purposes, obligations
from policydiff.semantics.text import DocumentFacts

_SENTENCES = re.compile(r"(?<=[.!?;])\s+|\n+")
_NEGATED = re.compile(r"\b(?:not|never|no|none|nobody|nothing|cannot|nor|neither)\b|n't\b")
_GENERAL = "personal_data"


@attrs.frozen
class KeySet:
    """Data or purpose keys a version names for one kind of promise, with everything above them, so
    "is a related key here?" is a few set look-ups (subsumption both ways), not a scan."""

    keys: frozenset[str]
    above: frozenset[str]
    general: bool  # a promise about the user's data in general ("your personal data")
    stated: bool  # any promise of the kind at all

    @classmethod
    def of(cls, groups: Iterable[frozenset[str]]) -> KeySet:
        keys: set[str] = set()
        general = stated = False
        for group in groups:
            stated = True
            specific = group - {_GENERAL}
            general = general or (bool(group) and not specific)
            keys |= specific
        above = {a for k in keys for a in ancestors(k)}
        return cls(frozenset(keys), frozenset(above), general, stated)

    def covers(self, wanted: frozenset[str]) -> bool:
        """A key of ``wanted`` is here, above or under one here; or the version spoke of all data."""
        specific = wanted - {_GENERAL}
        if not specific:
            return self.stated
        return self.general or any(k in self.above or self.keys.intersection(ancestors(k)) for k in specific)


# a period that bounds a keeping: "for 30 days", "up to 18 months", "for two years"
_PERIOD = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|eighteen|twenty|thirty|sixty|ninety)"
    r"[\s-]+(?:calendar\s+|business\s+)?(?:days?|weeks?|months?|years?)\b",
)


def _obligations(line: str) -> tuple[Frame, ...]:
    """The duties to delete or notify a folded document line states, in any tense (``obligations``);
    a keeping for a stated period ("we keep your logs for 30 days") is a duty to delete after it."""
    out: list[Frame] = []
    for sentence in _SENTENCES.split(line):
        keys = {c.key for c in tag_slot(sentence, "action")}
        if keys & OBLIGATIONS:
            out.extend(obligations(analyse(sentence.strip()), strict=False))
        if "retain" in keys and _PERIOD.search(sentence):
            analysis = analyse(sentence.strip())
            out.extend(
                as_deletion(f)
                for f in analysis.frames
                if f.action.key == "retain" and f.affirmative and _PERIOD.search(analysis.text, f.action.end)
            )
    return tuple(out)


def as_deletion(frame: Frame) -> Frame:
    """A bound on keeping data read as the duty to delete it: one commitment in two wordings."""
    return attrs.evolve(frame, action=attrs.evolve(frame.action, key="delete"))


def _duties(facts: DocumentFacts) -> dict[str, KeySet]:
    """Per duty ("delete", "notify"): the data the version binds itself to delete or notify about."""
    triggers = [key_triggers("action", key) for key in sorted(OBLIGATIONS | {"retain"})]
    lines = None if None in triggers else tuple(w for t in triggers for w in t or ())
    found: dict[str, list[frozenset[str]]] = {key: [] for key in OBLIGATIONS}
    for _, frames in facts.answers(_obligations, lines):
        for frame in frames:
            found[frame.action.key].append(frame.data_keys)
    # a promise not to keep data at all or past a bound is a duty to delete it ("not stored")
    found["delete"] += [f.data_keys for f, _ in document_promises(facts) if f.action.key == "retain"]
    return {key: KeySet.of(groups) for key, groups in found.items()}


def obligation_made(facts: DocumentFacts, duty: Frame) -> bool:
    """True when the version states this duty somewhere, in any words: the same action ("delete",
    "erase", "anonymise" are one) on related data, or on the user's data in general."""
    index = facts.derived(_duties).get(duty.action.key)
    return index is not None and index.covers(duty.data_keys)


def _purpose_promises(line: str) -> frozenset[str]:
    """The purposes a folded document line promises not to pursue: negated ("we never show ads"), the
    purpose of a negated practice ("we do not use your data for advertising"), or a no-ads commitment."""
    out: set[str] = set()
    for sentence in _SENTENCES.split(line):
        if _NEGATED.search(sentence) and tag_slot(sentence, "purpose"):
            analysis = analyse(sentence.strip())
            out.update(p.key for _, p in negated_purposes(analysis))
            out.update(k for f in sentence_promises(analysis) for k in f.purpose_keys)
        if ("ads" in sentence or "advertis" in sentence) and any(
            c.key == "no_targeted_ads" for c in tag_slot(sentence, "commitment")
        ):
            out.add("advertising")
    return frozenset(out)


def _forgone(facts: DocumentFacts) -> KeySet:
    return KeySet.of(keys for _, keys in facts.answers(_purpose_promises) if keys)


def purpose_promised(facts: DocumentFacts, key: str) -> bool:
    """True when the version promises somewhere not to pursue this purpose (or one related to it)."""
    return facts.derived(_forgone).covers(frozenset({key}))


def deletion_restated(facts: DocumentFacts, promise: Frame, analysis: Analysis | None) -> bool:
    """A promise not to keep data past a bound ("not longer than 18 months") that the other version
    states as a duty to delete it ("we delete your history within 18 months"). A promise not to keep
    data at all ("your conversations are not stored") is more than any deletion."""
    if promise.action.key != "retain" or analysis is None or not bounded(promise, analysis):
        return False
    index = facts.derived(_duties)["delete"]
    return index.covers(promise.data_keys)


def obligation_added(ctx: Context) -> Hit | None:
    """A duty to delete or notify ("we will delete your recordings within 30 days of closure") that the
    old version states nowhere, in any words or tense."""
    if ctx.new is None:
        return None
    for frame in obligations(ctx.new):
        if not obligation_made(ctx.old_facts, frame):
            return Hit(
                f"Adds a commitment: {q(frame.action)} {data_phrase(frame)}.",
                ((frame.action, "new"), *tuple((c, "new") for c in frame.modal_cues[:1])),
            )
    return None


def obligation_removed(ctx: Context) -> Hit | None:
    """A duty to delete or notify that the new version states nowhere, in any words or tense."""
    if ctx.old is None:
        return None
    for frame in obligations(ctx.old):
        if not obligation_made(ctx.new_facts, frame):
            what = f"{q(frame.action)} {data_phrase(frame)}"
            return Hit(f"Removes the commitment {what}.", ((frame.action, "old"),))
    return None


def purpose_promise_added(ctx: Context) -> Hit | None:
    """A purpose the service now says it does not pursue ("we never show you ads")."""
    if ctx.new is None:
        return None
    for neg, purpose in negated_purposes(ctx.new):
        if not purpose_promised(ctx.old_facts, purpose.key):
            return Hit(f"Adds a promise: no {q(purpose)}.", ((purpose, "new"), (neg, "new")))
    return None


def purpose_promise_removed(ctx: Context) -> Hit | None:
    """A purpose the service said it did not pursue, a promise the new version makes nowhere."""
    if ctx.old is None:
        return None
    for neg, purpose in negated_purposes(ctx.old):
        if not purpose_promised(ctx.new_facts, purpose.key):
            return Hit(f"Removes the promise: no {q(purpose)}.", ((purpose, "old"), (neg, "old")))
    return None
