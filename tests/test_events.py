"""Event extraction: PLOVER types, participants, modality; sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from dateline.cli.events import select_events
from dateline.models import Article, Entity, Event, EventMention, Result
from dateline.nlp import load_nlp
from dateline.stages.actors import actor_code
from dateline.stages.entities import extract_entities
from dateline.stages.events import VERSION, extract_events


def _run(text: str, published: date | None = date(2021, 3, 3)) -> tuple[Event, ...]:
    art = Article(id="t1", source="test", text=text, content_hash="h", published=published)
    doc = load_nlp()(text)
    return extract_events(art, doc, entities=extract_entities(art, doc))


def _main(text: str) -> Event:
    events = _run(text)
    assert events, f"no event in {text!r}"
    return max(events, key=lambda e: e.confidence)


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("The two neighbours agreed to reopen the border crossing next month.", "AGREE"),
        ("Norway offered to send engineers to rebuild the bridge.", "AGREE"),
        ("The Finnish president met with the Chilean foreign minister in Helsinki.", "CONSULT"),
        ("The Kenyan foreign minister telephoned his Ugandan counterpart on Monday.", "CONSULT"),
        ("The Dutch king praised Portugal for its handling of the floods.", "SUPPORT"),
        ("Ecuador and Peru signed a trade agreement on Tuesday.", "SUPPORT"),
        ("Argentina extradited a suspected smuggler to Spain.", "COOPERATE"),
        ("Japan gave Haiti 20 million dollars in aid for reconstruction.", "AID"),
        ("The governor lifted the curfew in the northern province.", "CONCEDE"),
        ("The rebels declared a ceasefire in the eastern hills.", "RETREAT"),
        ("Hungarian troops withdrew from the disputed valley.", "RETREAT"),
        ("Prosecutors launched an investigation into the missing funds.", "ACCUSE"),
        ("The opposition demanded the resignation of the interior minister.", "REQUEST"),
        ("Poland said Belarus must release the detained journalists.", "REQUEST"),
        ("Greece condemned the attack on its embassy.", "ACCUSE"),
        ("The mayor accused the police chief of corruption.", "ACCUSE"),
        ("The parliament rejected the budget proposal from the cabinet.", "REJECT"),
        ("Sweden refused to meet the delegation from the breakaway region.", "REJECT"),
        ("The militia threatened to shell the airport.", "THREATEN"),
        ("Thousands of farmers demonstrated outside the ministry in Lima.", "PROTEST"),
        ("Dockworkers began a hunger strike over unpaid wages.", "PROTEST"),
        ("The government mobilized army reservists along the frontier.", "MOBILIZE"),
        ("The European Union imposed sanctions on three Belarusian officials.", "SANCTION"),
        ("Police arrested forty protesters in the capital.", "COERCE"),
        ("Gunmen kidnapped two aid workers near the border.", "ASSAULT"),
        ("Artillery units shelled rebel positions outside the town.", "ASSAULT"),
    ],
)
def test_extract_events_main_type(text: str, etype: str) -> None:
    assert _main(text).type == etype


def test_extract_events_meeting_has_both_participants() -> None:
    ev = _main(
        "Chilean Foreign Minister Ana Soto held talks with her Kenyan counterpart "
        "David Mwangi in Nairobi."
    )
    assert ev.type == "CONSULT"
    assert "Soto" in (ev.actor_text or "")
    assert "Mwangi" in (ev.target_text or "")
    assert ev.actor_code == "CHLGOV"
    assert ev.location == "Nairobi"
    assert ev.actor_key
    assert ev.target_key
    assert ev.actor_key != ev.target_key


def test_extract_events_compound_subject_is_one_consult() -> None:
    events = [
        e
        for e in _run("Peruvian President Luis Vega and Bolivian President Eva Mora met in La Paz.")
        if e.type == "CONSULT"
    ]
    assert len(events) == 1
    assert {"Vega", "Mora"} <= set(
        (events[0].actor_text or "").split() + (events[0].target_text or "").split()
    )


def test_extract_events_phone_call_between() -> None:
    ev = _main(
        "The ministry described the phone call between Finnish Prime Minister Anna Lind "
        "and Chilean President Jorge Rios."
    )
    assert (ev.type, ev.mode, ev.cameo) == ("CONSULT", "phone", "041")
    assert "Lind" in (ev.actor_text or "")
    assert "Rios" in (ev.target_text or "")


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("The Kenyan president will meet the Ugandan president on Friday.", "planned"),
        ("The two ministers are set to discuss trade on Monday.", "planned"),
        ("The prime minister did not meet the protest leaders.", "negated"),
        ("The envoy could visit Caracas if the talks resume.", "hypothetical"),
        ("The Kenyan president met the Ugandan president on Friday.", "happened"),
    ],
)
def test_extract_events_status(text: str, status: str) -> None:
    ev = next(e for e in _run(text) if e.type == "CONSULT")
    assert ev.status == status


def test_extract_events_negated_concession_is_reject() -> None:
    ev = _main("The junta did not lift the curfew in the capital.")
    assert ev.type == "REJECT"


def test_extract_events_quote_lowers_confidence() -> None:
    plain = _main("Greece condemned the attack on its embassy.")
    quoted = _main('"Greece condemned the attack on its embassy," the spokesman said.')
    assert quoted.type == "ACCUSE"
    assert quoted.confidence < plain.confidence


def test_extract_events_ids_offsets_and_version() -> None:
    text = "Police arrested forty protesters. The opposition condemned the arrests."
    events = _run(text)
    assert [e.id for e in events] == [f"t1:ev{n}" for n in range(1, len(events) + 1)]
    for ev in events:
        m = ev.mentions[0]
        assert text[m.start : m.end] == ev.sentence
    assert VERSION == "events.v2"


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01 ??? ---", "a" * 500])
def test_extract_events_messy_input(text: str) -> None:
    assert isinstance(_run(text), tuple)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Russian Foreign Minister", "RUSGOV"),
        ("the Kremlin", "RUSGOV"),
        ("Venezuelan opposition leader", "VENOPP"),
        ("Afghan rebels", "AFGREB"),
        ("United Nations", "IGOUNO"),
        ("Japan", "JPN"),
    ],
)
def test_actor_code(text: str, code: str) -> None:
    assert actor_code(text) == code


def _ev(eid: str, etype: str, actor_code: str, when: date | None) -> Event:
    return Event(
        id=eid, type=etype, mode=None, cameo=None, actor_key=None, target_key=None,
        actor_text="x", target_text=None, actor_code=actor_code, target_code=None,
        date=when, date_precision="day" if when else None, location=None, sentence="s",
        mentions=(EventMention("a", 0, 1),), confidence=0.5,
    )  # fmt: skip


def test_select_events_filters() -> None:
    result = Result(
        entities=(Entity("p1", "Ana Soto", "PERSON", ("Soto",), (), "CHL", ("a",)),),
        events=(
            _ev("1", "CONSULT", "RUSGOV", date(2019, 5, 5)),
            _ev("2", "SUPPORT", "RUSGOV", date(2019, 6, 1)),
            _ev("3", "CONSULT", "USAGOV", date(2019, 5, 6)),
        ),
    )
    assert [e.id for e in select_events(result, actor="RUS", type_="consult")] == ["1"]
    got = select_events(result, date_from=date(2019, 5, 6), date_to=date(2019, 12, 31))
    assert [e.id for e in got] == ["3", "2"]
