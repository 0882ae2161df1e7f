"""Model records survive the JSON round trip; contract dates follow their precision."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dateline.models import Article, DatelineCredit, Event, EventMention, TimeExpr
from dateline.serialize import article_to_dict, from_jsonable, iso_by_precision, to_jsonable


@pytest.mark.parametrize(
    ("precision", "expected"),
    [("day", "2031-05-04"), ("month", "2031-05"), ("year", "2031"), (None, "2031-05-04")],
)
def test_iso_by_precision_cuts_to_precision(precision: str | None, expected: str) -> None:
    assert iso_by_precision(date(2031, 5, 4), precision) == expected


def test_article_round_trip_with_nested_credit() -> None:
    article = Article(
        id="x",
        source="x.txt",
        text="SOLVAN, May 4 (KTA) -- Text.",
        content_hash="h",
        published=date(2031, 5, 4),
        published_precision="day",
        published_source="dateline",
        published_range=(date(2031, 5, 4), date(2031, 5, 4)),
        published_evidence=("dateline May 4",),
        dateline=DatelineCredit(0, 22, "SOLVAN, May 4 (KTA) --", "SOLVAN", None, "KTA"),
    )
    assert from_jsonable(Article, to_jsonable(article)) == article
    out = article_to_dict(article)
    assert out["dateline"]["agency"] == "KTA"
    assert out["published_range"] == ["2031-05-04", "2031-05-04"]


@given(
    day=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    start=st.integers(0, 10_000),
    confidence=st.floats(0, 1),
    status=st.sampled_from(["happened", "planned", "negated", "hypothetical"]),
)
def test_event_round_trip(day: date, start: int, confidence: float, status: str) -> None:
    event = Event(
        "e",
        "CONSULT",
        "visit",
        "042",
        "e1",
        "e2",
        "A",
        "B",
        "RUSGOV",
        "VENGOV",
        day,
        "day",
        "Moscow",
        "s",
        (EventMention("a", start, start + 1),),
        confidence,
        status,
    )  # type: ignore[arg-type]
    assert from_jsonable(Event, to_jsonable(event)) == event


def test_timex_without_dates_round_trips() -> None:
    timex = TimeExpr("a", 0, 3, "two", "DURATION", "P2D")
    assert from_jsonable(TimeExpr, to_jsonable(timex)) == timex
