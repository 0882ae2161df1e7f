"""Sample records shared by the storage tests (both backends and the SQLite specifics)."""

from __future__ import annotations

from datetime import date

from dateline.models import Article, ArticleAnalysis, ArticleEntity, EntityMention, Quote
from dateline.text import content_hash

TEXT = (
    'Minister Ana Duarte said "We stand together." The talks ended on Friday. '
    "Officials counted 1234567.891 tonnes of grain."
)


def make_analysis(
    article_id: str = "a1",
    text: str = TEXT,
    outlet: str = "Meridian Wire",
    title: str = "Talks end",
) -> ArticleAnalysis:
    article = Article(
        id=article_id, source=f"{article_id}.txt", text=text, content_hash=content_hash(text),
        title=title, outlet=outlet, published=date(2031, 5, 4), published_precision="day",
        published_source="metadata", published_range=(date(2031, 5, 4), date(2031, 5, 4)),
    )  # fmt: skip
    mention = EntityMention(9, 19, "Ana Duarte", "PERSON", "e1")
    entity = ArticleEntity(
        "e1", "Ana Duarte", "PERSON", ("Ana Duarte",), ("Minister",), None, (mention,)
    )
    quote = Quote(
        f"{article_id}:q1",
        article_id,
        26,
        43,
        "We stand together",
        "direct",
        "e1",
        "Ana Duarte",
        "said",
    )
    return ArticleAnalysis(
        article=article, entities=(entity,), quotes=(quote,), versions={"quotes": "quotes.v1"}
    )
