"""Tests for dateline.stages.dates: detection, TIMEX3 values and clause dating."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from dateline.models import Article, TimeExpr
from dateline.stages.dates import date_for_span, extract_timexes, reresolve

REF = date(2019, 5, 5)  # a Sunday


def _article(text: str) -> Article:
    return Article(id="t1", source="test", text=text, content_hash="h")


def _one(text: str, expr: str, reference: date | None = REF, doc: object = None) -> TimeExpr:
    found = extract_timexes(_article(text), doc, reference=reference)  # type: ignore[arg-type]
    for t in found:
        assert text[t.start : t.end] == t.text
    match = [t for t in found if t.text == expr]
    assert match, f"{expr!r} not found in {[t.text for t in found]}"
    return match[0]


ABSOLUTE = [
    ("The mayor was elected on May 20, 2018, in a runoff.", "May 20, 2018", "2018-05-20"),
    ("The bridge opened on 20 May 2018 after delays.", "20 May 2018", "2018-05-20"),
    ("The filing is dated 2019-05-03 in the registry.", "2019-05-03", "2019-05-03"),
    ("Officials met on May 2 to review the plan.", "May 2", "2019-05-02"),
    ("The deadline passed on Jan. 3 without a deal.", "Jan. 3", "2019-01-03"),
    ("The editorial ran on Monday, Oct. 26, 1998 in print.", "Monday, Oct. 26, 1998", "1998-10-26"),
    ("A fire broke out on the 4th of March in the port.", "4th of March", "2019-03-04"),
]


@pytest.mark.parametrize(("text", "expr", "value"), ABSOLUTE)
def test_extract_timexes_absolute(text: str, expr: str, value: str) -> None:
    t = _one(text, expr)
    assert (t.type, t.value, t.precision) == ("DATE", value, "day")
    assert t.earliest == t.latest == date.fromisoformat(value)
    assert t.anchor == REF


WEEKDAYS = [
    ("The minister said on Tuesday that talks had failed.", "Tuesday", "2019-04-30"),
    ("The council will meet on Friday to vote.", "Friday", "2019-05-10"),
    ("The ministers are to meet on Thursday in Oslo.", "Thursday", "2019-05-09"),
    ("Protesters marched on Sunday through the capital.", "Sunday", "2019-05-05"),
    ("The board met last Monday in private.", "last Monday", "2019-04-29"),
]


@pytest.mark.parametrize(("text", "expr", "value"), WEEKDAYS)
def test_extract_timexes_weekday_by_tense(text: str, expr: str, value: str) -> None:
    t = _one(text, expr)
    assert t.value == value
    assert t.earliest == date.fromisoformat(value)


def test_extract_timexes_weekday_uses_parse_when_given() -> None:
    nlp = pytest.importorskip("dateline.nlp").load_nlp()
    text = "Negotiators will gather in Geneva on Wednesday, officials confirmed."
    t = _one(text, "Wednesday", doc=nlp(text))
    assert t.value == "2019-05-08"


RELATIVE = [
    ("Prices fell yesterday across the region.", "yesterday", "2019-05-04", "day"),
    ("The result is expected today.", "today", "2019-05-05", "day"),
    ("A vote is due tomorrow.", "tomorrow", "2019-05-06", "day"),
    ("The envoy had arrived a day earlier.", "a day earlier", "2019-05-04", "day"),
    ("Exports rose last week, data showed.", "last week", "2019-W17", "week"),
    ("Turnout was low this week.", "this week", "2019-W18", "week"),
    ("Elections are planned for next month.", "next month", "2019-06", "month"),
    (
        "The agency said earlier this month that it would act.",
        "earlier this month",
        "2019-05",
        "month",
    ),
    ("The army withdrew in April after talks.", "April", "2019-04", "month"),
    ("The army withdrew in June after talks.", "June", "2018-06", "month"),
    ("Inflation has risen since January.", "January", "2019-01", "month"),
    ("Output shrank last month.", "last month", "2019-04", "month"),
    ("Output shrank last year.", "last year", "2018", "year"),
    ("He has lived abroad since 2016.", "2016", "2016", "year"),
    ("Two weeks ago the port reopened.", "Two weeks ago", "2019-W16", "week"),
]


@pytest.mark.parametrize(("text", "expr", "value", "precision"), RELATIVE)
def test_extract_timexes_relative(text: str, expr: str, value: str, precision: str) -> None:
    t = _one(text, expr)
    assert (t.type, t.value, t.precision) == ("DATE", value, precision)
    assert t.earliest is not None
    assert t.latest is not None
    assert t.earliest <= t.latest


OTHER_TYPES = [
    ("The siege lasted the last eight months.", "the last eight months", "DURATION", "P8M"),
    ("He served 18 years in prison.", "18 years", "DURATION", "P18Y"),
    ("The strike lasted two days.", "two days", "DURATION", "P2D"),
    ("Polls close at 10 a.m. local time.", "10 a.m.", "TIME", "2019-05-05T10:00"),
    ("The curfew starts at midnight.", "midnight", "TIME", "2019-05-05T24:00"),
    ("Inspectors visit every week.", "every week", "SET", "P1W"),
    ("The bulletin appears weekly.", "weekly", "SET", "P1W"),
    ("Prices have risen in recent months.", "recent months", "DURATION", "PXM"),
    ("Prices have risen recently.", "recently", "DATE", "PAST_REF"),
]


@pytest.mark.parametrize(("text", "expr", "typ", "value"), OTHER_TYPES)
def test_extract_timexes_other_types(text: str, expr: str, typ: str, value: str) -> None:
    t = _one(text, expr)
    assert (t.type, t.value) == (typ, value)


NO_REFERENCE = [
    ("Talks resumed on Tuesday.", "Tuesday", "XXXX-WXX-2"),
    ("Talks resumed on May 5.", "May 5", "XXXX-05-05"),
    ("Talks resumed last week.", "last week", "XXXX-WXX"),
]


@pytest.mark.parametrize(("text", "expr", "value"), NO_REFERENCE)
def test_extract_timexes_without_reference(text: str, expr: str, value: str) -> None:
    t = _one(text, expr, reference=None)
    assert t.value == value
    assert t.earliest is None
    assert t.latest is None


def test_extract_timexes_absolute_without_reference() -> None:
    t = _one("He was born on 2 March 1961.", "2 March 1961", reference=None)
    assert t.earliest == date(1961, 3, 2)


@pytest.mark.parametrize(
    "text",
    [
        "You may want to call 2000 people.",
        "The 6-year-old boy was found.",
        "It cost $1999 in total.",
    ],
)
def test_extract_timexes_rejects_lookalikes(text: str) -> None:
    found = extract_timexes(_article(text), None, reference=REF)
    assert not [t for t in found if t.type == "DATE" and t.earliest is not None], found


@pytest.mark.parametrize("text", ["", "\x00\x01", "May", "31 February 2019", "99/99/9999"])
def test_extract_timexes_messy_input_never_raises(text: str) -> None:
    for t in extract_timexes(_article(text), None, reference=REF):
        assert text[t.start : t.end] == t.text


def test_extract_timexes_sorted_and_non_overlapping() -> None:
    text = "On Monday, May 20, 2019, at 10 a.m. Tuesday and last week, two days later."
    found = extract_timexes(_article(text), None, reference=REF)
    assert [t.start for t in found] == sorted(t.start for t in found)
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start


SPAN_CASES = [
    # (text, span text, expected date, precision)
    (
        "The army said on Tuesday it had pulled back. Aid arrived later.",
        "The army said on Tuesday",
        date(2019, 4, 30),
        "day",
    ),
    (
        "Aid arrived without warning. The army said on Tuesday it had pulled back.",
        "Aid arrived without warning.",
        None,
        None,
    ),
]


@pytest.mark.parametrize(("text", "span", "expected", "precision"), SPAN_CASES)
def test_date_for_span_same_sentence_only(
    text: str, span: str, expected: date | None, precision: str | None
) -> None:
    found = extract_timexes(_article(text), None, reference=REF)
    s = text.index(span)
    assert date_for_span(None, found, s, s + len(span), reference=REF) == (expected, precision)


def test_date_for_span_prefers_same_verb_with_doc() -> None:
    nlp = pytest.importorskip("dateline.nlp").load_nlp()
    text = "The rebels, who seized the town on Monday, released the hostages on Thursday."
    doc = nlp(text)
    found = extract_timexes(_article(text), doc, reference=REF)
    s = text.index("released")
    got = date_for_span(doc, found, s, s + len("released the hostages"), reference=REF)
    assert got == (date(2019, 5, 2), "day")


def test_reresolve_keeps_direction() -> None:
    text = "The envoy said on Tuesday that the council will vote on Friday."
    art = _article(text)
    old = extract_timexes(art, None, reference=REF)
    new = reresolve(art, old, date(2019, 6, 9))  # also a Sunday
    by_text = {t.text: t for t in new}
    assert by_text["Tuesday"].value == "2019-06-04"
    assert by_text["Friday"].value == "2019-06-14"
    assert all(t.anchor == date(2019, 6, 9) for t in new)


def test_reresolve_from_unanchored() -> None:
    text = "Troops withdrew on Tuesday and talks began on May 2."
    art = _article(text)
    old = extract_timexes(art, None, reference=None)
    new = {t.text: t for t in reresolve(art, old, REF)}
    assert new["Tuesday"].earliest == date(2019, 4, 30)
    assert new["May 2"].earliest == date(2019, 5, 2)


# --- TimeML conventions: quarters, seasons, holidays, anaphora, fiscal years -----------------

RESULTS_DAY = date(2019, 10, 28)  # a Monday, in earnings season

QUARTER_TEXT = (
    "Acme earned $5 million in the third quarter, down from $7 million a year ago. "
    "In the year-earlier quarter, sales were flat. Margins widened in the latest quarter. "
    "For the quarter a year ago, Acme reported a loss. In the 2018 fourth quarter it broke even. "
    "Its third-quarter costs rose after several quarters of cuts."
)

QUARTERS = [
    ("the third quarter", "DATE", "2019-Q3"),
    ("a year ago", "DATE", "2018-Q3"),
    ("the year-earlier quarter", "DATE", "2018-Q3"),
    ("the latest quarter", "DATE", "2019-Q3"),
    ("the quarter a year ago", "DATE", "2018-Q3"),
    ("the 2018 fourth quarter", "DATE", "2018-Q4"),
    ("third-quarter", "DATE", "2019-Q3"),
    ("several quarters", "DURATION", "PXQ"),
]


@pytest.mark.parametrize(("expr", "typ", "value"), QUARTERS)
def test_quarters_follow_the_quarter_in_view(expr: str, typ: str, value: str) -> None:
    t = _one(QUARTER_TEXT, expr, reference=RESULTS_DAY)
    assert (t.type, t.value) == (typ, value)


@pytest.mark.parametrize(
    ("text", "expr", "value"),
    [
        ("Exports fell from a year ago, the ministry said.", "a year ago", "2018"),
        ("Sales rose in the latest quarter.", "the latest quarter", "2019-Q3"),
        ("Profit doubled in the fiscal first quarter.", "the fiscal first quarter", "2019-Q1"),
    ],
)
def test_quarters_without_earlier_quarter(text: str, expr: str, value: str) -> None:
    assert _one(text, expr, reference=RESULTS_DAY).value == value


CALENDAR_NAMES = [
    ("A bomb shook the city in nineteen ninety-six.", "nineteen ninety-six", "1996"),
    (
        "The trial opened in January nineteen ninety-seven.",
        "January nineteen ninety-seven",
        "1997-01",
    ),
    ("The law dates from two thousand and three.", "two thousand and three", "2003"),
    ("Rivers froze this past winter.", "this past winter", "2018-WI"),
    ("The camp closed last summer.", "last summer", "2018-SU"),
    ("Building starts next spring.", "next spring", "2020-SP"),
    ("Shortages will last well into the summer.", "the summer", "2019-SU"),
    ("The dam failed in the fall of 2017.", "the fall of 2017", "2017-FA"),
    ("The boy was found on Thanksgiving Day clinging to a tube.", "Thanksgiving Day", "2018-11-22"),
    ("The shop will reopen on Christmas Day.", "Christmas Day", "2019-12-25"),
    ("The strike began on Labor Day 2018.", "Labor Day 2018", "2018-09-03"),
    ("Crowds gathered on Memorial Day last spring.", "Memorial Day", "2018-05-28"),
    ("The treaty was ratified in February this year.", "February this year", "2019-02"),
    ("The games open in April next year.", "April next year", "2020-04"),
    ("The mine closed last February.", "last February", "2019-02"),
    ("The mine closed last April.", "last April", "2018-04"),
    ("Security was tight for the Sept. 1 rally.", "Sept. 1", "2018-09-01"),
]


@pytest.mark.parametrize(("text", "expr", "value"), CALENDAR_NAMES)
def test_calendar_names(text: str, expr: str, value: str) -> None:
    t = _one(text, expr)
    assert (t.type, t.value) == ("DATE", value)
    assert t.earliest is not None
    assert t.latest is not None
    assert t.earliest <= t.latest


@pytest.mark.parametrize(
    "text",
    [
        "Prices fall when supply rises.",
        "Historians study the fall of the empire.",
        "She trained for the Summer Olympics.",
        "Previously, imports were taxed.",
    ],
)
def test_calendar_lookalikes_are_not_timexes(text: str) -> None:
    assert extract_timexes(_article(text), None, reference=REF) == ()


ANAPHORA = [
    (
        "The firm was founded in March 2010. The following month, it hired staff.",
        "The following month",
        "2010-04",
    ),
    ("Rain fell in March 2010. Imports doubled that year.", "that year", "2010"),
    ("The deal closed on June 3, 2016. The next day, shares rose.", "The next day", "2016-06-04"),
    ("The vote was held on Jan. 9, 2017 and counted the same day.", "the same day", "2017-01-09"),
    ("Officials said the following week would be decisive.", "the following week", "2019-W19"),
    (
        "The bomb exploded on March 3. Police arrived at 10 p.m. and sealed the area.",
        "10 p.m.",
        "2019-03-03T22:00",
    ),
]


@pytest.mark.parametrize(("text", "expr", "value"), ANAPHORA)
def test_anaphoric_expressions_use_the_date_in_view(text: str, expr: str, value: str) -> None:
    assert _one(text, expr).value == value


MORE_TYPES = [
    ("Fiscal 2018 sales topped forecasts.", "Fiscal 2018", "DATE", "2018"),
    ("It expects growth in the current fiscal year.", "the current fiscal year", "DATE", "2019"),
    ("It forecast higher earnings for the full year.", "the full year", "DATE", "2019"),
    ("Attacks became routine over the past decade.", "the past decade", "DURATION", "P10Y"),
    ("The embargo has lasted four decades.", "four decades", "DURATION", "P40Y"),
    ("A listing is planned in the near future.", "the near future", "DATE", "FUTURE_REF"),
    ("The deal ends months of talks.", "months", "DURATION", "PXM"),
    ("Then, a week or so ago, the envoy left.", "a week or so ago", "DATE", "2019-W17"),
    ("Officials worked over the weekend.", "the weekend", "DATE", "2019-W18-WE"),
]


@pytest.mark.parametrize(("text", "expr", "typ", "value"), MORE_TYPES)
def test_more_timeml_values(text: str, expr: str, typ: str, value: str) -> None:
    t = _one(text, expr)
    assert (t.type, t.value) == (typ, value)


@pytest.mark.parametrize(
    "text", ["The shares pay $1.76 a year in dividends.", "Guards stand watch 24 hours a day."]
)
def test_rates_are_not_durations(text: str) -> None:
    found = extract_timexes(_article(text), None, reference=REF)
    assert not [t for t in found if t.text.lower() in {"a year", "a day"}], found


def test_reresolve_reanchors_quarter_comparisons() -> None:
    art = _article(QUARTER_TEXT)
    old = extract_timexes(art, None, reference=RESULTS_DAY)
    new = {t.text: t for t in reresolve(art, old, date(2020, 10, 27))}
    assert new["the third quarter"].value == "2020-Q3"
    assert new["a year ago"].value == "2019-Q3"


def test_clock_time_without_time_part_is_kept_in_discourse() -> None:
    """A clock expression left unresolved (no ``T`` part) after a dated one: kept as it is.

    Seen on real news during a re-anchoring pass: it used to raise ValueError and stop the
    whole corpus stage.
    """
    import datetime as dt

    from dateline.models import TimeExpr
    from dateline.stages.timex_detect import Candidate
    from dateline.stages.timex_discourse import anchor_in_discourse

    day = TimeExpr(
        article_id="a",
        start=0,
        end=7,
        text="Oct. 23",
        type="DATE",
        value="2031-10-23",
        earliest=dt.date(2031, 10, 23),
        latest=dt.date(2031, 10, 23),
        precision="day",
    )
    clock = TimeExpr(article_id="a", start=20, end=27, text="10 p.m.", type="TIME", value="XXXX")
    out = anchor_in_discourse([(Candidate(0, 7, "date"), day), (Candidate(20, 27, "time"), clock)])
    assert out == (day, clock)
