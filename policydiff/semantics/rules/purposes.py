"""Purposes: a new use of data (AI training, advertising, others), an open list of purposes, a sale."""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from policydiff.model import Severity
from policydiff.semantics.context import Context, Hit, Side
from policydiff.semantics.cues import Cue
from policydiff.semantics.frames import Analysis, Frame
from policydiff.semantics.lexicon import FIRST_PARTY, label
from policydiff.semantics.mood import unstated
from policydiff.semantics.rules.helpers import (
    AD_PURPOSES,
    OTHER_PURPOSES,
    data_phrase,
    feature_description,
    group_keys,
    group_practices,
    new_cue_texts,
    old_side_group,
    practices,
    q,
    users_own,
)
from policydiff.semantics.rules.stated import (
    Practice,
    implies,
    practice_of,
    purpose_only_denied,
    purpose_stated,
    sensitive_data,
)


def _purpose_added(ctx: Context, keys: Sequence[str]) -> tuple[Frame, Cue] | None:
    if ctx.new is None or feature_description(ctx.new):
        return None  # "Creator tools let you promote your posts with ads": a feature, no use of data
    wanted = set(keys)
    candidates = [f for f in practices(ctx.new, affirmative=True) if f.purpose_keys & wanted]
    read = bool(candidates)  # a practice the frames read, not one guessed for a loose purpose (``_loose``)
    if not candidates:
        candidates = _loose(ctx, wanted)
    if not candidates:
        return None
    old_clause: list[Practice] | None = None  # the old clause's practices, read only when a cue is new
    for frame in candidates:
        for key in keys:
            if key in frame.purpose_keys:
                worded = [c for c in frame.purposes if c.key == key]
                # "Advertising networks" names a recipient; '"Ads" means' defines a word: no purpose
                kept = [c for c in worded if not _named_only(ctx.new, c)]
                if worded and not kept:
                    continue
                cue = kept[0] if kept else frame.action
                if _inside_data(ctx.new, cue):
                    continue  # "advertising identifiers" names data, not a use for advertising
                if _in_examples(ctx.new, cue):
                    continue  # "(e.g., ... our marketing emails)": a thing the user receives, not a use
                if _in_label(ctx.new, cue):
                    continue  # "Generative AI Features: ..." titles what follows; it is no use of data
                if _names_ai_only(cue) and not _data_besides(ctx.new, frame, cue):
                    continue  # "we offer generative AI tools": a product described, no data put to it
                # a purpose named elsewhere in the old version is no news, unless an edited sentence now
                # gives it to another party ("share with our affiliates ... to develop their advertising")
                # (the same words said of sensitive data are the index's question: "use your messages
                # for advertising" is new where the old version advertised on your activity; not in a
                # sentence with a negation, whose frames may have lost it, nor for a loose purpose)
                given = (ctx.old is not None and bool(frame.parties)) or (
                    read and sensitive_data(frame) and not _NEGATION.search(ctx.new.text)
                )
                if not given and ctx.known(cue) and not purpose_only_denied(ctx, key):
                    continue
                if purpose_stated(ctx, frame, key):
                    continue  # restated: an old practice implies this one (use, related data, party)
                if old_clause is None:
                    old_frames = group_practices(old_side_group(ctx), affirmative=True)
                    old_clause = [practice_of(f) for f in old_frames]
                new = practice_of(frame)
                # the old clause gave this use to related data (who gets it: the recipient rules' question)
                if not any(implies(o, new, frozenset({key}), parties=False) for o in old_clause):
                    return frame, cue
    return None


# a purpose fragment: "To show you interest-based ads.", "(2) to provide advertising ...", "and to notify ..."
_INFINITIVE = re.compile(r"^\W*(?:(?:\d+|[ivx]+|[a-z])[.)]\s*)?(?:and |or )?(?:to|for)\s+\w+", re.IGNORECASE)
# a sentence about what the user may or must do is conduct, not a practice of the service (and
# unsolicited advertising, spam, is what users must not send; "Learn more about ..." is a link)
_CONDUCT = re.compile(
    r"^\W*(?:you|users?)\s+(?:may not|must|shall|should|agree|will not|cannot|can't)\b"
    r"|\b(?:unsolicited|spam|junk mail)\b"
    r"|^\W*(?:learn more|read more|see|visit|click|find out|for more (?:information|details))\b",
    re.I,
)
# a sentence whose subject is the user's duty: the verbs after it are what the user may need to do
_DUTY = re.compile(r"^\W*(?:you|users?)\s+(?:are|is|remain)\s+(?:solely\s+|fully\s+)?responsible\b", re.I)
_NEGATION = re.compile(r"\b(?:no|not|never)\b|n't\b", re.I)


