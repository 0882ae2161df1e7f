"""Publication dates from the corpus, for articles the text alone could not date.

The dated articles (metadata, credit or text dates, not inferences) span a time frame.
That frame supplies missing years ("May 5" in a credit), bounds what the text implies
("eight months since January" -> a month), and dated articles with much the same content
(the same events reported) narrow an undated article to when they were published. A
re-dated article's timexes are re-anchored (:func:`dateline.stages.dates.reresolve`) and
the quotes and events dated from them follow.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from dateline.models import Article, ArticleAnalysis, Event, Quote, TimeExpr
from dateline.stages.dates import date_for_span, reresolve
from dateline.stages.pubdate import credit_month_day, infer_range, precision_of

VERSION = "corpus_pubdate.v1"

# A credit's month/day may fall slightly outside the dated articles' span.
_FRAME_SLACK = timedelta(days=31)
# Content overlap (Jaccard of capitalised words and numbers) above which two articles are
# taken to report the same events; tuned by eye on wire copies of one story.
_SAME_EVENTS = 0.25
_TOKEN = re.compile(r"\b(?:[A-Z][\w'-]+|\d[\d.,]*)\b")


def _frame(analyses: Sequence[ArticleAnalysis]) -> tuple[date, date] | None:
    dates = [
        a.article.published
        for a in analyses
        if a.article.published is not None
        and a.article.published_source != "inferred"
        and a.article.published_precision in {None, "day"}
    ]
    return (min(dates), max(dates)) if dates else None


def _tokens(text: str) -> frozenset[str]:
    return frozenset(m.group(0).lower() for m in _TOKEN.finditer(text[:5000]))


def _with_date(
    article: Article, lo: date, hi: date, est: date, source: str, evidence: tuple[str, ...]
) -> Article:
    return replace(
        article,
        published=est,
        published_range=(lo, hi),
        published_precision=precision_of(lo, hi),
        published_source=source,  # type: ignore[arg-type]
        published_evidence=evidence,
    )


def _from_credit(article: Article, frame: tuple[date, date]) -> Article | None:
    md = credit_month_day(article.dateline)
    if md is None:
        return None
    lo, hi = frame[0] - _FRAME_SLACK, frame[1] + _FRAME_SLACK
    options = []
    for y in range(lo.year, hi.year + 1):
        try:
            d = date(y, *md)
        except ValueError:
            continue
        if lo <= d <= hi:
            options.append(d)
    if not options:
        return None
    mid = frame[0] + (frame[1] - frame[0]) / 2
    d = min(options, key=lambda x: abs((x - mid).days))
    return _with_date(
        article,
        d,
        d,
        d,
        "dateline",
        (
            f"dateline credit month/day {md[0]:02d}-{md[1]:02d} + corpus frame "
            f"{frame[0].isoformat()}..{frame[1].isoformat()} => {d.year}",
        ),
    )


def _from_text(a: ArticleAnalysis, frame: tuple[date, date]) -> Article | None:
    lo_f, hi_f = frame[0] - _FRAME_SLACK, frame[1] + _FRAME_SLACK
    best = None
    for y in range(lo_f.year, hi_f.year + 1):
        got = infer_range(a.article, a.timexes, year_hint=y)
        if got is None:
            continue
        lo, hi = max(got.earliest, lo_f), min(got.latest, hi_f)
        if lo <= hi and (best is None or (hi - lo) < (best[1] - best[0])):
            best = (lo, hi, (*got.evidence, f"year {y} from corpus frame"))
    if best is None:
        return None
    return _with_date(a.article, best[0], best[1], best[0], "inferred", best[2])


def _from_neighbours(
    a: ArticleAnalysis, dated: Sequence[ArticleAnalysis], index: dict[str, frozenset[str]]
) -> Article | None:
    mine = _tokens(a.article.text)
    if not mine:
        return None
    near = []
    for b in dated:
        other = index[b.article.id]
        union = len(mine | other)
        if union and len(mine & other) / union >= _SAME_EVENTS:
            near.append(b.article)
    if not near:
        return None
    pubs = sorted(n.published for n in near if n.published is not None)
    lo, hi = pubs[0], pubs[-1]
    cur = a.article.published_range
    if cur is not None and cur[0] <= hi and cur[1] >= lo:
        lo, hi = max(lo, cur[0]), min(hi, cur[1])
    ids = ", ".join(n.id for n in near[:5])
    return _with_date(
        a.article,
        lo,
        hi,
        lo,
        "inferred",
        (*a.article.published_evidence, f"same events as dated articles: {ids}"),
    )


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
    new_t = reresolve(article, a.timexes, article.published)
    quotes = tuple(_redate_quote(q, a.timexes, new_t) for q in a.quotes)
    events = tuple(_redate_event(e, article.id, new_t) for e in a.events)
    return replace(a, article=article, timexes=new_t, quotes=quotes, events=events)


def refine_publication_dates(analyses: Sequence[ArticleAnalysis]) -> tuple[ArticleAnalysis, ...]:
    """Date undated or inferred articles from the corpus; others come back unchanged.

    Evidence, in order: a wire credit's month/day completed with the corpus's year; the
    text's own bounds with year-less dates completed from the corpus frame; the
    publication dates of dated articles reporting the same events. Each re-dated article's
    timexes, quotes and events are re-anchored to the new date.
    """
    frame = _frame(analyses)
    if frame is None:
        return tuple(analyses)
    dated = [
        a
        for a in analyses
        if a.article.published is not None and a.article.published_source != "inferred"
    ]
    index: dict[str, frozenset[str]] | None = None
    out: list[ArticleAnalysis] = []
    for a in analyses:
        art = a.article
        if art.published is not None and art.published_source != "inferred":
            out.append(a)
            continue
        new = _from_credit(art, frame) if art.published is None else None
        if new is None and art.published is None:
            new = _from_text(a, frame)
        if new is None:
            if index is None:
                index = {b.article.id: _tokens(b.article.text) for b in dated}
            new = _from_neighbours(a, dated, index)
        out.append(_apply(a, new) if new is not None and new != art else a)
    return tuple(out)
