"""The embedded SQLite store: WAL journal, FTS5 search, one transaction per article.

Writers take the write lock up front (``BEGIN IMMEDIATE``) and wait on a busy timeout, so
two ``analyze`` processes on one file queue rather than fail with "database is locked".
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Container, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dateline.models import ArticleAnalysis, IngestError, Result
from dateline.store import rows
from dateline.store.reads import Fingerprint, StoreReads
from dateline.store.schema import CORPUS_TABLES, MIGRATIONS, SQLITE_ONLY_MIGRATIONS

BUSY_TIMEOUT_MS = 60_000


class _Unchanged(Exception):
    """Raised inside ``save_corpus``'s transaction to roll back an unchanged result."""


class SearchSyntaxError(ValueError):
    """A full-text query FTS5 cannot parse; the message says how to fix it."""


class SQLiteStore(StoreReads):
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
            self.conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            _use_wal(self.conn)
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

    # -- per-article writes ------------------------------------------------------------------
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
        # The rows are written as they are made and hashed on the way (a large corpus's
        # rows never sit in memory at once); an unchanged result is rolled back.
        try:
            with self.transaction() as conn:
                stored = conn.execute("SELECT value FROM meta WHERE key = 'corpus_hash'").fetchone()
                for table in CORPUS_TABLES:
                    conn.execute(f"DELETE FROM {table}")
                digest = Fingerprint()
                for table, row in rows.corpus_rows(result, entity_links):
                    digest.add(table, row)
                    _insert(conn, table, row)
                fingerprint = digest.finish(result)
                if stored and stored[0] == fingerprint:
                    raise _Unchanged
                for article in result.articles:
                    _update_article(conn, article)
                _insert(conn, "meta", {"key": "corpus_hash", "value": fingerprint}, replace=True)
        except _Unchanged:
            return False
        return True

    # -- reads ----------------------------------------------------------------------------
    def iter_analyses(self, skip: Container[str] = frozenset()) -> Iterator[ArticleAnalysis]:
        """Every stored per-article analysis, in article id order, but those in ``skip``.

        ``skip`` lets a caller that still holds some analyses avoid decoding them again.
        """
        sql = "SELECT article_id, data FROM analyses ORDER BY article_id"
        for article_id, data in self.conn.execute(sql):
            if article_id not in skip:
                yield rows.load_analysis(data)

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


def _update_article(conn: sqlite3.Connection, article: Any) -> None:
    """Write the corpus stage's view of an article (publication date, story) if it changed."""
    row = rows.article_row(article)
    current = conn.execute("SELECT data FROM articles WHERE id = ?", (article.id,)).fetchone()
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


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to WAL once; a second process opening it meanwhile waits and retries.

    Changing the journal mode needs an exclusive lock and SQLite answers "database is
    locked" at once (no busy handler) while another connection is starting up, so a file
    already in WAL is left alone and the switch itself is retried.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


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
