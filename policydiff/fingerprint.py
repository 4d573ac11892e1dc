"""Stable finding ids: the same finding gets the same id in every run, format and machine.

A finding's id is a fingerprint of its rule, its document and the canonical text of the sentence it is
about (the new sentence, or the old one when the finding is about removed text), so it survives
re-runs, re-rendering, typography and whitespace changes, and anything that happened elsewhere in the
document. Acknowledgements (``watch``) and links refer to findings by it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import attrs

from policydiff.model import Finding
from policydiff.normalize.clauses import canonical

__all__ = ["ID_PREFIX", "finding_id", "with_ids"]

ID_PREFIX = "f-"
_DIGITS = 16  # 64 bits: no collision expected among the findings of any realistic history


def finding_id(finding: Finding) -> str:
    """``f-`` and 16 hex digits of SHA-256 over the rule, the document and the sentence's canonical
    text. Two findings sharing all three (one rule over one sentence, for two old sentences) share an
    id: :func:`with_ids` tells them apart."""
    sentence = finding.new_text if finding.new_text is not None else finding.old_text or ""
    key = "\x1f".join((finding.rule, finding.document, canonical(sentence)))
    return ID_PREFIX + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:_DIGITS]


def with_ids(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """``findings`` with their ``id`` set; a repeated fingerprint gets ``-2``, ``-3`` ... in order."""
    seen: dict[str, int] = {}
    out: list[Finding] = []
    for finding in findings:
        base = finding_id(finding)
        seen[base] = seen.get(base, 0) + 1
        out.append(attrs.evolve(finding, id=base if seen[base] == 1 else f"{base}-{seen[base]}"))
    return tuple(out)
