"""Layout of the timeline plot drawn as inline SVG (no JavaScript, works offline).

This module only computes coordinates; the template draws them with autoescaping on, so
summaries taken from article text stay text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dateline.models import TimelineEntry

WIDTH = 960
MARGIN = 40
ROW = 18
AXIS_Y = 30
# Dots closer than this (pixels) go on the next row, so every dot stays clickable.
MIN_GAP = 14
MAX_TICKS = 8


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


def layout_timeline(entries: Sequence[TimelineEntry], labels: Sequence[str]) -> PlotLayout | None:
    """Dot positions for ``entries`` (numbered from 1 in the given order); None if empty.

    The x axis is ordinal (distinct dates evenly spaced, in order), not linear in time: news
    timelines mix a dense week with a few far-off dates ("until January 2037"), and a
    linear scale would squeeze the dense part into one pixel column.
    """
    if not entries:
        return None
    days = sorted({e.date for e in entries})
    inner = WIDTH - 2 * MARGIN
    step = inner / max(len(days) - 1, 1)
    x_of = {
        d: round(MARGIN + (i * step if len(days) > 1 else inner / 2), 1) for i, d in enumerate(days)
    }
    rows: list[float] = []
    dots = []
    for number, (entry, label) in enumerate(zip(entries, labels, strict=True), start=1):
        x = x_of[entry.date]
        row = next((i for i, last_x in enumerate(rows) if x - last_x >= MIN_GAP), len(rows))
        if row == len(rows):
            rows.append(x)
        else:
            rows[row] = x
        radius = min(4 + 1.5 * len(entry.article_ids), 9)
        dots.append(Dot(number, x, AXIS_Y + 22 + row * ROW, radius, label, entry.date_precision))
    every = max(1, round(len(days) / MAX_TICKS))
    ticks = tuple(Tick(x_of[d], d.isoformat()) for d in days[::every])
    height = AXIS_Y + 22 + len(rows) * ROW + 10
    return PlotLayout(WIDTH, height, AXIS_Y, tuple(dots), ticks)
