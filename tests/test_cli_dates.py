"""The date column of the read commands says no more than is known ("in January" is not
January 1st)."""

from __future__ import annotations

from datetime import date

import pytest
from rich.console import Console

from dateline.cli.quotes import render
from dateline.models import Article, Quote, Result
from dateline.serialize import date_label


@pytest.mark.parametrize(
    ("precision", "shown"),
    [
        ("day", "2019-01-09"),
        ("week", "week of 2019-01-09"),
        ("month", "2019-01"),
        ("year", "2019"),
        (None, "2019-01-09"),
    ],
)
def test_date_label_follows_the_precision(precision, shown):
    assert date_label(date(2019, 1, 9), precision) == shown


def test_date_label_of_no_date_is_empty():
    assert date_label(None, "day") == ""


def _shown(result: Result) -> str:
    console = Console(record=True, width=220)
    console.print(render(result, list(result.quotes)))
    return console.export_text()


def test_quotes_table_shows_a_month_as_a_month():
    art = Article("a", "a", "t", "h", outlet="Wire One", published=date(2019, 2, 25))
    quote = Quote(
        "a:q1",
        "a",
        0,
        30,
        "himself the interim president",
        "indirect",
        None,
        "Juan Guaido",
        "declared",
        date=date(2019, 1, 1),
        date_precision="month",
    )
    out = _shown(Result(articles=(art,), quotes=(quote,)))
    assert "2019-01" in out
    assert "2019-01-01" not in out


def test_undated_quote_takes_the_articles_date_at_its_precision():
    art = Article(
        "a",
        "a",
        "t",
        "h",
        outlet="Wire One",
        published=date(2019, 1, 1),
        published_precision="year",
    )
    quote = Quote("a:q1", "a", 0, 9, "all is well", "direct", None, "Anna Petrova", "said")
    out = _shown(Result(articles=(art,), quotes=(quote,)))
    assert "2019" in out
    assert "2019-01-01" not in out