def _inside_data(analysis: Analysis, cue: Cue) -> bool:
    return cue.slot == "purpose" and any(
        d.start <= cue.start and cue.end <= d.end and d.end - d.start > cue.end - cue.start
        for d in analysis.of("data")
    )


# words that make an AI purpose a use of data on their own ("train models", "machine learning")
_AI_WORK = re.compile(
    r"train|teach|fine[- ]tun|learn|develop|build|improv|power|source|corpus|corpora|data", re.I
)


def _names_ai_only(cue: Cue) -> bool:
    """An AI feature or tool named ("generative AI features"), with no work on data in its words."""
    return cue.key in ("ai_features", "ai_training") and not _AI_WORK.search(cue.text)


# a parenthesis of examples ("(e.g., when you read messages or our marketing emails)")
_EXAMPLES = re.compile(r"\((?:e\.\s?g\.|for example|such as)[^()]*\)", re.I)


def _in_examples(analysis: Analysis, cue: Cue) -> bool:
    return any(m.start() < cue.start and cue.end <= m.end() for m in _EXAMPLES.finditer(analysis.text))


# a run-in heading: a few capitalised words and a colon opening the sentence ("Generative AI Features:")
_LABEL = re.compile(r"^\W*(?:[A-Z][\w'’()-]*\s+){0,5}[A-Z][\w'’()-]*\s*:")


def _in_label(analysis: Analysis, cue: Cue) -> bool:
    label_ = _LABEL.match(analysis.text)
    return label_ is not None and cue.end <= label_.end()


def _data_besides(analysis: Analysis, frame: Frame, cue: Cue) -> bool:
    """Data is put to the purpose: named outside the purpose's own words ("content generation")."""
    named = (*frame.data, *analysis.of("data"))
    return bool(frame.inherited_data) or any(d.end <= cue.start or d.start >= cue.end for d in named)


# "Advertising and marketing partners": a purpose word coordinated into a recipient's name
_COORDINATED = re.compile(r",?\s+(?:and|or|&)\s+")


def _named_only(analysis: Analysis, cue: Cue) -> bool:
    """A purpose word naming a recipient ("Advertising networks") or a defined or asked-about term."""
    parties = analysis.of("actor")
    if any(a.start <= cue.start and cue.end <= a.end for a in parties):
        return True
    joined = _COORDINATED.match(analysis.text, cue.end)
    if joined is not None and any(a.start == joined.end() for a in parties):
        return True
    return unstated(analysis.text, cue.start)


def _loose(ctx: Context, wanted: set[str]) -> list[Frame]:
    """A purpose the frames of a new clause do not reach ("we work with partners ... to show you ads").

    Read as the purpose of the sentence's first action that is not the user's, when nothing is negated;
    a sentence without a practice of its own states a purpose when it is a purpose fragment ("To
    serve you interest-based ads.") or the first party speaks or data is named ("Promoting our
    partners' products | Email address"): its frame is a use of that data.
    """
    assert ctx.new is not None
    new = ctx.new
    if ctx.old is not None or ctx.old_group or any(f.negated for f in new.frames):
        return []
    cues = tuple(c for c in new.of("purpose") if c.key in wanted and not _named_only(new, c))
    if not cues or _CONDUCT.search(new.text):
        return []
    acting = practices(new, affirmative=True)
    if not acting and (not new.text[:1].islower() or _INFINITIVE.match(new.text)):
        # a fragment ("send spam or ads;") has no subject; a purpose fragment ("to provide ads") is ours
        acting = [f for f in new.frames if not users_own(f)]
    if acting:
        return [attrs.evolve(acting[0], purposes=cues)]
    speaker = any(c.key in FIRST_PARTY for c in new.of("actor"))
    if _NEGATION.search(new.text) or not all(users_own(f) and speaker for f in new.frames):
        return []  # "no warranty ... for any purpose"; a verb the frames could not place
    if _INFINITIVE.match(new.text) or speaker or new.of("data"):
        use = Cue("action", "use", cues[0].start, cues[0].end, cues[0].text)
        return [Frame(action=use, data=tuple(new.of("data")), purposes=cues)]
    return []


def ai_training_added(ctx: Context) -> Hit | None:
    found = _purpose_added(ctx, ("ai_training",))
    if found is None:
        return None
    frame, cue = found
    return Hit(f"Adds a new purpose, AI training: {q(cue)} for {data_phrase(frame)}.", ((cue, "new"),))


