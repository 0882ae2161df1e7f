"""Tests for dateline.corpus.timeline and the ``dateline timeline`` command's selection."""

from __future__ import annotations

from datetime import date

import pytest

from dateline.cli.timeline import render, select_entries
from dateline.corpus.timeline import build_timeline
from dateline.models import Article, ArticleAnalysis, Event, EventMention, Result
from dateline.stages.dates import extract_timexes

PUB = date(2019, 5, 5)


def _analysis(art_id: str, text: str, pub: date = PUB) -> ArticleAnalysis:
    art = Article(
        id=art_id,
        source="t",
        text=text,
        content_hash=art_id,
        outlet=f"Outlet {art_id}",
        published=pub,
        published_source="metadata",
        published_precision="day",
    )
    return ArticleAnalysis(article=art, timexes=extract_timexes(art, None, reference=pub))


def _event(ev_id: str, sentence: str, when: date, *mentions: tuple[str, int, int]) -> Event:
    return Event(
        id=ev_id,
        type="ASSAULT",
        mode=None,
        cameo="190",
        actor_key=None,
        target_key=None,
        actor_text="rebels",
        target_text=None,
        actor_code=None,
        target_code=None,
        date=when,
        date_precision="day",
        location=None,
        sentence=sentence,
        mentions=tuple(EventMention(*m) for m in mentions),
        confidence=0.8,
    )


A1 = _analysis(
    "a1",
    "Rebels seized the northern town of Kessa on Tuesday after heavy fighting. "
    "The mayor was elected on May 20, 2018, in a disputed vote across the province.",
)
A2 = _analysis(
    "a2",
    "On Tuesday rebels seized the northern town of Kessa after fighting overnight. "
    "Talks will resume on Friday in the capital with regional envoys present.",
)
A3 = _analysis("a3", "Rebels seized the northern town of Kessa on Wednesday after heavy fighting.")


def test_build_timeline_merges_same_happening_across_articles() -> None:
    entries = build_timeline([A1, A2], ())
    tuesday = [e for e in entries if e.date == date(2019, 4, 30)]
    assert len(tuesday) == 1
    assert tuesday[0].article_ids == ("a1", "a2")
    assert tuesday[0].score >= 2
    assert "Kessa" in tuesday[0].summary


def test_build_timeline_background_fact_and_no_future() -> None:
    entries = build_timeline([A1, A2], ())
    dates = {e.date for e in entries}
    assert date(2018, 5, 20) in dates  # "elected on May 20, 2018"
    assert date(2019, 5, 10) not in dates  # "will resume on Friday" has not happened
    assert PUB not in dates  # the publication date is never an event date by itself


def test_build_timeline_date_disagreement() -> None:
    entries = build_timeline([A1, A3, _analysis("a4", A1.article.text)], ())
    kessa = [e for e in entries if "Kessa" in e.summary]
    assert len(kessa) == 1
    assert kessa[0].date == date(2019, 4, 30)
    assert kessa[0].date_disagreement
    assert "2019-05-01" in kessa[0].date_disagreement[0]
    assert "a3" in kessa[0].article_ids


def test_build_timeline_uses_events() -> None:
    sentence = "Government troops shelled the rebel camp near the river crossing."
    span = (0, len(sentence))
    ev = _event("ev1", sentence, date(2019, 4, 28), ("a5", *span), ("a6", *span))
    entries = build_timeline([], (ev,))
    assert len(entries) == 1
    assert entries[0].event_ids == ("ev1",)
    assert entries[0].article_ids == ("a5", "a6")


@pytest.mark.parametrize(
    ("entity", "start", "end", "expected"),
    [
        (None, None, None, 2),
        ("kessa", None, None, 1),
        (None, date(2019, 1, 1), None, 1),
        (None, None, date(2018, 12, 31), 1),
    ],
)
def test_select_entries_filters(
    entity: str | None, start: date | None, end: date | None, expected: int
) -> None:
    entries = build_timeline([A1, A2], ())
    result = Result(articles=(A1.article, A2.article), timeline=entries)
    chosen = select_entries(result, entity=entity, start=start, end=end)
    assert len(chosen) == expected
    assert render(result, chosen).row_count == expected
