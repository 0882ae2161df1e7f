"""Anchors detected expressions to a reference date and writes TIMEX3 values.

Pure calendar arithmetic: a :class:`~dateline.stages.timex_detect.Candidate`, the reference
(publication) date and the governing clause's tense go in; type, value, the denoted
interval and its precision come out. Without a reference, absolute expressions still
resolve and relative ones get X-values ("XXXX-WXX-2") with no interval.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from dateline.models import Precision, TimexType
from dateline.stages.timex_detect import Candidate
from dateline.stages.timex_lexicon import month_number, number_value, time_words, weekday_number
from dateline.stages.timex_tense import Tense


@dataclass(frozen=True, slots=True)
class Resolved:
    """The anchored reading of one candidate."""

    type: TimexType
    value: str
    earliest: date | None = None
    latest: date | None = None
    precision: Precision | None = None


def _month_range(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _week(d: date) -> Resolved:
    iso = d.isocalendar()
    monday = d - timedelta(days=iso.weekday - 1)
    return Resolved(
        "DATE", f"{iso.year}-W{iso.week:02d}", monday, monday + timedelta(days=6), "week"
    )


def _day(d: date, typ: TimexType = "DATE", suffix: str = "") -> Resolved:
    return Resolved(typ, d.isoformat() + suffix, d, d, "day")


def _month(y: int, m: int) -> Resolved:
    a, b = _month_range(y, m)
    return Resolved("DATE", f"{y:04d}-{m:02d}", a, b, "month")


def _year(y: int) -> Resolved:
    return Resolved("DATE", f"{y:04d}", date(y, 1, 1), date(y, 12, 31), "year")


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


_SLACK = timedelta(days=31)


def _year_for_weekday(month: int, day: int, weekday: int, ref: date) -> int | None:
    """The year near ``ref`` in which month/day falls on ``weekday`` ("Saturday, April 25")."""
    fits = []
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            if date(y, month, day).isoweekday() == weekday:
                fits.append(y)
        except ValueError:
            continue
    return min(fits, key=lambda y: abs(y - ref.year)) if fits else None


def _pick_year(month: int, day: int, ref: date, tense: Tense | None) -> int:
    """The year that puts month/day on the right side of ``ref`` for the clause's tense."""
    day = min(day, 28) if month == 2 else day
    this = date(ref.year, month, day)
    # Tense decides only beyond a month's slack: a past-tense "Nov. 9" a week after the
    # reference is more often a parsing slip than a date eleven months back (TimeBank dev).
    if tense == "past":
        return ref.year if this <= ref + _SLACK else ref.year - 1
    if tense == "future":
        return ref.year if this >= ref - _SLACK else ref.year + 1
    # nearest: within six months either side of the reference
    delta = (this - ref).days
    if delta > 92:
        return ref.year - 1
    if delta < -183:
        return ref.year + 1
    return ref.year


def _weekday(target: int, ref: date, rel: str | None, tense: Tense | None) -> date:
    back = (ref.isoweekday() - target) % 7
    fwd = (target - ref.isoweekday()) % 7
    if rel == "last":
        return ref - timedelta(days=back or 7)
    if rel in {"next", "coming"}:
        return ref + timedelta(days=fwd or 7)
    if rel == "this":
        return ref - timedelta(days=ref.isoweekday() - target)
    if tense == "future":
        return ref + timedelta(days=fwd)
    if tense == "present":
        return ref - timedelta(days=back) if back <= fwd else ref + timedelta(days=fwd)
    return ref - timedelta(days=back)  # news default: past


_UNIT_CODE = {
    "second": "TS",
    "minute": "TM",
    "hour": "TH",
    "day": "D",
    "night": "D",
    "week": "W",
    "fortnight": "W",
    "month": "M",
    "year": "Y",
    "decade": "DE",
    "century": "CE",
    "quarter": "Q",
}


def _unit(word: str) -> str:
    w = word.lower()
    return w[:-1] if w.endswith("s") and w[:-1] in _UNIT_CODE else w


