"""Model records to table rows and back: shared by the SQLite and PostgreSQL stores."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from dateline.models import (
    Article,
    ArticleAnalysis,
    Entity,
    Event,
    Figure,
    Framing,
    Quote,
    Result,
    Story,
    SummarySentence,
    TimeExpr,
    TimelineEntry,
)
from dateline.serialize import from_jsonable, iso_by_precision, to_jsonable

Row = dict[str, Any]


def dumps(value: Any) -> str:
    """Compact, key-sorted JSON so identical records give identical text."""
    return json.dumps(to_jsonable(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def article_row(article: Article) -> Row:
    """The ``articles`` row of an article."""
    return {
        "id": article.id,
        "source": article.source,
        "content_hash": article.content_hash,
        "title": article.title,
        "outlet": article.outlet,
        "url": article.url,
        "language": article.language,
        "published": iso_by_precision(article.published, article.published_precision),
        "published_source": article.published_source,
        "story_id": article.story_id,
        "text": article.text,
        "data": dumps(article),
    }


def analysis_row(analysis: ArticleAnalysis) -> Row:
    """The ``analyses`` row: the full per-article analysis, the input of the corpus stages."""
    return {
        "article_id": analysis.article.id,
        "content_hash": analysis.article.content_hash,
        "versions": json.dumps(analysis.versions, sort_keys=True),
        "data": dumps(analysis),
    }


def load_article(data: str) -> Article:
    return from_jsonable(Article, json.loads(data))


def load_analysis(data: str) -> ArticleAnalysis:
    return from_jsonable(ArticleAnalysis, json.loads(data))


def corpus_rows(
    result: Result, entity_links: dict[tuple[str, str], str]
) -> Iterator[tuple[str, Row]]:
    """Every corpus-table row of a result, as ``(table, row)`` pairs."""
    for entity in result.entities:
        yield (
            "entities",
            {
                "id": entity.id,
                "name": entity.name,
                "type": entity.type,
                "country": entity.country,
                "data": dumps(entity),
            },
        )
    for (article_id, key), entity_id in sorted(entity_links.items()):
        yield "entity_links", {"article_id": article_id, "key": key, "entity_id": entity_id}
    for article_id, mention in result.entity_mentions:
        yield (
            "entity_mentions",
            {
                "article_id": article_id,
                "start": mention.start,
                "end": mention.end,
                "text": mention.text,
                "label": mention.label,
                "key": mention.key,
                "entity_id": entity_links.get((article_id, mention.key)),
            },
        )
    for story in result.stories:
        yield "stories", {"id": story.id, "title": story.title, "data": dumps(story)}
        for article_id in story.article_ids:
            yield "story_articles", {"story_id": story.id, "article_id": article_id}
    for timex in result.timexes:
        yield (
            "timexes",
            {
                "article_id": timex.article_id,
                "start": timex.start,
                "end": timex.end,
                "text": timex.text,
                "type": timex.type,
                "value": timex.value,
                "data": dumps(timex),
            },
        )
    for quote in result.quotes:
        yield (
            "quotes",
            {
                "id": quote.id,
                "article_id": quote.article_id,
                "start": quote.start,
                "end": quote.end,
                "text": quote.text,
                "kind": quote.kind,
                "speaker": quote.speaker,
                "speaker_text": quote.speaker_text,
                "cue": quote.cue,
                "via": quote.via,
                "date": iso_by_precision(quote.date, quote.date_precision),
                "data": dumps(quote),
            },
        )
    for event in result.events:
        yield (
            "events",
            {
                "id": event.id,
                "type": event.type,
                "mode": event.mode,
                "cameo": event.cameo,
                "actor": event.actor,
                "target": event.target,
                "actor_code": event.actor_code,
                "target_code": event.target_code,
                "date": iso_by_precision(event.date, event.date_precision),
                "date_precision": event.date_precision,
                "location": event.location,
                "status": event.status,
                "confidence": event.confidence,
                "sentence": event.sentence,
                "data": dumps(event),
            },
        )
        for report in event.mentions:
            yield (
                "event_mentions",
                {
                    "event_id": event.id,
                    "article_id": report.article_id,
                    "start": report.start,
                    "end": report.end,
                },
            )
    for figure in result.figures:
        yield (
            "figures",
            {
                "id": figure.id,
                "article_id": figure.article_id,
                "start": figure.start,
                "end": figure.end,
                "text": figure.text,
                "value": figure.value,
                "unit": figure.unit,
                "measure": figure.measure,
                "data": dumps(figure),
            },
        )
    for framing in result.framing:
        yield (
            "framing",
            {"outlet": framing.outlet, "entity": framing.entity, "data": dumps(framing)},
        )
    for position, entry in enumerate(result.timeline):
        yield (
            "timeline",
            {
                "position": position,
                "date": iso_by_precision(entry.date, entry.date_precision),
                "date_precision": entry.date_precision,
                "summary": entry.summary,
                "score": entry.score,
                "data": dumps(entry),
            },
        )
    for position, sentence in enumerate(result.summary):
        yield (
            "summary",
            {
                "position": position,
                "sentence": sentence.sentence,
                "story_id": sentence.story_id,
                "data": dumps(sentence),
            },
        )


TABLE_MODELS: dict[str, type] = {
    "entities": Entity,
    "stories": Story,
    "timexes": TimeExpr,
    "quotes": Quote,
    "events": Event,
    "figures": Figure,
    "framing": Framing,
    "timeline": TimelineEntry,
    "summary": SummarySentence,
}

TABLE_ORDER: dict[str, str] = {
    "entities": "name, id",
    "stories": "id",
    "timexes": "article_id, start",
    "quotes": "article_id, start",
    "events": "date, id",
    "figures": "article_id, start",
    "framing": "outlet, entity",
    "timeline": "position",
    "summary": "position",
}
