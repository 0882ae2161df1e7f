"""Filters over a :class:`~dateline.web.index.WebIndex`: the query logic of the API and UI.

Pure functions: an index and filter values in, a list of model records out, in a stable
order. The HTTP layer only parses parameters and paginates.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from dateline.models import Article, Entity, Event, Figure, FramingTerm, Quote, TimelineEntry
from dateline.text import fold
from dateline.web.index import WebIndex


def _contains(needle: str | None, *haystacks: str | None) -> bool:
    if not needle:
        return True
    wanted = fold(needle)
    return any(wanted in fold(h) for h in haystacks if h)


def select_articles(
    index: WebIndex, *, outlet: str | None = None, story: str | None = None, q: str | None = None
) -> list[Article]:
    """Articles of an outlet (exact or folded name) and/or story, optionally containing ``q``."""
    out = []
    for article in index.result.articles:
        if outlet and fold(article.outlet or "") != fold(outlet):
            continue
        if story and index.story_of(article.id) != story:
            continue
        if q and not _contains(q, article.title, article.text):
            continue
        out.append(article)
    return out


def select_entities(
    index: WebIndex, *, name: str | None = None, type_: str | None = None
) -> list[Entity]:
    """Entities whose name or an alias contains ``name`` (folded), of ``type_`` if given."""
    return [
        e
        for e in index.result.entities
        if (not type_ or e.type.upper() == type_.upper()) and _contains(name, e.name, *e.aliases)
    ]


def select_quotes(
    index: WebIndex,
    *,
    speaker: str | None = None,
    outlet: str | None = None,
    story: str | None = None,
    cue_class: str | None = None,
) -> list[Quote]:
    """Quotes by a speaker (entity id, or name in the entity or the raw speaker text), and
    of one class if given ("speech": statements only, leaving stances and acts out)."""
    speaker_ids = index.match_entities(speaker) if speaker else set()
    out = []
    for quote in index.result.quotes:
        if cue_class and quote.cue_class != cue_class:
            continue
        if (
            speaker
            and quote.speaker not in speaker_ids
            and speaker_ids.isdisjoint(quote.co_speakers)
            and not _contains(speaker, quote.speaker_text)
        ):
            continue
        if outlet and fold(index.outlet_of(quote.article_id) or "") != fold(outlet):
            continue
        if story and index.story_of(quote.article_id) != story:
            continue
        out.append(quote)
    return out


def _in_range(value: date | None, start: date | None, end: date | None) -> bool:
    if start is None and end is None:
        return True
    if value is None:
        return False
    return (start is None or value >= start) and (end is None or value <= end)


def select_events(
    index: WebIndex,
    *,
    actor: str | None = None,
    type_: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[Event]:
    """Events whose actor matches (entity id, name or actor code prefix), type and dates."""
    actor_ids = index.match_entities(actor) if actor else set()
    out = []
    for event in index.result.events:
        if actor and not (
            event.actor in actor_ids
            or _contains(actor, event.actor_text)
            or (event.actor_code or "").upper().startswith(actor.upper())
        ):
            continue
        if type_ and (event.type or "").upper() != type_.upper():
            continue
        if not _in_range(event.date, start, end):
            continue
        out.append(event)
    return out


def entry_mentions_entity(
    index: WebIndex, entry: TimelineEntry, entity_ids: set[str], wanted: str
) -> bool:
    """Does a timeline entry involve the entity: as an event actor/target or by name?"""
    if _contains(wanted, entry.summary):
        return True
    for event_id in entry.event_ids:
        event = index.events.get(event_id)
        if event is None:
            continue
        if {event.actor, event.target} & entity_ids:
            return True
        if _contains(wanted, event.actor_text) or _contains(wanted, event.target_text):
            return True
    return False


def select_timeline(
    index: WebIndex,
    *,
    entity: str | None = None,
    start: date | None = None,
    end: date | None = None,
    story: str | None = None,
) -> list[TimelineEntry]:
    """Timeline entries in date order, filtered by entity, date range and story."""
    entity_ids = index.match_entities(entity) if entity else set()
    out = []
    for entry in index.result.timeline:
        if not _in_range(entry.date, start, end):
            continue
        if entity and not entry_mentions_entity(index, entry, entity_ids, entity):
            continue
        if story and not any(index.story_of(a) == story for a in entry.article_ids):
            continue
        out.append(entry)
    return sorted(out, key=lambda e: e.date)


def select_figures(index: WebIndex, *, conflicts: bool = False) -> list[Figure]:
    """Figures, only those that conflict with another outlet's figure when ``conflicts``."""
    return [f for f in index.result.figures if not conflicts or f.conflicts_with]


def framing_by_outlet(index: WebIndex, entity_id: str) -> dict[str, list[FramingTerm]]:
    """Outlet -> the terms it uses for one entity, outlets sorted, terms by article order."""
    outlets: dict[str, list[FramingTerm]] = defaultdict(list)
    for framing in index.framing_by_entity.get(entity_id, ()):
        outlets[framing.outlet].extend(framing.terms)
    return {o: sorted(t, key=lambda x: (x.article_id, x.start)) for o, t in sorted(outlets.items())}


def quote_groups(quotes: list[Quote], index: WebIndex) -> list[list[Quote]]:
    """Group quotes that are the same statement (``same_as`` links, closed transitively).

    Groups keep the order of their first quote; within a group quotes are ordered by
    outlet then article, so the outlets read side by side.
    """
    wanted = {q.id for q in quotes}
    parent = {q.id: q.id for q in quotes}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for quote in quotes:
        for other in quote.same_as:
            if other in wanted:
                a, b = find(quote.id), find(other)
                if a != b:
                    parent[b] = a
    groups: dict[str, list[Quote]] = {}
    for quote in quotes:
        groups.setdefault(find(quote.id), []).append(quote)
    return [
        sorted(g, key=lambda q: (index.outlet_of(q.article_id) or "", q.article_id, q.start))
        for g in groups.values()
    ]