def _duration_value(n: int | None, unit: str) -> str:
    code = _UNIT_CODE.get(unit, "X")
    if unit == "fortnight" and n is not None:
        n *= 2
    if code in {"DE", "CE"} and n is not None:  # TimeBank writes decades in years: P10Y, P40Y
        n, code = n * (10 if code == "DE" else 100), "Y"
    amount = "X" if n is None else str(n)
    if code.startswith("T"):
        return f"PT{amount}{code[1:]}"
    return f"P{amount}{code}"


def _offset(ref: date, n: int, unit: str, sign: int) -> Resolved | None:
    if unit in {"day", "night", "hour", "minute", "second"}:
        k = n if unit in {"day", "night"} else 0
        return _day(ref + timedelta(days=sign * k))
    if unit in {"week", "fortnight"}:
        return _week(ref + timedelta(days=sign * 7 * n * (2 if unit == "fortnight" else 1)))
    if unit == "month":
        y, m = _shift_month(ref.year, ref.month, sign * n)
        return _month(y, m)
    if unit == "year":
        return _year(ref.year + sign * n)
    if unit == "decade":
        return _year(ref.year + sign * 10 * n)
    return None


_REL_STEP = {"last": -1, "past": -1, "previous": -1, "preceding": -1, "next": 1, "coming": 1}


def _rel_unit(ref: date | None, rel: str, unit: str) -> Resolved | None:
    # "the current fiscal year", "the full year", "the same week": 0; "last fiscal year": -1
    k = next((_REL_STEP[w] for w in rel.lower().split() if w in _REL_STEP), 0)
    if ref is None:
        blank = {
            "day": "XXXX-XX-XX",
            "week": "XXXX-WXX",
            "weekend": "XXXX-WXX-WE",
            "month": "XXXX-XX",
            "year": "XXXX",
            "quarter": "XXXX-QX",
            "decade": "XXX",
            "century": "XX",
        }
        return Resolved("DATE", blank.get(unit, "XXXX"))
    if unit == "day":  # "the following day" with no earlier date: counted from ref
        return _day(ref + timedelta(days=k))
    if unit == "week":
        return _week(ref + timedelta(days=7 * k))
    if unit == "weekend":
        base = ref + timedelta(days=7 * k)
        sat = base + timedelta(days=6 - base.isoweekday())
        if k == 0 and ref.isoweekday() in {1, 2}:
            sat -= timedelta(days=7)  # "this weekend" on a Monday is the one just past
        iso = sat.isocalendar()
        return Resolved(
            "DATE", f"{iso.year}-W{iso.week:02d}-WE", sat, sat + timedelta(days=1), "week"
        )
    if unit == "month":
        y, m = _shift_month(ref.year, ref.month, k)
        return _month(y, m)
    if unit == "year":
        return _year(ref.year + k)
    if unit == "quarter":
        q = (ref.month - 1) // 3 + k
        y = ref.year + q // 4
        return _quarter(y, q % 4 + 1)
    if unit == "decade":
        d0 = ref.year // 10 * 10 + 10 * k
        return Resolved("DATE", f"{d0 // 10:03d}", date(d0, 1, 1), date(d0 + 9, 12, 31), "year")
    if unit == "century":
        c0 = ref.year // 100 * 100 + 100 * k
        return Resolved("DATE", f"{c0 // 100:02d}", date(c0, 1, 1), date(c0 + 99, 12, 31), "year")
    return None


def _ana_rel(w: str) -> str:
    """The step word of an anaphoric phrase, for readings without an antecedent."""
    words = w.lower().split()
    if "following" in words or "next" in words:
        return "next"
    return "previous" if {"previous", "preceding"} & set(words) else "this"


def year_back(f: dict[str, str]) -> bool:
    """Whether a quarter/period phrase points a year back ("the year-ago quarter")."""
    mods = f"{f.get('qmod', '')} {f.get('pmod', '')} {f.get('ago', '')}".lower()
    return "year" in mods


