"""Publication date from the text, for articles that arrive without one.

The text bounds the date: an absolute date told in the past tense happened on or before
publication (the latest one is a lower bound), one told in the future tense had not yet
happened (an upper bound), and a past-tense weekday ("on Wednesday") names a day within
the week before publication. A wire credit's month/day ("MOSCOW, May 5 (Xinhua) --") gives
the day once a year is known. What is left uncertain stays in ``published_range``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from dateline.models import Article, DatelineCredit, Precision, TimeExpr
from dateline.stages.timex_detect import detect
from dateline.stages.timex_lexicon import month_number
from dateline.stages.timex_tense import tense_from_text

VERSION = "pubdate.v1"

# With only a lower bound from the text, assume the report is no more than this many days
# after the latest date it mentions (news pegs); the range says so honestly.
_DEFAULT_WINDOW = 30
_FULL = re.compile(r"(\d{4}|XXXX)-(\d\d)-(\d\d)$")
_WEEKDAY = re.compile(r"XXXX-WXX-([1-7])$")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class Inferred:
    """A publication range and the expressions that produced it."""

    earliest: date
    latest: date
    estimate: date
    evidence: tuple[str, ...]


def credit_month_day(credit: DatelineCredit | None) -> tuple[int, int] | None:
    """Month and day of a wire credit, whether or not it carries a year."""
    if credit is None:
        return None
    if credit.date is not None:
        return credit.date.month, credit.date.day
    try:
        from dateline.ingest.dateline import dateline_month_day

        return dateline_month_day(credit)
    except (ImportError, ValueError, AttributeError):
        pass
    for c in detect(credit.text):
        if c.kind in {"mdy", "dmy"}:
            mo = month_number(c.fields["month"])
            if mo is not None:
                return mo, int(c.fields["day"])
    return None


def _full_date(t: TimeExpr, year_hint: int | None) -> date | None:
    m = _FULL.match(t.value)
    if m is None or t.type not in {"DATE", "TIME"}:
        return None
    year = int(m.group(1)) if m.group(1) != "XXXX" else year_hint
    if year is None:
        return None
    try:
        return date(year, int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _months_since(
    article: Article, timexes: Sequence[TimeExpr], year_hint: int | None
) -> tuple[date, date, str] | None:
    """ "eight months since January": publication falls in January + 8 months."""
    ordered = sorted(timexes, key=lambda t: t.start)
    for a, b in itertools.pairwise(ordered):
        m = re.fullmatch(r"P(\d+)M", a.value)
        gap = article.text[a.end : b.start].strip().lower()
        mo = re.fullmatch(r"(\d{4}|XXXX)-(\d\d)", b.value)
        if m and mo and gap == "since":
            year = int(mo.group(1)) if mo.group(1) != "XXXX" else year_hint
            if year is None:
                continue
            idx = year * 12 + int(mo.group(2)) - 1 + int(m.group(1))
            y, mth = idx // 12, idx % 12 + 1
            first = date(y, mth, 1)
            last = (date(y + (mth == 12), mth % 12 + 1, 1)) - timedelta(days=1)
            return first, last, f"'{a.text} since {b.text}' => {y:04d}-{mth:02d}"
    return None


def infer_range(
    article: Article, timexes: Sequence[TimeExpr], *, year_hint: int | None = None
) -> Inferred | None:
    """The publication range the text supports, or None when it gives no absolute anchor.

    ``year_hint`` completes year-less dates ("May 5"); the corpus stage passes the
    corpus's years, the per-article stage passes None.
    """
    lows: list[tuple[date, str]] = []
    highs: list[tuple[date, str]] = []
    for t in timexes:
        d = _full_date(t, year_hint)
        if d is None:
            continue
        tense = tense_from_text(article.text, t.start, t.end)
        if tense == "future":
            highs.append((d, f"future '{t.text}' ({d.isoformat()}) => on or before"))
        else:
            lows.append((d, f"latest date mentioned '{t.text}' ({d.isoformat()}) => on or after"))
    since = _months_since(article, timexes, year_hint)
    if not lows and since is None:
        return None
    evidence: list[str] = []
    if lows:
        lo, why = max(lows)
        hi = lo + timedelta(days=_DEFAULT_WINDOW)
        evidence.append(why)
    else:
        assert since is not None
        lo, hi = since[0], since[1]
    if since is not None and since[0] <= hi and since[1] >= lo:
        lo, hi = max(lo, since[0]), min(hi, since[1])
        evidence.append(since[2])
    for d, why in sorted(highs):
        if lo <= d < hi:
            hi = d
            evidence.append(why)
            break
    lo, hi, wd_evidence = _weekday_window(article, timexes, lo, hi)
    evidence.extend(wd_evidence)
    return Inferred(lo, hi, lo, tuple(evidence))


def _weekday_window(
    article: Article, timexes: Sequence[TimeExpr], lo: date, hi: date
) -> tuple[date, date, list[str]]:
    """Narrow [lo, hi] with weekday mentions, assuming they name the newest happenings."""
    cur_lo, cur_hi, why = lo, hi, []
    for t in timexes:
        m = _WEEKDAY.match(t.value)
        if m is None:
            continue
        wd = int(m.group(1))
        first = lo + timedelta(days=(wd - lo.isoweekday()) % 7)  # first such weekday >= lo
        tense = tense_from_text(article.text, t.start, t.end)
        if tense == "future":
            new_lo, new_hi = cur_lo, min(cur_hi, first)
            text = f"future '{t.text}' => before {_WEEKDAYS[wd - 1]} {first.isoformat()}"
        else:
            new_lo, new_hi = max(cur_lo, first), min(cur_hi, first + timedelta(days=6))
            text = f"past '{t.text}' => within 6 days after {_WEEKDAYS[wd - 1]} {first.isoformat()}"
        if new_lo <= new_hi:
            cur_lo, cur_hi = new_lo, new_hi
            why.append(text)
    return cur_lo, cur_hi, why


def precision_of(lo: date, hi: date) -> Precision:
    """Honest precision for a range: a day, a week, a month or a year."""
    width = (hi - lo).days
    if width == 0:
        return "day"
    if width <= 7:
        return "week"
    if width <= 31:
        return "month"
    return "year"


def infer_published(article: Article, timexes: Sequence[TimeExpr]) -> Article:
    """Fill ``published`` from the text for an undated article; dated ones come back unchanged.

    Returns the article with ``published`` (best estimate: the earliest consistent day),
    ``published_range``, ``published_precision``, ``published_source`` ("dateline" when a
    wire credit's month/day fixed the day, else "inferred") and ``published_evidence``. A
    credit with month/day and no year, in a text with no year, is left for the corpus stage.
    """
    if article.published is not None:
        return article
    try:
        got = infer_range(article, timexes)
        md = credit_month_day(article.dateline)
    except (ValueError, OverflowError):
        return article
    if got is None:
        return article
    if md is not None:
        try:
            d = date(got.earliest.year, *md)
            if d < got.earliest - timedelta(days=2):
                d = date(got.earliest.year + 1, *md)
        except ValueError:
            d = None
        if d is not None and d <= got.earliest + timedelta(days=366):
            return replace(
                article,
                published=d,
                published_range=(d, d),
                published_precision="day",
                published_source="dateline",
                published_evidence=(
                    f"dateline credit month/day {md[0]:02d}-{md[1]:02d}",
                    *got.evidence,
                ),
            )
    return replace(
        article,
        published=got.estimate,
        published_range=(got.earliest, got.latest),
        published_precision=precision_of(got.earliest, got.latest),
        published_source="inferred",
        published_evidence=got.evidence,
    )
