"""The JSON API under ``/api/``: filtered, paginated views over the in-memory index.

Path parameters are only ever looked up in the index (never used as file names). Bad
parameters give 422 (FastAPI validation) or 400 (bad search syntax); unknown ids 404.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, Field

from dateline.models import QuoteClass
from dateline.outlets import profile_dict
from dateline.serialize import to_jsonable
from dateline.store import SearchSyntaxError
from dateline.web import queries, records
from dateline.web.index import IndexSource, WebIndex

MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000
MAX_TEXT = 500


class Page(BaseModel):
    """One page of a list: ``items`` from ``offset``, ``total`` matches in all."""

    total: int = Field(description="Items matching the filters, over all pages.")
    limit: int
    offset: int
    items: list[dict[str, Any]]


class SearchPage(BaseModel):
    """One page of full-text hits (``total`` is not known in advance for FTS)."""

    query: str
    limit: int
    offset: int
    items: list[dict[str, Any]]


class ErrorBody(BaseModel):
    detail: Any


NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Unknown id"}
}

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]
Text = Annotated[str | None, Query(max_length=MAX_TEXT)]
QuoteClassFilter = Annotated[
    QuoteClass | None,
    Query(description="Only quotes of this class: speech (statements), stance or action."),
]
# Dates are taken as strings and parsed here: pydantic's lax mode would accept "0" as a
# Unix timestamp, which is not what a date filter means.
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
From = Annotated[
    str | None,
    Query(
        alias="from",
        pattern=DATE_PATTERN,
        description="Earliest date (YYYY-MM-DD).",
        json_schema_extra={"format": "date"},
    ),
]
To = Annotated[
    str | None,
    Query(
        alias="to",
        pattern=DATE_PATTERN,
        description="Latest date (YYYY-MM-DD).",
        json_schema_extra={"format": "date"},
    ),
]


def parse_date(value: str | None, name: str) -> date | None:
    """An ISO date parameter; an impossible date (2031-02-30) is a 422 like other bad input."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise HTTPException(
            status_code=422,
            detail=[
                {
                    "loc": ["query", name],
                    "msg": f"not a valid date: {value!r}",
                    "type": "date_parsing",
                }
            ],
        ) from exc


def source_of(request: Request) -> IndexSource:
    source: IndexSource = request.app.state.source
    return source


def index_of(request: Request) -> WebIndex:
    return source_of(request).get()