def _quarter(y: int, q: int) -> Resolved:
    a = date(y, 3 * q - 2, 1)
    b = _month_range(y, 3 * q)[1]
    return Resolved("DATE", f"{y:04d}-Q{q}", a, b, "month")


def _clock(f: dict[str, str]) -> str:
    hour = int(f.get("hour", "0"))
    ampm = f.get("ampm", "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    if ampm == "am" and hour == 12:
        hour = 0
    return f"T{hour:02d}:{f.get('min', '00')}"


def _time(ref: date | None, clock: str) -> Resolved:
    if ref is None:
        return Resolved("TIME", "XXXX-XX-XX" + clock)
    return _day(ref, "TIME", clock)


def resolve(c: Candidate, ref: date | None, tense: Tense | None) -> Resolved | None:
    """The TIMEX3 reading of ``c`` against ``ref``; None when the text is not a valid date.

    Anaphoric kinds ("that year", "the latest quarter") get their reading relative to ``ref``
    here; :mod:`timex_discourse` re-anchors them to the expression they refer back to.
    """
    # Imported here: timex_calendar builds on this module's helpers.
    from dateline.stages.timex_calendar import CALENDAR_KINDS, resolve_calendar

    try:
        if c.kind in CALENDAR_KINDS:
            return resolve_calendar(c, ref, tense)
        return _resolve(c, ref, tense)
    except (ValueError, OverflowError, KeyError):
        return None


def _resolve(c: Candidate, ref: date | None, tense: Tense | None) -> Resolved | None:
    f, k = c.fields, c.kind
    tw = time_words()
    if k in {"iso", "slash"}:
        y, mo, d = int(f["year"]), int(f["mon"]), int(f["day"])
        if y < 100:
            y += 1900 if y > 50 else 2000
        if mo > 12 >= d:
            mo, d = d, mo
        return _day(date(y, mo, d))
    if k in {"mdy", "dmy"}:
        mo_n = month_number(f["month"])
        d = int(f["day"])
        if mo_n is None or not 1 <= d <= 31:
            return None
        mo = mo_n
        if "year" in f:
            return _day(date(int(f["year"]), mo, d))
        if ref is None:
            date(2000, mo, d)  # validates day-of-month
            return Resolved("DATE", f"XXXX-{mo:02d}-{d:02d}")
        wdp = weekday_number(f["wdp"]) if "wdp" in f else None
        by_wd = _year_for_weekday(mo, d, wdp, ref) if wdp else None
        return _day(date(by_wd or _pick_year(mo, d, ref, tense), mo, d))
    if k == "my":
        mo_n = month_number(f["month"])
        return None if mo_n is None else _month(int(f["year"]), mo_n)
    if k == "m":
        mo_n = month_number(f["month"])
        if mo_n is None:
            return None
        mo = mo_n
        if ref is None:
            return Resolved("DATE", f"XXXX-{mo:02d}")
        rel = f.get("rel", "").lower()
        if "yrel" in f:  # "April next year", "February this year"
            return _month(ref.year + {"last": -1, "next": 1}.get(f["yrel"].lower(), 0), mo)
        if rel in {"last", "past"}:
            # "last June" in October is the June just past; "last February" on March 1 is
            # a year back (the month just past would be "last month").
            return _month(ref.year if ref.month - mo >= 2 else ref.year - 1, mo)
        if rel == "next":
            return _month(ref.year + 1 if mo <= ref.month else ref.year, mo)
        elif rel == "this":
            return _month(ref.year, mo)
        if tense == "past":
            y = ref.year if mo <= ref.month else ref.year - 1
        elif tense == "future":
            y = ref.year if mo >= ref.month else ref.year + 1
        else:
            y = _pick_year(mo, 15, ref, None)
        return _month(y, mo)
    if k == "decade":
        d0 = int(f["dec"])
        return Resolved("DATE", f"{d0 // 10:03d}", date(d0, 1, 1), date(d0 + 9, 12, 31), "year")
    if k == "year":
        return _year(int(f["year"]))
    if k in {"wd", "wd_pod"}:
        wd = weekday_number(f["wd"])
        rel_w: str | None = f.get("rel", "").lower() or None
        rel_w = None if rel_w in {"early", "late", "past"} else rel_w
        pod = "T" + tw["parts_of_day"][f["pod"].lower()] if k == "wd_pod" else ""
        typ: TimexType = "TIME" if pod else "DATE"
        if wd is None:
            return None
        if ref is None:
            return Resolved(typ, f"XXXX-WXX-{wd}{pod}")
        return _day(_weekday(wd, ref, rel_w, tense), typ, pod)
    if k in {"reld", "relpod"}:
        w = " ".join(f["w"].lower().split())
        shift = {
            "today": 0,
            "tonight": 0,
            "yesterday": -1,
            "tomorrow": 1,
            "last night": -1,
            "the day before yesterday": -2,
            "the day after tomorrow": 2,
        }
        pod_code = ""
        if k == "relpod":
            pod_code = "T" + tw["parts_of_day"][f["pod"].lower()]
        elif w in {"tonight", "last night"}:
            pod_code = "TNI"
        elif w.startswith("this "):
            pod_code = "T" + tw["parts_of_day"][w.split()[1]]
        typ2: TimexType = "TIME" if pod_code else "DATE"
        if ref is None:
            return Resolved(typ2, "XXXX-XX-XX" + pod_code)
        return _day(ref + timedelta(days=shift.get(w, 0)), typ2, pod_code)
    if k == "relunit":
        return _rel_unit(ref, f["rel"], f["unit"].lower())
    if k == "ago":
        n = number_value(f["num"])
        unit = _unit(f["unit"])
        sign = -1 if f["dir"].lower() in {"ago", "earlier", "before"} else 1
        if n is None:
            return Resolved("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF")
        if ref is None:
            return Resolved("DATE", "XXXX-XX-XX")
        return _offset(ref, n, unit, sign)
    if k == "quarter":
        q = {
            "first": 1,
            "second": 2,
            "third": 3,
            "fourth": 4,
            "1st": 1,
            "2nd": 2,
            "3rd": 3,
            "4th": 4,
        }[(f.get("ord") or f["ord2"]).lower()]
        if "year" in f or "qyear" in f:
            return _quarter(int(f.get("year") or f["qyear"]), q)
        if ref is None:
            return Resolved("DATE", f"XXXX-Q{q}")
        return _quarter(ref.year, q)
    if k == "set_times":
        return Resolved("SET", _duration_value(1, _unit(f["unit"])))
    if k == "set_wd":
        return Resolved("SET", f"XXXX-WXX-{weekday_number(f['wd'])}")
    if k == "set":
        return Resolved("SET", tw["sets"][" ".join(f["w"].lower().split())])
    if k == "dur":
        return Resolved("DURATION", _duration_value(number_value(f["num"]), _unit(f["unit"])))
    if k == "dur_the":
        return Resolved("DURATION", _duration_value(1, _unit(f["unit"])))
    if k == "ana":
        return _rel_unit(ref, _ana_rel(f["w"]), (f.get("unit") or f["unit2"]).lower())
    if k == "qana":
        if ref is None:
            return Resolved("DATE", "XXXX-QX")
        back = 4 if year_back(f) else 0
        q = (ref.month - 1) // 3 - 1 - back  # the quarter last reported on, as in earnings news
        return _quarter(ref.year + q // 4, q % 4 + 1)
    if k in {"dur_vague", "dur_recent", "dur_bare", "dur_q"}:
        return Resolved("DURATION", _duration_value(None, _unit(f["unit"])))
    if k in {"time", "time24"}:
        return _time(ref, _clock(f))
    if k == "fixtime":
        return _time(ref, tw["fixed_times"][f["w"].lower()])
    if k == "fuzzy":
        return Resolved("DATE", tw["fuzzy"][" ".join(f["w"].lower().split())])
    return None
