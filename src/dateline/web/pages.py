"""The HTML pages of ``dateline serve``; each has a JSON twin (same path + ``.json``).

Handlers build a view model, then either render it (autoescaped Jinja2) or return the
JSON record the API gives for the same thing.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from dateline.models import QuoteClass
from dateline.serialize import to_jsonable
from dateline.web import queries, records
from dateline.web.api_routes import MAX_TEXT, index_of, not_found, run_search, source_of
from dateline.web.templating import environment, urlid
from dateline.web.viewmodel import (
    article_view,
    framing_views,
    outlet_badge,
    quote_group_views,
    quote_view,
    story_views,
    timeline_view,
    ui_href,
)

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query(max_length=MAX_TEXT)]


def json_twin(request: Request) -> str:
    """The URL of a page's JSON twin: the same path with ``.json`` (``/`` -> ``/index.json``)."""
    raw = request.scope.get("raw_path") or request.url.path.encode()
    path = raw.decode("latin-1").split("?", 1)[0].rstrip("/") or "/index"
    query = request.url.query
    return f"{path}.json" + (f"?{query}" if query else "")


def entity_href(entity_id: str) -> str:
    return f"/entities/{urlid(entity_id)}"


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = (
        environment()
        .get_template(template)
        .render(
            database=source_of(request).name,
            json_twin=json_twin(request),
            entity_href=entity_href,
            outlet_badge=outlet_badge(index_of(request)),
            **context,
        )
    )
    return HTMLResponse(html, status_code=status_code)


def split_json(key: str) -> tuple[str, bool]:
    """``("x.json", ...)`` -> ``("x", True)``; the JSON twin of a detail page."""
    return (key[: -len(".json")], True) if key.endswith(".json") else (key, False)


def pick(known: dict[str, Any], key: str) -> tuple[str, bool] | None:
    """Resolve a detail key that may end in ``.json`` (an id itself ending so wins as HTML)."""
    if key in known:
        return key, False
    base, as_json = split_json(key)
    return (base, as_json) if as_json and base in known else None


@router.get("/", response_class=HTMLResponse)
@router.get("/index.json")
def home(request: Request) -> Response:
    index = index_of(request)
    if request.url.path.endswith(".json"):
        return JSONResponse(
            {
                "stories": [records.story_detail(s.id, index) for s in index.result.stories],
                "summary": to_jsonable(index.result.summary),
            }
        )
    stories = story_views(index, ui_href)
    unassigned = [
        e for e in index.result.timeline if not any(index.story_of(a) for a in e.article_ids)
    ]
    return render(
        request,
        "index.html",
        stories=stories,
        other_timeline=timeline_view(index, unassigned, ui_href, key="o") if unassigned else None,
        summary=[s for s in index.result.summary if s.story_id is None],
        counts={
            "articles": len(index.result.articles),
            "outlets": len(index.outlets()),
            "entities": len(index.result.entities),
            "quotes": len(index.result.quotes),
        },
    )


@router.get("/stories/{key:path}", response_class=HTMLResponse)
def story_page(request: Request, key: str) -> Response:
    index = index_of(request)
    found = pick(index.stories, key)
    if found is None:
        raise not_found("story", key)
    story_id, as_json = found
    if as_json:
        return JSONResponse(records.story_detail(story_id, index))
    view = next(v for v in story_views(index, ui_href) if v["story"].id == story_id)
    return render(request, "story.html", view=view)


@router.get("/articles", response_class=HTMLResponse)
@router.get("/articles.json")
def articles_page(
    request: Request, outlet: Text = None, story: Text = None, q: Text = None
) -> Response:
    index = index_of(request)
    found = queries.select_articles(index, outlet=outlet, story=story, q=q)
    if request.url.path.endswith(".json"):
        return JSONResponse([records.article_summary(a, index) for a in found])
    return render(
        request,
        "articles.html",
        articles=found,
        outlets=index.outlets(),
        outlet=outlet or "",
        q=q or "",
        published={a.id: records.article_summary(a, index)["published"] for a in found},
    )


@router.get("/articles/{key:path}", response_class=HTMLResponse)
def article_page(request: Request, key: str) -> Response:
    index = index_of(request)
    found = pick(index.articles, key)
    if found is None:
        raise not_found("article", key)
    article_id, as_json = found
    article = index.articles[article_id]
    if as_json:
        return JSONResponse(records.article_detail(article, index))
    return render(request, "article.html", view=article_view(index, article))


@router.get("/entities", response_class=HTMLResponse)
@router.get("/entities.json")
def entities_page(request: Request, name: Text = None, type: Text = None) -> Response:
    index = index_of(request)
    found = queries.select_entities(index, name=name, type_=type)
    if request.url.path.endswith(".json"):
        return JSONResponse(to_jsonable(found))
    return render(request, "entities.html", entities=found, name=name or "")


@router.get("/entities/{key:path}", response_class=HTMLResponse)
def entity_page(request: Request, key: str) -> Response:
    index = index_of(request)
    found = pick(index.entities, key)
    if found is None:
        raise not_found("entity", key)
    entity_id, as_json = found
    if as_json:
        return JSONResponse(records.entity_detail(entity_id, index))
    entity = index.entities[entity_id]
    quotes = index.quotes_by_speaker.get(entity_id, [])
    events = [e for e in index.result.events if entity_id in (e.actor, e.target)]
    timeline = queries.select_timeline(index, entity=entity_id)
    return render(
        request,
        "entity.html",
        entity=entity,
        quotes=[quote_view(q, index, ui_href) for q in quotes],
        events=events,
        timeline=timeline_view(index, timeline, ui_href),
        framing=framing_views(index, [entity_id]),
        articles=[index.articles[a] for a in entity.article_ids if a in index.articles],
    )


@router.get("/quotes", response_class=HTMLResponse)
@router.get("/quotes.json")
def quotes_page(
    request: Request,
    speaker: Text = None,
    outlet: Text = None,
    story: Text = None,
    cue_class: Annotated[QuoteClass | Literal[""] | None, Query()] = None,  # "": the form's all
) -> Response:
    index = index_of(request)
    found = queries.select_quotes(
        index, speaker=speaker, outlet=outlet, story=story, cue_class=cue_class
    )
    if request.url.path.endswith(".json"):
        return JSONResponse(
            [
                {"quotes": [records.quote_record(q, index) for q in g]}
                for g in queries.quote_groups(found, index)
            ]
        )
    return render(
        request,
        "quotes.html",
        groups=quote_group_views(index, found, ui_href),
        speaker=speaker or "",
        cue_class=cue_class or "",
    )


@router.get("/search", response_class=HTMLResponse)
@router.get("/search.json")
def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=MAX_TEXT)] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Response:
    error = None
    hits: list[dict[str, Any]] = []
    if q.strip():
        try:
            hits = run_search(request, q, limit, 0)
        except HTTPException as exc:
            if request.url.path.endswith(".json"):
                raise
            error = str(exc.detail)
    if request.url.path.endswith(".json"):
        return JSONResponse({"query": q, "items": hits})
    return render(
        request, "search.html", status_code=400 if error else 200, q=q, hits=hits, error=error
    )
