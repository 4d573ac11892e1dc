"""The timeline's chart: findings per category per quarter, as plain geometry for an inline SVG.

Pure: counts in, rectangles and labels out. The template draws them (and escapes every label), so no
text reaches the page except through autoescaping, and nothing is loaded from anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

import attrs

__all__ = ["Bar", "Chart", "build_chart", "quarter"]

WIDTH = 960
HEIGHT = 320
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 48


@attrs.frozen
class Bar:
    x: float
    y: float
    width: float
    height: float
    color: str
    title: str  # hover text: "2024 Q3 · purpose.added: 5"


@attrs.frozen
class Label:
    x: float
    y: float
    text: str


@attrs.frozen
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    x_labels: tuple[Label, ...]
    y_labels: tuple[Label, ...]
    legend: tuple[tuple[str, str, int], ...]  # (category, colour, total)

    @property
    def empty(self) -> bool:
        return not self.bars


def quarter(moment: datetime) -> str:
    return f"{moment.year} Q{(moment.month - 1) // 3 + 1}"


def _quarters(first: str, last: str) -> list[str]:
    year, q = int(first[:4]), int(first[-1])
    out = []
    while True:
        label = f"{year} Q{q}"
        out.append(label)
        if label == last:
            return out
        q, year = (1, year + 1) if q == 4 else (q + 1, year)


def color(index: int, count: int) -> str:
    """Evenly spaced hues, alternating lightness so neighbours in the legend stay apart."""
    hue = round(index * 360 / max(count, 1))
    return f"hsl({hue}, 62%, {44 if index % 2 else 58}%)"


def build_chart(counts: Mapping[tuple[str, str], int]) -> Chart:
    """``counts[(quarter, category)]``: a stacked bar per quarter, a colour per category."""
    if not counts:
        return Chart(WIDTH, HEIGHT, (), (), (), ())
    totals: dict[str, int] = {}
    for (_, category), n in counts.items():
        totals[category] = totals.get(category, 0) + n
    categories = sorted(totals, key=lambda c: (-totals[c], c))
    colors = {c: color(i, len(categories)) for i, c in enumerate(categories)}
    labels = sorted({q for q, _ in counts})
    quarters = _quarters(labels[0], labels[-1])
    per_quarter = {q: sum(counts.get((q, c), 0) for c in categories) for q in quarters}
    top = max(per_quarter.values())
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / len(quarters)
    bars: list[Bar] = []
    for i, q in enumerate(quarters):
        y: float = TOP + plot_h
        for category in categories:
            n = counts.get((q, category), 0)
            if not n:
                continue
            h = plot_h * n / top
            y -= h
            bars.append(
                Bar(
                    LEFT + i * step + step * 0.1, y, step * 0.8, h, colors[category], f"{q} · {category}: {n}"
                )
            )
    every = max(1, len(quarters) // 12)
    x_labels = tuple(
        Label(LEFT + (i + 0.5) * step, HEIGHT - BOTTOM + 16, q)
        for i, q in enumerate(quarters)
        if i % every == 0
    )
    y_labels = (Label(LEFT - 6, TOP + 10, str(top)), Label(LEFT - 6, TOP + plot_h, "0"))
    legend = tuple((c, colors[c], totals[c]) for c in categories)
    return Chart(WIDTH, HEIGHT, tuple(bars), x_labels, y_labels, legend)


def category_counts(rows: Iterable[Mapping[str, object]]) -> dict[tuple[str, str], int]:
    """Findings (not announcements) per (quarter, category) from findings-table rows."""
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        when = row["new_date"]
        if row.get("announced") or not isinstance(when, datetime):
            continue
        key = (quarter(when), str(row["category"]))
        counts[key] = counts.get(key, 0) + 1
    return counts
