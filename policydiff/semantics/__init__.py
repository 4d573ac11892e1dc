"""Semantics: consent-relevant findings from the changes between versions.

``find_findings`` reads the sentences of changed clauses into frames (``frames``), runs the rule
table (``rules``: one module per family, one ordered list, rules disabled by id) over them and, for
bundles, checks new permissions against promises kept in other documents (``rules.bundle``). The
words it knows live in data files (``lexicon``). Rule-based, deterministic, offline.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from policydiff.model import DocumentDiff, Finding
from policydiff.semantics.context import Permission, Rule
from policydiff.semantics.engine import Fired, document_units, run_rules
from policydiff.semantics.merge import ClauseText, Positioned, one_per_clause
from policydiff.semantics.ranking import position, rank, to_finding
from policydiff.semantics.rules import all_rules, rule_set
from policydiff.semantics.rules.bundle import permission_from

__all__ = ["Rule", "all_rules", "find_findings"]

_PERMISSION_CATEGORIES = ("recipient.added", "recipient.generalized")


def find_findings(diffs: Sequence[DocumentDiff], disable_rules: Iterable[str] = ()) -> tuple[Finding, ...]:
    """Findings over every document diff of a comparison (bundle rule included), ranked.

    ``disable_rules``: rule ids to leave out (``policydiff rules`` lists them; unknown ids are an
    ``InputError``).
    """
    rules = rule_set(disable_rules)
    ranked: list[Positioned] = []
    permissions: list[Permission] = []
    for diff in diffs:
        for batch in document_units(diff):
            for fired in run_rules(
                batch.units,
                rules.clause,
                batch.old_facts,
                batch.new_facts,
                (batch.old_leads, batch.new_leads),
            ):
                finding = to_finding(fired, diff.name, announced=batch.announced, date=batch.date)
                ranked.append((finding, position(fired.unit, fired.order)))
                permission = None if batch.announced else _permission(diff.name, fired)
                if permission is not None:
                    permissions.append(permission)
    if rules.bundle is not None:
        ranked.extend((f, (-1, 0, 0)) for f in rules.bundle.fn(diffs, permissions, rules.bundle))
    return rank(one_per_clause(_once_per_cue(ranked), _clause_texts(diffs)))


def _clause_texts(diffs: Sequence[DocumentDiff]) -> ClauseText:
    """Look up a clause's text by (document, side, id); each side's index is built on first use."""
    by_doc = {d.name: d for d in diffs}
    index: dict[tuple[str, str], dict[str, str]] = {}

    def lookup(document: str, side: str, clause_id: str | None) -> str | None:
        diff = by_doc.get(document)
        if diff is None or clause_id is None:
            return None
        if (document, side) not in index:
            doc = diff.old if side == "old" else diff.new
            index[(document, side)] = {c.id: c.text for c in doc.clauses()} if doc is not None else {}
        return index[(document, side)].get(clause_id)

    return lookup


def _permission(document: str, fired: Fired) -> Permission | None:
    """The permission a recipient finding grants, for the bundle rule."""
    if fired.rule.category not in _PERMISSION_CATEGORIES:
        return None
    if fired.context.new is None or fired.unit.new is None:
        return None
    old_parties = {
        c.key for a in fired.context.old_group for f in a.frames if f.affirmative for c in f.parties
    }
    return permission_from(document, fired.unit.new, fired.unit.old_clause, fired.context.new, old_parties)


def _once_per_cue(ranked: list[Positioned]) -> list[Positioned]:
    """One finding per rule and cue wording in a document: the same word added in 30 places is one finding."""
    best: dict[tuple[object, ...], Positioned] = {}
    for finding, pos in ranked:
        cue = finding.evidence[0].text.lower() if finding.evidence else ""
        key = (finding.document, finding.rule, finding.announced, cue, finding.related_clause)
        if key not in best or (pos, repr(finding)) < (best[key][1], repr(best[key][0])):
            best[key] = (finding, pos)
    return list(best.values())
