"""Finding severities: their order and the one counter every summary uses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from policydiff.errors import InputError

__all__ = [
    "SEVERITIES",
    "SEVERITY_RANK",
    "add_counts",
    "count_severities",
    "describe_counts",
    "parse_severity",
]

SEVERITIES: tuple[str, ...] = ("high", "medium", "low")
"""Every severity, most severe first."""

SEVERITY_RANK: Mapping[str, int] = {"high": 3, "medium": 2, "low": 1}


def count_severities(severities: Iterable[str]) -> dict[str, int]:
    """How many of each severity: ``{"high": h, "medium": m, "low": l}`` (every key present)."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for severity in severities:
        counts[severity] = counts.get(severity, 0) + 1
    return counts


def add_counts(*counts: Mapping[str, int]) -> dict[str, int]:
    """The sum of several severity counts (every key present)."""
    total = dict.fromkeys(SEVERITIES, 0)
    for count in counts:
        for severity, n in count.items():
            total[severity] = total.get(severity, 0) + n
    return total


def describe_counts(counts: Mapping[str, int]) -> str:
    """``"3 findings (1 high, 2 medium, 0 low)"``."""
    total = sum(counts.values())
    detail = ", ".join(f"{counts.get(s, 0)} {s}" for s in SEVERITIES)
    return f"{total} finding{'' if total == 1 else 's'} ({detail})"


def parse_severity(value: str | None, option: str = "severity") -> str | None:
    """``high``/``medium``/``low`` in any case (``None`` stays ``None``); anything else is an InputError."""
    if value is None:
        return None
    name = value.strip().lower()
    if name not in SEVERITY_RANK:
        raise InputError(f"{option} {value!r}: use high, medium or low")
    return name
