"""What a whole document version still promises: removal is judged against the document, not the clause.

A promise that leaves its clause may be reworded or moved elsewhere ("We do not use your messages
for advertising" -> a later section's "Your messages are never used to show you ads"). Before a
promise is reported removed (or added), the other version's promises are looked through: one index
per document (``DocumentFacts.derived``: a clause both versions have is read once), built from its
negated sentences with a practice's action only, read as far as a question needs (``Unfolding``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from policydiff.semantics.context import Context
from policydiff.semantics.cues import tag_slot
from policydiff.semantics.frames import PRACTICES, Analysis, Frame, analyse
from policydiff.semantics.lexicon import FIRST_PARTY, related
from policydiff.semantics.rules.helpers import family, is_promise, users_own
from policydiff.semantics.rules.pledges import (
    commitments,
    restricted,
)
from policydiff.semantics.text import DocumentFacts, Unfolding

_RIGHTS_WORD = re.compile(r"\b(?:right|abilit|delet|eras|access|correct|export|download|rectif|portab)")
RIGHT_VERB = re.compile(
    r"access|correct|delet|eras|export|download|port|object|withdraw|rectif|restrict|request"
)
# a sentence that may hold a promise: a negation, a negative subject or a verb that negates by its meaning
_NEGATED = re.compile(
    r"\b(?:not|never|no|none|nobody|nothing|cannot|nor|neither|refrain\w*|abstain\w*|refuse\w*|"
    r"decline\w*|prohibited|forbidden|barred|precluded|intention)\b|n't\b"
)
# a verb of getting whose subject is another party: "advertisers never receive your location from us"
_OUTSIDE = re.compile(r"\b(?:outside|beyond)\s+(?:of\s+)?$", re.IGNORECASE)
_RECEIVE = re.compile(r"(?:receiv|get|obtain|gets|got)", re.IGNORECASE)
_SENTENCES = re.compile(r"(?<=[.!?;])\s+|\n+")


def _promises(line: str) -> tuple[tuple[Frame, frozenset[str]], ...]:
    """The promises (negated practices) of a folded document line (``DocumentFacts.each_line``), each
    with the words of its line (what a promise about a named product is matched against).

    A sentence can hold one only with a negation and a practice's action cue (found by the action
    patterns alone, ``tag_slot``): the rest are not read into frames. A question answered "No" is a
    promise too ("Do we sell your personal information? No.").
    """
    out: list[Frame] = []
    sentences = _SENTENCES.split(line)
    for n, sentence in enumerate(sentences):
        answered_no = sentence.endswith("?") and n + 1 < len(sentences) and bool(_NO.match(sentences[n + 1]))
        if answered_no or _NEGATED.search(sentence):
            sentence = sentence.strip()
            if any(c.key in PRACTICES for c in tag_slot(sentence, "action")):
                analysis = analyse(sentence)
                if answered_no:
                    frames = tuple(
                        attrs.evolve(f, negated=True, modality="prohibit") for f in analysis.frames
                    )
                    out.extend(f for f in (as_promise(f, analysis) for f in frames) if f)
                else:
                    out.extend(sentence_promises(analysis))
    if not out:
        return ()
    words = frozenset(_WORD.findall(line))
    return tuple((f, words) for f in out)


_NO = re.compile(r"\s*no\b")
# a lead-in that negates the items listed under it ("We will never:", "We do not:")
_NEGATED_LEAD = re.compile(r"(?:^|[.;]\s+)([^.;:]{0,80}\b(?:not|never|n't)\b[^.;:]{0,20}):$")
# an item with a subject of its own is no continuation of the lead-in ("we share ...", "you can ...")
_OWN_SUBJECT = re.compile(r"(?:we|you|our|your|they|it|this|these|the|if|when|where|for|to|in|please)\b")


def _listed_promises(text: str) -> tuple[tuple[Frame, frozenset[str]], ...]:
    """Promises of the list items under a negated lead-in, read with it: "We will never:" then "- sell your
    data;" is the promise "we will never sell your data" (one pass over the folded document)."""
    out: list[tuple[Frame, frozenset[str]]] = []
    lead: str | None = None
    for line in text.split("\n"):
        match = _NEGATED_LEAD.search(line, max(0, len(line) - 120)) if line.endswith(":") else None
        if match is not None:
            lead = match.group(1).strip()
            continue
        if lead is None or not line or len(line) > 250 or _OWN_SUBJECT.match(line):
            lead = None  # the list ended
            continue
        out.extend(_promises(f"{lead} {line}"))
    return tuple(out)


def document_promises(facts: DocumentFacts) -> Unfolding[tuple[Frame, frozenset[str]]]:
    """Every promise of a document version: its lines' (each read once), then its negated lists';
    one index per document, read only as far as a question needs (``Unfolding``)."""
    return facts.derived(_all_promises)


def _all_promises(facts: DocumentFacts) -> Unfolding[tuple[Frame, frozenset[str]]]:
    return Unfolding(_each_promise(facts))


