"""``Compactor``: equal values become one shared object; the records stay equal."""

from __future__ import annotations

import datetime as dt
import pickle

from dateline.compact import Compactor
from dateline.models import Article, ArticleAnalysis, EntityMention, Quote, TimeExpr
from dateline.serialize import to_jsonable


def _analysis(article_id: str, offset: int) -> ArticleAnalysis:
    # Fresh objects for every value, as unpickling or parsing would produce them.
    text = "x" * 2000
    day = dt.date(2031, 6, int("3"))
    sentence = "".join(["The minister said the talks ", "would resume in the long run."]) * 3
    mention = EntityMention(
        start=int("1000") + offset, end=int("1010"), text="Ola", label="PER", key="k"
    )
    quote = Quote(
        id=f"{article_id}-q1",
        article_id=article_id,
        start=int("300"),
        end=int("400"),
        text=sentence,
        kind="direct",
        speaker_key=None,
        speaker_text=None,
        cue="said",
        date=day,
        date_precision="day",
    )
    timex = TimeExpr(
        article_id=article_id,
        start=int("700"),
        end=int("707"),
        text="Tuesday",
        type="DATE",
        value="2031-06-03",
        earliest=dt.date(2031, 6, 3),
        latest=dt.date(2031, 6, 3),
    )
    article = Article(id=article_id, source="s", text=text, content_hash="h", published=day)
    from dateline.models import ArticleEntity

    entity = ArticleEntity(
        key="k", name="Ola", type="PERSON", aliases=("Ola",), mentions=(mention,)
    )
    return ArticleAnalysis(
        article=article, entities=(entity,), timexes=(timex,), quotes=(quote, quote)
    )


def test_records_stay_equal_and_picklable() -> None:
    original = _analysis("a1", 0)
    before = to_jsonable(original)
    compacted = Compactor()(pickle.loads(pickle.dumps(original)))
    assert to_jsonable(compacted) == before
    assert compacted == original
    assert pickle.loads(pickle.dumps(compacted)) == original


def test_equal_values_are_shared_across_analyses() -> None:
    compact = Compactor()
    first = compact(pickle.loads(pickle.dumps(_analysis("a1", 0))))
    second = compact(pickle.loads(pickle.dumps(_analysis("a2", 0))))
    q1, q2 = first.quotes[0], second.quotes[0]
    assert q1.start is q2.start
    assert q1.end is q2.end
    assert q1.date is q2.date
    assert first.article.published is q1.date
    assert first.timexes[0].latest is second.timexes[0].earliest  # equal dates, one object
    assert first.entities[0].mentions[0].label is second.entities[0].mentions[0].label


def test_long_strings_are_shared_within_one_analysis_only() -> None:
    import dataclasses

    compact = Compactor()
    base = _analysis("a1", 0)
    twin = dataclasses.replace(base.quotes[0], text="".join(list(base.quotes[0].text)))
    assert twin.text is not base.quotes[0].text
    first = compact(dataclasses.replace(base, quotes=(base.quotes[0], twin)))
    assert first.quotes[0].text is first.quotes[1].text
    second = compact(_analysis("a2", 0))
    # A long string is never interned process-wide: other articles keep their own.
    assert first.quotes[0].text == second.quotes[0].text
    assert first.quotes[0].text is not second.quotes[0].text


def test_different_values_stay_different() -> None:
    compact = Compactor()
    first = compact(_analysis("a1", 0))
    second = compact(_analysis("a2", 5))
    assert first.entities[0].mentions[0].start == 1000
    assert second.entities[0].mentions[0].start == 1005
