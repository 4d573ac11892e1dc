"""Recipients a sentence implies without a party of a frame.

A disclosure that names no recipient ("we may disclose your information without notice": someone
outside receives it, ``unnamed_recipient``), a list item that names only where data goes ("- with
our insurance partners", ``leading_recipient``), and an outside service the company uses ("our AI
features rely on third-party models", ``engaged_provider``). The rules of ``recipients`` decide
whether what they name is new.
"""

from __future__ import annotations

import re

from policydiff.semantics.context import Context
from policydiff.semantics.cues import Cue
from policydiff.semantics.frames import SHARING, Analysis, Frame
from policydiff.semantics.lexicon import FIRST_PARTY, is_third_party
from policydiff.semantics.rules.disclosures import HANDS_OVER, WINDOW, cues_between, visible
from policydiff.semantics.rules.helpers import boilerplate_only, group_practices, old_side_group, practices

_TO_BEFORE = re.compile(r"\b(?:to|with)\s+$", re.IGNORECASE)
# "to you" after a noun of telling is no recipient of the data: "disclosed without notice to you"
_TOLD_BEFORE = re.compile(
    r"\b(?:notice|notification|notifying|explanation|reference)\s+to\s+$", re.IGNORECASE
)


def _receives(cue: Cue, text: str) -> bool:
    """The party is named as a recipient: any third party, or the user after "to"/"with" (not "about you",
    "without notice to you")."""
    if is_third_party(cue.key):
        return True
    lo = max(0, cue.start - 24)
    told = _TOLD_BEFORE.search(text, lo, cue.start) is not None
    return not told and _TO_BEFORE.search(text, lo, cue.start) is not None


_TO_US = re.compile(r"\b(?:us|me)\b", re.IGNORECASE)


def unnamed_recipient(ctx: Context) -> Frame | None:
    """The service now discloses data without naming to whom: someone outside receives it."""
    if ctx.new is None or any(f.action.key in SHARING for f in group_practices(old_side_group(ctx))):
        return None
    for frame in practices(ctx.new, affirmative=True):
        if (
            frame.action.key == "share"
            and not any(_receives(c, ctx.new.text) for c in frame.recipients)
            and (frame.passive or any(a.key in FIRST_PARTY for a in frame.actors))
            and frame.data_keys
            and HANDS_OVER.match(frame.action.text)
            and not frame.action.text.lower().endswith("ing")  # "file sharing" names a feature
            and not visible(frame)  # "made public" names its audience (read as a party)
            and not _TO_US.search(frame.action.text)  # "a child has provided us with": data comes in
            and not ctx.known(frame.action)
        ):
            return frame
    return None


# a list item that names only where data goes ("With third parties who help us ...", "to our partners, who")
_LEADING_TO = re.compile(r"^\W*(?:with|to)\s+", re.IGNORECASE)


def _has_own_frame(analysis: Analysis) -> bool:
    """A frame whose verb is not a word of a party's name ("companies we work with")."""
    return any(
        not any(
            a.start <= f.action.start < a.end
            for a in cues_between(analysis, "actor", f.action.start - WINDOW, f.action.start + 1)
        )
        for f in analysis.frames
    )


def leading_recipient(ctx: Context) -> Cue | None:
    """A third party at the head of an item that starts with "with" or "to": its elided verb shares."""
    new = ctx.new
    lead = _LEADING_TO.match(new.text) if new is not None else None
    if new is None or lead is None or _has_own_frame(new) or boilerplate_only(new) or old_side_group(ctx):
        return None
    first = min(new.of("actor"), key=lambda c: c.start, default=None)
    if first is None or first.start > lead.end() + 4 or not is_third_party(first.key) or ctx.known(first):
        return None
    return first


def engaged_provider(analysis: Analysis) -> Cue | None:
    """An outside service the company uses ("AI features utilize third-party provided services").

    The lexicon reads it only as the object of "use", "rely on", "engage" (``engaged_providers``); the
    user's own use ("you may use third-party services to sign in") and a negated one are no recipient.
    """
    if boilerplate_only(analysis):
        return None
    for cue in analysis.of("actor", "engaged_providers"):
        before = [c for c in analysis.of("actor") if c.end <= cue.start]
        if before and before[-1].key == "user":
            continue
        if any(n.start < cue.start for n in analysis.of("negation")):
            continue
        return cue
    return None
