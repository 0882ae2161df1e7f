"""Figures: money, counts, percentages with what they measure; cross-article reconciliation."""

from __future__ import annotations

from pathlib import Path

import pytest

from dateline.corpus.figures import reconcile_figures, same_measure, values_agree
from dateline.models import Article, Figure
from dateline.nlp import load_nlp
from dateline.stages.figures import extract_figures, qualifier_of

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def _figures(text: str) -> tuple[Figure, ...]:
    article = Article(id="t", source="t", text=text, content_hash="h")
    return extract_figures(article, load_nlp()(text))


@pytest.mark.parametrize(
    ("sentence", "text", "value", "unit", "measure_words"),
    [
        (
            "The bank has lent about $2 billion to the port project.",
            "about $2 billion",
            2e9,
            "USD",
            {"loan"},
        ),
        (
            "Norway has invested $300 million in the country's fisheries.",
            "$300 million",
            3e8,
            "USD",
            {"investment", "fisheries"},
        ),
        ("Exports fell to US$ 11 bn last year.", "US$ 11 bn", 11e9, "USD", {"export"}),
        (
            "The union pledged €40 million for rebuilding schools.",
            "€40 million",
            4e7,
            "EUR",
            {"pledge"},
        ),
        (
            "At least 12 people were injured in the clashes.",
            "At least 12 people",
            12.0,
            "people",
            {"people", "injured"},
        ),
        (
            "The two firms signed 14 supply agreements on Monday.",
            "14 supply agreements",
            14.0,
            "agreement",
            {"supply", "agreements"},
        ),
        (
            "Officials shipped some 2.5 million doses of measles vaccine.",
            "some 2.5 million doses",
            2.5e6,
            "dose",
            {"measles", "doses"},
        ),
        (
            "Sales have increased by 7 percent this year.",
            "7 percent",
            7.0,
            "percent",
            {"sale", "increase"},
        ),
        ("Prices rose 3.5% in March.", "3.5%", 3.5, "percent", {"price", "rise"}),
        (
            "The harbour deal is estimated to be worth around $6 billion.",
            "around $6 billion",
            6e9,
            "USD",
            {"deal"},
        ),
    ],
)
def test_extract_figures_value_unit_measure(sentence, text, value, unit, measure_words):
    figures = _figures(sentence)
    assert [f.text for f in figures] == [text]
    fig = figures[0]
    assert fig.value == pytest.approx(value)
    assert fig.unit == unit
    assert fig.measure is not None
    assert measure_words <= set(fig.measure.casefold().split()), fig.measure
    assert sentence[fig.start : fig.end] == fig.text
    assert fig.id == "t:f1"


@pytest.mark.parametrize(
    "sentence",
    [
        "The summit was held on May 20, 2018 in the capital.",
        "He served for 18 years before the 2016 vote.",
        "The talks resume at 10:30 on the 3rd floor.",
        "Washington seized billions of dollars' worth of oil assets.",
        "A 30-year-old man joined the four-step plan of the G-20.",
    ],
)
def test_extract_figures_skips_dates_durations_and_vague(sentence):
    assert _figures(sentence) == ()


def test_extract_figures_ids_sorted_and_messy_input():
    figs = _figures("Aid of $5 million arrived. Then 40 trucks and 12% more. $ % 1,,2")
    assert [f.id for f in figs] == [f"t:f{i}" for i in range(1, len(figs) + 1)]
    assert [f.start for f in figs] == sorted(f.start for f in figs)
    assert _figures("") == ()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("about $4 billion", "approx"),
        ("at least 300 people", "min"),
        ("up to 5 million", "max"),
        ("$4 billion", None),
    ],
)
def test_qualifier_of(text, kind):
    assert qualifier_of(text) == kind


def _fig(fid, article, text, value, unit, measure):
    return Figure(
        id=fid,
        article_id=article,
        start=0,
        end=len(text),
        text=text,
        value=value,
        unit=unit,
        measure=measure,
    )


def test_reconcile_figures_agree_and_conflict():
    figs = [
        _fig("a:f1", "a", "$4 billion", 4e9, "USD", "investment in the rail network"),
        _fig("b:f1", "b", "about $4.2 billion", 4.2e9, "USD", "investments in rail network"),
        _fig("c:f1", "c", "$7 billion", 7e9, "USD", "investment in the rail network"),
        _fig("c:f2", "c", "$7 billion", 7e9, "USD", "loan for housing"),
        _fig("a:f2", "a", "$7 billion", 7e9, "USD", "investment in the rail network"),
    ]
    out = reconcile_figures(figs, article_outlets={"a": "A", "b": "B", "c": "C"})
    by_id = {f.id: f for f in out}
    assert by_id["a:f1"].agrees_with == ("b:f1",)
    assert by_id["a:f1"].conflicts_with == ("c:f1",)
    assert by_id["c:f1"].conflicts_with == ("a:f1", "b:f1")
    assert by_id["c:f1"].agrees_with == ("a:f2",)
    assert by_id["c:f2"].agrees_with == ()
    assert by_id["c:f2"].conflicts_with == ()
    assert [f.id for f in out] == [f.id for f in figs]


def test_reconcile_figures_same_outlet_and_story_blocking():
    figs = [
        _fig("a:f1", "a", "20 people", 20, "people", "people killed"),
        _fig("b:f1", "b", "35 people", 35, "people", "people killed"),
        _fig("c:f1", "c", "50 people", 50, "people", "people killed"),
    ]
    out = reconcile_figures(
        figs,
        article_outlets={"a": "X", "b": "X", "c": "Y"},
        story_of={"a": "s1", "b": "s1", "c": "s2"},
    )
    assert all(f.agrees_with == () and f.conflicts_with == () for f in out)


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        (("at least 300 people", 300), ("350 people", 350), True),
        (("at least 300 people", 300), ("200 people", 200), False),
        (("up to 5 million doses", 5e6), ("4 million doses", 4e6), True),
        (("about 1 billion", 1e9), ("1.08 billion", 1.08e9), True),
        (("1 billion", 1e9), ("1.08 billion", 1.08e9), False),
    ],
)
def test_values_agree(a, b, agree):
    fa = _fig("x:f1", "x", a[0], a[1], "u", "m")
    fb = _fig("y:f1", "y", b[0], b[1], "u", "m")
    assert values_agree(fa, fb) is agree


def test_same_measure_needs_more_than_one_shared_word():
    a = _fig("x:f1", "x", "11", 11, "agreement", "agreements")
    b = _fig("y:f1", "y", "260", 260, "agreement", "cooperation agreements")
    assert not same_measure(a, b)


def test_seed_kremlin_meeting_figures():
    path = SEEDS / "004_b9abf42fcc1bfcba.txt"
    if not path.exists():
        pytest.skip("shared seeds not available")
    text = path.read_text(encoding="utf-8")
    figs = _figures(text)
    got = {(f.value, f.unit) for f in figs}
    for expected in [
        (1e9, "USD"),
        (4e9, "USD"),
        (11e9, "USD"),
        (11.0, "agreement"),
        (260.0, "agreement"),
        (1.5e6, "dose"),
        (5e6, "dose"),
        (10.0, "percent"),
    ]:
        assert expected in got
    measures = {f.value: f.measure or "" for f in figs}
    assert "investment" in measures[4e9]
    assert "economy" in measures[4e9]
    assert "mining" in measures[1e9]
    assert "contracts" in measures[11e9]
    assert "vaccine" in measures[1.5e6]
