"""What several rule families ask of frames and contexts: practices, promises, cues new or lost."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import pairwise

from policydiff.semantics.context import Context
from policydiff.semantics.cues import Cue
from policydiff.semantics.frames import PRACTICES, Analysis, Frame
from policydiff.semantics.lexicon import FIRST_PARTY, label, subsumes
from policydiff.semantics.mood import unstated
from policydiff.semantics.rules.said import worded_before
from policydiff.semantics.text import squash

SENSITIVE_DATA = ("content", "messages", "biometrics", "precise_location", "health", "sensitive")
OTHER_PURPOSES = ("analytics", "research", "product_development", "own_purposes", "ai_features")
AD_PURPOSES = ("advertising", "cross_context_ads")
# qualifiers of purpose whose words mean something else elsewhere ("you may not use the service for any
# purpose that ...", a user's duty): an edited clause that gains one is judged against that clause alone
CLAUSE_QUALIFIERS = frozenset({"broad"})
_PURPOSE_WORD = re.compile(r"\bpurposes?\b", re.IGNORECASE)
# slots whose concepts a rewording keeps: a new cue of a key the old clause already had is no change
REWORDABLE = frozenset({"retention", "source", "security", "children"})


def frames(analyses: Iterable[Analysis | None]) -> list[Frame]:
    return [f for a in analyses if a is not None for f in a.frames]


# "to protect against legal liability": a reason for a disclosure, not liability boilerplate
_LIABILITY_NOUN = re.compile(r"liabilit(?:y|ies)", re.IGNORECASE)


def boilerplate_only(analysis: Analysis) -> bool:
    """A venue clause or liability boilerplate that names no data beyond "information": no practice."""
    boilerplate = [c for c in analysis.of("boilerplate") if not _LIABILITY_NOUN.fullmatch(c.text)]
    return bool(analysis.of("dispute")) or (
        bool(boilerplate) and not any(c.key != "personal_data" for c in analysis.of("data"))
    )


def practices(analysis: Analysis | None, *, affirmative: bool | None = None) -> list[Frame]:
    """The service's practices in ``analysis``: not the user's, with a subject, not liability boilerplate.

    Nor a practice only asked about, defined or withheld ("Do we sell your data?", '"Sale" means ...',
    "we cannot guarantee that it will not be disclosed"): see ``mood``.
    """
    if analysis is None or boilerplate_only(analysis):
        return []  # "indemnify and hold harmless X, its affiliates" or a venue clause shares nothing
    return [
        f
        for f in analysis.frames
        if f.action.key in PRACTICES
        and (affirmative is None or f.affirmative == affirmative)
        and not users_own(f)
        and (not f.affirmative or f.passive or bool(f.actors))
        and not unstated(analysis.text, f.action.start)
    ]


# a generic class narrowed by a restrictive relative clause: "other entities that process payment
# transactions" names who does one job, and covers no other party of the generic class ("anyone else")
RESTRICTIVE = re.compile(r"\s*,?\s*(?:that|which|who)\s+(?!(?:may|might|will|can|could|would)\b)[a-z]+")


def narrowed(analysis: Analysis, party: Cue) -> bool:
    """A generic class of third parties narrowed by a restrictive relative clause after it."""
    return party.key == "third_parties" and RESTRICTIVE.match(analysis.text, party.end) is not None


def users_own(frame: Frame) -> bool:
    """What the user does ("you must not sell the content") is not a practice of the service."""
    return bool(frame.actors) and all(a.key == "user" for a in frame.actors)


def group_practices(group: Sequence[Analysis], *, affirmative: bool | None = None) -> list[Frame]:
    return [f for a in group for f in practices(a, affirmative=affirmative)]


def group_texts(group: Sequence[Analysis], slot: str) -> frozenset[str]:
    out: set[str] = set()
    for a in group:
        out |= a.texts(slot)
    return frozenset(out)


def group_keys(group: Sequence[Analysis], slot: str) -> frozenset[str]:
    out: set[str] = set()
    for a in group:
        out |= a.keys(slot)
    return frozenset(out)


_NAME_BEFORE = re.compile(r"\b[A-Z][\w.&'’-]*\s+$")


def in_name(analysis: Analysis, cue: Cue) -> bool:
    """The cue is a word of a proper name ("The Internet Archive", "The Mod Archive"), not its concept."""
    return (
        cue.text[:1].isupper()
        and not cue.text.isupper()
        and _NAME_BEFORE.search(analysis.text, max(0, cue.start - 30), cue.start) is not None
    )


# a feature described by what it lets people do: a subject of a few words, then "lets you", "helps
# creators", "allows businesses to" ... (the words before the verb are bounded: linear)
_FEATURE = re.compile(
    r"\W*(?:[\w'’-]+\s+){1,4}?(?:lets?|allows?|enables?|helps?|gives?|offers?)\s+"
    r"(?:you|users?|people|members|creators|businesses|brands|advertisers|sellers|others|anyone|everyone)\b",
    re.IGNORECASE,
)


def feature_description(analysis: Analysis) -> bool:
    """ "Stories let you share moments", "Insights help creators see how posts perform": what a feature
    lets people do, with no first-party actor after it ("..., and we use what you post for ads" is a
    practice). Such a sentence states no purpose of processing and no data the service handles."""
    match = _FEATURE.match(analysis.text)
    if match is None or any(c.start < match.end() and c.key in FIRST_PARTY for c in analysis.of("actor")):
        return False  # "We let advertisers ...": the service speaks
    return not any(c.key in FIRST_PARTY and c.start >= match.end() for c in analysis.of("actor"))


def q(cue: Cue) -> str:
    return f"'{cue.text}'"


def _unused_norm(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def data_phrase(frame: Frame) -> str:
    if frame.data:
        return ", ".join(dict.fromkeys(c.text for c in frame.data))
    if frame.inherited_data:
        return ", ".join(label(k) for k in frame.inherited_data)
    return "data"


def is_promise(frame: Frame) -> bool:
    """A negated practice of the service about some data ("we will not sell your data")."""
    return (
        frame.negated
        and frame.action.key in PRACTICES
        and not users_own(frame)
        and bool(frame.data_keys or "ai_training" in frame.purpose_keys)
    )


def opt_out_conditioned(frame: Frame) -> bool:
    return "opt_out" in frame.condition_keys


def region_scoped(analysis: Analysis) -> bool:
    """A region limits the sentence ("members in the EU"); one inside a name ("Acme Australia") does not."""
    regions = [c for c in analysis.of("region") if not in_name(analysis, c)]
    return bool(regions or analysis.of("scope", "region_outside"))


def new_side_group(ctx: Context) -> tuple[Analysis, ...]:
    return ctx.new_group or ((ctx.new,) if ctx.new else ())


def old_side_group(ctx: Context) -> tuple[Analysis, ...]:
    return ctx.old_group or ((ctx.old,) if ctx.old else ())


def new_cue_texts(ctx: Context, slot: str, key: str | None = None) -> list[Cue]:
    """Cues of ``slot`` in the new sentence whose words the old clause never had."""
    if ctx.new is None:
        return []
    cues = ctx.new.of(slot, key)
    if not cues:
        return []
    # the whole-document test first: the old clause is read only for cues the old version lacks; a
    # qualifier of a paired sentence ("for any purpose") is judged against its own clause only
    paired = ctx.old is not None and slot in CLAUSE_QUALIFIERS
    unknown = [c for c in cues if (paired and _PURPOSE_WORD.search(c.text)) or not ctx.known(c)]
    if not unknown:
        return []
    before = group_texts(old_side_group(ctx), slot)
    fresh = [c for c in unknown if squash(c.text) not in before]
    if slot in REWORDABLE and fresh:
        # "kept as long as necessary" -> "retained while needed": the same concept reworded is not new
        had = group_keys(old_side_group(ctx), slot)
        fresh = [c for c in fresh if c.key not in had]
    if slot == "retention" and fresh and not ctx.new.keys("data") - {"personal_data"}:
        # "we store your information longer to fight abuse" when the old version said "we may keep
        # certain information longer for safety": the same wording about data in general is not new
        fresh = [c for c in fresh if not worded_before(ctx, c.key, c.text)]
    return fresh


def lost_cue_texts(ctx: Context, slot: str, key: str | None = None) -> list[Cue]:
    """Cues of ``slot`` in the old sentence whose words the new clause no longer has."""
    if ctx.old is None:
        return []
    cues = ctx.old.of(slot, key)
    if not cues:
        return []
    dropped = [c for c in cues if not ctx.kept(c)]  # the new clause is read only when needed
    if not dropped:
        return []
    after = group_texts(new_side_group(ctx), slot)
    return [c for c in dropped if squash(c.text) not in after]


def matching_promise(frame: Frame, group: Iterable[Analysis]) -> Frame | None:
    for analysis in group:
        for other in analysis.frames:
            if is_promise(other) and same_practice(frame, other):
                return other
    return None


def family(action: str) -> str:
    return "share" if action in ("share", "sell") else action


def same_practice(a: Frame, b: Frame) -> bool:
    if family(a.action.key) != family(b.action.key) and not (
        "ai_training" in a.purpose_keys and "ai_training" in b.purpose_keys
    ):
        return False
    da, db = a.data_keys - {"personal_data"}, b.data_keys - {"personal_data"}
    if da and db and not any(subsumes(x, y) or subsumes(y, x) for x in da for y in db):
        return False
    return True


# "your profile information, such as your display name and email address": the examples of a kind
_EXAMPLE_MARK = re.compile(
    r"^\W{0,3}(?:such as|including(?:,? but not limited to,?)?|e\.g\.,?|for example,?|for instance,?|like"
    r"|namely|in particular)\s",
    re.IGNORECASE,
)
_LIST_GAP = re.compile(r"^(?:\s*(?:,|and|or|and/or|as well as|your|the|any|other|their|its))*\s*$", re.I)


def example_heads(analysis: Analysis, slot: str = "data") -> dict[int, Cue]:
    """For each cue of ``slot`` given as an example of a wider one, that head cue (keyed by start offset).

    "We keep your profile information, such as your display name, user name and email address" maps
    the three examples to "profile information": they name parts of it, not new kinds.
    """
    heads: dict[int, Cue] = {}
    cues = analysis.of(slot)
    head: Cue | None = None
    for prev, cue in pairwise(cues):
        gap = analysis.text[prev.end : cue.start]
        if _EXAMPLE_MARK.match(gap):
            head = heads.get(prev.start, prev)
        elif head is None or not _LIST_GAP.match(gap):
            head = None
            continue
        heads[cue.start] = head
    return heads


def narrowed_recipient(old: Analysis, old_frame: Frame, new: Analysis, new_frame: Frame) -> Cue | None:
    """A qualifier a promise's recipients gain ("any non-affiliated advertisers"): some parties left out."""
    had = {squash(c.text) for c in old.of("scope", "unaffiliated")}
    for cue in new.of("scope", "unaffiliated"):
        near = any(0 <= r.start - cue.end <= 30 for r in new_frame.recipients)
        if near and squash(cue.text) not in had and old_frame.recipients:
            return cue
    return None
