"""Semantics: consent-relevant findings from the changes between versions.

(Interface placeholder: the semantic stage is being written; see issue 5.)
"""

from __future__ import annotations

from collections.abc import Sequence

from policydiff.model import DocumentDiff, Finding


def find_findings(diffs: Sequence[DocumentDiff]) -> tuple[Finding, ...]:
    """Findings over every document diff of a comparison (bundle rules included), ranked."""
    return ()
