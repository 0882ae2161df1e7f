"""Publication date from the text, for articles that arrive without one.

The date is found as a set of candidate days that every piece of evidence agrees with:

* an absolute day told in the past tense happened on or before publication (a lower bound),
  one told in the future tense had not yet happened (an upper bound);
* "N months since <month>" (or "over the last N months ... since <month>" in one sentence)
  puts publication N months after that month;
* a relative reference (a weekday, "last week", "over the weekend") that names a happening
  whose absolute date is known is a *link*: the days on which that reference would denote
  that date are the only candidates left. The relative reference is resolved by the timex
  stage itself (:func:`dateline.stages.dates.reresolve`), so "past Friday" means exactly
  what the rest of the engine will make of it;
* with a lower bound only, the report is assumed to come within 30 days of it (news pegs).

Evidence is applied most reliable first; a piece that contradicts what is already known is
dropped, not forced. A single weekday alone never narrows anything: every week has one.
Year-less dates ("March 2") need a year, which only the corpus stage (the dated articles'
time frame) can give; here only dates with a year count. ``published`` is the middle
candidate day, which keeps the worst-case error smallest; the range holds every candidate.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from dateline.models import Article, DatelineCredit, Precision, TimeExpr
from dateline.stages.dates import reresolve
from dateline.stages.timex_detect import detect
from dateline.stages.timex_lexicon import month_number
from dateline.stages.timex_tense import tense_from_text

VERSION = "pubdate.v2"

# With only a lower bound from the text, assume the report is no more than this many days
# after the latest date it mentions (news pegs); the evidence says so.
DEFAULT_WINDOW = 30
# A link to a dated happening constrains publication to within this many days of it
# (covers "last month" as well as weekdays).
LINK_REACH = 62
_FULL = re.compile(r"(\d{4}|XXXX)-(\d\d)-(\d\d)$")
_MONTH = re.compile(r"(\d{4}|XXXX)-(\d\d)$")
_RELATIVE = re.compile(r"XXXX-(WXX(-[1-7])?|XX(-XX)?)$")
_DURATION = re.compile(r"P(\d+)([MY])$")
_SINCE = re.compile(r"\bsince\b", re.IGNORECASE)
_ABSOLUTE_KINDS = frozenset(
    {"iso", "slash", "mdy", "dmy", "my", "myw", "yearw", "year", "decade", "holiday", "m"}
)
_SENT_END = re.compile(r"[.!?]\s+(?=[\"'\u201c(A-Z])|\n\s*\n")

YearFor = Callable[[int, int], int | None]


@dataclass(frozen=True, slots=True)
class Inferred:
    """A publication range and the evidence that produced it."""

    earliest: date
    latest: date
    estimate: date
    evidence: tuple[str, ...]
    days: tuple[date, ...] = ()


@dataclass(frozen=True, slots=True)
class Bound:
    """Publication lies in ``[lo, hi]`` (either side may be open)."""

    lo: date | None
    hi: date | None
    why: str


@dataclass(frozen=True, slots=True)
class Link:
    """Publication is a day ``d`` in ``[lo, hi]`` with ``ok(d)``: a relative reference linked
    to a dated happening. ``weak`` links (guesses from one article) apply after the others."""

    lo: date
    hi: date
    ok: Callable[[date], bool] = field(compare=False)
    why: str
    weak: bool = False


def precision_of(lo: date, hi: date) -> Precision:
    """Honest precision for a range: one day, up to 7 days, one calendar month, else a year."""
    width = (hi - lo).days
    if width == 0:
        return "day"
    if width <= 6:
        return "week"
    if (lo.year, lo.month) == (hi.year, hi.month):
        return "month"
    return "year"


def credit_month_day(credit: DatelineCredit | None) -> tuple[int, int] | None:
    """Month and day of a wire credit, whether or not it carries a year."""
    if credit is None:
        return None
    if credit.date is not None:
        return credit.date.month, credit.date.day
    for c in detect(credit.text):
        if c.kind in {"mdy", "dmy"}:
            mo = month_number(c.fields["month"])
            if mo is not None:
                try:
                    return mo, int(c.fields["day"])
                except (KeyError, ValueError):
                    continue
    return None


def full_date(t: TimeExpr, year_for: YearFor | None = None) -> date | None:
    """The day an absolute expression names; a year-less one takes ``year_for(month, day)``."""
    m = _FULL.match(t.value)
    if m is None or t.type not in {"DATE", "TIME"}:
        return None
    mo, d = int(m.group(2)), int(m.group(3))
    stated = m.group(1) != "XXXX" and states_year(t.text)
    year = int(m.group(1)) if stated else (year_for(mo, d) if year_for else None)
    if year is None:
        return None
    try:
        return date(year, mo, d)
    except ValueError:
        return None


def states_year(text: str) -> bool:
    """Whether the wording itself gives a year (a resolved "March 2" only borrowed one)."""
    cands = detect(text, lenient=True)
    if not cands:
        return True
    return any(c.fields.get("year") or c.kind in {"iso", "slash", "year"} for c in cands)


def denote(article: Article, t: TimeExpr, ref: date) -> tuple[date, date] | None:
    """What ``t`` would denote if the article were published on ``ref`` (timex stage rules)."""
    try:
        r = reresolve(article, [t], ref)[0]
    except (ValueError, OverflowError, IndexError):
        return None
    if r.earliest is None or r.latest is None:
        return None
    return r.earliest, r.latest


def is_relative(t: TimeExpr) -> bool:
    """Whether ``t`` depends on the reference day (weekday, last week, yesterday), read from
    its wording so that already-resolved expressions are recognised too."""
    cands = detect(t.text, lenient=True)
    if not cands:
        return bool(_RELATIVE.match(t.value))
    return not any(c.kind in _ABSOLUTE_KINDS for c in cands)


def sentence_span(text: str, pos: int) -> tuple[int, int]:
    left = 0
    for m in _SENT_END.finditer(text, 0, pos):
        left = m.end()
    m2 = _SENT_END.search(text, pos)
    return left, (m2.start() + 1) if m2 else len(text)


def _month_span(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def text_bounds(
    article: Article, timexes: Sequence[TimeExpr], year_for: YearFor | None = None
) -> list[Bound]:
    """Bounds from absolute days (past: on or after; future: on or before), latest first."""
    lows: list[tuple[date, str]] = []
    highs: list[tuple[date, str]] = []
    for t in timexes:
        d = None if is_relative(t) else full_date(t, year_for)
        if d is None:
            continue
        if tense_from_text(article.text, t.start, t.end) == "future":
            highs.append((d, f"future '{t.text}' ({d.isoformat()}) => on or before"))
        else:
            lows.append((d, f"past '{t.text}' ({d.isoformat()}) => on or after"))
    out = [Bound(d, None, why) for d, why in sorted(lows, reverse=True)[:1]]
    out += [Bound(None, d, why) for d, why in sorted(highs)[:1]]
    return out


def months_since(
    article: Article, timexes: Sequence[TimeExpr], year_for: YearFor | None = None
) -> list[Bound]:
    """ "eight months since January": publication falls in the month N months after."""
    out: list[Bound] = []
    for a in timexes:
        m = _DURATION.match(a.value)
        if m is None or a.type != "DURATION":
            continue
        s0, s1 = sentence_span(article.text, a.start)
        for b in timexes:
            mo = _MONTH.match(b.value)
            if mo is None or not (s0 <= b.start < s1) or b is a:
                continue
            between = article.text[min(a.end, b.start) : b.start]
            lead = article.text[max(s0, b.start - 60) : b.start]
            if not (_SINCE.search(between) or _SINCE.search(lead)):
                continue
            month = int(mo.group(2))
            stated = mo.group(1) != "XXXX" and states_year(b.text)
            year = int(mo.group(1)) if stated else (year_for(month, 1) if year_for else None)
            if year is None:
                continue
            n = int(m.group(1)) * (12 if m.group(2) == "Y" else 1)
            idx = year * 12 + month - 1 + n
            lo, hi = _month_span(idx // 12, idx % 12 + 1)
            out.append(Bound(lo, hi, f"'{a.text}' since '{b.text}' ({year}) => {lo:%Y-%m}"))
            break
    return out


def solve(bounds: Sequence[Bound], links: Sequence[Link]) -> Inferred | None:
    """Candidate days consistent with the evidence, most reliable first; None without any."""
    lo: date | None = None
    hi: date | None = None
    why: list[str] = []
    for bound in bounds:
        nlo = max(x for x in (lo, bound.lo) if x is not None) if (lo or bound.lo) else None
        nhi = min(x for x in (hi, bound.hi) if x is not None) if (hi or bound.hi) else None
        if nlo is None or nhi is None or nlo <= nhi:
            lo, hi = nlo, nhi
            why.append(bound.why)
    kept: list[Link] = []

    def days(first: date, last: date, extra: Sequence[Link]) -> list[date]:
        if (last - first).days > 800:
            return []
        out = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        return [d for d in out if all(k.ok(d) for k in extra)]

    for weak in (False, True):
        for k in links:
            if k.weak != weak:
                continue
            first, last = max(lo or k.lo, k.lo), min(hi or k.hi, k.hi)
            if first > last:
                continue
            got = days(first, last, [*kept, k])
            if got:
                kept.append(k)
                lo, hi = got[0], got[-1]
                why.append(k.why)
    if lo is None and hi is None:
        return None
    if hi is None:
        assert lo is not None
        hi = lo + timedelta(days=DEFAULT_WINDOW)
        why.append(f"no later bound: assumed within {DEFAULT_WINDOW} days")
    if lo is None:
        lo = hi - timedelta(days=DEFAULT_WINDOW)
        why.append(f"no earlier bound: assumed within {DEFAULT_WINDOW} days")
    cands = days(lo, hi, kept) or [lo]
    return Inferred(cands[0], cands[-1], cands[(len(cands) - 1) // 2], tuple(why), tuple(cands))


def infer_range(
    article: Article,
    timexes: Sequence[TimeExpr],
    *,
    year_for: YearFor | None = None,
    links: Sequence[Link] = (),
) -> Inferred | None:
    """The publication range the text (plus any corpus ``links``) supports, or None.

    ``year_for(month, day)`` completes year-less dates; the corpus stage passes one built
    from the corpus's time frame, the per-article stage none.
    """
    from dateline.stages.pubdate_links import near_links, retold_links

    bounds = text_bounds(article, timexes, year_for) + months_since(article, timexes, year_for)
    own = retold_links(article, timexes, year_for) + near_links(article, timexes, year_for)
    return solve(bounds, [*links, *own])


def with_range(article: Article, got: Inferred, evidence: tuple[str, ...] | None = None) -> Article:
    """The article dated by an inference (source "inferred")."""
    return replace(
        article,
        published=got.estimate,
        published_range=(got.earliest, got.latest),
        published_precision=precision_of(got.earliest, got.latest),
        published_source="inferred",
        published_evidence=evidence if evidence is not None else got.evidence,
    )


def infer_published(article: Article, timexes: Sequence[TimeExpr]) -> Article:
    """Fill ``published`` from the text for an undated article; dated ones come back unchanged.

    Returns the article with ``published`` (the middle candidate day), ``published_range``,
    ``published_precision``, ``published_source`` ("dateline" when a wire credit's
    month/day fixed the day within the text's range, else "inferred") and
    ``published_evidence``. A year-less credit in a text with no year is left for the
    corpus stage.
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
        for y in (got.earliest.year, got.earliest.year + 1):
            try:
                d = date(y, *md)
            except ValueError:
                continue
            if got.earliest - timedelta(days=2) <= d <= got.earliest + timedelta(days=366):
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
    return with_range(article, got)
