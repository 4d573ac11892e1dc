"""policydiff: what changed in a privacy policy, and which changes touch consent.

``policydiff.compare(old, new)`` runs the whole pipeline and returns a ``Comparison``; the CLI
(``policydiff compare``, ``policydiff watch``) wraps the same calls.
"""

from __future__ import annotations

from policydiff._version import __version__
from policydiff.compare import compare, load_bundle
from policydiff.errors import (
    ConfigError,
    FetchError,
    InputError,
    ParseError,
    PolicyDiffError,
    StoreError,
    StoreLockedError,
)
from policydiff.model import (
    Announcement,
    Clause,
    ClauseChange,
    Comparison,
    Document,
    DocumentDiff,
    Evidence,
    Finding,
    Section,
    SectionChange,
    Sentence,
    Snapshot,
    WordOp,
)
from policydiff.normalize import normalize

__all__ = [
    "Announcement",
    "Clause",
    "ClauseChange",
    "Comparison",
    "ConfigError",
    "Document",
    "DocumentDiff",
    "Evidence",
    "FetchError",
    "Finding",
    "InputError",
    "ParseError",
    "PolicyDiffError",
    "Section",
    "SectionChange",
    "Sentence",
    "Snapshot",
    "StoreError",
    "StoreLockedError",
    "WordOp",
    "__version__",
    "compare",
    "load_bundle",
    "normalize",
]
