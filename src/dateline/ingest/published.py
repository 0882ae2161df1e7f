"""Publication dates given as metadata: parse them with an honest precision.

"2019-05" is a month, not May 1st; we keep the precision and the calendar bounds so later
stages know what is uncertain.
"""

from __future__ import annotations

import calendar
import re
import time
from datetime import date, datetime
from email.utils import parsedate_tz
from typing import Any

from dateline.models import Precision

_ISO = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T\s].*)?\s*$")
_MIN_YEAR = 1800
_MAX_YEAR = 2200


def _make(year: int, month: int | None, day: int | None) -> tuple[date, Precision] | None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        if month is None:
            return date(year, 1, 1), "year"
        if day is None:
            return date(year, month, 1), "month"
        return date(year, month, day), "day"
    except ValueError:
        return None


def parse_published(value: Any) -> tuple[date, Precision] | None:
    """Parse a metadata date (ISO string, RFC 2822, date, datetime, struct_time) or None.

    Returns the date and its precision; a month- or year-only value is anchored on its first day.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date(), "day"
    if isinstance(value, date):
        return value, "day"
    if isinstance(value, time.struct_time):
        return _make(value.tm_year, value.tm_mon, value.tm_mday)
    if not isinstance(value, str):
        return None
    match = _ISO.match(value)
    if match:
        year, month, day = match.groups()
        return _make(int(year), int(month) if month else None, int(day) if day else None)
    parsed = parsedate_tz(value)
    if parsed:
        return _make(parsed[0], parsed[1], parsed[2])
    return None


def published_range(day: date, precision: Precision) -> tuple[date, date]:
    """The calendar bounds of a date at a precision: a month spans its first to last day."""
    if precision == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    if precision == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return date(day.year, day.month, 1), date(day.year, day.month, last)
    return day, day
