"""Property tests (hypothesis) over the whole per-article path and the store.

- ``normalise_text`` is idempotent and never raises;
- ``read_records`` never raises on arbitrary records; ``enrich_metadata`` never raises and its
  dateline offsets slice the text;
- every per-article stage (``analyze_article``) runs without a stage error on arbitrary short
  text, every item's offsets slice back to its text, and every date range is ordered;
- the SQLite store round-trips any ``ArticleAnalysis`` unchanged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dateline import models
from dateline.ingest import read_records
from dateline.ingest.metadata import enrich_metadata
from dateline.models import Article, ArticleAnalysis, IngestError
from dateline.pipeline import analyze_article
from dateline.store.sqlite import SQLiteStore
from dateline.text import normalise_text

# Fragments that steer random text into the stages' interesting paths: datelines, quotes,
# reporting verbs, dates, figures, titles, names. Joined with arbitrary text in between.
_FRAGMENTS = [
    "MOSCOW, May 5 (Xinhua) -- ",
    "WASHINGTON (AP) — ",
    " said ",
    " told reporters ",
    '"',
    "“",
    "”",
    "'",
    " on Monday",
    " last week",
    " May 5, 2019",
    " 2019-04-30",
    " in March",
    " 1990s",
    " $3.5 million",
    " 40 percent",
    " 1,200 troops",
    " President Ana Petrov",
    " the ministry",
    " Foreign Minister",
    " of Norland",
    " accused ",
    " met ",
    ". ",
    "\n\n",
    " the so-called ",
    " dictator",
    " rebels",
    " killed ",
    " according to ",
    " (Reuters) ",
    " next Tuesday",
    " every week",
    " for three months",
    " he said.",
    " she added",
    ":",
    " -- ",
    " 5 May ",
]
_text = st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=12)), max_size=14).map(
    "".join
)


@pytest.fixture(scope="module")
def nlp() -> Any:
    from dateline.nlp import load_nlp

    return load_nlp()


# -- text normalisation -----------------------------------------------------------------------
@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200) | _text)
def test_normalise_text_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert "\x00" not in once
    assert "\r" not in once


# -- ingest -----------------------------------------------------------------------------------
_json_scalar = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
_json = st.recursive(
    _json_scalar,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
_record = st.fixed_dictionaries(
    {},
    optional={
        "id": st.text(max_size=10) | st.integers() | _json,
        "text": _text | _json,
        "title": _json,
        "url": st.text(max_size=30) | _json,
        "outlet": _json,
        "published": st.sampled_from(["2019-05-05", "May 2019", "yesterday", "", "2019-13-45"])
        | _json,
        "language": _json,
        "author": _json,
    },
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_record | _json | st.text(max_size=20), max_size=5))
def test_read_records_never_raises(records: list[Any]) -> None:
    items = list(read_records(records))
    assert len(items) == len(records)
    for item in items:
        assert isinstance(item, Article | IngestError)
        if isinstance(item, Article):
            assert item.text
            assert item.text == item.text.strip()
            item.text.encode("utf-8")  # storable
            rng = item.published_range
            assert rng is None or rng[0] <= rng[1]


@settings(max_examples=200, deadline=None)
@given(_text, st.sampled_from([None, "2019-05-05", "2021-12"]))
def test_enrich_metadata_never_raises_and_dateline_slices(text: str, published: str | None) -> None:
    (item,) = read_records([{"id": "p", "text": text, "published": published}])
    if isinstance(item, IngestError):
        return
    enriched = enrich_metadata(item)
    assert enriched.text == item.text
    credit = enriched.dateline
    if credit is not None:
        assert enriched.text[credit.start : credit.end] == credit.text
    rng = enriched.published_range
    assert rng is None or rng[0] <= rng[1]


# -- per-article stages -------------------------------------------------------------------------
def _check_offsets(analysis: ArticleAnalysis) -> None:
    text = analysis.article.text
    for entity in analysis.entities:
        for mention in entity.mentions:
            assert text[mention.start : mention.end] == mention.text, mention
        for role in entity.role_mentions:
            assert text[role.start : role.end] == role.text, role
    for timex in analysis.timexes:
        assert text[timex.start : timex.end] == timex.text, timex
        if timex.earliest is not None and timex.latest is not None:
            assert timex.earliest <= timex.latest, timex
    for quote in analysis.quotes:
        assert text[quote.start : quote.end] == quote.text, quote
        if quote.cue_start is not None and quote.cue_end is not None:
            assert text[quote.cue_start : quote.cue_end] == quote.cue, quote
    for figure in analysis.figures:
        assert text[figure.start : figure.end] == figure.text, figure
    for term in analysis.framing:
        assert text[term.start : term.end] == term.term, term
    for event in analysis.events:
        for mention in event.mentions:
            assert 0 <= mention.start <= mention.end <= len(text), event
            assert text[mention.start : mention.end] == event.sentence, event
    article = analysis.article
    if article.published_range is not None:
        assert article.published_range[0] <= article.published_range[1]
    starts = [t.start for t in analysis.timexes]
    assert starts == sorted(starts)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_text, st.sampled_from([None, "2019-05-05", "2020-02"]))
def test_analyze_article_never_raises_and_offsets_slice(
    nlp: Any, text: str, published: str | None
) -> None:
    (item,) = read_records([{"id": "p", "text": text, "published": published}])
    if isinstance(item, IngestError):
        return
    article = enrich_metadata(item)
    analysis = analyze_article(article, nlp(article.text))
    stage_errors = [w for w in analysis.warnings if w.startswith("stage-error")]
    assert not stage_errors, stage_errors
    _check_offsets(analysis)


# -- storage round-trip ---------------------------------------------------------------------------
_MODELS = {cls for cls in vars(models).values() if dataclasses.is_dataclass(cls)}


def _strategy(tp: Any) -> st.SearchStrategy[Any]:
    """A strategy for a model field type that fills every field, optional ones included."""
    origin = get_origin(tp)
    if tp in _MODELS:
        return _full(tp)
    if origin is Literal:
        return st.sampled_from(get_args(tp))
    if origin in (Union, types.UnionType):
        return st.one_of(*(_strategy(arg) for arg in get_args(tp)))
    if origin is tuple:
        args = get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return st.lists(_strategy(args[0]), max_size=2).map(tuple)
        return st.tuples(*(_strategy(arg) for arg in args))
    if origin is dict:
        return st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3)
    if tp is float:
        return st.floats(allow_nan=False)
    if tp is int:
        return st.integers(min_value=-(2**40), max_value=2**40)
    if tp is str:
        return st.text(max_size=20)
    if tp is dt.date:
        return st.dates()
    if tp is type(None):
        return st.none()
    return st.from_type(tp)


def _full(cls: type) -> st.SearchStrategy[Any]:
    hints = get_type_hints(cls, vars(models))
    return st.builds(
        cls,
        **{
            f.name: st.deferred(lambda t=hints[f.name]: _strategy(t))
            for f in dataclasses.fields(cls)
        },
    )


@settings(max_examples=60, deadline=None)
@given(_full(ArticleAnalysis))
def test_store_round_trips_analysis(analysis: ArticleAnalysis) -> None:
    store = SQLiteStore(":memory:")
    try:
        store.save_analysis(analysis)
        (loaded,) = list(store.iter_analyses())
        assert store.known_hashes() == {analysis.article.id: analysis.article.content_hash}
        (article,) = store.load_articles()
    finally:
        store.close()
    assert loaded == analysis
    assert loaded.versions == analysis.versions
    assert article == analysis.article


def test_store_round_trip_of_a_real_analysis(nlp: Any) -> None:
    text = (
        "BERLIN, May 5, 2019 (Reuters) -- Foreign Minister Ana Petrov said on Monday that "
        '"talks will resume next week," adding that 1,200 troops had left. The so-called '
        "regime accused Norland of killing 3 people in March."
    )
    (item,) = read_records([{"id": "real", "text": text}])
    assert isinstance(item, Article)
    article = enrich_metadata(item)
    analysis = analyze_article(article, nlp(article.text))
    assert analysis.timexes
    assert analysis.entities
    _check_offsets(analysis)
    with SQLiteStore(":memory:") as store:
        store.save_analysis(analysis)
        store.save_analysis(analysis)  # upsert, not a duplicate
        assert list(store.iter_analyses()) == [analysis]