def _each_promise(facts: DocumentFacts) -> Iterator[tuple[Frame, frozenset[str]]]:
    for _, line in facts.answers(_promises):
        yield from line
    yield from facts.once(_listed_promises)


_WORD = re.compile(r"[\w'-]+")
_DETERMINER = re.compile(r"\b(?:your|the|our|their|its|these|those|this|that|any|all|of)\s", re.IGNORECASE)
_NAME_WORD = re.compile(r"(?<![.:!?]\s)\b[A-Z][\w'-]*")


def qualifiers(frame: Frame, analysis: Analysis) -> frozenset[str]:
    """Names that narrow a promise's data, folded: "your Bing Chat conversations" -> {"bing", "chat"}.

    The capitalised words (not the sentence's first) of each data phrase, from its determiner on: a
    promise about one named product's data is not the same promise as one about another's.
    """
    out: set[str] = set()
    if analysis.text.isupper():
        return frozenset()  # a sentence in capitals names nothing by its capitals
    for cue in frame.data:
        lo = max(0, cue.start - 60)
        heads = list(_DETERMINER.finditer(analysis.text, lo, cue.start))
        lo = heads[-1].end() if heads else cue.start
        out.update(m.group(0).lower() for m in _NAME_WORD.finditer(analysis.text, lo, cue.end) if m.start())
    return frozenset(out)


def as_promise(frame: Frame, analysis: Analysis) -> Frame | None:
    """``frame`` as a promise of the document index, or None.

    A negated practice without data of its own takes the data its sentence names ("your readings stay
    private: no one outside our company receives them"); another party that never receives the data is
    the service never sharing it ("advertisers never receive your location from us").
    """
    if frame.negated and not frame.data_keys:
        keys = tuple(sorted({c.key for c in analysis.of("data")}))
        frame = attrs.evolve(frame, inherited_data=keys)
    if (
        frame.negated
        and frame.action.key == "collect"
        and not frame.passive
        and _RECEIVE.match(frame.action.text)
        and not any(
            a.key in FIRST_PARTY and not _OUTSIDE.search(analysis.text, 0, a.start) for a in frame.actors
        )
    ):
        frame = attrs.evolve(frame, action=attrs.evolve(frame.action, key="share"))
    return frame if is_promise(frame) else None


def sentence_promises(analysis: Analysis) -> list[Frame]:
    """The promises of a sentence as the index holds them: its negated practices about data
    (``as_promise``) and the wider ``commitments`` (about the user, a practice, a purpose), each once."""
    out: dict[int, Frame] = {}
    for frame in analysis.frames:
        promise = as_promise(frame, analysis)
        if promise is not None:
            out[frame.action.start] = promise
    for frame in commitments(analysis):
        out.setdefault(frame.action.start, frame)
    return list(out.values())


def same_promise(old: Frame, new: Frame) -> bool:
    """The same commitment: the same practice, on related data, for the AI training it named."""
    if family(old.action.key) != family(new.action.key) and not (
        "ai_training" in old.purpose_keys and "ai_training" in new.purpose_keys
    ):
        return False
    if "ai_training" in old.purpose_keys and "ai_training" not in new.purpose_keys:
        return False
    old_data, new_data = old.data_keys - {"personal_data"}, new.data_keys - {"personal_data"}
    if old_data and not any(related(a, b) for a in old_data for b in new_data or new.data_keys):
        return False
    return (
        not (old.purpose_keys - {"ai_training"})
        or bool(old.purpose_keys & new.purpose_keys)
        or (not new.purpose_keys)
    )


_ONLY = re.compile(r"\b(?:only|solely|exclusively|strictly)\b")
_EXCEPT = re.compile(r"\b(?:except|unless|other than|save as|apart from)\b", re.IGNORECASE)


def _restrictions(line: str) -> tuple[Frame, ...]:
    """The restrictions ("we will only use your content to ...") of a folded document line."""
    out: list[Frame] = []
    for sentence in _SENTENCES.split(line):
        if _ONLY.search(sentence):
            analysis = analyse(sentence.strip())
            out.extend(
                f
                for f in analysis.frames
                if f.affirmative and f.data_keys and not users_own(f) and restricted(f, analysis)
            )
    return tuple(out)


def kept_in_document(ctx: Context, promise: Frame) -> bool:
    """True when the new version still makes ``promise`` somewhere (reworded or moved).

    A promise with exceptions ("will not access your content except as this agreement provides") or a
    consent condition is kept by a restriction of the same practice ("will only access your content in
    accordance with this agreement", "we only share it when you agree"): the same commitment, said the
    other way round. A promise about a named product's data is kept only where that product is named.
    """
    names = qualifiers(promise, ctx.old) if ctx.old is not None else frozenset()
    if any(same_promise(promise, f) and names <= words for f, words in document_promises(ctx.new_facts)):
        return True
    if promise.action.key == "share" and confided(ctx.new_facts, promise.data_keys):
        return True  # "we will not share your messages" -> "your messages are kept confidential"
    excepted = bool({"exception", "consent"} & promise.condition_keys) or (
        ctx.old is not None and _EXCEPT.search(ctx.old.text) is not None
    )
    return excepted and any(same_promise(promise, f) for f in ctx.new_facts.derived(_all_restrictions))


