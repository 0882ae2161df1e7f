"""View models: what the HTML pages and the single-file report show, as plain values.

Both the served UI and the report build their pages from these functions; only the link
style differs (``Href``): the UI links to ``/articles/<id>#span-<start>-<end>``, the report
to an anchor inside the same file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote as urlquote

from dateline.models import Article, Quote, TimelineEntry
from dateline.outlets import OutletProfile, long_label, short_label
from dateline.serialize import date_label, iso_by_precision
from dateline.web.highlight import article_tree
from dateline.web.index import WebIndex
from dateline.web.plot import layout_timeline
from dateline.web.queries import framing_by_outlet, quote_groups, select_timeline
from dateline.web.records import citations

Href = Callable[[str, int | None, int | None], str]
View = dict[str, Any]


def ui_href(article_id: str, start: int | None = None, end: int | None = None) -> str:
    """Link to the served article page, at the cited span when there is one."""
    base = f"/articles/{urlquote(article_id, safe='')}"
    return base if start is None or end is None else f"{base}#span-{start}-{end}"


def cite(index: WebIndex, href: Href, article_id: str, start: int | None, end: int | None) -> str:
    """``href`` to a span when the article view has an element for it, else to the article.

    A span that crosses a higher-priority one is not drawn inline (see ``highlight``), so a
    link to it would land nowhere; it points at the article instead.
    """
    if (
        start is not None
        and end is not None
        and article_id in index.articles
        and (start, end) in article_tree(index, article_id).ranges
    ):
        return href(article_id, start, end)
    return href(article_id, None, None)


def badge(profile: OutletProfile | None) -> View | None:
    """A compact outlet badge (``label`` "CHN · state news agency", ``title`` with name and
    language), or None when the registry knows nothing about the outlet."""
    label = short_label(profile)
    if not label:
        return None
    return {"label": label, "title": long_label(profile)}


def outlet_badge(index: WebIndex) -> Callable[[str | None], View | None]:
    """A template helper: outlet name as the corpus spells it -> its badge (or None)."""
    return lambda name: badge(index.outlet_profile(name))


def entry_date(entry: TimelineEntry) -> str:
    return date_label(entry.date, entry.date_precision)


def timeline_view(
    index: WebIndex, entries: Sequence[TimelineEntry], href: Href, key: str = "t"
) -> View:
    """A plot plus the numbered, cited list of entries it draws (``key`` keeps ids unique)."""
    rows = []
    for number, entry in enumerate(entries, start=1):
        cited = citations(entry, index)
        rows.append(
            {
                "number": number,
                "date": entry_date(entry),
                "summary": entry.summary,
                "disagreement": list(entry.date_disagreement),
                "citations": [
                    {
                        "article_id": a,
                        "outlet": index.outlet_of(a) or a,
                        "badge": badge(index.profile_of(a)),
                        "href": cite(index, href, a, s, e),
                        "cited": index.articles[a].text[s:e]
                        if a in index.articles and s is not None and e is not None
                        else None,
                    }
                    for a, s, e in cited
                ],
                "href": cite(index, href, *cited[0]) if cited else None,
            }
        )
    labels = [f"{r['date']}: {r['summary']}" for r in rows]
    return {"plot": layout_timeline(entries, labels), "entries": rows, "key": key}


def story_views(index: WebIndex, href: Href) -> list[View]:
    """Every story with its outlets, articles and timeline (largest story first)."""
    out = []
    stories = sorted(index.result.stories, key=lambda s: (-len(s.article_ids), s.id))
    for number, story in enumerate(stories, start=1):
        articles = [index.articles[a] for a in story.article_ids if a in index.articles]
        outlets = sorted({a.outlet for a in articles if a.outlet})
        out.append(
            {
                "story": story,
                "articles": articles,
                "outlets": outlets,
                "outlet_badges": [
                    {"name": o, "badge": badge(index.outlet_profile(o))} for o in outlets
                ],
                "timeline": timeline_view(
                    index, select_timeline(index, story=story.id), href, key=f"s{number}"
                ),
                "summary": [s for s in index.result.summary if s.story_id == story.id],
            }
        )
    return out


def quote_view(quote: Quote, index: WebIndex, href: Href) -> View:
    speaker = index.entities.get(quote.speaker or "")
    return {
        "quote": quote,
        "outlet": index.outlet_of(quote.article_id) or quote.article_id,
        "badge": badge(index.profile_of(quote.article_id)),
        "speaker": speaker.name if speaker else quote.speaker_text or "unknown",
        "speaker_id": speaker.id if speaker else None,
        "co_speakers": [
            {"id": e.id, "name": e.name}
            for e in (index.entities.get(i) for i in quote.co_speakers)
            if e is not None
        ],
        "href": cite(index, href, quote.article_id, quote.start, quote.end),
    }


def quote_group_views(index: WebIndex, quotes: list[Quote], href: Href) -> list[View]:
    """Quotes grouped by same statement; groups quoted by most outlets first."""
    groups = [[quote_view(q, index, href) for q in g] for g in quote_groups(quotes, index)]
    groups.sort(key=lambda g: -len({v["outlet"] for v in g}))
    return [
        {
            "speaker": g[0]["speaker"],
            "speaker_id": g[0]["speaker_id"],
            "co_speakers": g[0]["co_speakers"],
            "quotes": g,
            "outlets": len({v["outlet"] for v in g}),
        }
        for g in groups
    ]


def framing_views(index: WebIndex, entity_ids: Sequence[str] | None = None) -> list[View]:
    """Per entity, the terms each outlet uses, side by side; most outlets first."""
    ids = entity_ids if entity_ids is not None else list(index.framing_by_entity)
    out = []
    for entity_id in ids:
        outlets = framing_by_outlet(index, entity_id)
        if not outlets:
            continue
        entity = index.entities.get(entity_id)
        out.append(
            {
                "entity_id": entity_id,
                "name": entity.name if entity else entity_id,
                "outlets": [
                    {
                        "outlet": o,
                        "badge": badge(index.outlet_profile(o)),
                        "terms": sorted({t.term for t in terms}, key=str.lower),
                    }
                    for o, terms in outlets.items()
                ],
            }
        )
    out.sort(key=lambda v: (-len(v["outlets"]), v["name"]))
    return out


def figure_conflict_views(index: WebIndex, href: Href) -> list[View]:
    """Figures that disagree with another outlet's figure for the same measure."""
    out = []
    for figure in index.result.figures:
        if not figure.conflicts_with:
            continue
        others = [index.figures[f] for f in figure.conflicts_with if f in index.figures]
        out.append(
            {
                "figure": figure,
                "outlet": index.outlet_of(figure.article_id) or figure.article_id,
                "badge": badge(index.profile_of(figure.article_id)),
                "href": cite(index, href, figure.article_id, figure.start, figure.end),
                "conflicts": [
                    {
                        "figure": o,
                        "outlet": index.outlet_of(o.article_id) or o.article_id,
                        "badge": badge(index.profile_of(o.article_id)),
                        "href": cite(index, href, o.article_id, o.start, o.end),
                    }
                    for o in others
                ],
            }
        )
    return out


