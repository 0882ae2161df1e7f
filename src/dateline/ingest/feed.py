"""RSS and Atom feeds: each entry becomes an article, the feed title its outlet."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import feedparser

from dateline.ingest.article import build_article
from dateline.ingest.html import html_fragment_to_text
from dateline.models import Article, IngestError
from dateline.settings import DEFAULT_SETTINGS, Settings


def _entry_text(entry: Any) -> str:
    """The fullest text an entry carries: content over summary, HTML stripped."""
    for item in entry.get("content") or ():
        value = item.get("value") if hasattr(item, "get") else None
        if isinstance(value, str) and value.strip():
            return html_fragment_to_text(value)
    summary = entry.get("summary") or entry.get("description") or ""
    return html_fragment_to_text(summary) if isinstance(summary, str) else ""


def read_feed_text(
    text: str, source: str, fallback_id: str, settings: Settings = DEFAULT_SETTINGS
) -> Iterator[Article | IngestError]:
    """Yield one Article per feed entry (id from guid, then link, then ``fallback_id#N``)."""
    try:
        parsed = feedparser.parse(text)
    except Exception:
        yield IngestError(source, "could not parse the feed")
        return
    entries = parsed.get("entries") or []
    if not entries:
        yield IngestError(source, "feed has no entries")
        return
    outlet = (parsed.get("feed") or {}).get("title")
    for number, entry in enumerate(entries, start=1):
        where = f"{source}#{number}"
        entry_id = entry.get("id") or entry.get("link") or f"{fallback_id}#{number}"
        body = _entry_text(entry)
        if not body.strip():
            yield IngestError(where, "feed entry has no text (no content or summary)")
            continue
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        yield build_article(
            article_id=str(entry_id),
            source=where,
            text=body,
            settings=settings,
            title=entry.get("title"),
            url=entry.get("link"),
            outlet=outlet,
            author=entry.get("author"),
            language=entry.get("language") or (parsed.get("feed") or {}).get("language"),
            published=published,
        )


def looks_like_feed(text: str) -> bool:
    """True when the start of ``text`` is an RSS, RDF or Atom document."""
    head = text[:2048].lstrip().lower()
    return "<rss" in head or "<rdf:rdf" in head or ("<feed" in head and "atom" in head)
