"""The single-file HTML report: timeline, quotes, framing, figure conflicts, summary.

One self-contained file (inline CSS, inline SVG plot, no scripts, no external links other
than article URLs) that works offline. The cited articles are appended with their spans
highlighted, and every citation links to its span inside the same file.
"""

from __future__ import annotations

import datetime as dt
from importlib.resources import files
from pathlib import Path

from markupsafe import Markup

from dateline.web.index import IndexSource, WebIndex
from dateline.web.templating import environment
from dateline.web.viewmodel import (
    article_view,
    badge,
    figure_conflict_views,
    framing_views,
    outlet_badge,
    quote_group_views,
    story_views,
    timeline_view,
)


def _stylesheet() -> Markup:
    # Our own static file, not article-derived: safe to inline as-is.
    css = files("dateline.web").joinpath("static", "style.css").read_text(encoding="utf-8")
    return Markup(css.replace("</", "<\\/"))


def render_report(index: WebIndex, *, title: str = "dateline report") -> str:
    """Render the report of an indexed result as one HTML document (a string)."""
    numbers = {a.id: n for n, a in enumerate(index.result.articles, start=1)}

    def href(article_id: str, start: int | None = None, end: int | None = None) -> str:
        n = numbers.get(article_id)
        if n is None:
            return "#articles"
        return f"#a{n}-span-{start}-{end}" if start is not None and end is not None else f"#a{n}"

    unassigned = [
        e for e in index.result.timeline if not any(index.story_of(a) for a in e.article_ids)
    ]
    quotes = list(index.result.quotes)
    groups = quote_group_views(index, quotes, href)
    return (
        environment()
        .get_template("report.html")
        .render(
            title=title,
            ahref=href,
            outlet_of=index.outlet_of,
            badge_of=lambda article_id: badge(index.profile_of(article_id)),
            outlet_badge=outlet_badge(index),
            css=_stylesheet(),
            generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            counts={
                "articles": len(index.result.articles),
                "outlets": len(index.outlets()),
                "stories": len(index.result.stories),
                "entities": len(index.result.entities),
                "quotes": len(index.result.quotes),
                "events": len(index.result.events),
                "timeline": len(index.result.timeline),
                "errors": len(index.result.errors),
            },
            summary=list(index.result.summary),
            stories=story_views(index, href),
            other_timeline=timeline_view(index, unassigned, href, key="o") if unassigned else None,
            quote_groups=[g for g in groups if g["outlets"] > 1] or groups[:30],
            single_quotes=len(groups),
            framing=framing_views(index),
            conflicts=figure_conflict_views(index, href),
            articles=[
                {
                    "number": numbers[a.id],
                    "view": article_view(index, a, prefix=f"a{numbers[a.id]}-"),
                }
                for a in index.result.articles
            ],
            errors=list(index.result.errors),
        )
    )


def write_report(db: str, out: str, outlets_csv: str | Path | None = None) -> int:
    """Read ``db`` (read-only) and write the report to ``out``; return its size in bytes.

    ``outlets_csv`` extends the outlet registry (default: ``$DATELINE_OUTLETS`` if set).
    """
    from dateline.outlets import load_registry

    source = IndexSource(db, registry=load_registry(outlets_csv))
    try:
        html = render_report(source.get(), title=f"dateline report: {source.name}")
    finally:
        source.close()
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    return len(html.encode("utf-8"))
