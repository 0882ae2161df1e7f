"""Re-anchors expressions that point back at an earlier one in the same article.

TimeML anchors "the following month", "that year" or "the same day" to the time the text
is talking about - the last date mentioned before them - not to the publication date. In
earnings news a comparison with "a year ago" or "the year-earlier quarter" means the same
quarter one year back, and "the quarter" / "the latest quarter" is the quarter last named
("the third quarter" -> 1989-Q3; "net fell from $3 a year ago" -> 1988-Q3).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from dateline.models import TimeExpr
from dateline.stages.timex_detect import Candidate
from dateline.stages.timex_lexicon import number_value
from dateline.stages.timex_resolve import (
    Resolved,
    _day,
    _month,
    _quarter,
    _shift_month,
    _week,
    _year,
    year_back,
)

_CLOCK = frozenset({"time", "time24", "fixtime"})
_CLOCK_REACH = 250  # characters: about the sentence before
_QUARTER = re.compile(r"(?P<y>\d{4})-Q(?P<q>[1-4X])")
_STEP = {"following": 1, "next": 1, "previous": -1, "preceding": -1}
# Finest antecedent precision each anaphoric unit can be counted from.
_FITS = {
    "day": {"day"},
    "week": {"day", "week"},
    "month": {"day", "week", "month"},
    "year": {"day", "week", "month", "year"},
}


def _quarter_value(y: int, q: str) -> Resolved:
    if q == "X":
        return Resolved("DATE", f"{y:04d}-QX", date(y, 1, 1), date(y, 12, 31), "year")
    return _quarter(y, int(q))


def _apply(t: TimeExpr, r: Resolved) -> TimeExpr:
    return replace(
        t, type=r.type, value=r.value, earliest=r.earliest, latest=r.latest, precision=r.precision
    )


def _from_antecedent(c: Candidate, ante: TimeExpr) -> Resolved | None:
    """ "the following month" counted from the antecedent's date; None if it is too coarse."""
    words = c.fields.get("w", "").lower().split()
    unit = (c.fields.get("unit") or c.fields.get("unit2") or "").lower()
    if ante.earliest is None or ante.precision not in _FITS.get(unit, set()):
        return None
    k = next((_STEP[w] for w in words if w in _STEP), 0)
    d = ante.earliest
    if unit == "day":
        return _day(d + timedelta(days=k))
    if unit == "week":
        return _week(d + timedelta(days=7 * k))
    if unit == "month":
        y, m = _shift_month(d.year, d.month, k)
        return _month(y, m)
    return _year(d.year + k)


def _is_year_back(c: Candidate) -> bool:
    """ "a year ago" / "a year earlier": the comparison phrase of results news."""
    f = c.fields
    return (
        c.kind == "ago"
        and number_value(f.get("num", "")) == 1
        and f.get("unit", "").lower().rstrip("s") == "year"
        and f.get("dir", "").lower() in {"ago", "earlier"}
    )


def anchor_in_discourse(pairs: Sequence[tuple[Candidate, TimeExpr]]) -> tuple[TimeExpr, ...]:
    """The timexes of ``pairs`` (in text order) with anaphoric ones re-anchored.

    Expressions with no usable antecedent keep the reading they were given against the
    publication date.
    """
    out: list[TimeExpr] = []
    last_quarter: re.Match[str] | None = None
    last_dated: TimeExpr | None = None
    for c, t in pairs:
        new = t
        if c.kind == "qana" and last_quarter is not None:
            y = int(last_quarter["y"]) - (1 if year_back(c.fields) else 0)
            new = _apply(t, _quarter_value(y, last_quarter["q"]))
        elif c.kind == "ana" and last_dated is not None:
            r = _from_antecedent(c, last_dated)
            new = _apply(t, r) if r is not None else t
        elif (
            c.kind in _CLOCK
            and last_dated is not None
            and last_dated.precision == "day"
            and last_dated.earliest is not None
            and t.start - last_dated.end <= _CLOCK_REACH
            and "T" in t.value  # a clock time kept unresolved ("XXXX") has no time part
        ):
            # "He was shot on Oct. 23 ... at 10 p.m.": the clock time is on the day in view.
            new = _apply(t, _day(last_dated.earliest, "TIME", t.value[t.value.index("T") :]))
        elif _is_year_back(c) and last_quarter is not None:
            new = _apply(t, _quarter_value(int(last_quarter["y"]) - 1, last_quarter["q"]))
        out.append(new)
        m = _QUARTER.fullmatch(new.value)
        if m is not None and (
            c.kind in {"quarter", "relunit"} or (c.kind == "qana" and not year_back(c.fields))
        ):
            last_quarter = m
        if new.type in {"DATE", "TIME"} and new.earliest is not None and c.kind != "fuzzy":
            last_dated = new
    return tuple(out)
