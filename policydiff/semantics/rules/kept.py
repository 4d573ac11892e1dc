"""What a whole document version still promises: removal is judged against the document, not the clause.

A promise that leaves its clause may be reworded or moved elsewhere ("We do not use your messages
for advertising" -> a later section's "Your messages are never used to show you ads"). Before a
promise is reported removed (or added), the other version's promises are looked through: one index
per document (``DocumentFacts.derived``: a clause both versions have is read once), built from its
negated sentences with a practice's action only, at the first question.
"""

from __future__ import annotations

import re

from policydiff.semantics.context import Context
from policydiff.semantics.cues import tag_slot
from policydiff.semantics.frames import PRACTICES, Frame, analyse
from policydiff.semantics.lexicon import related
from policydiff.semantics.rules.helpers import family, is_promise, users_own
from policydiff.semantics.text import DocumentFacts, Unfolding

_RIGHTS_WORD = re.compile(r"\b(?:right|abilit|delet|eras|access|correct|export|download|rectif|portab)")
RIGHT_VERB = re.compile(
    r"access|correct|delet|eras|export|download|port|object|withdraw|rectif|restrict|request"
)
_NEGATED = re.compile(r"\b(?:not|never|no longer|cannot|nor|neither)\b|n't\b")
_SENTENCES = re.compile(r"(?<=[.!?;])\s+|\n+")


def _promises(line: str) -> tuple[Frame, ...]:
    """The promises (negated practices) of a folded document line (``DocumentFacts.each_line``).

    A sentence can hold one only with a negation and a practice's action cue (found by the action
    patterns alone, ``tag_slot``): the rest are not read into frames.
    """
    out: list[Frame] = []
    for sentence in _SENTENCES.split(line):
        if _NEGATED.search(sentence):
            sentence = sentence.strip()
            if any(c.key in PRACTICES for c in tag_slot(sentence, "action")):
                out.extend(f for f in analyse(sentence).frames if is_promise(f))
    return tuple(out)


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


_ONLY = re.compile(r"\b(?:only|solely|exclusively)\b")
_EXCEPT = re.compile(r"\b(?:except|unless|other than|save as|apart from)\b", re.IGNORECASE)


def _restrictions(line: str) -> tuple[Frame, ...]:
    """The restrictions ("we will only use your content to ...") of a folded document line."""
    out: list[Frame] = []
    for sentence in _SENTENCES.split(line):
        if _ONLY.search(sentence):
            out.extend(
                f
                for f in analyse(sentence.strip()).frames
                if f.modality == "restrict" and f.affirmative and f.data_keys and not users_own(f)
            )
    return tuple(out)


def kept_in_document(ctx: Context, promise: Frame) -> bool:
    """True when the new version still makes ``promise`` somewhere (reworded or moved).

    A promise with exceptions ("will not access your content except as this agreement provides") is
    kept by a restriction of the same practice ("will only access your content in accordance with
    this agreement"): the same commitment, said the other way round.
    """
    if any(same_promise(promise, f) for f in ctx.new_facts.derived(_all_promises)):
        return True
    excepted = "exception" in promise.condition_keys or (
        ctx.old is not None and _EXCEPT.search(ctx.old.text) is not None
    )
    return excepted and any(same_promise(promise, f) for f in ctx.new_facts.derived(_all_restrictions))


def made_before(ctx: Context, promise: Frame) -> bool:
    """True when the old version already made ``promise`` somewhere (moved in, not added)."""
    return any(
        same_promise(f, promise) and same_promise(promise, f) for f in ctx.old_facts.derived(_all_promises)
    )


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


def _all_promises(facts: DocumentFacts) -> Unfolding[Frame]:
    """The promises of a whole document (``DocumentFacts.derived``), each distinct line read once and
    only as far as a question needs (``Unfolding``)."""
    return Unfolding(f for _, line in facts.answers(_promises) for f in line)


def _all_restrictions(facts: DocumentFacts) -> Unfolding[Frame]:
    return Unfolding(f for _, line in facts.answers(_restrictions) for f in line)


def _all_right_verbs(facts: DocumentFacts) -> Unfolding[frozenset[str]]:
    return Unfolding(verbs for _, verbs in facts.answers(_right_verbs) if verbs)
