"""TIMEX3 values for calendar names: seasons, holidays and years written out in words.

Split from :mod:`timex_resolve` (which dispatches here) to keep each module small. Seasons get
the TimeML season codes ("1998-SU"); holidays resolve to their day in the year the clause's
tense points to ("was found Thanksgiving Day" in January is last November's).
"""

from __future__ import annotations

from datetime import date, timedelta

from dateline.stages.timex_detect import Candidate
from dateline.stages.timex_lexicon import month_number, number_value, time_words
from dateline.stages.timex_resolve import Resolved, _day, _month, _year
from dateline.stages.timex_tense import Tense

CALENDAR_KINDS = frozenset({"yearw", "myw", "season", "holiday"})

# First and last month of each season (northern hemisphere, as in US/European news).
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


def year_from_words(words: str) -> int | None:
    """1996 for "nineteen ninety-six", 2003 for "two thousand three"."""
    parts = words.lower().replace("-", " ").split()
    if not parts:
        return None
    if parts[:2] == ["two", "thousand"]:
        rest = [p for p in parts[2:] if p != "and"]
        n = number_value("-".join(rest)) if rest else 0
        return None if n is None else 2000 + n
    century = time_words()["year_centuries"].get(parts[0])
    if century is None:
        return None
    rest = [p for p in parts[1:] if p not in {"oh", "o"}]
    n = number_value("-".join(rest)) if rest else None
    return None if n is None or n > 99 else century * 100 + n


def _season(c: Candidate, ref: date | None, tense: Tense | None) -> Resolved:
    f = c.fields
    code = time_words()["seasons"][f["season"].lower()]
    first, last = _SEASON_MONTHS[code]
    if "year" in f:
        y = int(f["year"])
    elif ref is None:
        return Resolved("DATE", f"XXXX-{code}")
    else:
        rel = " ".join(f.get("rel", "").lower().split())
        start, end = _season_span(ref.year, first, last)
        if rel in {"last", "past", "this past"}:
            y = ref.year if end < ref else ref.year - 1
        elif rel in {"next", "coming", "this coming"}:
            y = ref.year if start > ref else ref.year + 1
        elif tense == "past":
            y = ref.year if start <= ref else ref.year - 1
        elif tense == "future":
            y = ref.year if end >= ref else ref.year + 1
        else:
            y = ref.year
    lo, hi = _season_span(y, first, last)
    return Resolved("DATE", f"{y:04d}-{code}", lo, hi, "month")


def _season_span(y: int, first: int, last: int) -> tuple[date, date]:
    """First and last day of a season that starts in month ``first`` of year ``y``."""
    end = _month(y + (last - 1) // 12, (last - 1) % 12 + 1).latest
    return date(y, first, 1), end or date(y, first, 1)


def _holiday_date(name: str, year: int) -> date:
    spec = time_words()["holidays"][name]
    if len(spec) == 2:
        return date(year, spec[0], spec[1])
    month, weekday, n = spec
    if n > 0:
        first = date(year, month, 1)
        d = first + timedelta(days=(weekday - first.isoweekday()) % 7)
        return d + timedelta(days=7 * (n - 1))
    nxt = date(year + month // 12, month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=(last.isoweekday() - weekday) % 7)


def _holiday(c: Candidate, ref: date | None, tense: Tense | None) -> Resolved | None:
    f = c.fields
    name = " ".join(f["hol"].lower().split()) if "hol" in f else "the fourth of july"
    if "year" in f:
        return _day(_holiday_date(name, int(f["year"])))
    if ref is None:
        return Resolved("DATE", "XXXX-XX-XX")
    options = [_holiday_date(name, y) for y in (ref.year - 1, ref.year, ref.year + 1)]
    if tense == "future":
        return _day(min(d for d in options if d >= ref))
    if tense == "past":
        return _day(max(d for d in options if d <= ref))
    return _day(min(options, key=lambda d: abs((d - ref).days)))


def resolve_calendar(c: Candidate, ref: date | None, tense: Tense | None) -> Resolved | None:
    """The reading of a season, holiday or worded-year candidate; None when it is not one."""
    f = c.fields
    if c.kind == "yearw":
        y = year_from_words(f["yw"])
        return None if y is None else _year(y)
    if c.kind == "myw":
        y, mo = year_from_words(f["yw"]), month_number(f["month"])
        return None if y is None or mo is None else _month(y, mo)
    if c.kind == "season":
        return _season(c, ref, tense)
    if c.kind == "holiday":
        return _holiday(c, ref, tense)
    return None
