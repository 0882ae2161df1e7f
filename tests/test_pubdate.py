"""Tests for publication-date inference: per article (stages.pubdate) and corpus-wide."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from dateline.corpus.pubdate import refine_publication_dates
from dateline.models import Article, ArticleAnalysis, DatelineCredit, EventMention, Quote
from dateline.stages.dates import date_for_span, extract_timexes
from dateline.stages.pubdate import infer_published


def _article(text: str, art_id: str = "u1", **kw: object) -> Article:
    return Article(id=art_id, source="test", text=text, content_hash=art_id, **kw)  # type: ignore[arg-type]


def _analysis(article: Article) -> ArticleAnalysis:
    return ArticleAnalysis(
        article=article, timexes=extract_timexes(article, None, reference=article.published)
    )


INFER = [
    # text, published range, precision
    (
        "The talks began on 30 April 2019 in Oslo. On Wednesday delegates said they agreed.",
        (date(2019, 5, 1), date(2019, 5, 7)),
        "week",
    ),
    (
        "The company reported losses on 12 March 2018 and its shares fell.",
        (date(2018, 3, 12), date(2018, 4, 11)),
        "month",
    ),
    (
        "The pact was signed on 2 June 2020. Leaders will meet again on 6 June 2020.",
        (date(2020, 6, 2), date(2020, 6, 6)),
        "week",
    ),
]


@pytest.mark.parametrize(("text", "rng", "precision"), INFER)
def test_infer_published_from_text(text: str, rng: tuple[date, date], precision: str) -> None:
    art = _article(text)
    got = infer_published(art, extract_timexes(art, None, reference=None))
    assert got.published_range == rng
    assert got.published == rng[0]
    assert got.published_precision == precision
    assert got.published_source == "inferred"
    assert got.published_evidence


def test_infer_published_keeps_dated_article() -> None:
    art = _article(
        "It happened on 3 May 2019.", published=date(2019, 5, 6), published_source="metadata"
    )
    assert infer_published(art, extract_timexes(art, None, reference=None)) is art


def test_infer_published_nothing_absolute() -> None:
    art = _article("On Tuesday the minister resigned.")
    got = infer_published(art, extract_timexes(art, None, reference=None))
    assert got.published is None


def test_infer_published_credit_with_text_year() -> None:
    text = "OSLO, May 5 (Agency) -- Talks that opened on 1 May 2019 ended on Saturday."
    credit = DatelineCredit(0, 24, "OSLO, May 5 (Agency) --", "OSLO", None, "Agency")
    art = _article(text, dateline=credit)
    got = infer_published(art, extract_timexes(art, None, reference=None))
    assert (got.published, got.published_source, got.published_precision) == (
        date(2019, 5, 5),
        "dateline",
        "day",
    )


def _dated(art_id: str, text: str, pub: date) -> ArticleAnalysis:
    return _analysis(
        _article(
            text,
            art_id,
            published=pub,
            published_source="metadata",
            published_precision="day",
            published_range=(pub, pub),
        )
    )


CORPUS = [
    _dated("d1", "Rebels seized the northern town of Kessa on Friday.", date(2019, 5, 4)),
    _dated("d2", "Aid convoys reached Kessa on Monday after the rebel advance.", date(2019, 5, 7)),
]


def test_refine_credit_year_from_corpus() -> None:
    text = "KESSA, May 5 (Agency) -- Residents fled on Saturday as rebels took the town."
    credit = DatelineCredit(0, 25, "KESSA, May 5 (Agency) --", "KESSA", None, "Agency")
    undated = _analysis(_article(text, "u1", dateline=credit))
    out = refine_publication_dates([*CORPUS, undated])
    art = out[-1].article
    assert art.published == date(2019, 5, 5)
    assert art.published_source == "dateline"
    assert any("corpus frame" in e for e in art.published_evidence)
    saturday = next(t for t in out[-1].timexes if t.text == "Saturday")
    assert saturday.earliest == date(2019, 5, 4)
    assert out[:2] == tuple(CORPUS)


def test_refine_months_since_in_frame() -> None:
    text = "Fighting resumed on Wednesday, eight months since January when the truce began."
    undated = _analysis(_article(text, "u2"))
    corpus = [
        _dated("d3", "Talks resumed on Monday in the capital.", date(2019, 9, 10)),
        _dated("d4", "Shelling was reported on Tuesday near the border.", date(2019, 9, 20)),
    ]
    art = refine_publication_dates([*corpus, undated])[-1].article
    assert art.published_range is not None
    assert art.published_range[0] >= date(2019, 9, 1)
    assert art.published_range[1] <= date(2019, 9, 30)
    assert art.published_source == "inferred"


def test_refine_from_same_events() -> None:
    text = "Rebels seized the northern town of Kessa, and aid convoys reached Kessa later."
    undated = _analysis(_article(text, "u3"))
    art = refine_publication_dates([*CORPUS, undated])[-1].article
    assert art.published_range == (date(2019, 5, 4), date(2019, 5, 7))
    assert any("d1" in e for e in art.published_evidence)


def test_refine_redates_quotes_and_events() -> None:
    text = "KESSA, May 5 (Agency) -- The governor said on Saturday that the town had fallen."
    credit = DatelineCredit(0, 25, "KESSA, May 5 (Agency) --", "KESSA", None, "Agency")
    base = _analysis(_article(text, "u4", dateline=credit))
    s = text.index("The governor")
    quote = Quote(
        id="q1",
        article_id="u4",
        start=s,
        end=len(text),
        text=text[s:],
        kind="indirect",
        speaker_key=None,
        speaker_text="The governor",
        cue="said",
    )
    from dateline.models import Event

    event = Event(
        id="ev1",
        type="ASSAULT",
        mode=None,
        cameo=None,
        actor_key=None,
        target_key=None,
        actor_text=None,
        target_text=None,
        actor_code=None,
        target_code=None,
        date=None,
        date_precision=None,
        location=None,
        sentence=text[s:],
        mentions=(EventMention("u4", s, len(text)),),
        confidence=0.5,
    )
    undated = replace(base, quotes=(quote,), events=(event,))
    out = refine_publication_dates([*CORPUS, undated])[-1]
    assert out.quotes[0].date == date(2019, 5, 4)
    assert out.events[0].date == date(2019, 5, 4)
    got = date_for_span(None, out.timexes, s, len(text), reference=out.article.published)
    assert got == (date(2019, 5, 4), "day")


def test_refine_without_dated_articles_is_identity() -> None:
    undated = _analysis(_article("Nothing dated here at all.", "u5"))
    assert refine_publication_dates([undated]) == (undated,)
