"""Semantics: consent-relevant findings from the changes between versions.

``find_findings`` reads the sentences of changed clauses into frames (``frames``), compares them with
a table of rules (``rules``) and, for bundles, checks new permissions against promises kept in other
documents (``bundle``). The words it knows live in ``lexicon``. Rule-based, deterministic, offline.
"""

from __future__ import annotations

from collections.abc import Sequence

from policydiff.model import DocumentDiff, Finding
from policydiff.semantics.bundle import Permission, contradictions, permission_from
from policydiff.semantics.engine import document_units, position, rank, run_rules, to_finding
from policydiff.semantics.rules import Rule, all_rules

__all__ = ["Rule", "all_rules", "find_findings"]

_PERMISSION_CATEGORIES = ("recipient.added", "recipient.generalized")


def find_findings(diffs: Sequence[DocumentDiff]) -> tuple[Finding, ...]:
    """Findings over every document diff of a comparison (bundle rules included), ranked."""
    ranked: list[tuple[Finding, tuple[int, int, int]]] = []
    permissions: list[Permission] = []
    for diff in diffs:
        for batch in document_units(diff):
            for fired in run_rules(batch.units, batch.old_document, batch.new_document):
                finding = to_finding(fired, diff.name, announced=batch.announced, date=batch.date)
                ranked.append((finding, position(fired.unit, fired.order)))
                if (
                    not batch.announced
                    and fired.rule.category in _PERMISSION_CATEGORIES
                    and fired.context.new is not None
                    and fired.unit.new is not None
                ):
                    old_parties = {
                        c.key
                        for a in fired.context.old_group
                        for f in a.frames
                        if f.affirmative
                        for c in f.parties
                    }
                    permission = permission_from(
                        diff.name, fired.unit.new, fired.unit.old_clause, fired.context.new, old_parties
                    )
                    if permission is not None:
                        permissions.append(permission)
    for finding in contradictions(diffs, permissions):
        ranked.append((finding, (-1, 0, 0)))
    return rank(_once_per_cue(ranked))


def _once_per_cue(
    ranked: list[tuple[Finding, tuple[int, int, int]]],
) -> list[tuple[Finding, tuple[int, int, int]]]:
    """One finding per rule and cue wording in a document: the same word added in 30 places is one finding."""
    best: dict[tuple[object, ...], tuple[Finding, tuple[int, int, int]]] = {}
    for finding, pos in ranked:
        cue = finding.evidence[0].text.lower() if finding.evidence else ""
        key = (finding.document, finding.rule, finding.announced, cue, finding.related_clause)
        if key not in best or (pos, repr(finding)) < (best[key][1], repr(best[key][0])):
            best[key] = (finding, pos)
    return list(best.values())
