"""The PostgreSQL store: the same tables, methods and semantics as :class:`SQLiteStore`.

A newsroom sharing one database between several ``analyze`` workers and the web API points
``--db`` at a ``postgresql://`` URL. Writes are explicit transactions on an autocommit
connection; per-article writes upsert with ``INSERT ... ON CONFLICT`` so concurrent writers
never duplicate a row, and migrations and corpus replacement take transaction-scoped
advisory locks so two processes queue instead of interleaving. Text columns are ordered
with ``COLLATE "C"`` so results come back in the same (code point) order as SQLite's.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from dateline.models import ArticleAnalysis, IngestError, Result
from dateline.store import rows
from dateline.store.reads import StoreReads, corpus_fingerprint
from dateline.store.schema import (
    CORPUS_TABLES,
    MIGRATIONS,
    POSTGRES_ONLY_MIGRATIONS,
    POSTGRES_SEARCH_DOCUMENT,
)
from dateline.store.sqlite import SearchSyntaxError

# Arbitrary constants naming dateline's advisory locks (pg_advisory_xact_lock keys).
MIGRATE_LOCK = 0x64_61_74_65_01
CORPUS_LOCK = 0x64_61_74_65_02
ITER_BATCH = 200
INTEGER_COLUMNS = frozenset({"start", "end", "position"})
SEARCH_HINT = (
    'Quote phrases with double quotes, e.g. "humanitarian aid", and use OR and -word between terms.'
)


class PostgresStore(StoreReads):
    """A dateline database on a PostgreSQL server, addressed by a ``postgresql://`` URL."""

    dialect = "postgresql"

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        self.url = url
        self.read_only = read_only
        self.conn = psycopg.connect(url, autocommit=True)
        if read_only:
            self.conn.execute("SET default_transaction_read_only = on")
        else:
            self.migrate()

    # -- schema -------------------------------------------------------------------------
    def _order(self, columns: str) -> str:
        return _order_clause(columns)

    def migrate(self) -> list[str]:
        """Apply the named migrations not yet recorded; return the names applied."""
        applied: list[str] = []
        with self.transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
            conn.execute(
                "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT)"
            )
            done = {r[0] for r in conn.execute("SELECT name FROM migrations")}
            for name, sql in (*MIGRATIONS, *POSTGRES_ONLY_MIGRATIONS):
                if name in done:
                    continue
                for statement in _split_sql(to_postgres_ddl(sql)):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO migrations(name, applied_at) "
                    "VALUES (%s, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'))",
                    (name,),
                )
                applied.append(name)
        return applied

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection[Any]]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self.conn.transaction():
            yield self.conn

    # -- per-article writes ------------------------------------------------------------------
    def save_analysis(self, analysis: ArticleAnalysis) -> None:
        """Store one article and its analysis in a single transaction (upsert by id)."""
        article_row = rows.article_row(analysis.article)
        analysis_row = rows.analysis_row(analysis)
        with self.transaction() as conn:
            _upsert(conn, "articles", article_row, ("id",))
            _upsert(conn, "analyses", analysis_row, ("article_id",))
            conn.execute("DELETE FROM errors WHERE source = %s", (_clean(analysis.article.source),))

    def save_errors(self, errors: Iterable[IngestError]) -> None:
        """Record per-file errors (the latest reason per source)."""
        with self.transaction() as conn:
            for error in errors:
                _upsert(
                    conn, "errors", {"source": error.source, "reason": error.reason}, ("source",)
                )

    # -- corpus writes --------------------------------------------------------------------
    def save_corpus(self, result: Result, entity_links: dict[tuple[str, str], str]) -> bool:
        """Replace the corpus tables with ``result`` in one transaction.

        Returns False (and writes nothing) when the stored corpus result is identical, so
        re-running ``analyze`` on unchanged input leaves the database unchanged. Concurrent
        callers are serialised by an advisory lock, so the tables never mix two results.
        """
        # Two passes over the row generator (hash, then write in chunks), so a large
        # corpus's rows never sit in memory at once.
        fingerprint = corpus_fingerprint(result, rows.corpus_rows(result, entity_links))
        with self.transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (CORPUS_LOCK,))
            stored = conn.execute("SELECT value FROM meta WHERE key = 'corpus_hash'").fetchone()
            if stored and stored[0] == fingerprint:
                return False
            for table in CORPUS_TABLES:
                conn.execute(f"DELETE FROM {table}")
            with conn.cursor() as cur:
                for table, table_list in _chunks(rows.corpus_rows(result, entity_links)):
                    columns = list(table_list[0])
                    cur.executemany(
                        _insert_sql(table, columns),
                        [tuple(_clean(r[c]) for c in columns) for r in table_list],
                    )
                cur.executemany(
                    "UPDATE articles SET published = %s, published_source = %s, story_id = %s, "
                    "outlet = %s, title = %s, data = %s "
                    "WHERE id = %s AND data IS DISTINCT FROM %s",
                    [
                        tuple(
                            _clean(v)
                            for v in (
                                r["published"],
                                r["published_source"],
                                r["story_id"],
                                r["outlet"],
                                r["title"],
                                r["data"],
                                r["id"],
                                r["data"],
                            )
                        )
                        for r in (rows.article_row(a) for a in result.articles)
                    ],
                )
            _upsert(conn, "meta", {"key": "corpus_hash", "value": fingerprint}, ("key",))
        return True

    # -- reads ----------------------------------------------------------------------------
    def iter_analyses(self, skip: Container[str] = frozenset()) -> Iterator[ArticleAnalysis]:
        """Every stored per-article analysis, in article id order, but those in ``skip``.

        Read in keyset-paged batches so a large corpus never sits in memory at once and no
        transaction stays open while the caller works.
        """
        last: str | None = None
        while True:
            if last is None:
                batch = self.conn.execute(
                    'SELECT article_id, data FROM analyses ORDER BY article_id COLLATE "C" '
                    "LIMIT %s",
                    (ITER_BATCH,),
                ).fetchall()
            else:
                batch = self.conn.execute(
                    'SELECT article_id, data FROM analyses WHERE article_id COLLATE "C" > %s '
                    'ORDER BY article_id COLLATE "C" LIMIT %s',
                    (last, ITER_BATCH),
                ).fetchall()
            for article_id, data in batch:
                if article_id not in skip:
                    yield rows.load_analysis(data)
            if len(batch) < ITER_BATCH:
                return
            last = batch[-1][0]

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """Full-text search over article titles and text (web-search syntax).

        Accepts what ``websearch_to_tsquery`` does: words, "quoted phrases", ``OR`` and
        ``-word``. Returns the same keys as the SQLite store; ``snippet`` marks hits with
        ``[...]`` and ``rank`` is lower-is-better (negated ``ts_rank``), like FTS5's bm25.

        Raises:
            SearchSyntaxError: the query has no searchable word or cannot be sent.
        """
        if not isinstance(query, str) or not re.search(r"\w", query):
            raise SearchSyntaxError(
                f"cannot search for {query!r}: the query has no words. {SEARCH_HINT}"
            )
        sql = (
            "WITH q AS (SELECT websearch_to_tsquery('english', %(q)s) AS tsq) "
            "SELECT a.id, a.title, a.outlet, a.published, "
            "ts_headline('english', a.text, q.tsq, "
            "'StartSel=[, StopSel=], MaxWords=24, MinWords=8, ShortWord=0, "
            'MaxFragments=1, FragmentDelimiter=" … "\') AS snippet, '
            f"-ts_rank({POSTGRES_SEARCH_DOCUMENT}, q.tsq) AS rank "
            f"FROM articles a, q WHERE {POSTGRES_SEARCH_DOCUMENT} @@ q.tsq "
            'ORDER BY rank, a.id COLLATE "C" LIMIT %(limit)s OFFSET %(offset)s'
        )
        try:
            cursor = self.conn.execute(
                sql,
                {"q": query, "limit": max(0, int(limit)), "offset": max(0, int(offset))},
            )
        except (psycopg.DataError, psycopg.ProgrammingError) as exc:
            raise SearchSyntaxError(f"cannot search for {query!r}: {exc}. {SEARCH_HINT}") from exc
        names = [c.name for c in cursor.description or ()]
        found = [dict(zip(names, r, strict=True)) for r in cursor]
        for hit in found:
            # FTS5 marks a matched phrase as one span; ts_headline marks each word.
            hit["snippet"] = re.sub(r"\]\s+\[", " ", hit["snippet"] or "")
            hit["rank"] = float(hit["rank"])
        return found