def article_view(index: WebIndex, article: Article, prefix: str = "") -> View:
    """An article's text as highlight nodes (escaped when rendered) and its side lists."""
    tree = article_tree(index, article.id)
    entities: dict[str, View] = {}
    for linked in index.mentions_by_article.get(article.id, ()):
        key = linked.entity_id or linked.mention.text
        entity = index.entities.get(linked.entity_id or "")
        entities.setdefault(
            key,
            {
                "id": linked.entity_id,
                "name": entity.name if entity else linked.mention.text,
                "type": entity.type if entity else linked.mention.label,
                "spans": [],
            },
        )["spans"].append(linked.mention)
    return {
        "article": article,
        "published": iso_by_precision(article.published, article.published_precision),
        "badge": badge(index.profile_of(article.id)),
        "prefix": prefix,
        "nodes": tree.nodes,
        "dropped": tree.dropped,
        "quotes": [
            {**quote_view(q, index, ui_href), "href": f"#{prefix}q-{q.id}"}
            for q in index.quotes_by_article.get(article.id, ())
        ],
        "entities": sorted(entities.values(), key=lambda v: v["name"].lower()),
        "timexes": index.timexes_by_article.get(article.id, []),
        "figures": index.figures_by_article.get(article.id, []),
        "story": index.stories.get(index.story_of(article.id) or ""),
    }
