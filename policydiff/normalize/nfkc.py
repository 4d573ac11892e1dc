"""NFKC in time linear in the text, whatever the text holds.

``unicodedata.normalize`` puts each run of combining marks into canonical order with an insertion
sort: a run of n marks of mixed classes costs n² (200,000 marks: 30 s). No language needs more than
a few marks on one letter, and Unicode's stream-safe text format (UAX #15) caps a run at 30, so runs
longer than that are cut to 30 before normalizing. Only the comparison form is cut: the text a
document shows is never changed.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache

__all__ = ["MAX_MARKS", "nfkc"]

MAX_MARKS = 30  # UAX #15 stream-safe text format: at most 30 non-starters in a row
_SHORT = 1_000  # below this many characters no run can be long enough to cost anything


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)`` with runs of combining marks capped at ``MAX_MARKS``."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    if len(text) > _SHORT:
        text = _long_runs().sub(lambda m: m.group()[:MAX_MARKS], text)
    return unicodedata.normalize("NFKC", text)


@cache
def _long_runs() -> re.Pattern[str]:
    """Runs of more than ``MAX_MARKS`` characters with a non-zero combining class (built on first
    use from the running Python's Unicode tables, so it matches what ``normalize`` reorders)."""
    ranges: list[str] = []
    start = -1
    for point in range(sys.maxunicode + 2):
        marked = point <= sys.maxunicode and unicodedata.combining(chr(point)) != 0
        if marked and start < 0:
            start = point
        elif not marked and start >= 0:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(point - 1))}")
            start = -1
    return re.compile(f"[{''.join(ranges)}]{{{MAX_MARKS + 1},}}")
