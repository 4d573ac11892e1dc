"""Data: a new category of data in the data covered (retention is `retention`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from policydiff.model import Severity
from policydiff.semantics.context import Context, Hit
from policydiff.semantics.cues import Cue, key_triggers, tag_slot
from policydiff.semantics.frames import Analysis, Frame
from policydiff.semantics.lexicon import ancestors, label, related, subsumes
from policydiff.semantics.roles import role_nouns
from policydiff.semantics.rules.helpers import (
    SENSITIVE_DATA,
    example_heads,
    feature_description,
    group_keys,
    old_side_group,
    practices,
    q,
)
from policydiff.semantics.rules.said import named_before
from policydiff.semantics.rules.sources import provenances, source_named_before
from policydiff.semantics.rules.stated import action_class, data_stated, parties_stated
from policydiff.semantics.text import squash

# actions whose object is data the service handles: a new kind of it broadens the data covered
_HANDLING = frozenset({"collect", "use", "share", "train", "sell", "retain"})
# "participate in the collection of email addresses of others": data about other people that the
# user handles (conduct rules), not data the service handles
_OTHERS_DATA = re.compile(
    r"\b(?:of|about) (?:others|other (?:users|people|persons|members))\b|\btheir (?:prior )?consent\b"
    r"|\byou (?:are|remain) (?:solely )?responsible\b|\byour (?:sole )?responsibility\b",
    re.I,
)
# what the user can or must do ("You can disable cookies in your browser settings") names no practice
_ADDRESSED = re.compile(r"\W*(?:you|users?)\s+(?:can|may|must|should|will|agree|are)\b", re.I)
# nominal practices with data as their object: "collection of data covers ...", "the processing covers ...",
# "through the use of your precise location"
_NOMINAL_PRACTICE = re.compile(
    r"\b(?:collection|processing|storage|sharing|disclosure|recording|tracking|logging)\s+(?:of|covers?|includes?)\b"
    r"|\buse of (?:your|their|users?'?|members'?)\s"
    r"|\b(?:this|such|the following|these|that)\s+(?:personal\s+)?(?:information|data)\s+"
    r"(?:includes?|consists?|covers?|comprises?)\b",
    re.I,
)
NEGATION = re.compile(r"\bnot\b(?! limited)|\b(?:never|no)\b|n't\b", re.I)
# a leading label naming a kind of data: "Geolocation data, for example: ...", "Device information: ..."
_LABEL = re.compile(r"^\W*(?:\d+[.)]\s*)?([^:.;()]{3,60}):")
# generic content words ("content", "posts", "messages") name data in too many other contexts (conduct
# rules): counted only as the object of a practice; a list without a practice names no content but
# recordings ("voice recordings when you speak to the assistant")
_GENERIC = frozenset({"content", "messages"})
_LISTABLE_CONTENT = frozenset({"recordings"})


_PROVIDE = re.compile(r"\b(?:provide|give|submit|upload)\b", re.I)


def data_cues(analysis: Analysis) -> tuple[Cue, ...]:
    """The data cues of a sentence in the role of data handled (``roles.role_nouns``): not "your friends"
    in "share your posts with your friends", "your country" in "in your country", "if you are under 16"."""
    cues = analysis.of("data")
    roles = role_nouns(analysis.text, cues)
    return tuple(c for c in cues if c.start not in roles) if roles else cues


# a parenthesis of examples ("(like email, file sharing or instant message)"): a noun compound on an action
# word named there is a kind of thing, no practice of the service ("(e.g., when you share a post)" is one)
_EXAMPLES = re.compile(
    r"\((?:like|e\.\s?g\.|for example|for instance|such as|including)(?=\W)[^()]{0,300}\)", re.I
)
# an action word ending a noun compound ("file sharing", "photo sharing"), not a verb of the service
_COMPOUND = re.compile(
    r"\b(?!(?:you|we|they|us|them|when|while|by|of|for|and|or|to|about|from|with|after|before|is|are|be)\b)"
    r"[a-z]+\s+[a-z]+ing$",
    re.I,
)
# a rule of conduct in the imperative opens on its verbs ("Post or transmit any content ...", "d) copy,
# store or publish ..."): what precedes the first action is a list mark and at most a few coordinated verbs
_IMPERATIVE_LEAD = re.compile(
    r"\W*(?:\(?(?:\d{1,2}|[a-z])[.)]\s*)?(?:(?:[A-Za-z]+,?\s+){1,3}(?:or|and|and/or)\s+)?"
)


def _asides(analysis: Analysis, frames: Sequence[Frame]) -> set[int]:
    """The starts of the actions of ``frames`` that are no practice of the service: an action word ending
    a noun compound among examples, or any verb of a rule of conduct in the imperative (each whole-sentence
    look made once: a sentence may hold thousands of frames)."""
    out: set[int] = set()
    verbs = [c.start for c in analysis.of("action")]  # the sentence's own verbs, not a lead-in's frame
    if verbs and _IMPERATIVE_LEAD.fullmatch(analysis.text, 0, min(verbs)) is not None:
        out.update(verbs)
    text = analysis.text
    compounds = [
        f.action for f in frames if _COMPOUND.search(text, max(0, f.action.start - 30), f.action.end)
    ]
    if compounds:
        spans = [m.span() for m in _EXAMPLES.finditer(text)]
        out.update(a.start for a in compounds if any(lo < a.start and a.end < hi for lo, hi in spans))
    return out


def _conduct(text: str) -> bool:
    return bool(_OTHERS_DATA.search(text) or _ADDRESSED.match(text))


def _named(analysis: Analysis, verb: str) -> list[tuple[Cue, str]]:
    return [(c, verb) for c in data_cues(analysis) if c.key not in _GENERIC]


_INCLUDES = re.compile(r"\s*(?:also\s+)?(?:includes?|consists? of|comprises?|covers?|contains?)\b", re.I)


def _includes(analysis: Analysis) -> bool:
    """A kind of data as the subject of "includes": "browsing activity includes your history, ..."."""
    return any(_INCLUDES.match(analysis.text, c.end) for c in analysis.of("data"))


def _defines_known(ctx: Context, cue: Cue) -> bool:
    """The cue is, or exemplifies, a kind the sentence defines ("Content includes, for example, photos")
    and the old version already named: the definition spells out what was covered."""
    assert ctx.new is not None
    subjects = [  # "data covers ..." is no definition of a kind: all data subsumes everything
        c for c in ctx.new.of("data") if c.key != "personal_data" and _INCLUDES.match(ctx.new.text, c.end)
    ]
    return any(c.start <= cue.start and subsumes(c.key, cue.key) and ctx.known(c) for c in subjects)


def _listed(analysis: Analysis) -> list[tuple[Cue, str]]:
    return [
        (c, "listed")
        for c in data_cues(analysis)
        if c.key in _LISTABLE_CONTENT or not subsumes("content", c.key)
    ]


# a verb that makes new data out of data handled: "create a voiceprint", "extract a facial template",
# "derive your likely income", "build a profile of your interests"
_DERIVES = re.compile(
    r"\b(?:creat|generat|deriv|extract|build|built|comput|infer|deduc|estimat|predict|produc|calculat)\w*"
    r"\s+(?:[\w'’-]+\s+){0,3}?$",
    re.I,
)


def _derived(analysis: Analysis) -> list[tuple[Cue, str]]:
    """The data cues that are the object of a verb deriving data (``_DERIVES``)."""
    text = analysis.text
    return [
        (c, "derived") for c in data_cues(analysis) if _DERIVES.search(text, max(0, c.start - 60), c.start)
    ]


def _candidates(ctx: Context) -> list[tuple[Cue, str]]:
    """The data cues of the new sentence that some practice of the service reaches, with its verb."""
    assert ctx.new is not None
    new, paired = ctx.new, ctx.old is not None
    acting = [f for f in practices(new, affirmative=True) if f.action.key in _HANDLING]
    asides = _asides(new, acting) if acting else set()
    acting = [f for f in acting if f.action.start not in asides]
    candidates = [(c, f.action.key) for f in acting for c in f.data]
    if acting:  # "we analyse your voice to create a voiceprint": what a practice derives is data too
        candidates += _derived(new)
    if paired and not candidates and _PROVIDE.search(new.text):
        candidates += [(c, "provided") for c in data_cues(new)]  # "you need to provide data including ..."
    if any(f.action.key == "collect" for f in acting) or (not paired and acting):
        # "we collect your name and, where you allow it, your location"; "we collect the following: ...":
        # the kinds named anywhere in a sentence that states a practice are data it covers
        candidates += _named(new, "collected")
    if candidates or any(f.negated for f in new.frames) or _conduct(new.text):
        return candidates
    if _NOMINAL_PRACTICE.search(new.text) or _includes(new):
        return [(c, "covered") for c in data_cues(new) if not _defines_known(ctx, c)]
    if paired or ctx.old_group or NEGATION.search(new.text):
        return []  # a list names what is collected; "we do not encourage you to provide ..." does not
    label_match = _LABEL.match(new.text)
    if label_match and any(c.end <= label_match.end(1) for c in new.of("data")):
        # "Geolocation data, for example: GPS ...": the label heads a list of what is collected
        return _listed(new)
    if not practices(new):
        # a list item, table row or lead-in naming kinds of data without a practice of its own: what
        # the policy collects ("Geolocation data, for example GPS information")
        return _listed(new)
    return []


def sensitive(key: str) -> bool:
    """A kind of data a reviewer must see appear: content, messages, biometrics, precise location, health."""
    return any(subsumes(s, key) for s in SENSITIVE_DATA)


def _covered(key: str, old_keys: frozenset[str]) -> bool:
    """The old clause already names ``key`` or a wider kind; a sensitive kind needs a sensitive cover.

    "your city" does not cover "your GPS coordinates": precise location is narrower than location,
    but a reviewer must see it appear.
    """
    wider = [o for o in ancestors(key) if o in old_keys and o != "personal_data"]
    if sensitive(key):
        return any(sensitive(o) for o in wider)
    return bool(wider)


def _example_of_known(
    cue: Cue, heads: dict[int, Cue], old_keys: frozenset[str], old_group: Sequence[Analysis]
) -> bool:
    """An example spelling out a kind the old clause named without examples.

    "your profile information" -> "your profile information, such as your display name" clarifies;
    "technical data such as your browser type" -> "... such as your browser type and advertising ID"
    lengthens a list of examples, which is new data.
    """
    head = heads.get(cue.start)
    if head is None or head.key == "personal_data" or (sensitive(cue.key) and not sensitive(head.key)):
        return False
    if not (head.key in old_keys or _covered(head.key, old_keys)):
        return False
    listed_before = {h.key for a in old_group for h in example_heads(a).values()}
    return head.key not in listed_before


def _generalized(ctx: Context) -> Hit | None:
    """ "your email address" -> "personal information about you": named kinds become all personal data."""
    assert ctx.new is not None and ctx.old is not None
    general = [c for f in practices(ctx.new, affirmative=True) if f.action.key in _HANDLING for c in f.data]
    general = [c for c in general if c.key == "personal_data"]
    old_data = [c for f in practices(ctx.old, affirmative=True) for c in f.data]
    if not general or not old_data or any(c.key == "personal_data" for c in old_data):
        return None
    if ctx.new.keys("data") & {c.key for c in old_data}:
        return None
    return Hit(
        f"Replaces {q(old_data[0])} with the wider {q(general[0])} in the data covered.",
        ((general[0], "new"), (old_data[0], "old")),
    )


def _narrowed(ctx: Context, cue: Cue) -> bool:
    """The paired old sentence put the same class of practice, to the same kinds of recipient, on data in
    general ("information about you"): a narrower, non-sensitive kind in its place narrows the clause.

    "We share information about you with our service providers" -> "We share your activity with our service
    providers" covers less; the same activity shared with advertisers is new for them (see the tests).
    """
    if ctx.old is None or ctx.new is None or sensitive(cue.key):
        return False
    frames = [f for f in practices(ctx.new, affirmative=True) if any(c is cue for c in f.data)]
    if any("personal_data" in f.data_keys for f in frames):
        return False  # "the information ... and the inferences we draw": a kind added beside the general term
    general = [f for f in practices(ctx.old, affirmative=True) if "personal_data" in f.data_keys]
    return bool(frames) and all(
        any(
            action_class(f.action.key) == action_class(g.action.key)
            and all(any(related(p.key, o.key) for o in g.parties) for p in f.parties)
            for g in general
        )
        for f in frames
    )


_BROAD_SENSITIVE = frozenset({"content", "messages", "sensitive"})


def _practice_kinds(line: str) -> frozenset[str]:
    """For ``DocumentFacts.each_line``: the kinds of data named in a line that states a practice (an
    action of the service's practices, nothing denied), by the slot patterns alone."""
    if NEGATION.search(line) or not any(c.key in _HANDLING for c in tag_slot(line, "action")):
        return frozenset()
    return frozenset(c.key for c in tag_slot(line, "data"))


def _sensitive_stated(ctx: Context, key: str) -> bool:
    """A specific sensitive kind the old version already names, as this very kind, in a line stating a
    practice ("precise location", "voice recordings"). A broad class ("content", "messages") only for a
    sentence that appeared (a restatement moved to another place): in an edited sentence which content a
    practice reaches is the clause's own question ("web content joins the browsing data"). Only the lines
    with a trigger literal of the kind are read (``key_triggers``): no other line names it."""
    if not sensitive(key) or (key in _BROAD_SENSITIVE and ctx.old is not None):
        return False
    lines = ctx.old_facts.each_line(_practice_kinds, key_triggers("data", key))
    return any(key in kinds for kinds in lines)


_LIST_KINDS = 3  # a line naming this many kinds of data lists what the policy covers


def _listed_words(line: str) -> frozenset[str]:
    """For ``DocumentFacts.each_line``: the words of the data kinds a line lists, when it names
    ``_LIST_KINDS`` kinds or more and denies nothing ("- Device information, such as your IP address,
    browser type and operating system"; a table row of categories); empty otherwise."""
    if NEGATION.search(line):
        return frozenset()
    cues = [c for c in tag_slot(line, "data") if c.key != "personal_data"]
    if len({c.key for c in cues}) < _LIST_KINDS:
        return frozenset()
    return frozenset(squash(c.text) for c in cues)


def _listed_elsewhere(ctx: Context, cue: Cue) -> bool:
    """The old version lists this non-sensitive kind, in the same words, among the kinds of data it
    covers (a list or a table row, perhaps without a verb of its own): a rewrite that names it again
    restates the data covered ("We use your IP address ..."), it does not widen it. Other words are
    left to the practice index (``data_stated``): "financial account information" is more than "card
    information" though the lexicon files both under financial data."""
    if sensitive(cue.key):
        return False
    words = squash(cue.text)
    return any(words in listed for listed in ctx.old_facts.each_line(_listed_words))


def _may_be_restated(ctx: Context) -> bool:
    """Whether the new sentence can restate a practice of the old version: not when it asks the user to
    provide data ("you need to provide ...") or brings data in from a source the old version never named."""
    assert ctx.new is not None
    if _PROVIDE.search(ctx.new.text):
        return False
    return all(source_named_before(ctx, ctx.new, c) for c in provenances(ctx.new))


def data_broadened(ctx: Context) -> Hit | None:
    if ctx.new is None or not data_cues(ctx.new) or ctx.new.of("boilerplate") or ctx.new.of("dispute"):
        return None
    if feature_description(ctx.new):
        return None  # "Studio gives creators analytics about who watches": a feature, no data handled
    candidates = _candidates(ctx)
    paired = ctx.old is not None
    old_group: tuple[Analysis, ...] | None = None  # read only for a candidate that survives the rest
    old_keys: frozenset[str] = frozenset()
    # a new clause listing several kinds of data ("name, email address, GPS location") broadens it too
    kinds = {c.key for c, _ in candidates if not subsumes("content", c.key)} - {"personal_data"}
    listed = len(kinds) >= 2
    # what the service says it collects is a data practice on its own ("we log IP addresses")
    collected = {
        id(c) for f in practices(ctx.new, affirmative=True) if f.action.key == "collect" for c in f.data
    }
    # a phrase also read as a source ("publicly available information") says where data comes from
    sources = {(c.start, c.end) for c in ctx.new.of("source")}
    heads = example_heads(ctx.new)
    acting = [f for f in practices(ctx.new, affirmative=True) if f.action.key in _HANDLING]
    retention = bool(acting) and all(f.action.key == "retain" for f in acting)
    # data now passed to a third party is new for that party, even if the old version named it elsewhere
    # (unless the old version passed it on to that party too: ``parties_stated``)
    passed_on = {
        id(c)
        for f in practices(ctx.new, affirmative=True)
        if f.parties and not parties_stated(ctx, f)
        for c in f.data
    }
    restated: bool | None = None  # read only for a candidate that survives the clause's own tests
    for cue, verb in candidates:
        key = cue.key
        if key == "personal_data" or (cue.start, cue.end) in sources:
            continue
        if old_group is None:
            old_group = old_side_group(ctx)
            old_keys = group_keys(old_group, "data")
        if (not paired and ctx.known(cue) and id(cue) not in passed_on) or _covered(key, old_keys):
            continue
        if _example_of_known(cue, heads, old_keys, old_group) or _narrowed(ctx, cue):
            continue
        if restated is None:
            restated = _may_be_restated(ctx)
        if (
            restated
            and id(cue) not in passed_on
            and (data_stated(ctx, key) or _listed_elsewhere(ctx, cue) or _sensitive_stated(ctx, key))
        ):
            continue  # the old version states the same practice on this data (or a wider kind) elsewhere
        if retention and named_before(ctx, key):
            continue  # how long a kind of data the old version already named is kept: retention, not new data
        high = sensitive(key)
        if not old_group and not high and not listed and id(cue) not in collected:
            continue
        severity: Severity = "high" if high else "medium"
        return Hit(
            f"Adds a data category, {q(cue)} ({label(key)}), to the data covered ({verb}).",
            ((cue, "new"),),
            severity=severity,
        )
    return _generalized(ctx) if paired else None
