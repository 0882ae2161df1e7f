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


def _meeting(ev_id: str, sentence: str, actor: str | None, target: str | None, **kw) -> Event:
    from dataclasses import replace

    base = _event(ev_id, sentence, kw.pop("when", date(2019, 9, 11)), ("m1", 0, len(sentence)))
    return replace(
        base, type="CONSULT", actor=actor, target=target, actor_text=actor, target_text=target,
        **kw,
    )  # fmt: skip


M1 = _analysis("m1", "x" * 10, pub=date(2019, 9, 12))


@pytest.mark.parametrize(
    ("events", "entries"),
    [
        # one meeting reported three ways in one article: one entry
        (
            [
                _meeting("e1", "Putov met Madero in the palace on Wednesday, officials said.",
                         "ent_putov", "ent_madero"),
                _meeting("e2", "\u201cIt was very important,\u201d Madero said of Wednesday\u2019s "
                         "meeting with Putov.", None, None),
                _meeting("e3", "Putov reiterated on Wednesday his backing for Madero.",
                         "ent_putov", None),
            ],
            1,
        ),
        # unrelated happenings on the same day with nothing in common stay apart
        (
            [
                _meeting("e1", "Putov met Madero in the palace on Wednesday.", "ent_putov",
                         "ent_madero"),
                _meeting("e4", "Floods closed the coastal highway near Lorna.", None, None),
            ],
            2,
        ),
    ],
)  # fmt: skip
def test_timeline_one_entry_per_happening(events: list[Event], entries: int) -> None:
    assert len(build_timeline([M1], events)) == entries


def test_timeline_summary_prefers_named_statement_and_strips_quotes() -> None:
    events = [
        _meeting("e1", "\u201cWe agreed on much,\u201d Putov said after Wednesday\u2019s talks.",
                 "ent_putov", None),
        _meeting("e2", "Putov met Madero in the palace on Wednesday, officials said.",
                 "ent_putov", "ent_madero"),
    ]  # fmt: skip
    (entry,) = build_timeline([M1], events)
    assert entry.summary.startswith("Putov met Madero")
    (quoted,) = build_timeline([M1], events[:1])
    assert quoted.summary.startswith("We agreed")


def test_timeline_leaves_out_plans_after_every_report() -> None:
    later = _meeting("e9", "Putov will visit Lorna in January 2037.", "ent_putov", None,
                     when=date(2037, 1, 1), status="planned")  # fmt: skip
    assert build_timeline([M1], [later]) == ()
