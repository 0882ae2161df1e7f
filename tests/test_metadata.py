"""enrich_metadata: dateline credits, outlet sources, dateline dates, language."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dateline.ingest import read_inputs
from dateline.ingest.dateline import dateline_month_day, find_dateline
from dateline.ingest.metadata import (
    enrich_metadata,
    outlet_from_boilerplate,
    outlet_from_url,
    registered_domain,
)
from dateline.models import Article
from dateline.text import content_hash

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
BODY = " The council met on Monday to discuss the harbour budget and agreed on new ferry fares."


def _article(text: str, **fields: object) -> Article:
    return Article(id="t", source="t.txt", text=text, content_hash=content_hash(text), **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("opening", "credit_text", "place", "agency", "month_day"),
    [
        ("MOSCOW, May 5 (Xinhua) --", "MOSCOW, May 5 (Xinhua) --", "Moscow", "Xinhua", (5, 5)),
        ("WASHINGTON (AP) —", "WASHINGTON (AP) —", "Washington", "Associated Press", None),
        ("BEIJING, Jan. 3 (Xinhua) -", "BEIJING, Jan. 3 (Xinhua) -", "Beijing", "Xinhua", (1, 3)),
        ("LONDON, 5 May (Reuters) -", "LONDON, 5 May (Reuters) -", "London", "Reuters", (5, 5)),
        ("CARACAS, Venezuela (AP) —", "CARACAS, Venezuela (AP) —", "Caracas", "Associated Press",
         None),
        ("RIO DE JANEIRO, Sept. 12 (Itar-Tass) --", "RIO DE JANEIRO, Sept. 12 (Itar-Tass) --",
         "Rio De Janeiro", "TASS", (9, 12)),
        ("Havana, Mar 2 (Prensa Latina) --", "Havana, Mar 2 (Prensa Latina) --", "Havana",
         "Prensa Latina", (3, 2)),
        ("KYIV —", "KYIV —", "Kyiv", None, None),
        ("MOSCOW, May 5 --", "MOSCOW, May 5 --", "Moscow", None, (5, 5)),
        ("LINDMARK, June 2 (Harbour Wire) --", "LINDMARK, June 2 (Harbour Wire) --", "Lindmark",
         "Harbour Wire", (6, 2)),
        ("Moscow, Russian officials said", "Moscow,", "Moscow", None, None),
        ("Islamabad, Pakistan -", "Islamabad, Pakistan -", "Islamabad", None, None),
        ("Paris, France (CNN)", "Paris, France (CNN)", "Paris", "CNN", None),
    ],
)  # fmt: skip
def test_find_dateline_variants(opening, credit_text, place, agency, month_day):
    article = _article(opening + BODY)
    credit = find_dateline(article)
    assert credit is not None
    assert (credit.text, credit.place, credit.agency) == (credit_text, place, agency)
    assert article.text[credit.start : credit.end] == credit.text
    assert dateline_month_day(credit) == month_day
    assert credit.date is None  # no year known anywhere


@pytest.mark.parametrize(
    "text",
    [
        "The mayor said on Monday that the pier would reopen.",
        "Lindmark, a small port town, voted on Monday.",  # unknown city, lowercase follower
        "London, Britain's capital, saw heavy rain.",  # a sentence, not a credit
        "Washington, which has opposed the plan, said nothing.",
        "NATO said in a statement that the drills were over.",
        "US President Joe Example (R) said on Monday that talks would go on.",
        "Moscow has always advocated dialogue.",
        "Washington, D.C. Mayor Jane Doe ordered the fliers removed.",
    ],
)
def test_find_dateline_rejects_ordinary_openings(text):
    assert find_dateline(_article(text)) is None


def test_find_dateline_after_headline():
    text = "Ferry Fares Rise Again\n\nOSLO, Feb. 1 (Reuters) - Fares rose by a tenth on Monday."
    credit = find_dateline(_article(text, title="Ferry Fares Rise Again"))
    assert credit is not None
    assert credit.agency == "Reuters"
    assert text[credit.start : credit.end] == "OSLO, Feb. 1 (Reuters) -"


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        (date(2019, 5, 5), date(2019, 5, 5)),
        (date(2020, 1, 2), date(2020, 1, 2)),
    ],
)
def test_dateline_date_resolved_with_metadata_year(published, expected):
    opening = f"MOSCOW, {expected.strftime('%b')} {expected.day} (Xinhua) --"
    enriched = enrich_metadata(_article(opening + BODY, published=published))
    assert enriched.dateline is not None
    assert enriched.dateline.date == expected


def test_dateline_december_credit_on_january_article_goes_to_previous_year():
    article = _article("SEOUL, Dec. 31 (Yonhap) --" + BODY, published=date(2020, 1, 1))
    credit = enrich_metadata(article).dateline
    assert credit is not None
    assert credit.date == date(2019, 12, 31)


def test_dateline_full_date_sets_publication_date():
    enriched = enrich_metadata(_article("MOSCOW, May 5, 2019 (Xinhua) --" + BODY))
    assert enriched.published == date(2019, 5, 5)
    assert enriched.published_source == "dateline"
    assert enriched.published_precision == "day"
    assert enriched.published_range == (date(2019, 5, 5), date(2019, 5, 5))


def test_dateline_month_day_only_never_sets_publication_date():
    enriched = enrich_metadata(_article("MOSCOW, May 5 (Xinhua) --" + BODY))
    assert enriched.published is None
    assert enriched.published_source is None


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://www.reuters.com/world/some-story", "Reuters"),
        ("http://english.news.cn/2019/05/05/c_1.htm", "Xinhua"),
        ("https://sputniknews.com/latam/2019/x", "Sputnik"),
        ("https://www.breitbart.com/national-security/2019/x", "Breitbart News"),
        ("https://www.lindmark-gazette.example/news/1", "lindmark-gazette.example"),
        ("https://news.northshore.co.uk/a", "northshore.co.uk"),
    ],
)
def test_outlet_from_url(url, outlet):
    assert outlet_from_url(url) == outlet


@pytest.mark.parametrize("url", ["not a url", "http://127.0.0.1/x", ""])
def test_registered_domain_rejects_non_domains(url):
    assert registered_domain(url) is None


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        (
            "Talks went on.\n\nFollow Sputnik's live coverage for updates.\n\nMore talks.",
            "Sputnik",
        ),
        ("Ferry fares rose.\n\nSubscribe to Lindmark Gazette for daily news.", "Lindmark Gazette"),
        (
            "Ferry fares rose.\n\n© 2021 Northshore Courier. All rights reserved.",
            "Northshore Courier",
        ),
        ("Ferry fares rose.\n\nCopyright 2020-2021 The Associated Press.", "Associated Press"),
        ("Ferry fares rose.\n\nSubscribe to Breitbart News.", "Breitbart News"),
        ("Ferry fares rose.\n\nFollow Harbour Daily's live coverage here.", "Harbour Daily"),
        ("Ferry fares rose.\n\nFollow Jane Doe on Twitter.", None),  # a journalist, not an outlet
        ("Ferry fares rose.\n\nPhoto: \u00a9 Jane Doe", None),  # a photo credit
        ("Ferry fares rose.\n\n\u00a9 Copyright 2019 Harbour Daily", "Harbour Daily"),
        ("Ferry fares rose, Sputnik reported.", None),
        ("The minister told Sputnik on Friday that fares would rise.", None),
        ("Ferry fares rose.\n\nSubscribe to our newsletter.", None),
        ("Ferry fares rose.\n\nPhoto: Getty Images", None),
    ],
)
def test_outlet_from_boilerplate(text, outlet):
    assert outlet_from_boilerplate(text) == outlet


@pytest.mark.parametrize(
    "text",
    [
        "The minister met his counterpart on Wednesday, Efe news reported.",
        "The envoy spoke on Monday, Lindqvist was quoted by Tass news agency as saying.",
        "Contracts are worth $7 billion, according to the Russian agency Interfax.",
        "The ministry is ready to talk, according to the Reuters news wire agency.",
        "Officials said so, AFP reported, citing a source.",
    ],
)
def test_cited_agency_is_never_the_publisher(text):
    enriched = enrich_metadata(_article(text))
    assert enriched.outlet is None
    assert enriched.outlet_source is None


@pytest.mark.parametrize(
    ("fields", "text", "outlet", "source"),
    [
        ({"outlet": "Gazette", "url": "https://reuters.com/x"}, "MOSCOW, May 5 (Xinhua) --" + BODY,
         "Gazette", "metadata"),
        ({"url": "https://reuters.com/x"}, "MOSCOW, May 5 (Xinhua) --" + BODY, "Reuters", "url"),
        ({}, "MOSCOW, May 5 (Xinhua) --" + BODY + " Follow Sputnik's live feed.", "Xinhua",
         "dateline"),
        ({}, "Moscow, officials met." + BODY + "\nFollow Sputnik's live feed.", "Sputnik",
         "boilerplate"),
    ],
)  # fmt: skip
def test_outlet_priority(fields, text, outlet, source):
    enriched = enrich_metadata(_article(text, **fields))
    assert (enriched.outlet, enriched.outlet_source) == (outlet, source)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The harbour council met on Monday and agreed on new ferry fares for the summer.", "en"),
        ("El consejo del puerto se reunió el lunes y acordó nuevas tarifas para el verano.", "es"),
        (
            "Der Hafenrat traf sich am Montag und einigte sich auf neue Fährpreise für den Sommer.",
            "de",
        ),
        ("Ok.", None),
    ],
)
def test_language_detected(text, language):
    assert enrich_metadata(_article(text)).language == language


def test_language_from_metadata_kept():
    assert enrich_metadata(_article("The council met on Monday.", language="fr")).language == "fr"


def test_enrich_metadata_is_pure_and_idempotent():
    article = _article("WASHINGTON (AP) —" + BODY)
    once = enrich_metadata(article)
    assert article.outlet is None
    assert enrich_metadata(once) == once


def test_seed_outlets_come_from_dateline_and_boilerplate():
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("shared/seeds not available")
    enriched = [enrich_metadata(a) for a in read_inputs([seeds]) if isinstance(a, Article)]
    by_source = {(a.outlet, a.outlet_source) for a in enriched}
    assert ("Xinhua", "dateline") in by_source
    assert ("Sputnik", "boilerplate") in by_source
    cited = {"EFE", "TASS", "Interfax", "Reuters"}
    assert not cited & {a.outlet for a in enriched}
    assert all(a.language == "en" for a in enriched)
