"""Publication dates from the corpus, for articles the text alone could not date.

The dated articles (metadata, credit or text dates, not inferences) span a time frame. The
frame supplies missing years: a year-less "March 2" or "January" takes the latest year in
which that day is not after the frame's end (a report looks back, and the corpus shows
when the story was being reported). A wire credit's month/day takes the year nearest the
frame that the text allows.

Then the events link articles. When an undated article refers by a relative expression
("on Friday", "last week") to a happening between two participants, and another article
dates a happening between the same two participants (same folded surnames), the undated
article can only have been published on days when that expression denotes that date:
"will meet on Friday" next to a meeting dated 1 March means publication in the six days
before it. The other article may itself be undated, so long as its own candidate days pin
the happening; the rounds repeat until nothing changes. Every re-dated article's timexes
are re-anchored (:func:`dateline.stages.dates.reresolve`) and its quotes and events follow.
"""

from __future__ import annotations

import logging
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from dateline.models import Article, ArticleAnalysis, Event, Quote, TimeExpr
from dateline.stages.dates import date_for_span, reresolve
from dateline.stages.pubdate import (
    Inferred,
    Link,
    YearFor,
    credit_month_day,
    denote,
    full_date,
    infer_range,
    is_relative,
    text_bounds,
    with_range,
)
from dateline.stages.pubdate_links import link_to

logger = logging.getLogger(__name__)

VERSION = "corpus_pubdate.v2"

# A year-less day may lie a little after the last dated article (a late follow-up).
_FRAME_SLACK = timedelta(days=31)
# Rounds of propagation between undated articles (each round can pin one more hop).
_ROUNDS = 3
# Happenings dated by an undated article count only when its candidates pin them this well.
_MAX_DATES = 3


def _frame(analyses: Sequence[ArticleAnalysis]) -> tuple[date, date] | None:
    dates = [
        a.article.published
        for a in analyses
        if a.article.published is not None
        and a.article.published_source != "inferred"
        and a.article.published_precision in {None, "day"}
    ]
    return (min(dates), max(dates)) if dates else None


def year_chooser(frame: tuple[date, date]) -> YearFor:
    """Year for a year-less month/day: the latest not after the frame's end (plus slack)."""
    last = frame[1] + _FRAME_SLACK

    def year_for(month: int, day: int) -> int | None:
        for y in range(frame[1].year + 1, frame[0].year - 2, -1):
            try:
                d = date(y, month, min(day, 28) if month == 2 else day)
            except ValueError:
                return None
            if d <= last:
                return y
        return None

    return year_for


def _from_credit(a: ArticleAnalysis, frame: tuple[date, date], year_for: YearFor) -> Article | None:
    """A year-less credit: the year nearest the frame that the text's lower bound allows."""
    md = credit_month_day(a.article.dateline)
    if md is None:
        return None
    lows = [b.lo for b in text_bounds(a.article, a.timexes, year_for) if b.lo is not None]
    options = []
    for y in range(frame[0].year - 1, frame[1].year + 2):
        try:
            d = date(y, *md)
        except ValueError:
            continue
        if lows and d < max(lows) - timedelta(days=2):
            continue
        gap = max((frame[0] - d).days, (d - frame[1]).days, 0)
        if gap <= 366:
            options.append((gap, d))
    if not options:
        return None
    d = min(options)[1]
    why = (
        f"dateline credit month/day {md[0]:02d}-{md[1]:02d} + corpus frame "
        f"{frame[0].isoformat()}..{frame[1].isoformat()} => {d.year}",
    )
    return replace(
        a.article,
        published=d,
        published_range=(d, d),
        published_precision="day",
        published_source="dateline",
        published_evidence=why,
    )


