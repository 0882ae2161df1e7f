"""Links inside one article: a relative reference tied to an absolute day it names.

Two readings, both applied after the corpus links and only where they agree with them
(:func:`dateline.stages.pubdate.solve` treats them as weak):

* a past weekday or weekend within a few sentences of the latest *year-less* day that
  falls on it names that day ("over the weekend ... the March 2 call");
* a relative reference in a sentence that retells another, absolutely dated sentence
  (three words in a row in common) names that date ("declared himself ... last month" and
  "On 23 January ... declared himself").

A stated year marks an older happening (news style omits the year for recent dates), so
such days are never linked. "Over the weekend" is read here as the last weekend.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from dateline.models import Article, TimeExpr
from dateline.stages.pubdate import (
    LINK_REACH,
    Link,
    YearFor,
    denote,
    full_date,
    is_relative,
    sentence_span,
    states_year,
)
from dateline.stages.timex_detect import detect
from dateline.stages.timex_tense import tense_from_text

# A relative and an absolute reference to the same weekday this close together are read as
# one happening told twice (writers vary the expression when they repeat a fact).
NEAR_CHARS = 400
_WEEKEND = re.compile(r"\b(?:over|at|during|on)\s+the\s+weekend\b", re.IGNORECASE)


def weekend_refs(article: Article) -> list[TimeExpr]:
    """Past "over the weekend" mentions, which the timex stage leaves alone."""
    out = []
    for m in _WEEKEND.finditer(article.text):
        if tense_from_text(article.text, m.start(), m.end()) == "future":
            continue
        out.append(TimeExpr(article.id, m.start(), m.end(), m.group(0), "DATE", "XXXX-WXX-WE"))
    return out


def _weekday_of(t: TimeExpr) -> int | None:
    """The weekday a bare weekday reference names, resolved or not."""
    if not any(c.kind in {"wd", "wd_pod"} for c in detect(t.text, lenient=True)):
        return None
    m = re.match(r"XXXX-WXX-([1-7])", t.value)
    if m:
        return int(m.group(1))
    return t.earliest.isoweekday() if t.earliest is not None else None


def _is_weekend(t: TimeExpr) -> bool:
    return t.value.endswith("-WE") and "weekend" in t.text.lower()


def _weekend_before(ref: date) -> tuple[date, date]:
    sat = ref - timedelta(days=(ref.isoweekday() - 6) % 7)
    return sat, sat + timedelta(days=1)


def denote_any(article: Article, t: TimeExpr, ref: date) -> tuple[date, date] | None:
    """:func:`denote`, plus the past weekend for "over the weekend"."""
    if _is_weekend(t) and tense_from_text(article.text, t.start, t.end) != "future":
        return _weekend_before(ref)
    return denote(article, t, ref)


def link_to(
    article: Article, t: TimeExpr, dates: Sequence[date], why: str, *, weak: bool = False
) -> Link:
    """The days on which relative ``t`` would denote one of ``dates``."""
    ds = frozenset(dates)

    def ok(p: date) -> bool:
        got = denote_any(article, t, p)
        return got is not None and any(got[0] <= d <= got[1] for d in ds)

    return Link(
        min(ds) - timedelta(days=LINK_REACH), max(ds) + timedelta(days=LINK_REACH), ok, why, weak
    )


def near_links(
    article: Article, timexes: Sequence[TimeExpr], year_for: YearFor | None = None
) -> list[Link]:
    """A past weekday/weekend next to the latest absolute day falling on it: one happening.

    Only year-less days count: a stated year marks an older happening (news style omits
    the year for recent dates), so "on Sunday ... elected on May 20, 2018" is not linked.
    """
    days = [
        (d, t)
        for t in timexes
        if not is_relative(t)
        and not states_year(t.text)
        and (d := full_date(t, year_for)) is not None
        and tense_from_text(article.text, t.start, t.end) != "future"
    ]
    if not days:
        return []
    d, td = max(days, key=lambda x: x[0])
    out: list[Link] = []
    refs = [t for t in timexes if _weekday_of(t) is not None or _is_weekend(t)]
    refs += [
        w
        for w in weekend_refs(article)
        if not any(t.start <= w.end and w.start <= t.end for t in refs)
    ]
    for r in refs:
        if abs(r.start - td.start) > NEAR_CHARS:
            continue
        if tense_from_text(article.text, r.start, r.end) == "future":
            continue
        fits = d.isoweekday() in {6, 7} if _is_weekend(r) else _weekday_of(r) == d.isoweekday()
        if fits:
            why = f"'{r.text}' next to '{td.text}' ({d.isoformat()}): one happening"
            out.append(link_to(article, r, [d], why, weak=True))
    return out


_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")


def _trigrams(text: str) -> set[tuple[str, ...]]:
    w = [x.lower() for x in _WORD.findall(text)]
    return {tuple(w[i : i + 3]) for i in range(len(w) - 2) if any(len(x) > 3 for x in w[i : i + 3])}


def retold_links(
    article: Article, timexes: Sequence[TimeExpr], year_for: YearFor | None = None
) -> list[Link]:
    """A relative reference in a sentence that retells (shares three words in a row with)
    another sentence dated absolutely: "declared himself ... last month" and "On 23 January
    ... declared himself": the relative one must denote that day. Year-less days only, as
    in :func:`near_links`."""
    text = article.text
    dated = []
    for t in timexes:
        d = None if is_relative(t) or states_year(t.text) else full_date(t, year_for)
        if d is not None:
            s0, s1 = sentence_span(text, t.start)
            dated.append((d, t, (s0, s1), _trigrams(text[s0:s1].replace(t.text, " "))))
    out: list[Link] = []
    for r in timexes:
        if not is_relative(r) or r.type != "DATE":
            continue
        r0, r1 = sentence_span(text, r.start)
        mine = _trigrams(text[r0:r1].replace(r.text, " "))
        for d, t, span, grams in dated:
            if span != (r0, r1) and mine & grams:
                why = f"'{r.text}' retells '{t.text}' ({d.isoformat()})"
                out.append(link_to(article, r, [d], why, weak=True))
    return out
