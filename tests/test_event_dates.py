"""Event dates: which expression dates an event, in-article inheritance, uncertain references.

Sentences are written for these tests (fictional names and places).
"""

from __future__ import annotations

from datetime import date

import pytest

from dateline.models import Article, Event
from dateline.nlp import load_nlp
from dateline.stages.dates import extract_timexes, reresolve
from dateline.stages.entities import extract_entities
from dateline.stages.events import extract_events

PUB = date(2031, 5, 7)  # a Wednesday


def _events(text: str, published: date | None = PUB) -> tuple[Event, ...]:
    art = Article(
        id="t",
        source="t",
        text=text,
        content_hash="h",
        published=published,
        published_precision="day" if published else None,
        published_range=(published, published) if published else None,
    )
    doc = load_nlp()(text)
    tx = extract_timexes(art, doc, reference=published)
    return extract_events(art, doc, entities=extract_entities(art, doc), timexes=tx)


def _one(events: tuple[Event, ...], etype: str, trigger: str | None = None) -> Event:
    found = [e for e in events if e.type == etype and (trigger is None or e.trigger == trigger)]
    assert found, f"no {etype} in {events}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "etype", "actor", "target", "when"),
    [
        # "In talks with Y, X vowed": the talks are an event; X is the actor, Y the target.
        (
            "In talks with Foreign Minister Oleg Zhelvin in Solvan on Monday, Pryce vowed "
            "that Norland would keep its embassy open.",
            "CONSULT", "Pryce", "Oleg Zhelvin", date(2031, 5, 5),
        ),
        # "X and Y met in PLACE": Y is the partner, the place is no participant.
        ("Pryce and Zhelvin met in Marenna on Friday.", "CONSULT", "Pryce", "Zhelvin",
         date(2031, 5, 2)),
        ("Pryce and Zhelvin met for three hours in Marenna.", "CONSULT", "Pryce", "Zhelvin",
         None),
    ],
)  # fmt: skip
def test_constructions(text: str, etype: str, actor: str, target: str, when: date | None) -> None:
    ev = _one(_events(text), etype)
    assert ev.actor_text is not None
    assert actor in ev.actor_text
    assert ev.target_text is not None
    assert target in ev.target_text
    assert "Marenna" not in (ev.target_text or "")
    assert ev.date == when


@pytest.mark.parametrize(
    ("text", "etype", "trigger", "when"),
    [
        # the expression dates the report, not the future talks it announces
        ("An aide told reporters on Monday that the talks between Pryce and Zhelvin "
         "will focus on trade.", "CONSULT", "talks", None),
        # a relative clause on a participant dates the election, not the support
        ("Zhelvin reaffirmed support for the president elected on May 20, 2030.",
         "SUPPORT", "support", None),
        # "until" bounds a state
        ("Weisz said any talks must respect the mandate, which runs until January 2037.",
         "CONSULT", "talks", None),
        # the reporting verb's date does date a statement of support in its complement
        ("Zhelvin said on Monday that Karsk supports the government of Veloria.",
         "SUPPORT", "supports", date(2031, 5, 5)),
    ],
)  # fmt: skip
def test_which_expression_dates_the_event(
    text: str, etype: str, trigger: str, when: date | None
) -> None:
    assert _one(_events(text), etype, trigger).date == when


def test_same_happening_in_the_article_lends_its_date() -> None:
    text = (
        "Pryce held talks with Zhelvin in Marenna on Monday. "
        "After the talks with Zhelvin, Pryce flew home."
    )
    talks = [e for e in _events(text) if e.type == "CONSULT"]
    assert len(talks) == 2
    assert {e.date for e in talks} == {date(2031, 5, 5)}


def test_lead_statement_dates_the_speakers_later_report() -> None:
    text = (
        "Foreign Minister Arkady Zhelvin on Monday reaffirmed Karsk's support for Veloria. "
        '"We discussed trade," Zhelvin said after talks with his counterpart Ana Duarte.'
    )
    talks = _one(_events(text), "CONSULT", "talks")
    assert talks.date == date(2031, 5, 5)
    assert talks.date_precision == "day"


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("Pryce and Zhelvin are meeting in Marenna today.", PUB),
        ("Pryce and Zhelvin are meeting in Marenna.", None),  # the publication date is no date
    ],
)
def test_present_progressive_takes_the_date_only_with_today(text: str, when: date | None) -> None:
    assert _one(_events(text), "CONSULT").date == when


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("Weisz met Pryce on Wednesday.", "2031-05", "month"),
        ("Weisz met Pryce yesterday.", "2031-05", "month"),
        ("Weisz met Pryce on May 2, 2031.", "2031-05-02", "day"),  # absolute: unaffected
    ],
)
def test_relative_expression_keeps_the_doubt_of_an_uncertain_reference(
    text: str, value: str, precision: str
) -> None:
    art = Article(
        id="u",
        source="t",
        text=text,
        content_hash="h",
        published=date(2031, 5, 16),
        published_precision="month",
        published_range=(date(2031, 5, 1), date(2031, 5, 31)),
    )
    (t,) = extract_timexes(art, None, reference=art.published)
    assert (t.value, t.precision) == (value, precision)
    assert t.earliest is not None
    assert t.latest is not None
    assert date(2031, 5, 1) <= t.earliest <= t.latest <= date(2031, 5, 31)
    (again,) = reresolve(art, (t,), art.published)
    assert again.precision == precision


def test_narrow_reference_range_keeps_day_precision() -> None:
    art = Article(
        id="n",
        source="t",
        text="Weisz met Pryce on Wednesday.",
        content_hash="h",
        published=date(2031, 5, 9),
        published_precision="week",
        published_range=(date(2031, 5, 8), date(2031, 5, 10)),
    )
    (t,) = extract_timexes(art, None, reference=art.published)
    assert t.precision == "day"