def _fold(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    words = [w for w in plain.replace("'s", "").split() if w.isalpha()]
    return words[-1] if words else ""


def _pairs(a: ArticleAnalysis) -> list[tuple[frozenset[str], Event]]:
    """Events with two named participants, keyed by their folded surnames."""
    used = {x for e in a.events for x in (e.actor_key, e.target_key) if x}
    names = {e.key: _fold(e.name) for e in a.entities if e.key in used}
    out = []
    for e in a.events:
        k = frozenset(names.get(x or "", "") for x in (e.actor_key, e.target_key))
        if len(k) == 2 and "" not in k:
            out.append((k, e))
    return out


def _in_span(a: ArticleAnalysis, e: Event) -> list[TimeExpr]:
    spans = [(m.start, m.end) for m in e.mentions if m.article_id == a.article.id]
    return [t for t in a.timexes for s, f in spans if s <= t.start and t.end <= f]


def _happening_dates(
    a: ArticleAnalysis, e: Event, days: Sequence[date] | None, year_for: YearFor
) -> list[date]:
    """Days the article's text gives for one of its events (None ``days``: it is dated)."""
    out: set[date] = set()
    for t in _in_span(a, e):
        if not is_relative(t):
            d = full_date(t, year_for) if t.precision in {None, "day"} else None
            if d is not None:
                out.add(d)
        elif days is None:
            if t.precision == "day" and t.earliest is not None:
                out.add(t.earliest)
        else:
            got = {denote(a.article, t, p) for p in days}
            if len(got) <= _MAX_DATES:
                out.update(g[0] for g in got if g is not None and g[0] == g[1])
    return sorted(out)


_Pairs = list[tuple[frozenset[str], Event]]


def _links(
    u: ArticleAnalysis,
    u_pairs: _Pairs,
    others: Sequence[tuple[ArticleAnalysis, _Pairs, Sequence[date] | None]],
    year_for: YearFor,
) -> list[Link]:
    mine = [(k, e, [t for t in _in_span(u, e) if is_relative(t)]) for k, e in u_pairs]
    mine = [x for x in mine if x[2]]
    if not mine:
        return []
    out: list[tuple[int, str, Link]] = []
    for b, theirs, days in others:
        for key, _e, rel in mine:
            for k2, f in theirs:
                if k2 != key:
                    continue
                ds = _happening_dates(b, f, days, year_for)
                if not ds or len(ds) > _MAX_DATES:
                    continue
                for r in rel:
                    shown = "/".join(d.isoformat() for d in ds)
                    why = f"'{r.text}' = {' and '.join(sorted(key))} as in {b.article.id} ({shown})"
                    rank = 0 if days is None else len(ds)
                    out.append((rank, why, link_to(u.article, r, ds, why)))
    seen: set[str] = set()
    links = []
    for _r, why, link in sorted(out, key=lambda x: (x[0], x[1])):
        if why not in seen:
            seen.add(why)
            links.append(link)
    return links


def _redate_quote(q: Quote, old: Sequence[TimeExpr], new: Sequence[TimeExpr]) -> Quote:
    d, p = date_for_span(None, new, q.start, q.end, reference=None)
    if d is not None:
        return replace(q, date=d, date_precision=p)
    was, _ = date_for_span(None, old, q.start, q.end, reference=None)
    return replace(q, date=None, date_precision=None) if was is not None and was == q.date else q


def _redate_event(e: Event, article_id: str, new: Sequence[TimeExpr]) -> Event:
    for m in e.mentions:
        if m.article_id == article_id:
            d, p = date_for_span(None, new, m.start, m.end, reference=None)
            if d is not None:
                return replace(e, date=d, date_precision=p)
    return e


def _apply(a: ArticleAnalysis, article: Article) -> ArticleAnalysis:
    try:
        new_t = reresolve(article, a.timexes, article.published)
    except Exception as exc:  # one odd timex must not stop the corpus stage
        warning = f"pubdate: timexes not re-dated ({type(exc).__name__}: {exc}); old ones kept"
        logger.warning("%s: %s", article.id, warning)
        return replace(a, article=article, warnings=(*a.warnings, warning))
    quotes = tuple(_redate_quote(q, a.timexes, new_t) for q in a.quotes)
    events = tuple(_redate_event(e, article.id, new_t) for e in a.events)
    return replace(a, article=article, timexes=new_t, quotes=quotes, events=events)


def _is_dated(a: ArticleAnalysis) -> bool:
    return a.article.published is not None and a.article.published_source != "inferred"


def refine_publication_dates(analyses: Sequence[ArticleAnalysis]) -> tuple[ArticleAnalysis, ...]:
    """Date undated or inferred articles from the corpus; others come back unchanged.

    Evidence, in order: a wire credit's month/day completed with the corpus's year; the
    text's own bounds with year-less dates completed from the corpus frame; links through
    shared happenings to dated articles (and to undated ones their candidates pin), repeated
    for a few rounds. Each re-dated article's timexes, quotes and events are re-anchored.
    """
    frame = _frame(analyses)
    if frame is None:
        return tuple(analyses)
    year_for = year_chooser(frame)
    work = list(analyses)
    for i, a in enumerate(work):
        if a.article.published is None:
            new = _from_credit(a, frame, year_for)
            if new is not None:
                work[i] = _apply(a, new)
    frame = _frame(work) or frame
    year_for = year_chooser(frame)
    todo = [i for i, a in enumerate(work) if not _is_dated(a)]
    state: dict[int, Inferred | None] = {
        i: infer_range(work[i].article, work[i].timexes, year_for=year_for) for i in todo
    }
    # Only articles sharing a participant pair can link (``_links`` needs equal keys), so
    # an index on the pairs replaces a scan of the whole corpus per undated article.
    dated = [_is_dated(a) for a in work]
    by_pair: dict[frozenset[str], set[int]] = defaultdict(set)
    # Each article's pairs, folded once (the rounds below look them up again and again).
    pairs: list[_Pairs] = [_pairs(b) for b in work] if todo else []
    for j, found in enumerate(pairs):
        for key, _e in found:
            by_pair[key].add(j)
    for _ in range(_ROUNDS):
        changed = False
        for i in todo:
            near = sorted({j for key, _e in pairs[i] for j in by_pair.get(key, ())})
            others: list[tuple[ArticleAnalysis, _Pairs, Sequence[date] | None]]
            others = [(work[j], pairs[j], None) for j in near if dated[j]]
            others += [
                (work[j], pairs[j], s.days)
                for j in near
                if j != i and (s := state.get(j)) is not None and s.days
            ]
            links = _links(work[i], pairs[i], others, year_for)
            if not links:
                continue
            got = infer_range(work[i].article, work[i].timexes, year_for=year_for, links=links)
            old = state[i]
            if got is not None and (old is None or got.days != old.days):
                state[i] = got
                changed = True
        if not changed:
            break
    out = list(work)
    for i in todo:
        got = state[i]
        if got is None:
            continue
        ev = (
            *got.evidence,
            f"years from corpus frame {frame[0].isoformat()}..{frame[1].isoformat()}",
        )
        new = with_range(work[i].article, got, ev)
        if new != work[i].article:
            out[i] = _apply(work[i], new)
    return tuple(out)
