"""The store's schema as ordered, named migrations, applied once each.

Per-article tables (``articles``, ``analyses``) are written one transaction per article.
The corpus tables (``entities``, ``quotes``, ``events``, ...) hold the final cross-document
result and are replaced in one transaction at the end of each ``analyze`` run. Every table
keeps the full record as JSON in ``data`` next to the columns the API filters on.
"""

from __future__ import annotations

CORPUS_TABLES = (
    "entities",
    "entity_links",
    "entity_mentions",
    "stories",
    "story_articles",
    "timexes",
    "quotes",
    "events",
    "event_mentions",
    "figures",
    "framing",
    "timeline",
    "summary",
)

MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "0001_initial",
        """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    title TEXT,
    outlet TEXT,
    url TEXT,
    language TEXT,
    published TEXT,
    published_source TEXT,
    story_id TEXT,
    text TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_articles_outlet ON articles(outlet);
CREATE INDEX IF NOT EXISTS idx_articles_published ON articles(published);
CREATE INDEX IF NOT EXISTS idx_articles_hash ON articles(content_hash);
CREATE TABLE IF NOT EXISTS analyses (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    content_hash TEXT NOT NULL,
    versions TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS errors (
    source TEXT PRIMARY KEY,
    reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT, country TEXT, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_entities_name ON entities(name);
CREATE TABLE IF NOT EXISTS entity_links (
    article_id TEXT NOT NULL, key TEXT NOT NULL, entity_id TEXT NOT NULL,
    PRIMARY KEY (article_id, key)
);
CREATE INDEX IF NOT EXISTS idx_entity_links_entity ON entity_links(entity_id);
CREATE TABLE IF NOT EXISTS entity_mentions (
    article_id TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text TEXT NOT NULL, label TEXT, key TEXT, entity_id TEXT
);
CREATE INDEX IF NOT EXISTS idx_entity_mentions_article ON entity_mentions(article_id);
CREATE TABLE IF NOT EXISTS stories (id TEXT PRIMARY KEY, title TEXT, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS story_articles (
    story_id TEXT NOT NULL, article_id TEXT NOT NULL, PRIMARY KEY (story_id, article_id)
);
CREATE TABLE IF NOT EXISTS timexes (
    article_id TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
    type TEXT, value TEXT, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_timexes_article ON timexes(article_id);
CREATE TABLE IF NOT EXISTS quotes (
    id TEXT PRIMARY KEY, article_id TEXT NOT NULL, start INTEGER, "end" INTEGER, text TEXT,
    kind TEXT, speaker TEXT, speaker_text TEXT, cue TEXT, via TEXT, date TEXT, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_quotes_article ON quotes(article_id);
CREATE INDEX IF NOT EXISTS idx_quotes_speaker ON quotes(speaker);
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY, type TEXT, mode TEXT, cameo TEXT, actor TEXT, target TEXT,
    actor_code TEXT, target_code TEXT, date TEXT, date_precision TEXT, location TEXT,
    status TEXT, confidence REAL, sentence TEXT, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_events_type ON events(type);
CREATE INDEX IF NOT EXISTS idx_events_date ON events(date);
CREATE TABLE IF NOT EXISTS event_mentions (
    event_id TEXT NOT NULL, article_id TEXT NOT NULL, start INTEGER, "end" INTEGER
);
CREATE INDEX IF NOT EXISTS idx_event_mentions_event ON event_mentions(event_id);
CREATE TABLE IF NOT EXISTS figures (
    id TEXT PRIMARY KEY, article_id TEXT NOT NULL, start INTEGER, "end" INTEGER, text TEXT,
    value REAL, unit TEXT, measure TEXT, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_figures_article ON figures(article_id);
CREATE TABLE IF NOT EXISTS framing (
    outlet TEXT NOT NULL, entity TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (outlet, entity)
);
CREATE TABLE IF NOT EXISTS timeline (
    position INTEGER PRIMARY KEY, date TEXT, date_precision TEXT, summary TEXT, score REAL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS summary (
    position INTEGER PRIMARY KEY, sentence TEXT, story_id TEXT, data TEXT NOT NULL
);
""",
    ),
    (
        "0002_views",
        """
CREATE VIEW IF NOT EXISTS quotes_with_speakers AS
    SELECT q.id, q.article_id, a.outlet, q.date, q.kind, e.name AS speaker_name, q.speaker_text,
           q.cue, q.via, q.text
    FROM quotes q
    LEFT JOIN entities e ON e.id = q.speaker
    LEFT JOIN articles a ON a.id = q.article_id;
CREATE VIEW IF NOT EXISTS events_with_actors AS
    SELECT ev.id, ev.date, ev.type, ev.mode, ev.cameo, a1.name AS actor_name, ev.actor_code,
           a2.name AS target_name, ev.target_code, ev.location, ev.status, ev.confidence,
           (SELECT COUNT(*) FROM event_mentions m WHERE m.event_id = ev.id) AS mentions,
           ev.sentence
    FROM events ev
    LEFT JOIN entities a1 ON a1.id = ev.actor
    LEFT JOIN entities a2 ON a2.id = ev.target;
""",
    ),
)

SQLITE_ONLY_MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "0003_fts",
        """
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, text, content='articles', content_rowid='rowid'
);
CREATE TRIGGER IF NOT EXISTS articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER IF NOT EXISTS articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
    VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER IF NOT EXISTS articles_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
    VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
""",
    ),
)

# PostgreSQL stands in for FTS5 with an expression GIN index; ``PostgresStore.search`` must
# use exactly this expression so the planner can use the index.
POSTGRES_SEARCH_DOCUMENT = "to_tsvector('english', coalesce(title, '') || ' ' || text)"

POSTGRES_ONLY_MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "0003_fts",
        f"""
CREATE INDEX IF NOT EXISTS idx_articles_search ON articles USING GIN ({POSTGRES_SEARCH_DOCUMENT});
""",
    ),
)
