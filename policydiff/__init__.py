"""policydiff: what changed in a privacy policy, and which changes touch consent.

``policydiff.compare(old, new)`` runs the whole pipeline and returns a ``Comparison``; the CLI
(``policydiff compare``, ``policydiff watch``) wraps the same calls.

The pipeline (its lexicons and indexes) loads on first use, not at ``import policydiff``: the names
below are re-exported lazily (PEP 562 ``__getattr__``), so ``policydiff --help`` and a script that
only needs the errors start quickly.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from policydiff._version import __version__
from policydiff.errors import (
    BudgetError,
    ConfigError,
    FetchError,
    InputError,
    ParseError,
    PolicyDiffError,
    StoreError,
    StoreLockedError,
)

if TYPE_CHECKING:  # what the lazy names are, for type checkers and editors
    from policydiff.compare import compare, load_bundle
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

_LAZY = {
    "compare": "policydiff.compare",
    "load_bundle": "policydiff.compare",
    "normalize": "policydiff.normalize",
    **{
        name: "policydiff.model"
        for name in (
            "Announcement",
            "Clause",
            "ClauseChange",
            "Comparison",
            "Document",
            "DocumentDiff",
            "Evidence",
            "Finding",
            "Section",
            "SectionChange",
            "Sentence",
            "Snapshot",
            "WordOp",
        )
    },
}


def __getattr__(name: str) -> Any:
    """Load a re-exported name from its module on first use, then keep it here."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'policydiff' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


class _Face(types.ModuleType):
    """The package module: ``compare`` and ``normalize`` stay the functions.

    Both share their name with a submodule (``policydiff/compare.py``, ``policydiff/normalize/``);
    importing a submodule makes Python set it as an attribute of the package, which would hide the
    lazily loaded function of the same name. That one assignment is ignored.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


_SHADOWED = frozenset({"compare", "normalize"})
sys.modules[__name__].__class__ = _Face


__all__ = [
    "Announcement",
    "BudgetError",
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
