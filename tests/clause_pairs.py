"""The hand-written clause pairs, read from every ``tests/data/clause_pairs/*.toml`` file in name order.

One folder of files rather than one file, so that pairs written for different constructions (or by
different people at the same time) live side by side. Each file holds ``[[pair]]`` tables with ``category``,
``form``, ``old``, ``new`` and optionally ``known_gap``; see the header of ``core.toml``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

PAIRS_DIR = Path(__file__).parent / "data" / "clause_pairs"


def load_pairs() -> list[dict[str, Any]]:
    """Every pair of every file, files in name order, pairs in file order."""
    pairs: list[dict[str, Any]] = []
    for path in sorted(PAIRS_DIR.glob("*.toml")):
        pairs.extend(tomllib.loads(path.read_text(encoding="utf-8")).get("pair", []))
    return pairs