def advertising_added(ctx: Context) -> Hit | None:
    found = _purpose_added(ctx, AD_PURPOSES)
    if found is None:
        return None
    frame, cue = found
    return Hit(f"Adds a new purpose, advertising: {q(cue)} for {data_phrase(frame)}.", ((cue, "new"),))


def other_purpose_added(ctx: Context) -> Hit | None:
    found = _purpose_added(ctx, OTHER_PURPOSES)
    if found is None:
        return None
    frame, cue = found
    severity: Severity | None = "high" if cue.key == "own_purposes" and frame.parties else None
    return Hit(f"Adds a new purpose, {label(cue.key)}: {q(cue)}.", ((cue, "new"),), severity=severity)


def purpose_broadened(ctx: Context) -> Hit | None:
    if ctx.new is None or ctx.old is None:
        return None
    opened = new_cue_texts(ctx, "broad")
    lost_only = [c for c in ctx.old.of("modal", "restrict") if not ctx.new.of("modal", "restrict")]
    if opened and (lost_only or practices(ctx.new)):
        evidence: tuple[tuple[Cue, Side], ...] = (
            (opened[0], "new"),
            *tuple((c, "old") for c in lost_only[:1]),
        )
        return Hit(f"Opens the list of purposes: {q(opened[0])}.", evidence)
    if ctx.old.of("condition", "consent"):
        return None  # "only with your consent" dropped is a weakened promise, not a broader purpose
    old_data = {k for f in practices(ctx.old) for k in f.data_keys}
    new_data = {k for f in practices(ctx.new, affirmative=True) for k in f.data_keys}
    if lost_only and old_data & new_data:
        return Hit(f"Drops the limit {q(lost_only[0])} on how data is used.", ((lost_only[0], "old"),))
    return None


_AMONG_ASSETS = re.compile(r"(?:transferred|transferable|acquired|sold) (?:business )?assets", re.IGNORECASE)


def _merger_transfer(ctx: Context) -> Hit | None:
    """Data passed on in a merger, acquisition or bankruptcy: a sale of the data without its limits."""
    assert ctx.new is not None
    events = [c for c in ctx.new.of("sale", "merger") if not ctx.known(c)]
    if not events:
        return None
    # data handed over, or used by the acquirer ("the new owners may use your personal data"); a sentence
    # naming no data moves the contract ("assign our rights and obligations under these terms")
    names_data = bool(ctx.new.of("data"))
    moving = [
        f
        for f in ctx.new.frames
        if f.affirmative
        and (
            (f.action.key in ("share", "sell") and (names_data or f.data_keys))
            or any(a.key == "acquirer" for a in f.actors)
        )
    ]
    if any(a.of("sale", "merger") for a in old_side_group(ctx)):
        return None
    if not moving:
        assets = [c for c in events if _AMONG_ASSETS.search(c.text)]
        if assets and ctx.new.of("data"):  # "customer information will be one of the transferred assets"
            return Hit(f"Counts data among the assets passed on: {q(assets[0])}.", ((assets[0], "new"),))
        return None
    return Hit(
        f"Allows passing data on in a {q(events[0])}: {q(moving[0].action)} {data_phrase(moving[0])}.",
        ((events[0], "new"), (moving[0].action, "new")),
    )


def sale_added(ctx: Context) -> Hit | None:
    if ctx.new is not None and (merger := _merger_transfer(ctx)) is not None:
        return merger
    if ctx.new is None or _DUTY.search(ctx.new.text):
        return None  # "you are responsible for laws requiring you to ... license content": the user's duty
    if not any(
        f.action.key == "sell" or any(c.key == "cross_context_ads" for c in f.purposes)
        for f in practices(ctx.new, affirmative=True)
    ):
        return None
    old_sells = [f for f in group_practices(old_side_group(ctx), affirmative=True) if f.action.key == "sell"]
    old_xc = group_keys(old_side_group(ctx), "purpose") & {"cross_context_ads"}
    for frame in practices(ctx.new, affirmative=True):
        if frame.action.key == "sell" and not old_sells:
            return Hit(
                f"Allows selling data: {q(frame.action)} {data_phrase(frame)}.", ((frame.action, "new"),)
            )
        xc = [c for c in frame.purposes if c.key == "cross_context_ads"]
        if frame.action.key == "share" and xc and not old_xc:
            return Hit(f"Allows sharing data for {q(xc[0])}.", ((xc[0], "new"), (frame.action, "new")))
    return None
