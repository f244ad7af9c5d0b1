"""Server-side SVG charts: bars with their numbers written on them and patterns besides colours, so no chart
needs colour to be read; every chart also comes with its numbers as a table.

A chart is plain data (bars with geometry) that `templates/chart.html` draws; nothing here writes markup.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 220, 44, 36, 16
PATTERNS = ("solid", "stripes", "dots", "cross", "grid", "dash")


@dataclass(frozen=True)
class Bar:
    """One drawn bar (or bar segment) and its label."""

    x: float
    y: float
    width: float
    height: float
    value: float
    label: str
    series: int  # index into the chart's series, for the pattern


@dataclass(frozen=True)
class Chart:
    """A titled bar chart: its bars, axis labels, legend and the table of its numbers."""

    id: str
    title: str
    bars: list[Bar]
    x_labels: list[tuple[float, str]]
    series: list[str]
    table_head: list[str]
    table_rows: list[list[str]]
    max_value: float
    width: int = WIDTH
    height: int = HEIGHT


def _scale(max_value: float) -> float:
    return (HEIGHT - BOTTOM - TOP) / max_value if max_value > 0 else 0.0


def stacked(chart_id: str, title: str, groups: list[str], series: list[str],
            values: dict[tuple[str, str], float]) -> Chart:
    """Stacked bars: one per group (e.g. a week), one segment per series (e.g. a source)."""
    totals = [sum(values.get((g, s), 0) for s in series) for g in groups]
    scale = _scale(max(totals, default=0))
    slot = (WIDTH - LEFT) / max(len(groups), 1)
    bars, labels = [], []
    for i, group in enumerate(groups):
        x, base = LEFT + i * slot + slot * 0.15, HEIGHT - BOTTOM
        for k, name in enumerate(series):
            value = values.get((group, name), 0)
            if value:
                height = value * scale
                base -= height
                bars.append(Bar(x, base, slot * 0.7, height, value, f"{group}, {name}: {value:g}", k))
        labels.append((x + slot * 0.35, group))
    rows = [[g] + [f"{values.get((g, s), 0):g}" for s in series] + [f"{t:g}"] for g, t in zip(groups, totals)]
    return Chart(chart_id, title, bars, labels, series, ["", *series, "total"], rows, max(totals, default=0))


def simple(chart_id: str, title: str, items: list[tuple[str, float]], value_name: str) -> Chart:
    """One bar per item, each in its own pattern."""
    scale = _scale(max((v for _, v in items), default=0))
    slot = (WIDTH - LEFT) / max(len(items), 1)
    bars = [Bar(LEFT + i * slot + slot * 0.15, HEIGHT - BOTTOM - v * scale, slot * 0.7, v * scale, v,
                f"{label}: {v:g}", i % len(PATTERNS)) for i, (label, v) in enumerate(items)]
    labels = [(LEFT + i * slot + slot * 0.5, label) for i, (label, _) in enumerate(items)]
    return Chart(chart_id, title, bars, labels, [], ["", value_name], [[label, f"{v:g}"] for label, v in items],
                 max((v for _, v in items), default=0))


def trend(chart_id: str, title: str, points: list[tuple[str, float, int]]) -> Chart:
    """Average sentiment per week as bars above or below a zero line (-1 to +1)."""
    middle = TOP + (HEIGHT - BOTTOM - TOP) / 2
    half = (HEIGHT - BOTTOM - TOP) / 2
    slot = (WIDTH - LEFT) / max(len(points), 1)
    bars = []
    for i, (week, average, count) in enumerate(points):
        height = abs(average) * half
        y = middle - height if average >= 0 else middle
        bars.append(Bar(LEFT + i * slot + slot * 0.15, y, slot * 0.7, max(height, 1), average,
                        f"{week}: average {average:+.2f} over {count} reviews", 0 if average >= 0 else 1))
    labels = [(LEFT + i * slot + slot * 0.5, week) for i, (week, _, _) in enumerate(points)]
    rows = [[w, f"{a:+.2f}", str(n)] for w, a, n in points]
    return Chart(chart_id, title, bars, labels, ["positive", "negative"], ["week", "average sentiment", "reviews"],
                 rows, 1.0)
