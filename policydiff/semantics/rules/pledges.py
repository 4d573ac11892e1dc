"""What a sentence promises: negated practices, negated purposes and obligations that protect the user.

One reading for both sides of a comparison: a promise found in the new version is new only if the old
version's index (``kept``), built with these same functions, holds none of the same frame. A promise is
read by grammar and the lexicon, never by the sentence's words:

- ``commitments``: negated practices of the service ("we do not and will not sell your data", "your
  location is never shared with advertisers", "no analytics"), not the user's duties, not a negation
  inside a condition, not liability boilerplate;
- ``negated_purposes``: a negation that governs a purpose without a practice verb ("we never show you
  ads", "we won't contact you for marketing");
- ``obligations``: a positive duty to delete or notify that binds the service ("we will delete your
  recordings within 30 days", "we will notify you of a breach"), not a sanction ("we will delete your
  content if it breaks these terms") nor a notice of changes (``notice.weakened``'s concern).
"""

from __future__ import annotations

import re

import attrs

from policydiff.semantics.cues import Cue
from policydiff.semantics.frames import SHARING, Analysis, Frame
from policydiff.semantics.lexicon import FIRST_PARTY, is_third_party
from policydiff.semantics.mood import unstated
from policydiff.semantics.rules.helpers import feature_description, is_promise, practices

