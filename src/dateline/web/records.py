"""JSON shapes of the API: the output contract's records plus per-page detail views.

Dates are ISO strings cut to their precision (as in ``analyze --json``); detail views add
the links a page needs (article highlights, an entity's quotes and framing by outlet).
"""

from __future__ import annotations

from typing import Any

from dateline.models import Article, Event, Quote, TimelineEntry
from dateline.outlets import profile_dict
from dateline.serialize import article_to_dict, iso_by_precision, to_jsonable
from dateline.web.index import WebIndex
from dateline.web.queries import framing_by_outlet, select_timeline

JSON = dict[str, Any]


def article_summary(article: Article, index: WebIndex) -> JSON:
    """An article without its text (list views)."""
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "outlet_profile": profile_dict(index.profile_of(article.id)),
        "url": article.url,
        "published": iso_by_precision(article.published, article.published_precision),
        "published_source": article.published_source,
        "story_id": index.story_of(article.id),
        "chars": len(article.text),
    }


def quote_record(quote: Quote, index: WebIndex) -> JSON:
    item: JSON = to_jsonable(quote)
    item["date"] = iso_by_precision(quote.date, quote.date_precision)
    item["outlet"] = index.outlet_of(quote.article_id)
    item["outlet_profile"] = profile_dict(index.profile_of(quote.article_id))
    return item


def event_record(event: Event) -> JSON:
    item: JSON = to_jsonable(event)
    item["date"] = iso_by_precision(event.date, event.date_precision)
    return item


def timeline_record(entry: TimelineEntry, index: WebIndex) -> JSON:
    """A timeline entry with, per source article, a link target for the cited span."""
    item: JSON = to_jsonable(entry)
    item["date"] = iso_by_precision(entry.date, entry.date_precision)
    item["citations"] = [
        {
            "article_id": a,
            "outlet": index.outlet_of(a),
            "outlet_profile": profile_dict(index.profile_of(a)),
            "start": s,
            "end": e,
        }
        for a, s, e in citations(entry, index)
    ]
    return item


def citations(entry: TimelineEntry, index: WebIndex) -> list[tuple[str, int | None, int | None]]:
    """(article id, start, end) of the sentence each source article reports the entry in."""
    spans: dict[str, tuple[int, int]] = {}
    for event_id in entry.event_ids:
        event = index.events.get(event_id)
        for mention in event.mentions if event else ():
            spans.setdefault(mention.article_id, (mention.start, mention.end))
    out: list[tuple[str, int | None, int | None]] = []
    for article_id in dict.fromkeys((*entry.article_ids, *spans)):
        start, end = spans.get(article_id, (None, None))
        out.append((article_id, start, end))
    return out


def article_detail(article: Article, index: WebIndex) -> JSON:
    """The full article with every highlight (entity mentions, quotes, dates, figures)."""
    item = article_to_dict(article)
    item["story_id"] = index.story_of(article.id)
    item["outlet_profile"] = profile_dict(index.profile_of(article.id))
    item["highlights"] = {
        "entities": [
            {
                "start": m.mention.start,
                "end": m.mention.end,
                "text": m.mention.text,
                "label": m.mention.label,
                "entity_id": m.entity_id,
            }
            for m in index.mentions_by_article.get(article.id, ())
        ],
        "quotes": [quote_record(q, index) for q in index.quotes_by_article.get(article.id, ())],
        "timexes": to_jsonable(index.timexes_by_article.get(article.id, [])),
        "figures": to_jsonable(index.figures_by_article.get(article.id, [])),
        "events": [
            {
                **event_record(e),
                "mentions": [to_jsonable(m) for m in e.mentions if m.article_id == article.id],
            }
            for e in index.events_by_article.get(article.id, ())
        ],
        "framing": [
            {"entity": entity_id, **to_jsonable(term)}
            for entity_id, term in index.framing_by_article.get(article.id, ())
        ],
    }
    return item


def outlet_records(index: WebIndex) -> list[JSON]:
    """Every outlet of the corpus with its article count and registry facts, most articles first."""
    return [
        {
            "name": outlet,
            "articles": len(article_ids),
            "profile": profile_dict(index.outlet_profile(outlet)),
        }
        for outlet, article_ids in sorted(
            index.articles_by_outlet.items(), key=lambda kv: (-len(kv[1]), kv[0])
        )
    ]


def entity_detail(entity_id: str, index: WebIndex) -> JSON:
    """An entity with its quotes, events, timeline and the terms each outlet uses for it."""
    entity = index.entities[entity_id]
    item: JSON = to_jsonable(entity)
    item["quotes"] = [quote_record(q, index) for q in index.quotes_by_speaker.get(entity_id, ())]
    item["events"] = [
        event_record(e) for e in index.result.events if entity_id in (e.actor, e.target)
    ]
    item["framing"] = {
        outlet: [to_jsonable(t) for t in terms]
        for outlet, terms in framing_by_outlet(index, entity_id).items()
    }
    item["outlets"] = sorted({o for a in entity.article_ids if (o := index.outlet_of(a))})
    return item


def story_detail(story_id: str, index: WebIndex) -> JSON:
    """A story with its articles, outlets, timeline and summary sentences."""
    story = index.stories[story_id]
    item: JSON = to_jsonable(story)
    articles = [index.articles[a] for a in story.article_ids if a in index.articles]
    item["articles"] = [article_summary(a, index) for a in articles]
    item["outlets"] = sorted({a.outlet for a in articles if a.outlet})
    item["timeline"] = [timeline_record(e, index) for e in select_timeline(index, story=story_id)]
    item["summary"] = [
        to_jsonable(s)
        for s in index.result.summary
        if s.story_id == story_id
        or (s.story_id is None and set(s.article_ids) & set(story.article_ids))
    ]
    return item