def to_postgres_ddl(sql: str) -> str:
    """Rewrite the shared SQLite-flavoured DDL for PostgreSQL.

    ``CREATE VIEW IF NOT EXISTS`` is SQLite-only, and PostgreSQL's REAL is 4 bytes where
    SQLite's is 8, so figures and confidences would lose digits.
    """
    sql = re.sub(r"CREATE\s+VIEW\s+IF\s+NOT\s+EXISTS", "CREATE OR REPLACE VIEW", sql, flags=re.I)
    return re.sub(r"\bREAL\b", "DOUBLE PRECISION", sql)


def _split_sql(sql: str) -> list[str]:
    """Split a migration into statements (PostgreSQL migrations have no trigger bodies)."""
    statements: list[str] = []
    buffer: list[str] = []
    for line in sql.strip().splitlines():
        buffer.append(line)
        if line.rstrip().endswith(";"):
            statements.append("\n".join(buffer).strip())
            buffer = []
    if "\n".join(buffer).strip():
        statements.append("\n".join(buffer).strip())
    return statements


def _order_clause(order: str) -> str:
    """SQLite's ORDER BY with SQLite's semantics: NULLs first, text in code point order."""
    terms = []
    for column in (c.strip() for c in order.split(",")):
        quoted = f'"{column}"'
        if column not in INTEGER_COLUMNS:
            quoted += ' COLLATE "C"'
        terms.append(f"{quoted} NULLS FIRST")
    return ", ".join(terms)


def _clean(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL; the exact text survives in the JSON ``data`` column."""
    return value.replace("\x00", "\ufffd") if isinstance(value, str) else value


_CHUNK = 1000


def _chunks(
    table_rows: Iterable[tuple[str, rows.Row]],
) -> Iterator[tuple[str, list[rows.Row]]]:
    """Consecutive rows of one table, at most ``_CHUNK`` at a time (one executemany each)."""
    table: str | None = None
    chunk: list[rows.Row] = []
    for name, row in table_rows:
        if chunk and (name != table or len(chunk) >= _CHUNK):
            yield str(table), chunk
            chunk = []
        table = name
        chunk.append(row)
    if chunk:
        yield str(table), chunk


def _insert_sql(table: str, columns: list[str]) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("%s" for _ in columns)
    return f"INSERT INTO {table} ({names}) VALUES ({marks})"


def _upsert(
    conn: psycopg.Connection[Any], table: str, row: dict[str, Any], key: tuple[str, ...]
) -> None:
    columns = list(row)
    updates = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in columns if c not in key)
    conflict = ", ".join(f'"{c}"' for c in key)
    sql = f"{_insert_sql(table, columns)} ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    conn.execute(sql, tuple(_clean(row[c]) for c in columns))
