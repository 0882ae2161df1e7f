"""The outlet registry: facts about outlets, found by name, alias, domain or URL."""

from __future__ import annotations

import pytest

from dateline.outlets import COLUMNS, load_registry


@pytest.mark.parametrize(
    ("query", "name", "country", "kind"),
    [
        ("Xinhua", "Xinhua", "CHN", "state news agency"),
        ("xinhua news agency", "Xinhua", "CHN", "state news agency"),
        ("https://www.breitbart.com/politics/2019/03/04/x/", "Breitbart News", "USA", "private"),
        ("breitbart", "Breitbart News", "USA", "private"),
        ("ITAR-TASS", "TASS", "RUS", "state news agency"),
        ("sputniknews.com", "Sputnik", "RUS", "state-funded media"),
        ("the guardian", "The Guardian", "GBR", "private"),
        ("news.bbc.co.uk", "BBC", "GBR", "public broadcaster"),
        ("Efe", "EFE", "ESP", "news agency (majority state-owned)"),
        ("EL PAIS", "El País", "ESP", "private"),
        ("plenglish.com", "Prensa Latina", "CUB", "state news agency"),
    ],
)
def test_lookup_finds_profile(query, name, country, kind):
    profile = load_registry().lookup(query)
    assert profile is not None
    assert (profile.name, profile.country, profile.kind) == (name, country, kind)


@pytest.mark.parametrize("query", ["", "   ", None, "Daily Planet", "example.org", "http://"])
def test_lookup_unknown_is_none(query):
    assert load_registry().lookup(query) is None


def test_registry_size_and_countries_are_iso3():
    reg = load_registry()
    assert len(reg) >= 40
    for p in reg.profiles:
        assert p.country is None or (len(p.country) == 3 and p.country.isupper()), p
        assert p.kind


def test_extra_csv_adds_and_overrides(tmp_path):
    extra = tmp_path / "mine.csv"
    extra.write_text(
        ",".join(COLUMNS) + "\n"
        "Daily Planet,Planet,dailyplanet.example,USA,private,en\n"
        "Reuters,Thomson Reuters,reuters.com,GBR,news agency (test override),en\n",
        encoding="utf-8",
    )
    reg = load_registry(extra)
    assert reg.lookup("planet").name == "Daily Planet"
    assert reg.lookup("www.dailyplanet.example").country == "USA"
    assert reg.lookup("reuters").kind == "news agency (test override)"
    assert load_registry().lookup("reuters").kind == "wire service"
