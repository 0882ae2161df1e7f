"""The outlet registry: facts about outlets, found by name, alias, domain or URL."""

from __future__ import annotations

import io

import pytest
from conftest_web import build_corpus, write_db
from rich.console import Console
from typer.testing import CliRunner

from dateline.cli import app
from dateline.cli import events as events_cli
from dateline.cli import quotes as quotes_cli
from dateline.cli import timeline as timeline_cli
from dateline.outlets import (
    COLUMNS,
    ENV_VAR,
    OutletRegistry,
    load_registry,
    long_label,
    profile_dict,
    short_label,
    with_facts,
)

EXTRA = ",".join(COLUMNS) + "\nHarbour Wire,HW,harbourwire.example,NZL,wire service,en\n"


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


def test_override_replaces_builtin_aliases_too(tmp_path):
    extra = tmp_path / "mine.csv"
    extra.write_text(",".join(COLUMNS) + "\nReuters,,,GBR,news agency (override),en\n")
    assert load_registry(extra).lookup("Thomson Reuters").kind == "news agency (override)"


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("CNN (Web News)", "CNN"),
        ("New York Times - Opinion", "The New York Times"),
        ("Wall Street Journal \u2013 News", "The Wall Street Journal"),
        ("Fox Online News", "Fox News"),
        ("NPR Online News", "NPR"),
        ("Newsmax - News", "Newsmax"),
        ("TheBlaze.com", "TheBlaze"),
        ("Guest Writer - Left", None),
        ("News", None),
        ("(Web News)", None),
        ("Daily Planet Online", None),
    ],
)
def test_lookup_strips_section_suffixes(query, name):
    found = load_registry().lookup(query)
    assert (found.name if found else None) == name


@pytest.mark.parametrize(
    ("outlet", "url", "name"),
    [
        ("Guest Writer", "https://www.nationalreview.com/2019/01/x/", "National Review"),
        (None, "http://edition.cnn.com/a.html", "CNN"),
        ("Reuters", "https://www.foxnews.com/x", "Reuters"),  # the name wins over the URL
        ("Guest Writer", None, None),
        (None, "not a url", None),
    ],
)
def test_profile_for_falls_back_to_url(outlet, url, name):
    found = load_registry().profile_for(outlet, url)
    assert (found.name if found else None) == name


def test_labels():
    xinhua = load_registry().lookup("Xinhua")
    assert short_label(xinhua) == "CHN \u00b7 state news agency"
    assert long_label(xinhua) == "Xinhua: CHN \u00b7 state news agency \u00b7 language: zh"
    assert with_facts("Xinhua News Agency", xinhua) == (
        "Xinhua News Agency (CHN \u00b7 state news agency)"
    )
    assert profile_dict(xinhua) == {
        "name": "Xinhua",
        "country": "CHN",
        "kind": "state news agency",
        "language": "zh",
    }
    assert (short_label(None), long_label(None), with_facts("X", None)) == ("", "", "X")
    assert profile_dict(None) is None


def test_builtin_domains_and_names_are_unique():
    seen_names: dict[str, str] = {}
    seen_domains: dict[str, str] = {}
    for p in load_registry().profiles:
        for dom in p.domains:
            assert dom not in seen_domains, (dom, p.name, seen_domains.get(dom))
            seen_domains[dom] = p.name
        assert p.name.casefold() not in seen_names
        seen_names[p.name.casefold()] = p.name
        assert p.language


# -- user extension: $DATELINE_OUTLETS ----------------------------------------------------


def test_env_var_extends_registry(tmp_path, monkeypatch):
    extra = tmp_path / "env.csv"
    extra.write_text(EXTRA, encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(extra))
    assert load_registry().lookup("hw").country == "NZL"
    other = tmp_path / "other.csv"
    other.write_text(",".join(COLUMNS) + "\nOther Post,,,FRA,private,fr\n", encoding="utf-8")
    explicit = load_registry(other)  # an explicit CSV replaces the env var
    assert explicit.lookup("Other Post") is not None
    assert explicit.lookup("hw") is None


@pytest.mark.parametrize("value", ["", "   "])
def test_empty_env_var_is_builtin_only(monkeypatch, value):
    monkeypatch.setenv(ENV_VAR, value)
    assert len(load_registry()) == len(load_registry(None))
    assert load_registry().lookup("hw") is None


def test_missing_csv_is_an_error(tmp_path, monkeypatch):
    with pytest.raises(FileNotFoundError, match="--outlets"):
        load_registry(tmp_path / "none.csv")
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "none.csv"))
    with pytest.raises(FileNotFoundError, match=ENV_VAR):
        load_registry()


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfe garbage \x00 bytes",
        b"",
        b"name\n\n,,,\n",
        "\ufeffname,country,kind\nPlanet \u00e9,usa,private\n".encode(),
    ],
)
def test_messy_csv_never_raises(tmp_path, content):
    extra = tmp_path / "messy.csv"
    extra.write_bytes(content)
    reg = load_registry(extra)
    assert reg.lookup("Xinhua") is not None
    if b"Planet" in content:
        assert reg.lookup("planet e").country == "USA"


# -- CLI tables: an outlet column with country and kind ----------------------------------


def _text(table) -> str:
    console = Console(file=io.StringIO(), width=400, color_system=None)
    console.print(table)
    return console.file.getvalue()


@pytest.fixture(scope="module")
def hw_registry(tmp_path_factory) -> OutletRegistry:
    path = tmp_path_factory.mktemp("reg") / "extra.csv"
    path.write_text(EXTRA, encoding="utf-8")
    return load_registry(path)


@pytest.mark.parametrize(
    "render",
    [
        lambda r, reg: quotes_cli.render(r, quotes_cli.select_quotes(r), reg),
        lambda r, reg: events_cli.render(r, events_cli.select_events(r), reg),
        lambda r, reg: timeline_cli.render(r, timeline_cli.select_entries(r), reg),
    ],
    ids=["quotes", "events", "timeline"],
)
def test_cli_tables_show_outlet_facts(hw_registry, render):
    _, result, _ = build_corpus()
    text = _text(render(result, hw_registry))
    assert "Harbour Wire (NZL \u00b7 wire service)" in text
    assert "Daily Gazette (" not in text  # unknown outlet: the name alone
    assert "Daily Gazette" in text
    assert "(NZL" not in _text(render(result, load_registry()))


@pytest.mark.parametrize("command", ["quotes", "events", "timeline"])
def test_cli_outlets_option_and_env(tmp_path, monkeypatch, command):
    db = write_db(tmp_path / "c.db")
    extra = tmp_path / "extra.csv"
    extra.write_text(EXTRA, encoding="utf-8")
    runner = CliRunner()
    plain = runner.invoke(app, [command, "--db", str(db)], terminal_width=400)
    assert plain.exit_code == 0, plain.output
    assert "NZL" not in plain.output
    opt = runner.invoke(
        app, [command, "--db", str(db), "--outlets", str(extra)], terminal_width=400
    )
    assert opt.exit_code == 0, opt.output
    assert "NZL" in opt.output
    monkeypatch.setenv(ENV_VAR, str(extra))
    env = runner.invoke(app, [command, "--db", str(db)], terminal_width=400)
    assert "NZL" in env.output
    missing = runner.invoke(app, [command, "--db", str(db), "--outlets", str(tmp_path / "no.csv")])
    assert missing.exit_code == 2