def page(items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    return {
        "total": len(items),
        "limit": limit,
        "offset": offset,
        "items": items[offset : offset + limit],
    }


def not_found(kind: str, key: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"no {kind} with id {key!r}")


router = APIRouter(prefix="/api", tags=["api"])


@router.get("", summary="Database overview: counts and outlets")
def overview(request: Request) -> dict[str, Any]:
    index = index_of(request)
    result = index.result
    return {
        "database": source_of(request).name,
        "counts": {
            "articles": len(result.articles),
            "stories": len(result.stories),
            "entities": len(result.entities),
            "quotes": len(result.quotes),
            "events": len(result.events),
            "figures": len(result.figures),
            "timeline": len(result.timeline),
            "errors": len(result.errors),
        },
        "outlets": index.outlets(),
        "summary": to_jsonable(result.summary),
    }


@router.get("/articles", response_model=Page, summary="Articles (without text)")
def list_articles(
    request: Request,
    outlet: Text = None,
    story: Text = None,
    q: Text = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    index = index_of(request)
    found = queries.select_articles(index, outlet=outlet, story=story, q=q)
    return page([records.article_summary(a, index) for a in found], limit, offset)


@router.get("/articles/{article_id:path}", responses=NOT_FOUND, summary="One article + highlights")
def get_article(request: Request, article_id: str) -> dict[str, Any]:
    index = index_of(request)
    article = index.articles.get(article_id)
    if article is None:
        raise not_found("article", article_id)
    return records.article_detail(article, index)


@router.get("/outlets", response_model=Page, summary="Outlets with article counts and facts")
def list_outlets(request: Request, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    """Outlets of the corpus, most articles first, with their registry profile (or null)."""
    return page(records.outlet_records(index_of(request)), limit, offset)


@router.get("/stories", response_model=Page, summary="Stories")
def list_stories(request: Request, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    index = index_of(request)
    items = [
        {
            **to_jsonable(s),
            "outlets": sorted({o for a in s.article_ids if (o := index.outlet_of(a))}),
        }
        for s in index.result.stories
    ]
    return page(items, limit, offset)


@router.get("/stories/{story_id:path}", responses=NOT_FOUND, summary="One story")
def get_story(request: Request, story_id: str) -> dict[str, Any]:
    index = index_of(request)
    if story_id not in index.stories:
        raise not_found("story", story_id)
    return records.story_detail(story_id, index)


@router.get("/entities", response_model=Page, summary="Canonical entities")
def list_entities(
    request: Request,
    name: Text = None,
    type: Text = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    index = index_of(request)
    found = queries.select_entities(index, name=name, type_=type)
    return page([to_jsonable(e) for e in found], limit, offset)


@router.get("/entities/{entity_id:path}", responses=NOT_FOUND, summary="One entity")
def get_entity(request: Request, entity_id: str) -> dict[str, Any]:
    index = index_of(request)
    if entity_id not in index.entities:
        raise not_found("entity", entity_id)
    return records.entity_detail(entity_id, index)


@router.get("/quotes", response_model=Page, summary="Quotes")
def list_quotes(
    request: Request,
    speaker: Text = None,
    outlet: Text = None,
    story: Text = None,
    cue_class: QuoteClassFilter = None,
    grouped: Annotated[bool, Query(description="Items are groups of the same statement.")] = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    index = index_of(request)
    found = queries.select_quotes(
        index, speaker=speaker, outlet=outlet, story=story, cue_class=cue_class
    )
    if grouped:
        groups = queries.quote_groups(found, index)
        items = [
            {
                "quotes": [records.quote_record(q, index) for q in g],
                "outlets": sorted({index.outlet_of(q.article_id) or "" for q in g}),
            }
            for g in groups
        ]
        return page(items, limit, offset)
    return page([records.quote_record(q, index) for q in found], limit, offset)


@router.get("/events", response_model=Page, summary="Events (PLOVER/CAMEO)")
def list_events(
    request: Request,
    actor: Text = None,
    type: Text = None,
    start: From = None,
    end: To = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    index = index_of(request)
    found = queries.select_events(
        index, actor=actor, type_=type, start=parse_date(start, "from"), end=parse_date(end, "to")
    )
    return page([records.event_record(e) for e in found], limit, offset)


@router.get("/timeline", response_model=Page, summary="Dated, cited timeline")
def get_timeline(
    request: Request,
    entity: Text = None,
    story: Text = None,
    start: From = None,
    end: To = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    index = index_of(request)
    found = queries.select_timeline(
        index,
        entity=entity,
        story=story,
        start=parse_date(start, "from"),
        end=parse_date(end, "to"),
    )
    return page([records.timeline_record(e, index) for e in found], limit, offset)


@router.get("/framing", response_model=Page, summary="How each outlet labels an entity")
def get_framing(
    request: Request, entity: Text = None, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    index = index_of(request)
    ids = sorted(index.match_entities(entity)) if entity else sorted(index.framing_by_entity)
    items = []
    for entity_id in ids:
        outlets = queries.framing_by_outlet(index, entity_id)
        if not outlets:
            continue
        known = index.entities.get(entity_id)
        items.append(
            {
                "entity": entity_id,
                "name": known.name if known else None,
                "outlets": {o: [to_jsonable(t) for t in terms] for o, terms in outlets.items()},
            }
        )
    return page(items, limit, offset)


@router.get("/figures", response_model=Page, summary="Reported figures")
def list_figures(
    request: Request,
    conflicts: Annotated[
        bool, Query(description="Only figures another outlet contradicts.")
    ] = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    index = index_of(request)
    found = queries.select_figures(index, conflicts=conflicts)
    items = [
        {
            **to_jsonable(f),
            "outlet": index.outlet_of(f.article_id),
            "outlet_profile": profile_dict(index.profile_of(f.article_id)),
        }
        for f in found
    ]
    return page(items, limit, offset)


@router.get(
    "/search",
    response_model=SearchPage,
    summary="Full-text search (FTS5 syntax)",
    responses={400: {"model": ErrorBody, "description": "Bad search syntax"}},
)
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=MAX_TEXT, description="FTS5 query.")],
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    return {
        "query": q,
        "limit": limit,
        "offset": offset,
        "items": run_search(request, q, limit, offset),
    }


def run_search(request: Request, q: str, limit: int, offset: int) -> list[dict[str, Any]]:
    """Search through the store; bad FTS5 syntax becomes a 400 with the store's advice."""
    try:
        return source_of(request).search(q, limit=limit, offset=offset)
    except SearchSyntaxError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
