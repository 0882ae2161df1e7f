"""The embedded SQLite store: WAL journal, FTS5 search, one transaction per article.

Writers take the write lock up front (``BEGIN IMMEDIATE``) and wait on a busy timeout, so
two ``analyze`` processes on one file queue rather than fail with "database is locked".
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dateline.models import Article, ArticleAnalysis, EntityMention, IngestError, Result
from dateline.serialize import from_jsonable
from dateline.store import rows
from dateline.store.schema import CORPUS_TABLES, MIGRATIONS, SQLITE_ONLY_MIGRATIONS

BUSY_TIMEOUT_MS = 60_000


class SearchSyntaxError(ValueError):
    """A full-text query FTS5 cannot parse; the message says how to fix it."""


class SQLiteStore:
    """A dateline database in one SQLite file (or ``:memory:``)."""

    dialect = "sqlite"

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        if read_only:
            uri = f"file:{Path(self.path).resolve()}?mode=ro"
            self.conn = sqlite3.connect(
                uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
        else:
            self.conn = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        self.conn.execute("PRAGMA foreign_keys=OFF")
        if not read_only:
            self.migrate()

    # -- schema -------------------------------------------------------------------------
    def migrate(self) -> list[str]:
        """Apply the named migrations not yet recorded; return the names applied."""
        applied: list[str] = []
        with self.transaction():
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT)"
            )
            done = {r[0] for r in self.conn.execute("SELECT name FROM migrations")}
            for name, sql in (*MIGRATIONS, *SQLITE_ONLY_MIGRATIONS):
                if name in done:
                    continue
                for statement in _split_sql(sql):
                    self.conn.execute(statement)
                self.conn.execute(
                    "INSERT INTO migrations(name, applied_at) VALUES (?, datetime('now'))", (name,)
                )
                applied.append(name)
        return applied

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken with the write lock held from the start."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- per-article writes ------------------------------------------------------------------
    def known_hashes(self) -> dict[str, str]:
        """Article id -> content hash of every analysed article (to skip unchanged input)."""
        return dict(self.conn.execute("SELECT article_id, content_hash FROM analyses"))

    def known_versions(self) -> dict[str, str]:
        """Article id -> the stage versions (JSON) its stored analysis was made with."""
        return dict(self.conn.execute("SELECT article_id, versions FROM analyses"))

    def save_analysis(self, analysis: ArticleAnalysis) -> None:
        """Store one article and its analysis in a single transaction (upsert by id)."""
        article_row = rows.article_row(analysis.article)
        analysis_row = rows.analysis_row(analysis)
        with self.transaction() as conn:
            conn.execute("DELETE FROM articles WHERE id = ?", (analysis.article.id,))
            _insert(conn, "articles", article_row)
            _insert(conn, "analyses", analysis_row, replace=True)
            conn.execute("DELETE FROM errors WHERE source = ?", (analysis.article.source,))

    def save_errors(self, errors: Iterable[IngestError]) -> None:
        """Record per-file errors (the latest reason per source)."""
        with self.transaction() as conn:
            for error in errors:
                _insert(conn, "errors", {"source": error.source, "reason": error.reason}, True)

    # -- corpus writes --------------------------------------------------------------------
    def save_corpus(self, result: Result, entity_links: dict[tuple[str, str], str]) -> bool:
        """Replace the corpus tables with ``result`` in one transaction.

        Returns False (and writes nothing) when the stored corpus result is identical, so
        re-running ``analyze`` on unchanged input leaves the database unchanged.
        """
        digest = hashlib.sha256()
        table_rows = list(rows.corpus_rows(result, entity_links))
        for table, row in table_rows:
            digest.update(table.encode())
            digest.update(json.dumps(row, sort_keys=True, default=str).encode())
        for article in result.articles:
            digest.update(rows.dumps(article).encode())
        fingerprint = digest.hexdigest()
        stored = self.conn.execute("SELECT value FROM meta WHERE key = 'corpus_hash'").fetchone()
        if stored and stored[0] == fingerprint:
            return False
        with self.transaction() as conn:
            for table in CORPUS_TABLES:
                conn.execute(f"DELETE FROM {table}")
            for table, row in table_rows:
                _insert(conn, table, row)
            for article in result.articles:
                row = rows.article_row(article)
                current = conn.execute(
                    "SELECT data FROM articles WHERE id = ?", (article.id,)
                ).fetchone()
                if current is None or current[0] != row["data"]:
                    conn.execute(
                        "UPDATE articles SET published = ?, published_source = ?, story_id = ?, "
                        "outlet = ?, title = ?, data = ? WHERE id = ?",
                        (
                            row["published"],
                            row["published_source"],
                            row["story_id"],
                            row["outlet"],
                            row["title"],
                            row["data"],
                            article.id,
                        ),
                    )
            _insert(conn, "meta", {"key": "corpus_hash", "value": fingerprint}, replace=True)
        return True

    # -- reads ----------------------------------------------------------------------------
    def iter_analyses(self) -> Iterator[ArticleAnalysis]:
        """Every stored per-article analysis, in article id order."""
        for (data,) in self.conn.execute("SELECT data FROM analyses ORDER BY article_id"):
            yield rows.load_analysis(data)

    def load_articles(self) -> list[Article]:
        return [
            rows.load_article(d)
            for (d,) in self.conn.execute("SELECT data FROM articles ORDER BY id")
        ]

    def load_errors(self) -> list[IngestError]:
        return [
            IngestError(s, r)
            for s, r in self.conn.execute("SELECT source, reason FROM errors ORDER BY source")
        ]

    def load_result(self) -> Result:
        """The whole stored result (the same data as ``analyze --json``)."""
        parts: dict[str, Any] = {}
        for table, model in rows.TABLE_MODELS.items():
            order = rows.TABLE_ORDER[table]
            parts[table] = tuple(
                from_jsonable(model, json.loads(d))
                for (d,) in self.conn.execute(f"SELECT data FROM {table} ORDER BY {order}")
            )
        mentions = tuple(
            (article_id, EntityMention(start, end, text, label, key))
            for article_id, start, end, text, label, key in self.conn.execute(
                'SELECT article_id, start, "end", text, label, key FROM entity_mentions '
                'ORDER BY article_id, start, "end", key'
            )
        )
        return Result(
            articles=tuple(self.load_articles()),
            errors=tuple(self.load_errors()),
            entity_mentions=mentions,
            **parts,
        )

    def entity_links(self) -> dict[tuple[str, str], str]:
        return {
            (a, k): e
            for a, k, e in self.conn.execute("SELECT article_id, key, entity_id FROM entity_links")
        }

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables (for summaries and health checks)."""
        tables = (
            "articles",
            "entities",
            "quotes",
            "events",
            "timexes",
            "figures",
            "stories",
            "timeline",
            "errors",
        )
        return {t: self.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """Full-text search over article titles and text (FTS5 syntax).

        Raises:
            SearchSyntaxError: the query is not valid FTS5 syntax.
        """
        sql = (
            "SELECT a.id, a.title, a.outlet, a.published, "
            "snippet(articles_fts, 1, '[', ']', ' … ', 12) AS snippet, bm25(articles_fts) AS rank "
            "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY rank, a.id LIMIT ? OFFSET ?"
        )
        try:
            cursor = self.conn.execute(sql, (query, limit, offset))
        except sqlite3.OperationalError as exc:
            raise SearchSyntaxError(
                f"cannot search for {query!r}: {exc}. Quote phrases with double quotes, "
                'e.g. "humanitarian aid", and use AND/OR/NOT between terms.'
            ) from exc
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor]


def _insert(
    conn: sqlite3.Connection, table: str, row: dict[str, Any], replace: bool = False
) -> None:
    columns = ", ".join(f'"{c}"' for c in row)
    marks = ", ".join("?" for _ in row)
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    conn.execute(f"{verb} INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))


def _split_sql(sql: str) -> Sequence[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buffer: list[str] = []
    for line in sql.strip().splitlines():
        buffer.append(line)
        joined = "\n".join(buffer).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            statements.append(joined)
            buffer = []
    if "\n".join(buffer).strip():
        statements.append("\n".join(buffer))
    return statements
