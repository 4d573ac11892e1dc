"""Redline segments: word ops, link spans and evidence marks cut into runs of text with one role.

Everything here is linear in the text and its marks: bounds are found by bisection and the spans
covering a run are tracked by one sweep, so a paragraph with 20,000 links costs what its text costs.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections.abc import Iterable, Sequence
from typing import Literal

from policydiff.model import Clause, ClauseChange, Evidence, Link, WordOp
from policydiff.render.views import Seg, SegOp, Side, safe_href

__all__ = ["Cue", "change_segments", "marked", "plain", "segments"]

Cue = tuple[int, int, str]  # start, end (offsets into the new clause text), cue name

_SEG_OP: dict[str, SegOp] = {"equal": "eq", "insert": "ins", "delete": "del"}


class _Covering:
    """For runs that start ever later and never straddle a span bound: the first (in the given order)
    span covering each run, in one sweep. Spans enter the heap when the runs reach their start; one
    that has ended is dropped when it comes to the top (an ended span never covers a later run)."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self._spans = spans
        self._by_start = sorted(range(len(spans)), key=lambda k: spans[k][0])
        self._next = 0
        self._active: list[tuple[int, int]] = []  # heap of (order, end)

    def at(self, lo: int) -> int | None:
        """Index of the first span with ``start <= lo < end``, or None."""
        while self._next < len(self._by_start) and self._spans[self._by_start[self._next]][0] <= lo:
            k = self._by_start[self._next]
            heapq.heappush(self._active, (k, self._spans[k][1]))
            self._next += 1
        while self._active and self._active[0][1] <= lo:
            heapq.heappop(self._active)
        return self._active[0][0] if self._active else None


def segments(ops: Sequence[WordOp], links: Sequence[Link] = (), cues: Sequence[Cue] = ()) -> list[Seg]:
    """Word ops as segments; the new-side text (equal and insert) is cut at link and cue bounds."""
    if not links and not cues:  # nothing to cut at (most unchanged clauses): one run per op
        return [Seg(op.text, _SEG_OP[op.op]) for op in ops if op.text]
    spans = [(link.start, link.end) for link in links if 0 <= link.start < link.end]
    kept = [link for link in links if 0 <= link.start < link.end]
    marks = [c for c in cues if 0 <= c[0] < c[1]]
    bounds = sorted({b for sp in spans for b in sp} | {b for m in marks for b in m[:2]})
    in_link = _Covering(spans)
    in_mark = _Covering([(m[0], m[1]) for m in marks])
    segs: list[Seg] = []
    pos = 0  # position in the new text
    for op in ops:
        if not op.text:
            continue
        kind = _SEG_OP[op.op]
        if kind == "del" or not bounds:
            segs.append(Seg(op.text, kind))
            if kind != "del":
                pos += len(op.text)
            continue
        start, end = pos, pos + len(op.text)
        inner = bounds[bisect.bisect_right(bounds, start) : bisect.bisect_left(bounds, end)]
        cuts = [start, *inner, end]
        for lo, hi in itertools.pairwise(cuts):
            k = in_link.at(lo)
            m = in_mark.at(lo)
            link = kept[k] if k is not None else None
            segs.append(
                Seg(
                    op.text[lo - start : hi - start],
                    kind,
                    href=safe_href(link.target) if link else None,
                    title=link.target if link else None,
                    cue=marks[m][2] if m is not None else None,
                )
            )
        pos = end
    return segs


def plain(
    clause: Clause, op: Literal["equal", "insert", "delete"] = "equal", cues: Sequence[Cue] = ()
) -> list[Seg]:
    """A whole clause as one op (unchanged, added or removed), with its links and evidence."""
    if op == "delete":
        return segments([WordOp(op, clause.text)])
    return segments([WordOp(op, clause.text)], clause.links, cues)


def change_segments(change: ClauseChange, new_clause: Clause | None, cues: Sequence[Cue] = ()) -> list[Seg]:
    """The inline redline of a change: its word ops, or old struck + new inserted without ops."""
    ops = list(change.ops)
    if not ops:
        if change.old_text:
            ops.append(WordOp("delete", change.old_text))
        if change.new_text:
            if ops:
                ops.append(WordOp("delete", " "))
            ops.append(WordOp("insert", change.new_text))
        ops = [op for op in ops if op.text.strip() or op.op != "delete"]
    links: Sequence[Link] = ()
    if new_clause is not None and (new_clause.links or cues):
        rebuilt = "".join(op.text for op in ops if op.op != "delete")
        if rebuilt == new_clause.text:
            links = new_clause.links
        else:
            cues = ()  # offsets into a text the ops do not rebuild: mark nothing rather than wrongly
    return segments(ops, links, cues)


def marked(text: str, evidence: Iterable[Evidence], side: Side) -> list[Seg]:
    """``text`` split into plain and marked runs, marking the evidence spans of one side."""
    spans: list[tuple[int, int, str]] = []
    lowered = text.lower()
    for ev in evidence:
        if ev.side != side:
            continue
        start, end = ev.start, ev.end
        ok = 0 <= start < end <= len(text)
        if ev.text and (not ok or text[start:end].lower() != ev.text.lower()):
            found = lowered.find(ev.text.lower())
            if found >= 0:
                start, end, ok = found, found + len(ev.text), True
        if ok:
            spans.append((start, end, ev.cue))
    spans.sort()
    merged: list[tuple[int, int, str]] = []
    for start, end, cue in spans:
        if merged and start <= merged[-1][1]:
            m_start, m_end, m_cue = merged[-1]
            cues = m_cue if cue in m_cue.split(", ") else f"{m_cue}, {cue}"
            merged[-1] = (m_start, max(m_end, end), cues)
        else:
            merged.append((start, end, cue))
    segs: list[Seg] = []
    pos = 0
    for start, end, cue in merged:
        if start > pos:
            segs.append(Seg(text[pos:start]))
        segs.append(Seg(text[start:end], "mark", title=cue))
        pos = end
    if pos < len(text):
        segs.append(Seg(text[pos:]))
    return segs
