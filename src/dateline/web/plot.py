"""Layout of the timeline plot drawn as inline SVG (no JavaScript, works offline).

This module only computes coordinates; the template draws them with autoescaping on, so
summaries taken from article text stay text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dateline.models import TimelineEntry

WIDTH = 960
MARGIN = 40
ROW = 18
AXIS_Y = 30
# Dots closer than this (pixels) go on the next row, so every dot stays clickable.
MIN_GAP = 14


@dataclass(frozen=True, slots=True)
class Dot:
    number: int
    x: float
    y: float
    r: float
    label: str
    precision: str


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True)
class PlotLayout:
    width: int
    height: int
    axis_y: int
    dots: tuple[Dot, ...]
    ticks: tuple[Tick, ...]


def _months(first: date, last: date) -> list[date]:
    out = []
    current = date(first.year, first.month, 1)
    while current <= last:
        out.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return out


def layout_timeline(entries: Sequence[TimelineEntry], labels: Sequence[str]) -> PlotLayout | None:
    """Dot positions for ``entries`` (numbered from 1 in the given order); None if empty."""
    if not entries:
        return None
    first = min(e.date for e in entries)
    last = max(e.date for e in entries)
    span = max((last - first).days, 1)
    inner = WIDTH - 2 * MARGIN

    def x_of(day: date) -> float:
        return round(MARGIN + inner * (day - first).days / span, 1)

    rows: list[float] = []
    dots = []
    for number, (entry, label) in enumerate(zip(entries, labels, strict=True), start=1):
        x = x_of(entry.date)
        row = next((i for i, last_x in enumerate(rows) if x - last_x >= MIN_GAP), len(rows))
        if row == len(rows):
            rows.append(x)
        else:
            rows[row] = x
        radius = min(4 + 1.5 * len(entry.article_ids), 9)
        dots.append(Dot(number, x, AXIS_Y + 22 + row * ROW, radius, label, entry.date_precision))
    months = _months(first, last)
    step = max(1, len(months) // 8)
    ticks = tuple(Tick(x_of(max(m, first)), m.strftime("%b %Y")) for m in months[::step])
    height = AXIS_Y + 22 + len(rows) * ROW + 10
    return PlotLayout(WIDTH, height, AXIS_Y, tuple(dots), ticks)
