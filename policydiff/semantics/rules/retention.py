"""Retention: a longer or open-ended retention of data, judged against what the old version keeps."""

from __future__ import annotations

import re

from policydiff.semantics.context import Context, Hit
from policydiff.semantics.cues import Cue, tag_slot
from policydiff.semantics.frames import Analysis
from policydiff.semantics.mood import unstated
from policydiff.semantics.rules.data import NEGATION, data_cues, sensitive
from policydiff.semantics.rules.helpers import in_name, new_cue_texts, practices, q, users_own
from policydiff.semantics.rules.said import named_before
from policydiff.semantics.text import fold, squash

# a word for stored copies on its own ("caches or archives of the site", "our art archive") says data is
# kept only with an action that keeps or deletes it ("we keep backups of your messages")
_STORE_NOUN = re.compile(r"back-?ups?|archives?|archival copies|cached copies|caches?|copies")
_STORE_NAMED = re.compile(r"\b(?:the|our|a|an|this|that|its|their|my)\s+(?:[\w-]+\s+){0,2}$", re.I)


def _store_named(analysis: Analysis, action: Cue) -> bool:
    """A keeping action read from a noun with a determiner ("our community archive", "in the archive"): a
    place named, no witness that data is kept ("activity logs or archives" is one)."""
    return bool(_STORE_NOUN.fullmatch(fold(action.text))) and bool(
        _STORE_NAMED.search(analysis.text, max(0, action.start - 40), action.start)
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


def _kept_before(ctx: Context, cue: Cue) -> bool:
    """The old version already says, somewhere, that it keeps data ("We keep your information while your
    account is open"), and the new sentence names no longer period and no sensitive data: a rewrite that
    says it of the data it names ("we retain them for as long as your account is open") restates it."""
    assert ctx.new is not None
    if any(sensitive(c.key) for c in data_cues(ctx.new)) or _DURATION.search(ctx.new.text):
        return False
    return named_before(ctx, cue.key) or any(ctx.old_facts.each_line(_keeps_data))


def _keeps_data(line: str) -> bool:
    """For ``DocumentFacts.each_line``: the line says data is kept (a keeping verb and a kind of data,
    nothing denied), by the slot patterns alone."""
    if NEGATION.search(line) or not any(c.key == "retain" for c in tag_slot(line, "action")):
        return False
    return bool(tag_slot(line, "data"))


def retention_extended(ctx: Context) -> Hit | None:
    if ctx.new is None:
        return None
    text = ctx.new.text
    retains = any(
        f.action.key in ("retain", "delete")
        and not users_own(f)
        and not _store_named(ctx.new, f.action)
        and not unstated(text, f.action.start)  # "you may not keep caches of the site": the user's conduct
        for f in ctx.new.frames
    )
    open_ended = [
        c
        for c in new_cue_texts(ctx, "retention", "retention_open")
        if not in_name(ctx.new, c)
        and (retains or not _STORE_NOUN.fullmatch(squash(c.text)))
        and not unstated(text, c.start)
    ]
    about_data = bool(ctx.new.of("data")) and bool(practices(ctx.new, affirmative=True))
    if open_ended and (retains or ctx.new.of("retention", "retention") or about_data):
        return Hit(
            f"Makes retention open-ended: {q(open_ended[0])}.", ((open_ended[0], "new"),), severity="high"
        )
    if ctx.old is not None and retains:
        old, new = _longest(ctx.old), _longest(ctx.new)
        if old and new and new[0] > old[0]:
            m = new[1]
            cue = Cue("retention", "period", m.start(), m.end(), m.group(0))
            return Hit(
                f"Extends a retention period from '{old[1].group(0)}' to '{m.group(0)}'.", ((cue, "new"),)
            )
    general = new_cue_texts(ctx, "retention", "retention")
    if general and retains and ctx.old is not None and not _kept_before(ctx, general[0]):
        return Hit(f"Keeps data longer: {q(general[0])}.", ((general[0], "new"),))
    return None
