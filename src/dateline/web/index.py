"""An in-memory index over one stored :class:`~dateline.models.Result` for the API and UI.

The web side never speaks SQL: it loads the whole result once through the store, builds
these lookup tables (by id, by article, by entity, by outlet, by story) and answers every
filter from them. :class:`IndexSource` reloads when the database file changes on disk.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dateline.models import (
    Article,
    ArticleAnalysis,
    Entity,
    EntityMention,
    Event,
    Figure,
    Framing,
    FramingTerm,
    Quote,
    Result,
    Story,
    TimeExpr,
)
from dateline.outlets import OutletProfile, OutletRegistry, load_registry
from dateline.text import fold


@dataclass(frozen=True, slots=True)
class LinkedMention:
    """An entity mention in one article with the corpus entity it belongs to (if known)."""

    article_id: str
    entity_id: str | None
    mention: EntityMention


@dataclass(slots=True)
class WebIndex:
    """Lookup tables over a result; built once per database version."""

    result: Result
    articles: dict[str, Article] = field(default_factory=dict)
    stories: dict[str, Story] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    quotes: dict[str, Quote] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    article_story: dict[str, str] = field(default_factory=dict)
    quotes_by_article: dict[str, list[Quote]] = field(default_factory=lambda: defaultdict(list))
    events_by_article: dict[str, list[Event]] = field(default_factory=lambda: defaultdict(list))
    figures_by_article: dict[str, list[Figure]] = field(default_factory=lambda: defaultdict(list))
    timexes_by_article: dict[str, list[TimeExpr]] = field(default_factory=lambda: defaultdict(list))
    mentions_by_article: dict[str, list[LinkedMention]] = field(
        default_factory=lambda: defaultdict(list)
    )
    framing_by_article: dict[str, list[tuple[str, FramingTerm]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    quotes_by_speaker: dict[str, list[Quote]] = field(default_factory=lambda: defaultdict(list))
    framing_by_entity: dict[str, list[Framing]] = field(default_factory=lambda: defaultdict(list))
    articles_by_outlet: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    # article id -> highlight tree, filled lazily by dateline.web.highlight.article_tree
    trees: dict[str, Any] = field(default_factory=dict)
    # outlet facts (country, kind, language) shown wherever an outlet name appears
    registry: OutletRegistry | None = None
    outlet_profiles: dict[str, OutletProfile | None] = field(default_factory=dict)

    def outlet_of(self, article_id: str) -> str | None:
        article = self.articles.get(article_id)
        return article.outlet if article else None

    def outlet_profile(self, outlet: str | None) -> OutletProfile | None:
        """The registry profile of an outlet name as the corpus spells it (None: unknown).

        A name the registry does not know falls back to the host of its articles' URLs
        (the most common one), so "Guest Writer" pieces on a known site still get facts.
        """
        if not outlet or self.registry is None:
            return None
        if outlet not in self.outlet_profiles:
            found = self.registry.lookup(outlet)
            if found is None:
                hosts: dict[str, int] = {}
                for article_id in self.articles_by_outlet.get(outlet, ()):
                    by_url = self.registry.lookup(self.articles[article_id].url)
                    if by_url is not None:
                        hosts[by_url.name] = hosts.get(by_url.name, 0) + 1
                if hosts:
                    best = min(hosts, key=lambda n: (-hosts[n], n))
                    found = self.registry.lookup(best)
            self.outlet_profiles[outlet] = found
        return self.outlet_profiles[outlet]

    def profile_of(self, article_id: str) -> OutletProfile | None:
        """The outlet profile of an article: by its outlet name, else by its URL."""
        article = self.articles.get(article_id)
        if article is None or self.registry is None:
            return None
        if article.outlet:
            return self.outlet_profile(article.outlet)
        return self.registry.lookup(article.url)

    def story_of(self, article_id: str) -> str | None:
        article = self.articles.get(article_id)
        return self.article_story.get(article_id) or (article.story_id if article else None)

    def outlets(self) -> list[str]:
        return sorted(self.articles_by_outlet)

    def match_entities(self, wanted: str) -> set[str]:
        """Entity ids named by ``wanted``: an exact id, else a folded name/alias substring."""
        if wanted in self.entities:
            return {wanted}
        needle = fold(wanted).strip()
        if not needle:
            return set()
        return {
            e.id
            for e in self.entities.values()
            if any(needle in fold(name) for name in (e.name, *e.aliases))
        }


def build_index(
    result: Result,
    analyses: Iterable[ArticleAnalysis] = (),
    entity_links: dict[tuple[str, str], str] | None = None,
    registry: OutletRegistry | None = None,
) -> WebIndex:
    """Index ``result``; ``analyses`` and ``entity_links`` supply per-article entity mentions.

    The stored result does not carry entity mentions (they live with each article's
    analysis), so they are joined here through the ``(article_id, key) -> entity id`` links.
    ``registry`` defaults to :func:`dateline.outlets.load_registry` (built-in table plus
    ``$DATELINE_OUTLETS``).
    """
    links = entity_links or {}
    index = WebIndex(result=result, registry=registry if registry is not None else load_registry())
    for article in result.articles:
        index.articles[article.id] = article
        if article.outlet:
            index.articles_by_outlet[article.outlet].append(article.id)
        if article.story_id:
            index.article_story[article.id] = article.story_id
    for story in result.stories:
        index.stories[story.id] = story
        for article_id in story.article_ids:
            index.article_story.setdefault(article_id, story.id)
    for entity in result.entities:
        index.entities[entity.id] = entity
    for quote in result.quotes:
        index.quotes[quote.id] = quote
        index.quotes_by_article[quote.article_id].append(quote)
        for speaker in (quote.speaker, *quote.co_speakers):  # a joint statement is each one's
            if speaker:
                index.quotes_by_speaker[speaker].append(quote)
    for event in result.events:
        index.events[event.id] = event
        for article_id in sorted({m.article_id for m in event.mentions}):
            index.events_by_article[article_id].append(event)
    for figure in result.figures:
        index.figures[figure.id] = figure
        index.figures_by_article[figure.article_id].append(figure)
    for timex in result.timexes:
        index.timexes_by_article[timex.article_id].append(timex)
    for framing in result.framing:
        index.framing_by_entity[framing.entity].append(framing)
        for term in framing.terms:
            index.framing_by_article[term.article_id].append((framing.entity, term))
    if result.entity_mentions:
        for article_id, mention in result.entity_mentions:
            entity_id = links.get((article_id, mention.key))
            linked = LinkedMention(article_id, entity_id, mention)
            index.mentions_by_article[article_id].append(linked)
    else:
        for analysis in analyses:
            article_id = analysis.article.id
            for ent in analysis.entities:
                for mention in ent.mentions:
                    index.mentions_by_article[article_id].append(
                        LinkedMention(article_id, links.get((article_id, ent.key)), mention)
                    )
    for mentions in index.mentions_by_article.values():
        mentions.sort(key=lambda m: (m.mention.start, m.mention.end))
    return index


def _stamp(path: str) -> tuple[float, ...]:
    """Modification times of an SQLite file and its WAL: a write changes one of them."""
    stamps: list[float] = []
    for candidate in (path, f"{path}-wal"):
        try:
            stamps.append(Path(candidate).stat().st_mtime_ns)
        except OSError:
            stamps.append(-1)
    return tuple(stamps)


class IndexSource:
    """The current :class:`WebIndex` of a database, rebuilt when the file changes.

    ``registry`` (default: :func:`~dateline.outlets.load_registry`) is read once, here, so
    a missing ``--outlets``/``$DATELINE_OUTLETS`` file fails at start-up.
    One read-only store stays open for full-text search; its uses are serialised by a
    lock because the API answers requests from a thread pool. After :meth:`close` (app
    shutdown) the next use opens the store again, so an app can be started twice.
    """

    def __init__(self, db: str, registry: OutletRegistry | None = None) -> None:
        self.db = db
        self.registry = registry if registry is not None else load_registry()
        self.lock = threading.RLock()
        self._store: Any = None
        self._open()  # fail early (FileNotFoundError) when the database is missing
        self._is_file = not db.startswith(("postgresql://", "postgres://"))
        self._stamp: tuple[float, ...] | None = None
        self._index: WebIndex | None = None

    def get(self) -> WebIndex:
        """The index, reloaded first if the database file changed since the last load."""
        with self.lock:
            stamp = _stamp(self.db) if self._is_file else (0.0,)
            if self._index is None or stamp != self._stamp:
                self._index = self._load()
                self._stamp = stamp
            return self._index

    def _open(self) -> Any:
        if self._store is None:
            from dateline.store import open_store

            self._store = open_store(self.db, read_only=True)
        return self._store

    def _load(self) -> WebIndex:
        store = self._open()
        result = store.load_result()
        analyses = [] if result.entity_mentions else list(store.iter_analyses())
        return build_index(result, analyses, store.entity_links(), registry=self.registry)

    def search(self, query: str, *, limit: int, offset: int) -> list[dict[str, Any]]:
        """Full-text search through the store (raises ``SearchSyntaxError`` on bad syntax)."""
        with self.lock:
            return list(self._open().search(query, limit=limit, offset=offset))

    def close(self) -> None:
        with self.lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    @property
    def name(self) -> str:
        return Path(self.db).name if self._is_file else "database"
