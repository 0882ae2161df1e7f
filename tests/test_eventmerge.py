"""Cross-article event merging: same type, same participants, compatible dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from dateline.corpus.eventmerge import dates_compatible, merge_events
from dateline.models import Event, EventMention, Precision

LINKS = {
    ("a1", "e1"): "ent_lavrov", ("a1", "e2"): "ent_pompeo",
    ("a2", "e5"): "ent_pompeo", ("a2", "e7"): "ent_lavrov",
    ("a3", "e1"): "ent_lavrov", ("a3", "e2"): "ent_pompeo",
    ("a4", "e1"): "ent_lavrov", ("a4", "e3"): "ent_maduro",
}  # fmt: skip


def ev(
    article: str,
    actor: str | None,
    target: str | None,
    *,
    etype: str = "CONSULT",
    when: date | None = date(2019, 5, 6),
    precision: Precision | None = "day",
    conf: float = 0.6,
    status: str = "happened",
    start: int = 0,
) -> Event:
    return Event(
        id=f"{article}:ev{start}", type=etype, mode="meet", cameo="040", actor_key=actor,
        target_key=target, actor_text=actor, target_text=target, actor_code="RUSGOV",
        target_code="USAGOV", date=when, date_precision=precision if when else None,
        location=None, sentence="s", mentions=(EventMention(article, start, start + 10),),
        confidence=conf, status=status,  # type: ignore[arg-type]
    )  # fmt: skip


def test_merge_events_same_meeting_from_two_articles_order_insensitive() -> None:
    merged = merge_events(
        [ev("a1", "e1", "e2", conf=0.6), ev("a2", "e5", "e7", conf=0.5)], entity_of=LINKS
    )
    assert len(merged) == 1
    m = merged[0]
    assert {x.article_id for x in m.mentions} == {"a1", "a2"}
    assert {m.actor, m.target} == {"ent_lavrov", "ent_pompeo"}
    assert m.confidence == pytest.approx(0.8)  # noisy-or of 0.6 and 0.5
    assert m.id.startswith("evt_")


def test_merge_events_id_is_deterministic() -> None:
    events = [ev("a1", "e1", "e2"), ev("a2", "e5", "e7")]
    assert (
        merge_events(events, entity_of=LINKS)[0].id
        == merge_events(events[::-1], entity_of=LINKS)[0].id
    )


def test_merge_events_keeps_most_precise_date() -> None:
    merged = merge_events(
        [ev("a1", "e1", "e2", when=date(2019, 5, 1), precision="month"), ev("a3", "e1", "e2")],
        entity_of=LINKS,
    )
    assert len(merged) == 1
    assert (merged[0].date, merged[0].date_precision) == (date(2019, 5, 6), "day")


@pytest.mark.parametrize(
    "other",
    [
        ev("a3", "e1", "e2", when=date(2019, 5, 9)),  # different day
        ev("a3", "e1", "e2", etype="SUPPORT"),  # different type
        ev("a4", "e1", "e3"),  # different participants
        ev("a3", "e1", "e2", status="negated"),  # "did not meet" is not the meeting
        ev("a3", "e1", "e2", status="planned", when=date(2019, 5, 9)),  # another plan
    ],
)
def test_merge_events_keeps_distinct_events_apart(other: Event) -> None:
    assert len(merge_events([ev("a1", "e1", "e2"), other], entity_of=LINKS)) == 2


def test_merge_events_directed_types_are_order_sensitive() -> None:
    a = ev("a1", "e1", "e2", etype="DISAPPROVE")
    b = ev("a3", "e2", "e1", etype="DISAPPROVE")
    assert len(merge_events([a, b], entity_of=LINKS)) == 2


def test_merge_events_undated_report_joins_within_window() -> None:
    dates = {"a1": date(2019, 5, 6), "a3": date(2019, 5, 7), "a2": date(2019, 7, 1)}
    near = merge_events(
        [ev("a1", "e1", "e2"), ev("a3", "e1", "e2", when=None)],
        entity_of=LINKS,
        article_dates=dates,
    )
    far = merge_events(
        [ev("a1", "e1", "e2"), ev("a2", "e5", "e7", when=None)],
        entity_of=LINKS,
        article_dates=dates,
    )
    assert len(near) == 1
    assert len(far) == 2


def test_merge_events_without_participants_never_merge() -> None:
    merged = merge_events([ev("a1", None, None), ev("a3", None, None)], entity_of=LINKS)
    assert len(merged) == 2


@pytest.mark.parametrize(
    ("d1", "p1", "d2", "p2", "ok"),
    [
        (date(2019, 5, 6), "day", date(2019, 5, 6), "day", True),
        (date(2019, 5, 6), "day", date(2019, 5, 7), "day", False),
        (date(2019, 5, 1), "month", date(2019, 5, 20), "day", True),
        (date(2019, 1, 1), "year", date(2019, 5, 20), "day", True),
        (date(2019, 4, 1), "month", date(2019, 5, 20), "day", False),
    ],
)
def test_dates_compatible(d1: date, p1: Precision, d2: date, p2: Precision, ok: bool) -> None:
    a = ev("a1", "e1", "e2", when=d1, precision=p1)
    b = ev("a3", "e1", "e2", when=d2, precision=p2)
    assert dates_compatible(a, b) is ok


def test_merge_events_scales_by_blocking() -> None:
    events = [ev(f"x{i}", f"e{i}", "e0", etype="SUPPORT", start=i) for i in range(3000)]
    assert len(merge_events(events, entity_of={})) == 3000


def test_merge_events_ids_unique_for_events_sharing_a_sentence() -> None:
    a = ev("a1", "e1", "e2", etype="SUPPORT")
    b = ev("a1", "e1", None, etype="SUPPORT", when=date(2019, 5, 7))
    c = ev("a1", "e1", None, etype="SUPPORT", when=date(2019, 5, 8))
    ids = [e.id for e in merge_events([a, b, c], entity_of=LINKS)]
    assert len(set(ids)) == 3


def test_merge_events_conflicting_modes_stay_apart() -> None:
    call = ev("a1", "e1", "e2")
    visit = ev("a3", "e1", "e2")
    call = replace(call, mode="phone")
    visit = replace(visit, mode="visit")
    assert len(merge_events([call, visit], entity_of=LINKS)) == 2


def test_merge_events_single_participant_needs_dates() -> None:
    undated = [ev("a1", "e1", None, when=None), ev("a3", "e1", None, when=None)]
    dated = [ev("a1", "e1", None), ev("a3", "e1", None)]
    assert len(merge_events(undated, entity_of=LINKS)) == 2
    assert len(merge_events(dated, entity_of=LINKS)) == 1


def test_merge_events_undated_reports_from_different_stories_stay_apart() -> None:
    events = [ev("a1", "e1", "e2", when=None), ev("a3", "e1", "e2", when=None)]
    assert len(merge_events(events, entity_of=LINKS, story_of={"a1": "s1", "a3": "s1"})) == 1
    assert len(merge_events(events, entity_of=LINKS, story_of={"a1": "s1", "a3": "s2"})) == 2


def test_planned_and_happened_reports_are_one_happened_event() -> None:
    plan = ev("a3", "e1", "e2", status="planned", conf=0.9)
    done = ev("a1", "e1", "e2", status="happened", conf=0.5, start=40)
    merged = merge_events([plan, done], entity_of=LINKS)
    assert len(merged) == 1
    assert merged[0].status == "happened"
    assert {m.article_id for m in merged[0].mentions} == {"a1", "a3"}


@pytest.mark.parametrize(
    ("article_dates", "story_of", "merged"),
    [
        ({"a1": date(2019, 5, 6), "a2": date(2019, 5, 7)}, {}, 1),  # within a few days
        ({"a1": date(2019, 5, 6), "a2": date(2019, 7, 1)}, {}, 2),  # weeks apart
        ({"a1": date(2019, 5, 6), "a2": date(2019, 7, 1)}, {"a1": "s1", "a2": "s1"}, 1),
        ({}, {"a1": "s1", "a2": "s1"}, 1),  # same story, dates unknown
        ({}, {}, 2),  # nothing says they are the same
    ],
)
def test_undated_report_joins_dated_event(
    article_dates: dict[str, date], story_of: dict[str, str], merged: int
) -> None:
    events = [ev("a1", "e1", "e2"), ev("a2", "e5", "e7", when=None)]
    out = merge_events(events, entity_of=LINKS, article_dates=article_dates, story_of=story_of)
    assert len(out) == merged
    if merged == 1:
        assert out[0].date == date(2019, 5, 6)


def test_participantless_report_joins_same_day_event_of_its_article() -> None:
    named = ev("a1", "e1", "e2")
    loose = replace(ev("a1", None, None, start=50), actor_text=None, target_text=None)
    other = replace(ev("a2", None, None, start=5), actor_text=None, target_text=None)
    out = merge_events([named, loose, other], entity_of=LINKS)
    assert len(out) == 2
    full = next(e for e in out if e.actor is not None)
    assert len(full.mentions) == 2


def test_undated_report_takes_date_of_same_happening_in_its_article() -> None:
    dated = ev("a1", "e1", "e2", when=date(2019, 5, 5))
    undated = ev("a1", "e1", "e2", when=None, start=80)
    out = merge_events([dated, undated], entity_of=LINKS)
    assert len(out) == 1
    assert out[0].date == date(2019, 5, 5)


@pytest.mark.parametrize(
    ("mentions", "shared"),
    [
        ((EventMention("a1", 0, 10),), True),
        ((EventMention("a1", 0, 10), EventMention("a2", 5, 15)), True),
        ((EventMention("a2", 5, 15), EventMention("a1", 0, 10)), False),  # re-sorted
    ],
)
def test_lone_report_shares_its_mentions_when_sorted(
    mentions: tuple[EventMention, ...], shared: bool
) -> None:
    lone = replace(ev("a1", "e1", "e2"), mentions=mentions)
    (m,) = merge_events([lone], entity_of=LINKS)
    assert (m.mentions is lone.mentions) == shared
    assert m.mentions == tuple(sorted(mentions, key=lambda x: (x.article_id, x.start)))