# the user or their things as the object of a negated practice ("does not track you", "log your searches")
# or a thing the user makes, named by a relative clause ("sell the recipes you save")
_USER_OBJECT = re.compile(
    r"\s+(?:you\b|your\s+\w+|(?:our\s+)?(?:users|members|visitors)\b|the\s+\w+(?:\s+\w+)?\s+(?:that\s+|which\s+)?"
    r"you\s+(?!agree|accept|acknowledge)\w+)",
    re.IGNORECASE,
)
# the subject of a passive: the user's things ("Your details will not be passed to ...")
_USER_SUBJECT = re.compile(
    r"(?:^|\s)(?:you\b|your\s+\w+|(?:our\s+)?(?:users|members|visitors|customers)\b)", re.IGNORECASE
)
# a practice named as a noun and negated: "no tracking", "without any profiling"
# or the object of a negated use ("we do not use any third-party tracking")
_NO_ACTION = re.compile(
    r"\b(?:no|without any|(?:use|employ|deploy|embed|install|run|allow|permit)\s+(?:any|such)?)\s+"
    r"(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
_TO_USER = re.compile(r"\s+to\s+(?:you|the (?:user|customer|licensee))\b", re.IGNORECASE)
# a negation inside a condition is no commitment ("a refund only if the content has not been accessed")
_CONDITION_CLAUSE = re.compile(r"\b(?:if|unless|whether|provided that)\b[^,;:]*$", re.IGNORECASE)
# the main clause after a condition without a comma: "If you live in California we do not sell ..."
_MAIN_CLAUSE = re.compile(
    r"\bwe\s+(?:\w+\s+)?(?:do|does|will|shall|would|never|not|don['’]t|won['’]t)\b", re.IGNORECASE
)
# a sentence that tells the user what not to do
_IMPERATIVE = re.compile(r"^\W*(?:please\s+)?(?:do not|don['’]t|never)\s+(?!we\b|will\b)", re.IGNORECASE)


def commitments(analysis: Analysis) -> list[Frame]:
    """Negated practices of the service, about data named anywhere in the sentence or about the user.

    Wider than ``is_promise``: the object may sit outside the frame ("none of the information we collect
    is ever shared"), be the user ("this site does not track you") or a practice ("no analytics"), or be
    left unsaid by a disclosure to third parties ("... will not be sold to third parties"). Not
    liability boilerplate ("in no event will we be liable"), not a negation inside a condition.
    """
    if any(c.key == "liability" for c in analysis.of("boilerplate")):
        return []  # liability boilerplate
    # "Do not post or send ...": a rule for the user, no promise ("Don't worry, we never sell" is one)
    imperative = _IMPERATIVE.match(analysis.text) is not None
    text = analysis.text
    has_data = bool(analysis.of("data"))
    purposes = [c.start for c in analysis.of("purpose")]
    out = []
    for frame in practices(analysis, affirmative=False):
        at, end = frame.action.start, frame.action.end
        if imperative and not any(a.key in FIRST_PARTY for a in frame.actors):
            continue
        if in_condition(text, at) or _TO_USER.match(text, end):
            continue  # a condition, or a sale to the user ("the software has not been sold to you")
        if (
            is_promise(frame)
            or has_data
            or any(p >= end for p in purposes)
            or _USER_OBJECT.match(text, end) is not None
            or (frame.passive and _USER_SUBJECT.search(text, max(0, at - 200), at) is not None)
            or (frame.action.key in SHARING and any(is_third_party(r.key) for r in frame.recipients))
            or _NO_ACTION.search(text, max(0, at - 30), at) is not None
            # the service not selling anything it holds ("we will never sell student records")
            or (frame.action.key == "sell" and any(a.key in FIRST_PARTY for a in frame.actors))
        ):
            out.append(frame)
    return out


def in_condition(text: str, at: int) -> bool:
    """The action at ``at`` lies in an "if"/"unless" clause, not in a main clause after it ("If you live in
    California we do not sell ..." is a promise; "If we do not receive payment, ..." is none)."""
    condition = _CONDITION_CLAUSE.search(text, max(0, at - 200), at)
    if condition is None:
        return False
    main = _MAIN_CLAUSE.search(text, condition.start(), at)
    return main is None or " " not in text[condition.start() : main.start()].strip()


# what the user can do or decides, framed perhaps by the feature: "You can hide your profile", "With
# disappearing messages, you decide ...", "Only you can see your notes": a feature, no promise of the service
_USER_ABILITY = re.compile(
    r"^\W*(?:(?:with|in|from|using|through|on|via)\b[^,.;:]{0,60},\s*)?(?:only\s+)?"
    r"(?:you|users|members|people|account holders|parents|creators)\s+(?:alone\s+)?"
    r"(?:(?:can|may|could|will be able to|are able to|have the (?:option|ability|choice|right) to|get to)\b"
    r"|(?:decide|control|choose|determine)s?\b)",
    re.IGNORECASE,
)
# an audience the user picks: "shared only with the friends you select"
_CHOSEN = re.compile(
    r"[^.;:!?]{0,80}?\b(?:you|users?)\s+(?:select|choose|pick|approve|allow|add|invite)\b", re.IGNORECASE
)


def feature(analysis: Analysis) -> bool:
    """A sentence about what the user (or a feature) lets people do: it promises nothing of the service."""
    return feature_description(analysis) or _USER_ABILITY.match(analysis.text) is not None


# purposes whose negation is a promise by itself ("we never show you ads", "no AI training on your files")
PROMISE_PURPOSES = frozenset({"advertising", "cross_context_ads", "ai_training", "sale"})
# between a negation and the purpose it governs: a few words, none ending a clause ("never show you ads")
_GAP = re.compile(r"^[^.;:,!?()]{0,40}$")


def negated_purposes(analysis: Analysis) -> list[tuple[Cue, Cue]]:
    """(negation, purpose) pairs: the service says it does not pursue the purpose ("we do not display
    advertising", "we won't contact you for marketing"). Only where no practice verb lies between them
    (that is a negated practice, read by ``commitments``), the speaker is the service and the sentence is
    no feature description, condition or instruction to the user."""
    negations = analysis.of("negation")
    if not negations or _IMPERATIVE.match(analysis.text) or feature(analysis):
        return []
    actions = [c.start for c in analysis.of("action")]
    first = [a for a in analysis.of("actor") if a.key in FIRST_PARTY]
    out: list[tuple[Cue, Cue]] = []
    for purpose in analysis.of("purpose"):
        if purpose.key not in PROMISE_PURPOSES:
            continue
        before = [n for n in negations if n.end <= purpose.start]
        if not before:
            continue
        neg = before[-1]
        if (
            _GAP.match(analysis.text[neg.end : purpose.start])
            and not any(neg.end <= a < purpose.start for a in actions)
            and any(a.end <= neg.start for a in first)
            and not in_condition(analysis.text, neg.start)
        ):
            out.append((neg, purpose))
    return out


# a duty bound in time or to the user's request: "within 30 days", "promptly", "when you close your account"
_BOUND = re.compile(
    r"\b(?:within|no later than|not later than|after|upon|following|at the end of|longer than|beyond|"
    r"more than|in excess of|once)\b|\bpromptly\b|"
    r"\bimmediately\b|\bwithout (?:undue )?delay\b|\bpermanently\b|\bat your request\b|"
    r"\bwhen you (?:close|delete|cancel|ask|request|leave)\b|\bif you (?:ask|request)\b",
    re.IGNORECASE,
)
# a deletion that punishes the user, or a notice about changes to the terms (``notice.weakened``)
_NOT_FOR_USER = {
    "delete": re.compile(
        r"\b(?:violat\w*|breach\w*|terminat\w*|suspen\w*|abus\w*|inappropriate|illegal|unlawful|infring\w*|"
        r"inactiv\w*|objectionable|remove any)\b",
        re.IGNORECASE,
    ),
    "notify": re.compile(r"\b(?:chang\w*|updat\w*|modif\w*|amend\w*|revis\w*|new version)\b", re.IGNORECASE),
}
OBLIGATIONS = frozenset(_NOT_FOR_USER)
# what a notice that protects the user's data is about, when it names no data: a breach, an authority's demand
_ABOUT_DATA = re.compile(
    r"\b(?:breach\w*|incident\w*|unauthori[sz]ed|compromise\w*|leak\w*|law enforcement|government\w*|"
    r"authorit(?:y|ies)|subpoena\w*|court order\w*|warrant\w*|legal (?:request|demand|process)\w*)\b",
    re.IGNORECASE,
)


def obligations(analysis: Analysis, *, strict: bool = True) -> list[Frame]:
    """Duties to delete or notify that protect the user ("we will delete your data within 30 days").

    Bound in time or to the user's request, not inside a condition. ``strict`` (a new promise): said
    with "will"/"shall"/"must". Not strict (what a version already says, for the whole-document index):
    also in the present tense ("we delete your data within 30 days"), not with "may".
    """
    out: list[Frame] = []
    for frame in practices_of(analysis, OBLIGATIONS):
        if frame.negated or _NOT_FOR_USER[frame.action.key].search(analysis.text):
            continue
        if frame.action.key == "notify" and not (analysis.of("data") or _ABOUT_DATA.search(analysis.text)):
            continue  # "we will notify you promptly of any claim": a notice, but not about the user's data
        if frame.actors and not any(a.key in FIRST_PARTY for a in frame.actors):
            continue
        if not bounded(frame, analysis) or in_condition(analysis.text, frame.action.start):
            continue
        if not strict:
            if frame.modality != "permit":
                out.append(frame)
        elif any(c.key == "assert" for c in frame.modal_cues) and (frame.actors or frame.passive):
            if not feature(analysis):
                out.append(frame)
    return out


def bounded(frame: Frame, analysis: Analysis) -> bool:
    """The practice is bound in time or to the user's request ("within 30 days", "longer than needed")."""
    return _BOUND.search(analysis.text, frame.action.end) is not None


def practices_of(analysis: Analysis, actions: frozenset[str]) -> list[Frame]:
    """Frames of ``analysis`` whose action is one of ``actions`` and is not the user's own."""
    return [
        f
        for f in analysis.frames
        if f.action.key in actions
        and not (f.actors and all(a.key == "user" for a in f.actors))
        and not unstated(analysis.text, f.action.start)
    ]


# "use your data only to", "used solely for", "shared exclusively with": a limit after the verb
_ONLY_AFTER = re.compile(
    r"[^.;:!?]{0,60}?\b(?:only|solely|exclusively|strictly)\s+"
    r"(?:to|for|in order to|as needed to|with|when)\b",
    re.IGNORECASE,
)
RESTRICTABLE = frozenset({"use", "share", "collect"})


def restricted(frame: Frame, analysis: Analysis) -> bool:
    """The practice is limited ("we only use", "is used solely to", "shared exclusively with")."""
    return frame.modality == "restrict" or _ONLY_AFTER.match(analysis.text, frame.action.end) is not None


def purpose_restrictions(analysis: Analysis) -> list[Frame]:
    """Practices of the service on the user's data limited to what follows ("we only use your phone
    number to verify your account"): a restriction is a promise. Not the user's own conduct, not a
    feature description, not a practice inside a condition."""
    if feature(analysis) or _IMPERATIVE.match(analysis.text):
        return []
    return [
        f
        for f in (_with_referent(p, analysis) for p in practices(analysis, affirmative=True))
        if f.action.key in RESTRICTABLE
        and _CHOSEN.match(analysis.text, f.action.end) is None
        and f.data_keys
        and (f.passive or any(a.key in FIRST_PARTY for a in f.actors))
        and restricted(f, analysis)
        and not in_condition(analysis.text, f.action.start)
    ]


# a pronoun object standing for data named before it: "we collect your number and only use it to ..."
_PRONOUN = re.compile(
    r"\s+(?:it|them|(?:this|that|such|these|those) (?:data|information|details))\b", re.IGNORECASE
)


def _with_referent(frame: Frame, analysis: Analysis) -> Frame:
    """A practice on a pronoun takes the data its sentence named before it."""
    if frame.data_keys or _PRONOUN.match(analysis.text, frame.action.end) is None:
        return frame
    keys = tuple(sorted({c.key for c in analysis.of("data") if c.end <= frame.action.start}))
    return attrs.evolve(frame, inherited_data=keys) if keys else frame