def made_before(ctx: Context, promise: Frame) -> bool:
    """True when the old version already made ``promise`` somewhere (moved in, not added)."""
    names = qualifiers(promise, ctx.new) if ctx.new is not None else frozenset()
    return any(
        same_promise(f, promise) and same_promise(promise, f) and _covers(f, promise) and names <= words
        for f, words in document_promises(ctx.old_facts)
    )


# data named for everything the service holds ("your personal data", "any information"), not "this data"
_ALL_DATA = re.compile(r"^(?:your|all|any|our users.|users.|personal|customer)\b", re.IGNORECASE)


def _covers(old: Frame, new: Frame) -> bool:
    """The old promise covers the new one's data: related specific data, or all the user's data.

    "This data is processed on your device and is not stored" (one feature's data) does not make
    "your conversations will not be saved" a promise made before; "we never store your personal data" does.
    """
    if not new.data_keys - {"personal_data"} or old.data_keys - {"personal_data"}:
        return True
    return any(_ALL_DATA.match(c.text) for c in old.data)


def _right_verbs(line: str) -> frozenset[str]:
    """The rights a folded document line names ("delet", "access", ...), from its user-right phrases
    (the rights patterns alone read them, ``tag_slot``)."""
    verbs: set[str] = set()
    for sentence in _SENTENCES.split(line):
        if _RIGHTS_WORD.search(sentence):
            for cue in tag_slot(sentence.strip(), "rights"):
                if cue.key == "right":
                    verbs |= set(RIGHT_VERB.findall(cue.text.lower()))
    return frozenset(verbs)


def right_kept(ctx: Context, verbs: set[str]) -> bool:
    """True when the new version still names each of these rights somewhere (reworded or moved)."""
    missing = set(verbs)
    for named in ctx.new_facts.derived(_all_right_verbs):
        missing -= named
        if not missing:
            break
    return bool(verbs) and not missing


def _commitment_keys(line: str) -> frozenset[str]:
    """The promises said without a negation ("kept confidential", "stays on your device") of a line."""
    return frozenset(c.key for c in tag_slot(line, "commitment"))


def _confided(line: str) -> frozenset[str]:
    """The data that a line's sentences say are kept confidential or private (their data keys)."""
    out: set[str] = set()
    for sentence in _SENTENCES.split(line):
        if "confiden" in sentence or "private" in sentence:
            sentence = sentence.strip()
            if any(c.key == "confidential" for c in tag_slot(sentence, "commitment")):
                out.update(c.key for c in tag_slot(sentence, "data"))
    return frozenset(out)


def confided(facts: DocumentFacts, data: frozenset[str]) -> bool:
    """True when the version says somewhere that this data (or data related to it) is kept confidential."""
    keys = data - {"personal_data"} or data
    return any(related(a, b) for line in facts.derived(_all_confided) for a in line for b in keys)


def disclosure_promised(facts: DocumentFacts, data: frozenset[str]) -> bool:
    """True when the version promises somewhere not to disclose this data (or data related to it)."""
    keys = data - {"personal_data"} or data
    return any(
        family(f.action.key) == "share" and any(related(a, b) for a in f.data_keys for b in keys)
        for f, _ in document_promises(facts)
    )


def commitment_made(facts: DocumentFacts, key: str) -> bool:
    """True when the document version makes a commitment of this kind somewhere (in any words)."""
    return any(key in line for line in facts.derived(_all_commitments))


def restriction_kept(ctx: Context, frame: Frame) -> bool:
    """True when the new version still limits this practice somewhere ("used solely to ...")."""
    return any(same_promise(frame, f) for f in ctx.new_facts.derived(_all_restrictions))


def restriction_made_before(ctx: Context, frame: Frame) -> bool:
    """True when the old version already bound this practice somewhere: a promise not to do it (perhaps
    "without your consent") or a restriction of it ("we only share it when you agree")."""
    return any(same_promise(f, frame) for f, _ in document_promises(ctx.old_facts)) or any(
        same_promise(f, frame) for f in ctx.old_facts.derived(_all_restrictions)
    )


# the whole-document indexes (``DocumentFacts.derived``): each distinct line read once, and only as
# far as a question needs (``Unfolding``); lines with nothing to say left out


def _all_restrictions(facts: DocumentFacts) -> Unfolding[Frame]:
    return Unfolding(f for _, line in facts.answers(_restrictions) for f in line)


def _all_right_verbs(facts: DocumentFacts) -> Unfolding[frozenset[str]]:
    return Unfolding(verbs for _, verbs in facts.answers(_right_verbs) if verbs)


def _all_confided(facts: DocumentFacts) -> Unfolding[frozenset[str]]:
    return Unfolding(keys for _, keys in facts.answers(_confided) if keys)


def _all_commitments(facts: DocumentFacts) -> Unfolding[frozenset[str]]:
    return Unfolding(keys for _, keys in facts.answers(_commitment_keys) if keys)
