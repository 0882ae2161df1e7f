"""The FastAPI application behind ``dateline serve``: JSON API and web UI in one process.

The database is opened read-only and loaded into an in-memory index once (reloaded when
the file changes). Errors are JSON for ``/api/...`` and ``*.json`` paths and a small
HTML page elsewhere; no handler ever turns an error into a 500 on purpose.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from dateline.web.index import IndexSource


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("dateline")
    except PackageNotFoundError:
        return "0"


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api") or path.endswith(".json") or path == "/openapi.json"


def _error(
    request: Request, status: int, detail: Any, headers: Mapping[str, str] | None = None
) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)
    from dateline.web.templating import environment

    message = detail if isinstance(detail, str) else "invalid request parameters"
    html = (
        environment()
        .get_template("error.html")
        .render(status=status, message=message, database="", json_twin="/api")
    )
    return HTMLResponse(html, status_code=status, headers=headers)


def create_app(db: str, outlets_csv: str | Path | None = None) -> FastAPI:
    """Build the app serving ``db`` (an SQLite file or PostgreSQL URL), read-only.

    ``outlets_csv`` extends the outlet registry (default: ``$DATELINE_OUTLETS`` if set).

    Raises:
        FileNotFoundError: ``db`` is an SQLite path that does not exist, or the outlet CSV
            is missing.
    """
    from dateline.outlets import load_registry

    source = IndexSource(db, registry=load_registry(outlets_csv))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        source.close()

    app = FastAPI(
        title="dateline",
        version=_version(),
        description=(
            "Read-only JSON API over a dateline database: articles with highlighted spans, "
            "stories, entities, quotes, events, timeline, framing, figures and full-text "
            "search. Every HTML page of the UI has a JSON twin (see docs/API.md)."
        ),
        lifespan=lifespan,
    )
    app.state.source = source

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # keep the exception's headers (e.g. ``Allow`` on 405, as RFC 9110 requires)
        return _error(request, exc.status_code, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        detail = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type")}
            for e in exc.errors()
        ]
        return _error(request, 422, detail)

    @app.middleware("http")
    async def one_value_per_parameter(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # no parameter takes a list: "?offset=0&offset=20" is ambiguous (the framework would
        # silently keep the last), so it is refused like any other invalid parameter
        counts = Counter(key for key, _ in request.query_params.multi_items())
        repeated = sorted(key for key, n in counts.items() if n > 1)
        if repeated:
            detail = [
                {"loc": ["query", key], "msg": "given more than once", "type": "repeated"}
                for key in repeated
            ]
            return _error(request, 422, detail)
        return await call_next(request)

    from dateline.web import api_routes, pages

    app.include_router(api_routes.router)
    app.include_router(pages.router)
    static = files("dateline.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    return app
