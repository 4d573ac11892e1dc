"""The stance table: per service, does the current version permit AI training on user data, with or
without an opt-out, with which regional carve-outs, and since which version.

Derived only from the findings table: a finding whose sentence the lexicon tags with AI training
(``purpose:ai_training`` or the action ``train``) is a statement about training; its rule's direction,
the negation, consent, opt-out and region words the lexicon finds in that sentence say which
statement. The latest statement of a service (across its documents) is its current stance; when one
version says both (a permission and a promise limiting it), the permission stands. Nothing here knows
any service: only finding fields and the semantics' own cue tags.

The first version of each history is read against an empty document (the ``baseline`` rows), so what
a history said from the start counts too. What it cannot see: a statement whose sentence the rules did
not turn into a finding.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

import attrs

__all__ = ["STANCE_COLUMNS", "Stance", "stance_csv", "stance_table"]

AiTraining = Literal["permitted", "only with consent", "not permitted", "promise removed", "not stated"]
STANCE_COLUMNS = (
    "service",
    "ai_training",
    "opt_out",
    "regional_carve_outs",
    "since_date",
    "since_version",
    "since_first_version",
    "document",
    "rule",
    "sentence",
)


def _strs(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen
class Stance:
    service: str
    ai_training: AiTraining = "not stated"
    opt_out: Literal["yes", "limited", "not stated", ""] = ""
    regional_carve_outs: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    since_date: datetime | None = None
    since_version: str | None = None
    since_first_version: bool = (
        False  # the statement was already in the history's first version: "at least since"
    )
    document: str | None = None
    rule: str | None = None
    sentence: str | None = None

    def row(self) -> dict[str, str]:
        return {
            "service": self.service,
            "ai_training": self.ai_training,
            "opt_out": self.opt_out,
            "regional_carve_outs": "; ".join(self.regional_carve_outs),
            "since_date": self.since_date.date().isoformat() if self.since_date else "",
            "since_version": self.since_version or "",
            "since_first_version": "yes" if self.since_first_version else "",
            "document": self.document or "",
            "rule": self.rule or "",
            "sentence": self.sentence or "",
        }


@attrs.frozen
class _Words:
    """What the lexicon finds in a finding's sentence: ``slot:key`` names and region texts."""

    names: frozenset[str]
    regions: tuple[str, ...]

    def has(self, *names: str) -> bool:
        return any(name in self.names for name in names)


def _words(text: str | None, evidence: Sequence[Mapping[str, Any]]) -> _Words:
    from policydiff.semantics.cues import tag

    cues = tag(text) if text else ()
    names = {c.name for c in cues} | {str(e["cue"]) for e in evidence}
    regions: list[str] = []
    for cue in cues:
        if (cue.slot == "region" or cue.name == "scope:region_outside") and cue.text not in regions:
            regions.append(cue.text)
    return _Words(frozenset(names), tuple(regions))


def _statement(finding: Mapping[str, Any]) -> tuple[AiTraining, _Words] | None:
    """What one finding says about AI training, or None when it says nothing about it."""
    removed = finding["category"] == "promise.removed"
    text = finding["old_text"] if removed else finding["new_text"]
    side = "old" if removed else "new"
    words = _words(text, [e for e in finding["evidence"] or () if e["side"] == side])
    if not words.has("purpose:ai_training", "action:train"):
        return None
    if removed:
        return "promise removed", words
    negated = words.has("negation:not") and not words.has("modal:permit")
    if words.has("condition:consent") and (negated or finding["direction"] == "strengthens"):
        return "only with consent", words
    if negated and not words.regions:
        return "not permitted", words
    # "we do not train on data of members in the EU" is a carve-out: elsewhere, training is permitted
    return "permitted", words


_PRECEDENCE = {"promise removed": 0, "not permitted": 1, "only with consent": 2, "permitted": 3}


def stance_table(findings: Iterable[Mapping[str, Any]]) -> list[Stance]:
    """One ``Stance`` per service that has findings, from the findings table's rows in any order."""
    ordered = sorted(
        (f for f in findings if not f["announced"]),
        key=lambda f: (
            f["service"],
            f["new_date"],
            not f.get("baseline", False),
            f["pair_id"],
            f["ordinal"],
        ),
    )
    result: dict[str, Stance] = {}
    for _, group in itertools.groupby(ordered, key=lambda f: (f["service"], f["pair_id"])):
        rows = list(group)
        service = rows[0]["service"]
        said = [(f, *statement) for f in rows if (statement := _statement(f)) is not None]
        # one version saying both: the permission stands, the promise limits it ("... except messages")
        for finding, value, words in sorted(said, key=lambda s: _PRECEDENCE[s[1]]):
            result[service] = _update(result.get(service, Stance(service)), finding, value, words)
        result.setdefault(service, Stance(service))
    return [result[name] for name in sorted(result)]


def _update(current: Stance, finding: Mapping[str, Any], value: AiTraining, words: _Words) -> Stance:
    opt_out = current.opt_out
    if value == "permitted":
        if finding["category"] == "optout.limited":
            opt_out = "limited"
        elif (
            words.has("condition:opt_out", "optout:default_off_choice")
            or finding["category"] == "default.changed"
        ):
            opt_out = "yes"
        elif current.ai_training != "permitted":
            opt_out = "not stated"
    else:
        opt_out = ""
    regions = words.regions if value == "permitted" and words.regions else current.regional_carve_outs
    if value != "permitted":
        regions = ()
    changed = value != current.ai_training
    return attrs.evolve(
        current,
        ai_training=value,
        opt_out=opt_out,
        regional_carve_outs=regions,
        since_date=finding["new_date"] if changed else current.since_date,
        since_version=finding["new_version"] if changed else current.since_version,
        since_first_version=bool(finding.get("baseline")) if changed else current.since_first_version,
        document=finding["document"] if changed else current.document,
        rule=finding["rule"] if changed else current.rule,
        sentence=(finding["new_text"] or finding["old_text"]) if changed else current.sentence,
    )


def stance_csv(stances: Iterable[Stance]) -> str:
    """The stance table as CSV (a header line, then one line per service)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=STANCE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for stance in stances:
        writer.writerow(stance.row())
    return buffer.getvalue()
