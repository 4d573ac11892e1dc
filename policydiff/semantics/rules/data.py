"""Data: a new category of data, a longer or open-ended retention."""

from __future__ import annotations

import re

from policydiff.model import Severity
from policydiff.semantics.context import Context, Hit
from policydiff.semantics.cues import Cue
from policydiff.semantics.frames import PRACTICES, Analysis
from policydiff.semantics.lexicon import ancestors, label, subsumes
from policydiff.semantics.rules.helpers import (
    SENSITIVE_DATA,
    group_keys,
    in_name,
    new_cue_texts,
    old_side_group,
    practices,
    q,
    users_own,
)


def data_broadened(ctx: Context) -> Hit | None:
    if ctx.new is None or not ctx.new.of("data") or ctx.new.of("boilerplate") or ctx.new.of("dispute"):
        return None
    paired = ctx.old is not None
    candidates: list[tuple[Cue, str]] = []
    for frame in practices(ctx.new, affirmative=True):
        if frame.action.key in ("collect", "use", "share", "train", "sell"):
            candidates += [(c, frame.action.key) for c in frame.data]
    if paired and not candidates and re.search(r"\b(?:provide|give|submit|upload)\b", ctx.new.text, re.I):
        candidates += [
            (c, "provided") for c in ctx.new.of("data")
        ]  # "you need to provide data including ..."
    if paired and any(f.action.key == "collect" for f in practices(ctx.new, affirmative=True)):
        # "we collect your name and, where you allow it, your location": data beyond the frame's reach
        candidates += [(c, "collected") for c in ctx.new.of("data")]
    if not paired and not candidates and not ctx.old_group and not any(f.negated for f in ctx.new.frames):
        # a list item, table row or lead-in naming kinds of data without a verb of its own: what the
        # policy collects ("Geolocation data, for example GPS information ...")
        if not any(f.action.key in PRACTICES for f in ctx.new.frames):
            candidates += [(c, "listed") for c in ctx.new.of("data") if not subsumes("content", c.key)]
    if not candidates:
        return None
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
    for cue, verb in candidates:
        key = cue.key
        if key == "personal_data" or (cue.start, cue.end) in sources:
            continue
        if old_group is None:
            old_group = old_side_group(ctx)
            old_keys = group_keys(old_group, "data")
        if key in old_keys or (not paired and ctx.known(cue)):
            continue
        if any(o in old_keys for o in ancestors(key) if o != "personal_data"):
            continue
        sensitive = any(subsumes(s, key) for s in SENSITIVE_DATA)
        if not old_group and not sensitive and not listed and id(cue) not in collected:
            continue
        severity: Severity = "high" if sensitive else "medium"
        return Hit(
            f"Adds a data category, {q(cue)} ({label(key)}), to the data covered ({verb}).",
            ((cue, "new"),),
            severity=severity,
        )
    return None


_DURATION = re.compile(r"(\d+)\s*(day|week|month|year)s?", re.IGNORECASE)
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


def _longest(analysis: Analysis) -> tuple[int, re.Match[str]] | None:
    best: tuple[int, re.Match[str]] | None = None
    for m in _DURATION.finditer(analysis.text):
        days = int(m.group(1)) * _UNIT_DAYS[m.group(2).lower()]
        if best is None or days > best[0]:
            best = (days, m)
    return best


def retention_extended(ctx: Context) -> Hit | None:
    if ctx.new is None:
        return None
    retains = any(f.action.key in ("retain", "delete") and not users_own(f) for f in ctx.new.frames)
    open_ended = [c for c in new_cue_texts(ctx, "retention", "retention_open") if not in_name(ctx.new, c)]
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
    if general and retains and ctx.old is not None:
        return Hit(f"Keeps data longer: {q(general[0])}.", ((general[0], "new"),))
    return None
