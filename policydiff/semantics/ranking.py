"""Findings from fired rules, and their order: severity first, then document and position."""

from __future__ import annotations

from collections.abc import Iterable

from policydiff.model import SEVERITY_RANK, Evidence, Finding
from policydiff.semantics.engine import Fired
from policydiff.semantics.units import Unit


def to_finding(fired: Fired, document: str, *, announced: bool = False, date: str | None = None) -> Finding:
    """A ``Finding`` from a fired rule: exact sentences, evidence offsets into them."""
    unit, hit, rule = fired.unit, fired.hit, fired.rule
    evidence = tuple(
        Evidence(cue=cue.name, text=cue.text, side=side, start=cue.start, end=cue.end)
        for cue, side in hit.evidence
    )
    return Finding(
        rule=rule.id,
        category=rule.category,
        severity=hit.severity or rule.severity,
        direction=hit.direction or rule.direction,
        explanation=hit.explanation,
        document=document,
        old_clause=unit.old_clause,
        new_clause=unit.new_clause,
        old_text=unit.old.text if unit.old else None,
        new_text=unit.new.text if unit.new else None,
        evidence=evidence,
        announced=announced,
        date=date if announced else None,
    )


def _order(
    fp: tuple[Finding, tuple[int, int, int]],
) -> tuple[int, bool, str, tuple[int, int, int], str, str, str, str, str]:
    finding, pos = fp
    return (
        -SEVERITY_RANK[finding.severity],
        finding.announced,
        finding.document,
        pos,
        finding.rule,
        finding.old_text or "",
        finding.new_text or "",
        finding.related_document or "",
        finding.related_clause or "",
    )


def rank(findings: Iterable[tuple[Finding, tuple[int, int, int]]]) -> tuple[Finding, ...]:
    """Severity first, then document and position; duplicates (same rule, same sentences) once."""
    seen: set[tuple[object, ...]] = set()
    out: list[Finding] = []
    for finding, _ in sorted(findings, key=_order):
        key = (
            finding.rule,
            finding.document,
            finding.old_text,
            finding.new_text,
            finding.old_clause,
            finding.new_clause,
            finding.related_document,
            finding.related_clause,
            finding.announced,
        )
        if key in seen:
            continue
        seen.add(key)
        out.append(finding)
    return tuple(out)


def position(unit: Unit, rule_order: int) -> tuple[int, int, int]:
    """Where a unit sits: the new sentence when there is one, else the old."""
    sent = unit.new or unit.old
    assert sent is not None
    return (sent.pos, sent.start, rule_order)
