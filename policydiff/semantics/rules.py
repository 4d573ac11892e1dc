"""The rules: a registered, ordered table; each rule a small pure function over a sentence context.

A rule sees one ``Context``: the old and new sentence of a pair (either may be absent: a sentence
that appeared or disappeared), and the sentences of the aligned clauses on each side (so "already
there before" means "somewhere in the old clause", not only in the paired sentence). It returns a
``Hit`` (explanation, evidence cues, optional severity/direction override) or ``None``. The engine
(``policydiff.semantics.engine``) turns hits into ``Finding`` values. Ids are stable across releases.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Literal

import attrs

from policydiff.model import Direction, Severity
from policydiff.semantics.cues import Cue
from policydiff.semantics.frames import PRACTICES, Analysis, Frame
from policydiff.semantics.lexicon import ancestors, label, subsumes

Side = Literal["old", "new"]

SENSITIVE_DATA = ("content", "messages", "biometrics", "precise_location", "health", "sensitive")
OTHER_PURPOSES = ("analytics", "research", "product_development", "own_purposes", "ai_features")
AD_PURPOSES = ("advertising", "cross_context_ads")


@attrs.frozen
class Context:
    """What a rule sees: a sentence pair and the sentences of the aligned clauses around it."""

    old: Analysis | None
    new: Analysis | None
    old_group_fn: Callable[[], tuple[Analysis, ...]] = attrs.field(default=tuple, eq=False, repr=False)
    new_group_fn: Callable[[], tuple[Analysis, ...]] = attrs.field(default=tuple, eq=False, repr=False)
    old_document: str = ""  # the whole old version, ``fold``-ed, for "seen before"
    new_document: str = ""  # the whole new version, ``fold``-ed, for "still there"
    _memo: dict[str, tuple[Analysis, ...]] = attrs.field(factory=dict, eq=False, repr=False)

    @property
    def old_group(self) -> tuple[Analysis, ...]:
        """The sentences of the aligned old clause(s), read only when a rule asks (most never do)."""
        if "old" not in self._memo:
            self._memo["old"] = self.old_group_fn()
        return self._memo["old"]

    @property
    def new_group(self) -> tuple[Analysis, ...]:
        """The sentences of the aligned new clause(s), read only when a rule asks."""
        if "new" not in self._memo:
            self._memo["new"] = self.new_group_fn()
        return self._memo["new"]

    def known(self, cue: Cue) -> bool:
        """True when the old version of the document already used these exact words somewhere."""
        return contains_phrase(self.old_document, fold(cue.text))

    def kept(self, cue: Cue) -> bool:
        """True when the new version of the document still uses these exact words somewhere."""
        return contains_phrase(self.new_document, fold(cue.text))


def fold(text: str) -> str:
    """Lower case with straight apostrophes: how a document and a phrase are compared."""
    return text.lower().replace("’", "'")


@lru_cache(maxsize=8192)
def contains_phrase(haystack: str, needle: str) -> bool:
    """``needle`` occurs in ``haystack`` as whole words (both already ``fold``-ed).

    Plain ``str.find`` plus a boundary check: no pass over the whole document per question, and the
    answer is cached (a document's hash is computed once and kept by the string).
    """
    if not haystack or not needle:
        return False
    start = haystack.find(needle)
    while start >= 0:
        end = start + len(needle)
        if (start == 0 or not haystack[start - 1].isalnum()) and (
            end >= len(haystack) or not haystack[end].isalnum()
        ):
            return True
        start = haystack.find(needle, start + 1)
    return False


_PUNCTUATION = {ord(c): " " for c in string.punctuation if c != "'"}
_PUNCTUATION.update({ord(c): " " for c in "“”‘«»–—…•·§¶©®™\u00a0\u2009\u202f"})
_PUNCTUATION[ord("’")] = "'"


# the characters ``_PUNCTUATION`` blanks, as one class: a regex pass is faster than ``str.translate``
# (a dictionary lookup per character) on accented text, and gives the same string
_BLANKED = re.compile(
    "[" + re.escape("".join(sorted(chr(k) for k, v in _PUNCTUATION.items() if v == " "))) + "]"
)


def normalize_text(text: str) -> str:
    """Lower case, straight quotes, punctuation gone, single spaces: how texts are compared."""
    return " ".join(_BLANKED.sub(" ", text.lower()).replace("’", "'").split())


@attrs.frozen
class Hit:
    """A rule firing: one plain sentence, the cues (with their side), optional overrides."""

    explanation: str
    evidence: tuple[tuple[Cue, Side], ...]
    severity: Severity | None = None
    direction: Direction | None = None


RuleFn = Callable[[Context], "Hit | None"]


@attrs.frozen
class Rule:
    """A registered rule: stable id, taxonomy category, default severity and direction, description."""

    id: str
    category: str
    severity: Severity
    direction: Direction
    description: str
    fn: RuleFn = attrs.field(eq=False, repr=False)


RULES: list[Rule] = []


def rule(
    rule_id: str, category: str, severity: Severity, direction: Direction, description: str
) -> Callable[[RuleFn], RuleFn]:
    """Register ``fn`` under ``rule_id`` (order of registration is the order rules run in)."""

    def register(fn: RuleFn) -> RuleFn:
        if any(r.id == rule_id for r in RULES):
            raise ValueError(f"duplicate rule id {rule_id!r}")
        RULES.append(Rule(rule_id, category, severity, direction, description, fn))
        return fn

    return register


# ----------------------------------------------------------------------------------------- helpers


def _frames(analyses: Iterable[Analysis | None]) -> list[Frame]:
    return [f for a in analyses if a is not None for f in a.frames]


def _practices(analysis: Analysis | None, *, affirmative: bool | None = None) -> list[Frame]:
    if analysis is None:
        return []
    return [
        f
        for f in analysis.frames
        if f.action.key in PRACTICES
        and (affirmative is None or f.affirmative == affirmative)
        and not _users_own(f)
        and (not f.affirmative or f.passive or bool(f.actors))
    ]


def _users_own(frame: Frame) -> bool:
    """What the user does ("you must not sell the content") is not a practice of the service."""
    return bool(frame.actors) and all(a.key == "user" for a in frame.actors)


def _group_practices(group: Sequence[Analysis], *, affirmative: bool | None = None) -> list[Frame]:
    return [f for a in group for f in _practices(a, affirmative=affirmative)]


def _group_texts(group: Sequence[Analysis], slot: str) -> frozenset[str]:
    out: set[str] = set()
    for a in group:
        out |= a.texts(slot)
    return frozenset(out)


def _group_keys(group: Sequence[Analysis], slot: str) -> frozenset[str]:
    out: set[str] = set()
    for a in group:
        out |= a.keys(slot)
    return frozenset(out)


def _q(cue: Cue) -> str:
    return f"'{cue.text}'"


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def _data_phrase(frame: Frame) -> str:
    if frame.data:
        return ", ".join(dict.fromkeys(c.text for c in frame.data))
    if frame.inherited_data:
        return ", ".join(label(k) for k in frame.inherited_data)
    return "data"


def _is_promise(frame: Frame) -> bool:
    """A negated practice of the service about some data ("we will not sell your data")."""
    return (
        frame.negated
        and frame.action.key in PRACTICES
        and not _users_own(frame)
        and bool(frame.data_keys or "ai_training" in frame.purpose_keys)
    )


def _opt_out_conditioned(frame: Frame) -> bool:
    return "opt_out" in frame.condition_keys


def _region_scoped(analysis: Analysis) -> bool:
    return bool(analysis.of("region") or analysis.of("scope", "region_outside"))


def _new_side_group(ctx: Context) -> tuple[Analysis, ...]:
    return ctx.new_group or ((ctx.new,) if ctx.new else ())


def _old_side_group(ctx: Context) -> tuple[Analysis, ...]:
    return ctx.old_group or ((ctx.old,) if ctx.old else ())


def _new_cue_texts(ctx: Context, slot: str, key: str | None = None) -> list[Cue]:
    """Cues of ``slot`` in the new sentence whose words the old clause never had."""
    if ctx.new is None:
        return []
    cues = ctx.new.of(slot, key)
    if not cues:
        return []
    # the whole-document test first: the old clause is read only for cues the old version lacks
    unknown = [c for c in cues if not ctx.known(c)]
    if not unknown:
        return []
    before = _group_texts(_old_side_group(ctx), slot)
    return [c for c in unknown if _norm(c.text) not in before]


def _lost_cue_texts(ctx: Context, slot: str, key: str | None = None) -> list[Cue]:
    """Cues of ``slot`` in the old sentence whose words the new clause no longer has."""
    if ctx.old is None:
        return []
    cues = ctx.old.of(slot, key)
    if not cues:
        return []
    dropped = [c for c in cues if not ctx.kept(c)]  # the new clause is read only when needed
    if not dropped:
        return []
    after = _group_texts(_new_side_group(ctx), slot)
    return [c for c in dropped if _norm(c.text) not in after]


# ------------------------------------------------------------------------------------- purposes


def _purpose_added(ctx: Context, keys: Sequence[str]) -> tuple[Frame, Cue] | None:
    if ctx.new is None:
        return None
    wanted = set(keys)
    candidates = [f for f in _practices(ctx.new, affirmative=True) if f.purpose_keys & wanted]
    if not candidates:
        return None
    old_keys: set[str] | None = None  # the old clause's purposes, read only when a cue is new
    for frame in candidates:
        for key in keys:
            if key in frame.purpose_keys:
                cue = next((c for c in frame.purposes if c.key == key), frame.action)
                if ctx.known(cue):
                    continue
                if old_keys is None:
                    old_keys = set()
                    for old_frame in _group_practices(_old_side_group(ctx), affirmative=True):
                        old_keys |= old_frame.purpose_keys
                if key not in old_keys:
                    return frame, cue
    return None


@rule(
    "purpose.ai_training.added",
    "purpose.added",
    "high",
    "weakens",
    "Data may now be used to develop or train AI / machine-learning models.",
)
def ai_training_added(ctx: Context) -> Hit | None:
    found = _purpose_added(ctx, ("ai_training",))
    if found is None:
        return None
    frame, cue = found
    return Hit(f"Adds a new purpose, AI training: {_q(cue)} for {_data_phrase(frame)}.", ((cue, "new"),))


@rule(
    "purpose.advertising.added",
    "purpose.added",
    "high",
    "weakens",
    "Data may now be used for advertising or marketing.",
)
def advertising_added(ctx: Context) -> Hit | None:
    found = _purpose_added(ctx, AD_PURPOSES)
    if found is None:
        return None
    frame, cue = found
    return Hit(f"Adds a new purpose, advertising: {_q(cue)} for {_data_phrase(frame)}.", ((cue, "new"),))


@rule(
    "purpose.other.added",
    "purpose.added",
    "medium",
    "weakens",
    "A new use of data appears: analytics, research, product development, AI features, own purposes.",
)
def other_purpose_added(ctx: Context) -> Hit | None:
    found = _purpose_added(ctx, OTHER_PURPOSES)
    if found is None:
        return None
    frame, cue = found
    severity: Severity | None = "high" if cue.key == "own_purposes" and frame.parties else None
    return Hit(f"Adds a new purpose, {label(cue.key)}: {_q(cue)}.", ((cue, "new"),), severity=severity)


@rule(
    "purpose.broadened",
    "purpose.broadened",
    "medium",
    "weakens",
    "A closed list of purposes ('only', 'solely') becomes open ('including but not limited to').",
)
def purpose_broadened(ctx: Context) -> Hit | None:
    if ctx.new is None or ctx.old is None:
        return None
    opened = _new_cue_texts(ctx, "broad")
    lost_only = [c for c in ctx.old.of("modal", "restrict") if not ctx.new.of("modal", "restrict")]
    if opened and (lost_only or _practices(ctx.new)):
        evidence: tuple[tuple[Cue, Side], ...] = (
            (opened[0], "new"),
            *tuple((c, "old") for c in lost_only[:1]),
        )
        return Hit(f"Opens the list of purposes: {_q(opened[0])}.", evidence)
    if ctx.old.of("condition", "consent"):
        return None  # "only with your consent" dropped is a weakened promise, not a broader purpose
    old_data = {k for f in _practices(ctx.old) for k in f.data_keys}
    new_data = {k for f in _practices(ctx.new, affirmative=True) for k in f.data_keys}
    if lost_only and old_data & new_data:
        return Hit(f"Drops the limit {_q(lost_only[0])} on how data is used.", ((lost_only[0], "old"),))
    return None


# ----------------------------------------------------------------------------------- recipients

_WIDTH = {"microsoft": 0, "service_providers": 1, "government": 1, "acquirer": 1, "affiliates": 2,
          "ai_providers": 2, "advertisers": 3, "data_brokers": 3, "recipients": 3, "another_provider": 3,
          "partners": 4, "public": 5, "third_parties": 5}  # fmt: skip


def _old_parties(ctx: Context) -> set[str]:
    keys: set[str] = set()
    for frame in _group_practices(_old_side_group(ctx), affirmative=True):
        keys |= {c.key for c in frame.parties}
    return keys


def _new_party(ctx: Context) -> tuple[Frame, Cue] | None:
    candidates = [f for f in _practices(ctx.new, affirmative=True) if f.parties]
    if not candidates:
        return None
    old = _old_parties(ctx)
    for frame in candidates:
        for cue in frame.parties:
            strong = bool(frame.purpose_keys & {"ai_training", "own_purposes"})
            if not any(subsumes(o, cue.key) for o in old) and (strong or not ctx.known(cue)):
                return frame, cue
    return None


_BASE_VERB = {"use": "use", "share": "receive", "train": "train models on", "collect": "collect",
              "sell": "buy", "retain": "keep", "generate": "generate content from"}  # fmt: skip


def _generalizes(ctx: Context, cue: Cue) -> bool:
    """The new party replaces narrower ones that are gone from the sentence."""
    old = _old_parties(ctx) if ctx.old is not None else set()
    now = {c.key for f in _practices(ctx.new, affirmative=True) for c in f.parties}
    return bool(old) and not (old & now) and all(_WIDTH.get(o, 0) < _WIDTH.get(cue.key, 0) for o in old)


@rule(
    "recipient.added",
    "recipient.added",
    "high",
    "weakens",
    "A new recipient or class of recipients (including the 'by X' agents of training) appears.",
)
def recipient_added(ctx: Context) -> Hit | None:
    found = _new_party(ctx)
    if found is None:
        return None
    frame, cue = found
    if _generalizes(ctx, cue):
        return None
    if frame.passive and frame.action.key == "train":
        how = f"who may train models on {_data_phrase(frame)} ('{frame.action.text} by ... {cue.text}')"
    elif frame.passive:
        how = f"by whom {_data_phrase(frame)} may be {frame.action.text}"
    elif cue in frame.recipients:
        how = f"to whom {_data_phrase(frame)} may be {frame.action.text}"
    else:
        verb = _BASE_VERB.get(frame.action.key, frame.action.key)
        how = f"who may {verb} {_data_phrase(frame)} ('{frame.action.text}')"
    return Hit(
        f"Adds a new recipient, {_q(cue)} ({label(cue.key)}), {how}.",
        ((cue, "new"), (frame.action, "new")),
    )


@rule(
    "recipient.generalized",
    "recipient.generalized",
    "medium",
    "weakens",
    "A named or narrow recipient becomes a wider class of recipients.",
)
def recipient_generalized(ctx: Context) -> Hit | None:
    found = _new_party(ctx)
    if found is None or ctx.old is None:
        return None
    _frame, cue = found
    if not _generalizes(ctx, cue):
        return None
    old_cue = next((c for f in _practices(ctx.old, affirmative=True) for c in f.parties), None)
    evidence: tuple[tuple[Cue, Side], ...] = ((cue, "new"),) + (((old_cue, "old"),) if old_cue else ())
    was = f" instead of {_q(old_cue)}" if old_cue else ""
    return Hit(f"Widens who receives data to {_q(cue)}{was}.", evidence)


@rule(
    "sale.added",
    "sale.added",
    "high",
    "weakens",
    "Selling, renting, or sharing for cross-context advertising appears.",
)
def sale_added(ctx: Context) -> Hit | None:
    if ctx.new is None or not any(
        f.action.key == "sell" or any(c.key == "cross_context_ads" for c in f.purposes)
        for f in _practices(ctx.new, affirmative=True)
    ):
        return None
    old_sells = [
        f for f in _group_practices(_old_side_group(ctx), affirmative=True) if f.action.key == "sell"
    ]
    old_xc = _group_keys(_old_side_group(ctx), "purpose") & {"cross_context_ads"}
    for frame in _practices(ctx.new, affirmative=True):
        if frame.action.key == "sell" and not old_sells:
            return Hit(
                f"Allows selling data: {_q(frame.action)} {_data_phrase(frame)}.", ((frame.action, "new"),)
            )
        xc = [c for c in frame.purposes if c.key == "cross_context_ads"]
        if frame.action.key == "share" and xc and not old_xc:
            return Hit(f"Allows sharing data for {_q(xc[0])}.", ((xc[0], "new"), (frame.action, "new")))
    return None


# -------------------------------------------------------------------------------------- data


@rule(
    "data.broadened",
    "data.broadened",
    "medium",
    "weakens",
    "A new category of data (high for content, messages, biometrics, precise location) is collected or used.",
)
def data_broadened(ctx: Context) -> Hit | None:
    if ctx.new is None or not ctx.new.of("data"):
        return None
    paired = ctx.old is not None
    candidates: list[tuple[Cue, str]] = []
    for frame in _practices(ctx.new, affirmative=True):
        if frame.action.key in ("collect", "use", "share", "train", "sell"):
            candidates += [(c, frame.action.key) for c in frame.data]
    if paired and not candidates and re.search(r"\b(?:provide|give|submit|upload)\b", ctx.new.text, re.I):
        candidates += [
            (c, "provided") for c in ctx.new.of("data")
        ]  # "you need to provide data including ..."
    if paired and any(
        f.action.key in ("collect", "use", "share", "train", "sell")
        for f in _practices(ctx.new, affirmative=True)
    ):
        candidates += [(c, "used") for c in ctx.new.of("data")]
    if not candidates:
        return None
    old_group: tuple[Analysis, ...] | None = None  # read only for a candidate that survives the rest
    old_keys: frozenset[str] = frozenset()
    for cue, verb in candidates:
        key = cue.key
        if key == "personal_data":
            continue
        if old_group is None:
            old_group = _old_side_group(ctx)
            old_keys = _group_keys(old_group, "data")
        if key in old_keys or (not paired and ctx.known(cue)):
            continue
        if any(o in old_keys for o in ancestors(key) if o != "personal_data"):
            continue
        sensitive = any(subsumes(s, key) for s in SENSITIVE_DATA)
        if not old_group and not sensitive:
            continue
        severity: Severity = "high" if sensitive else "medium"
        return Hit(
            f"Adds a data category, {_q(cue)} ({label(key)}), to the data covered ({verb}).",
            ((cue, "new"),),
            severity=severity,
        )
    return None


@rule(
    "source.added",
    "source.added",
    "medium",
    "weakens",
    "Data now comes from other sources, or tracking reaches off the service.",
)
def source_added(ctx: Context) -> Hit | None:
    if ctx.new is None or not _practices(ctx.new, affirmative=True):
        return None
    new = [c for c in _new_cue_texts(ctx, "source") if not ctx.known(c)]
    if not new:
        return None
    return Hit(f"Adds a new source of data: {_q(new[0])}.", ((new[0], "new"),))


# ----------------------------------------------------------------------------------- promises


def _matching_promise(frame: Frame, group: Iterable[Analysis]) -> Frame | None:
    for analysis in group:
        for other in analysis.frames:
            if _is_promise(other) and _same_practice(frame, other):
                return other
    return None


def _family(action: str) -> str:
    return "share" if action in ("share", "sell") else action


def _same_practice(a: Frame, b: Frame) -> bool:
    if _family(a.action.key) != _family(b.action.key) and not (
        "ai_training" in a.purpose_keys and "ai_training" in b.purpose_keys
    ):
        return False
    da, db = a.data_keys - {"personal_data"}, b.data_keys - {"personal_data"}
    if da and db and not any(subsumes(x, y) or subsumes(y, x) for x in da for y in db):
        return False
    return True


@rule(
    "promise.weakened",
    "promise.weakened",
    "high",
    "weakens",
    "A promise moves up the modal scale ('will not' -> 'may') or gains an exception.",
)
def promise_weakened(ctx: Context) -> Hit | None:
    if ctx.old is None or ctx.new is None:
        return None
    for old in ctx.old.frames:
        if not _is_promise(old):
            continue
        same_new = [f for f in ctx.new.frames if _same_practice(old, f)]
        if not same_new:
            continue
        still = [f for f in same_new if _is_promise(f)]
        if not still:
            new = same_new[0]
            return Hit(
                f"Turns the promise {_q(old.action)} (negated) into {_q(new.action)} "
                f"with '{new.modality}' force.",
                ((old.action, "old"), (new.action, "new"), *tuple((c, "new") for c in new.modal_cues[:1])),
            )
        old_exc = {_norm(c.text) for c in old.conditions if c.key in ("exception", "legal_basis")}
        added = [
            c
            for c in still[0].conditions
            if c.key in ("exception", "legal_basis") and _norm(c.text) not in old_exc
        ]
        if added:
            return Hit(
                f"Adds an exception, {_q(added[0])}, to the promise not to {old.action.text}.",
                ((added[0], "new"), (still[0].action, "new")),
            )
    # a condition that protected the user disappears: "only with your consent" -> (nothing)
    for old in _practices(ctx.old, affirmative=True):
        guard = [
            c
            for c in old.conditions
            if c.key == "consent" and re.search(r"with|upon|based|subject|if", c.text, re.I)
        ]
        if not guard:
            continue
        for new in _practices(ctx.new, affirmative=True):
            if _same_practice(old, new) and "consent" not in new.condition_keys:
                return Hit(
                    f"Drops the condition {_q(guard[0])} from {_q(new.action)}.",
                    ((guard[0], "old"), (new.action, "new")),
                )
    # positive obligations that protect the user: "we will notify" -> "we may notify"
    for old in ctx.old.frames:
        if old.action.key in ("notify", "delete") and old.modality == "assert" and not old.negated:
            for new in ctx.new.frames:
                if new.action.key == old.action.key and new.modality == "permit" and not new.negated:
                    return Hit(
                        f"Softens the obligation {_q(old.action)} from 'will' to 'may'.",
                        ((old.action, "old"), *tuple((c, "new") for c in new.modal_cues[:1])),
                    )
    return None


@rule(
    "promise.removed",
    "promise.removed",
    "high",
    "weakens",
    "A negative commitment ('we will not ...', 'we never ...') disappears.",
)
def promise_removed(ctx: Context) -> Hit | None:
    if ctx.old is None or not any(_is_promise(f) for f in ctx.old.frames):
        return None
    new_group = _new_side_group(ctx)
    for old in ctx.old.frames:
        if not _is_promise(old):
            continue
        if _matching_promise(old, new_group):
            continue
        if ctx.new is not None and any(_same_practice(old, f) for f in ctx.new.frames):
            continue  # changed, not removed: promise.weakened looks at it
        return Hit(
            f"Removes the promise not to {old.action.text} {_data_phrase(old)}.", ((old.action, "old"),)
        )
    return None


@rule(
    "promise.added",
    "promise.added",
    "medium",
    "strengthens",
    "A new negative commitment or restriction appears (e.g. no AI training without consent).",
)
def promise_added(ctx: Context) -> Hit | None:
    if ctx.new is None or not any(_is_promise(f) for f in ctx.new.frames):
        return None
    old_group = _old_side_group(ctx)
    for new in ctx.new.frames:
        if not _is_promise(new) or _opt_out_conditioned(new) or _region_scoped(ctx.new):
            continue
        previous = _matching_promise(new, old_group)
        negs: tuple[tuple[Cue, Side], ...] = tuple(
            (c, "new") for c in new.modal_cues if c.slot == "negation"
        )[:1]
        if previous is None:
            return Hit(
                f"Adds a promise: {_q(new.action)} is negated for {_data_phrase(new)}.",
                ((new.action, "new"), *negs),
            )
        wider = new.data_keys - previous.data_keys
        dropped = previous.condition_keys - new.condition_keys
        if wider or ("consent" in dropped):
            what = "covers more data" if wider else "no longer depends on consent"
            return Hit(
                f"Broadens the promise not to {new.action.text}: it now {what}.", ((new.action, "new"), *negs)
            )
    return None


@rule(
    "hedge.added",
    "hedge.added",
    "low",
    "weakens",
    "A qualifier ('currently', 'generally', 'where feasible') makes a commitment contingent or temporary.",
)
def hedge_added(ctx: Context) -> Hit | None:
    if ctx.new is None or ctx.old is None or not (ctx.new.frames or ctx.new.of("negation")):
        return None
    new = _new_cue_texts(ctx, "hedge")
    if not new:
        return None
    promise = any(_is_promise(f) for f in ctx.new.frames)
    return Hit(
        f"Adds the qualifier {_q(new[0])}.", ((new[0], "new"),), severity="medium" if promise else None
    )


# ------------------------------------------------------------------------------- choice / consent


@rule(
    "default.on",
    "default.changed",
    "high",
    "weakens",
    "Consent moves to opt-out: a setting is on by default, or data is used unless the user opts out.",
)
def default_changed(ctx: Context) -> Hit | None:
    if ctx.new is None or not ctx.new.of("condition"):
        return None
    old_conditions: frozenset[str] | None = None  # the old clause is read only when something is new

    def had(key: str) -> bool:
        nonlocal old_conditions
        if old_conditions is None:
            old_conditions = _group_keys(_old_side_group(ctx), "condition")
        return key in old_conditions

    default = [
        c
        for c in ctx.new.of("condition", "default_on")
        if not ctx.known(c)
        and (
            _norm(c.text) != "by default"
            or _practices(ctx.new)
            or re.search(r"\bsetting|\bdata\b|personali|sharing|tracking", ctx.new.text, re.IGNORECASE)
        )
    ]
    if default:
        if had("default_on"):  # the old clause already had a default: nothing changes
            return None
        return Hit(f"Makes the choice opt-out: {_q(default[0])}.", ((default[0], "new"),))
    for frame in _practices(ctx.new, affirmative=True):
        opt = [
            c for c in frame.conditions if c.key == "opt_out" and re.search(r"unless|not|don", c.text, re.I)
        ]
        if opt and had("default_on"):
            return None
        if opt and not had("opt_out"):
            had_consent = had("consent")
            how = "from opt-in to opt-out" if had_consent else "to opt-out"
            return Hit(f"Moves consent {how}: {_q(opt[0])}.", ((opt[0], "new"), (frame.action, "new")))
    return None


@rule(
    "optout.not_retroactive",
    "optout.limited",
    "high",
    "weakens",
    "An opt-out is narrowed: not retroactive, partial, slower or harder to use.",
)
def optout_limited(ctx: Context) -> Hit | None:
    if ctx.new is None:
        return None
    limits = _new_cue_texts(ctx, "optout", "not_retroactive")
    if not limits:
        return None
    context = _group_keys(_new_side_group(ctx), "condition") | _group_keys(_new_side_group(ctx), "optout")
    if not ({"opt_out", "default_off_choice"} & context):
        return None
    best = max(limits, key=lambda c: c.end - c.start)
    return Hit(f"Limits the opt-out: {_q(best)}.", ((best, "new"),))


@rule(
    "rights.narrowed",
    "rights.narrowed",
    "medium",
    "weakens",
    "Access, correction, deletion, export or contact rights shrink or gain limits.",
)
def rights_narrowed(ctx: Context) -> Hit | None:
    lost = [
        c
        for c in _lost_cue_texts(ctx, "rights", "right")
        if "@" not in c.text
        or (
            ctx.old is not None
            and re.search(r"contact|data protection|privacy|question|complain", ctx.old.text, re.I)
        )
    ]
    if lost and "@" not in lost[0].text:
        # "access your data" -> "access and download your data": the right is still named
        after = " ".join(a.text for a in _new_side_group(ctx)).lower()
        verbs = set(_RIGHT_VERB.findall(lost[0].text.lower()))
        if verbs and all(v in after for v in verbs):
            lost = []
    if lost:
        severity: Severity | None = "high" if re.search(r"delet|eras", lost[0].text, re.I) else None
        return Hit(f"Removes {_q(lost[0])}.", ((lost[0], "old"),), severity=severity)
    limits = _new_cue_texts(ctx, "rights", "rights_limit")
    if limits and ctx.new is not None:
        group = _new_side_group(ctx)
        if _group_keys(group, "rights") & {"right"} or any(f.action.key == "delete" for f in _frames(group)):
            return Hit(f"Limits a user right: {_q(limits[0])}.", ((limits[0], "new"),))
    return None


_RIGHT_VERB = re.compile(
    r"access|correct|delet|eras|export|download|port|object|withdraw|rectif|restrict|request"
)
_DURATION = re.compile(r"(\d+)\s*(day|week|month|year)s?", re.IGNORECASE)
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


def _longest(analysis: Analysis) -> tuple[int, re.Match[str]] | None:
    best: tuple[int, re.Match[str]] | None = None
    for m in _DURATION.finditer(analysis.text):
        days = int(m.group(1)) * _UNIT_DAYS[m.group(2).lower()]
        if best is None or days > best[0]:
            best = (days, m)
    return best


@rule(
    "retention.extended",
    "retention.extended",
    "medium",
    "weakens",
    "A retention period grows or becomes open-ended, or data outlives deletion.",
)
def retention_extended(ctx: Context) -> Hit | None:
    if ctx.new is None:
        return None
    retains = any(f.action.key in ("retain", "delete") for f in ctx.new.frames)
    open_ended = _new_cue_texts(ctx, "retention", "retention_open")
    if open_ended and (retains or ctx.new.of("retention", "retention")):
        return Hit(
            f"Makes retention open-ended: {_q(open_ended[0])}.", ((open_ended[0], "new"),), severity="high"
        )
    if ctx.old is not None and retains:
        old, new = _longest(ctx.old), _longest(ctx.new)
        if old and new and new[0] > old[0]:
            m = new[1]
            cue = Cue("retention", "period", m.start(), m.end(), m.group(0))
            return Hit(
                f"Extends a retention period from '{old[1].group(0)}' to '{m.group(0)}'.", ((cue, "new"),)
            )
    general = _new_cue_texts(ctx, "retention", "retention")
    if general and retains and ctx.old is not None:
        return Hit(f"Keeps data longer: {_q(general[0])}.", ((general[0], "new"),))
    return None


@rule(
    "security.weakened",
    "security.weakened",
    "medium",
    "weakens",
    "A concrete safeguard (encryption, 2FA, certification) is replaced by a disclaimer or dropped.",
)
def security_weakened(ctx: Context) -> Hit | None:
    lost = _lost_cue_texts(ctx, "security", "safeguard")
    if lost:
        return Hit(f"Drops the safeguard {_q(lost[0])}.", ((lost[0], "old"),))
    disclaimer = _new_cue_texts(ctx, "security", "security_disclaimer")
    if disclaimer:
        return Hit(f"Adds a security disclaimer: {_q(disclaimer[0])}.", ((disclaimer[0], "new"),))
    return None


@rule(
    "region.carve_out",
    "region.scope_changed",
    "high",
    "weakens",
    "A protection now covers fewer places, or a regional carve-out appears.",
)
def region_scope(ctx: Context) -> Hit | None:
    if ctx.new is None:
        return None
    practices = [f for f in _practices(ctx.new) if f.data_keys or _is_promise(f)]
    regions = [c for c in ctx.new.cues if c.slot in ("region", "scope") and c.key != "located_in"]
    if not practices or not regions:
        return None
    old_regions = _group_texts(_old_side_group(ctx), "region") | _group_texts(_old_side_group(ctx), "scope")
    new = [c for c in regions if _norm(c.text) not in old_regions]
    if not new:
        return None
    cue = new[0]
    if any(_is_promise(f) for f in practices):
        promise = next(f for f in practices if _is_promise(f))
        return Hit(
            f"Limits the promise not to {promise.action.text} to {_q(cue)}; users elsewhere are not covered.",
            ((cue, "new"), (promise.action, "new")),
        )
    frame = practices[0]
    return Hit(
        f"Makes {_q(frame.action)} depend on region: {_q(cue)}.", ((cue, "new"), (frame.action, "new"))
    )


_AGE = re.compile(r"\d{1,2}")


_CHILD_AGE = re.compile(
    r"(?:under|below|younger than|age of|aged?|at least)\s+(?:the\s+age\s+of\s+)?(\d{1,2})"
    r"|(\d{1,2})\s+years?\s+(?:old|of age)",
    re.IGNORECASE,
)
_CHILD_WORD = re.compile(r"\b(?:child|children|minors?|teens?|teenagers?|parental)\b", re.IGNORECASE)


def _ages(text: str) -> set[int]:
    return {int(m.group(1) or m.group(2)) for m in _CHILD_AGE.finditer(text)}


@rule(
    "children.changed",
    "children.changed",
    "medium",
    "neutral",
    "An age threshold or the handling of children's data changes.",
)
def children_changed(ctx: Context) -> Hit | None:
    new = [c for c in _new_cue_texts(ctx, "children")]
    lost = [c for c in _lost_cue_texts(ctx, "children")]
    if not new and not lost:
        return None
    old_ages = _ages(" ".join(a.text for a in _old_side_group(ctx))) | _ages(ctx.old_document)
    new_ages = _ages(" ".join(a.text for a in _new_side_group(ctx))) | _ages(ctx.new_document)
    if ctx.old is not None and ctx.new is not None:
        a, b = _ages(ctx.old.text), _ages(ctx.new.text)
        if a and b and a != b:
            cue = next((c for c in ctx.new.of("children") if _ages(c.text)), ctx.new.of("children")[0])
            direction: Direction = "weakens" if min(b) < min(a) else "strengthens"
            return Hit(
                f"Changes the age threshold from {min(a)} to {min(b)}: {_q(cue)}.",
                ((cue, "new"),),
                direction=direction,
            )
    for cue in new:
        ages = _ages(cue.text)
        if ages and not ages <= old_ages:
            return Hit(f"Adds an age threshold: {_q(cue)}.", ((cue, "new"),))
        if not ages and ctx.old_document and not _CHILD_WORD.search(ctx.old_document) and not old_ages:
            return Hit(f"Starts addressing children's data: {_q(cue)}.", ((cue, "new"),))
    for cue in lost:
        ages = _ages(cue.text)
        if ages and not ages <= new_ages:
            return Hit(f"Removes the age threshold {_q(cue)}.", ((cue, "old"),))
    return None


@rule(
    "notice.weakened",
    "notice.weakened",
    "medium",
    "weakens",
    "How users learn of changes gets worse (no prior notice, effective when posted, consent by use).",
)
def notice_weakened(ctx: Context) -> Hit | None:
    bad = _new_cue_texts(ctx, "notice", "notice_bad")
    if bad:
        return Hit(f"Weakens notice of changes: {_q(bad[0])}.", ((bad[0], "new"),))
    lost = _lost_cue_texts(ctx, "notice", "notice_good")
    if lost and (ctx.new is None or not ctx.new.of("notice", "notice_good")):
        return Hit(f"Drops {_q(lost[0])} about changes.", ((lost[0], "old"),))
    return None


@rule(
    "dispute.changed",
    "dispute.changed",
    "medium",
    "neutral",
    "Arbitration, class-action waiver, venue or governing law changes.",
)
def dispute_changed(ctx: Context) -> Hit | None:
    new = _new_cue_texts(ctx, "dispute")
    lost = _lost_cue_texts(ctx, "dispute")
    if new:
        severity: Severity | None = "high" if re.search(r"arbitra|class", new[0].text, re.I) else None
        return Hit(f"Changes dispute terms: adds {_q(new[0])}.", ((new[0], "new"),), severity=severity)
    if lost:
        return Hit(f"Changes dispute terms: removes {_q(lost[0])}.", ((lost[0], "old"),))
    if ctx.old is not None and ctx.new is not None and ctx.new.of("dispute"):
        new_regions = _new_cue_texts(ctx, "region")
        if new_regions:
            return Hit(f"Changes the law or venue to {_q(new_regions[0])}.", ((new_regions[0], "new"),))
    return None


@rule(
    "signal.changed",
    "signal.changed",
    "low",
    "neutral",
    "Do Not Track / Global Privacy Control handling changes.",
)
def signal_changed(ctx: Context) -> Hit | None:
    new = _new_cue_texts(ctx, "signal")
    lost = _lost_cue_texts(ctx, "signal")
    if new:
        neg = ctx.new is not None and bool(ctx.new.of("negation"))
        return Hit(
            f"Changes how browser signals are handled: {_q(new[0])}.",
            ((new[0], "new"),),
            direction="weakens" if neg else None,
        )
    if lost:
        return Hit(
            f"Drops a statement on {_q(lost[0])}.",
            ((lost[0], "old"),),
            severity="medium",
            direction="weakens",
        )
    if ctx.old is not None and ctx.new is not None and ctx.old.of("signal") and ctx.new.of("signal"):
        if bool(ctx.old.of("negation")) != bool(ctx.new.of("negation")):
            cue = ctx.new.of("signal")[0]
            return Hit(f"Reverses how {_q(cue)} is handled.", ((cue, "new"),), severity="medium")
    return None


BUNDLE_RULE = Rule(
    "bundle.contradiction",
    "bundle.contradiction",
    "high",
    "weakens",
    "A permission added in one document conflicts with a promise still present in another.",
    lambda ctx: None,
)


def all_rules() -> tuple[Rule, ...]:
    """Every rule, in the order they run, the bundle rule last."""
    return (*RULES, BUNDLE_RULE)
