"""Bundle rule: a permission added in one document that conflicts with a promise still in another.

Permissions come from the changed sentences the per-document rules already read (a new third party
receives, trains on or uses data). Promises are read from the new version of every other document of
the bundle, unchanged ones included, but only from sentences that contain a negation and a disclosure
or use verb (a cheap prefilter keeps this linear and small). A promise conflicts with a permission
when the action is the same kind (disclose/share, or a third party using or training on the data),
the promise's recipients cover the permission's party ("any third party" covers "another provider")
and the data overlap ("Confidential Information ... includes messages, such as InMail" against
"content").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import attrs

from policydiff.model import DocumentDiff, Evidence, Finding
from policydiff.semantics.context import BundleRule, Permission, Sent, clause_sentences
from policydiff.semantics.frames import Analysis, Frame, analyse, with_context
from policydiff.semantics.lexicon import FIRST_PARTY, label, related, subsumes

_PREFILTER = re.compile(
    r"\b(?:not|never|n['’]t|cannot)\b.*\b(?:disclos|shar|sell|sold|transfer|provid|use|train)",
    re.IGNORECASE | re.DOTALL,
)


@attrs.frozen
class Promise:
    """A promise sentence of a bundle document: a negated disclosure or use."""

    document: str
    sent: Sent
    frame: Frame
    data: frozenset[str]


def promises(diff: DocumentDiff) -> list[Promise]:
    """Negated share/disclose/use/train frames in the new version of ``diff``'s document."""
    if diff.new is None:
        return []
    out: list[Promise] = []
    for pos, clause in enumerate(diff.new.clauses()):
        if not _PREFILTER.search(clause.text):
            continue
        sents = clause_sentences(clause, pos)
        analyses = with_context([analyse(s.text) for s in sents])
        clause_data = frozenset(c.key for a in analyses for c in a.cues if c.slot == "data")
        for sent, analysis in zip(sents, analyses, strict=True):
            if analysis.of("region") or analysis.of("scope", "region_outside"):
                continue  # a regional promise says nothing about everyone else
            for frame in analysis.frames:
                if (
                    frame.negated
                    and frame.action.key in ("share", "sell", "use", "train")
                    and any(a.key in FIRST_PARTY for a in frame.actors)
                    and "opt_out" not in frame.condition_keys
                ):
                    out.append(Promise(diff.name, sent, frame, frame.data_keys | clause_data))
    return out


def permission_from(
    document: str, sent: Sent, old_clause: str | None, analysis: Analysis, old_parties: Iterable[str]
) -> Permission | None:
    """The first third party that the sentence newly lets receive, use or train on data."""
    old = set(old_parties)
    for frame in analysis.frames:
        if frame.negated or frame.action.key not in ("share", "sell", "use", "train"):
            continue
        for party in frame.parties:
            if not any(subsumes(o, party.key) for o in old):
                return Permission(document, sent, old_clause, frame, party)
    return None


def _conflicts(promise: Promise, permission: Permission) -> bool:
    pf, qf = promise.frame, permission.frame
    if pf.action.key in ("share", "sell"):
        kind_ok = True  # any third party getting the data discloses it
    else:
        kind_ok = pf.action.key == qf.action.key or "ai_training" in (pf.purpose_keys & qf.purpose_keys)
    if not kind_ok:
        return False
    if pf.recipients:
        if not any(subsumes(r.key, permission.party.key) for r in pf.recipients):
            return False
    elif "ai_training" not in (pf.purpose_keys & qf.purpose_keys):
        return False
    limited = pf.purpose_keys - {"provide_service"}
    if limited and not limited & qf.purpose_keys:
        return False  # a promise about one purpose (e.g. marketing) does not cover another
    data = qf.data_keys or frozenset({"personal_data"})
    return any(related(a, b) for a in promise.data for b in data)


def contradictions(
    diffs: Sequence[DocumentDiff], permissions: Sequence[Permission], rule: BundleRule
) -> list[Finding]:
    """``bundle.contradiction`` findings: one per (permission document, promise clause)."""
    if len(diffs) < 2 or not permissions:
        return []
    docs = {p.document for p in permissions}
    all_promises = [p for d in diffs if d.new is not None for p in promises(d)]
    out: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    ordered = sorted(permissions, key=lambda p: (p.document, p.sent.pos, p.sent.start))
    for promise in sorted(all_promises, key=lambda p: (p.document, p.sent.pos, p.sent.start)):
        for permission in ordered:
            if permission.document == promise.document or permission.document not in docs:
                continue
            key = (permission.document, promise.document, promise.sent.clause_id)
            if key in seen or not _conflicts(promise, permission):
                continue
            seen.add(key)
            out.append(_finding(promise, permission, rule))
    return out


_VERB = {"share": "receive", "sell": "buy", "use": "use", "train": "train models on"}


def _finding(promise: Promise, permission: Permission, rule: BundleRule) -> Finding:
    party, action = permission.party, permission.frame.action
    data = " and ".join(label(k) for k in sorted(permission.frame.data_keys)) or "data"
    promised = promise.frame.recipients[0].text if promise.frame.recipients else "anyone"
    return Finding(
        rule=rule.id,
        category=rule.category,
        severity=rule.severity,
        direction=rule.direction,
        explanation=(
            f"The {permission.document} now lets '{party.text}' {_VERB.get(action.key, action.key)} members' "
            f"{data} ('{action.text}'), while the {promise.document} still promises "
            f"'{' '.join(c.text for c in promise.frame.modal_cues)} {promise.frame.action.text}' "
            f"to {promised}."
        ),
        document=permission.document,
        old_clause=permission.old_clause,
        new_clause=permission.sent.clause_id,
        old_text=None,
        new_text=permission.sent.text,
        evidence=(
            Evidence(f"{party.slot}:{party.key}", party.text, "new", party.start, party.end),
            Evidence(f"action:{action.key}", action.text, "new", action.start, action.end),
        ),
        related_document=promise.document,
        related_clause=promise.sent.clause_id,
        related_text=promise.sent.text,
    )
