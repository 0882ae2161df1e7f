"""The read side both stores share: the same SQL, with each dialect's ORDER BY rules."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any, Self

from dateline.models import Article, EntityMention, IngestError, Result, Story
from dateline.serialize import from_jsonable
from dateline.store import rows

COUNTED_TABLES = (
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


def corpus_fingerprint(result: Result, table_rows: Iterable[tuple[str, rows.Row]]) -> str:
    """The digest ``save_corpus`` compares to skip writing an unchanged result."""
    digest = Fingerprint()
    for table, row in table_rows:
        digest.add(table, row)
    return digest.finish(result)


class Fingerprint:
    """:func:`corpus_fingerprint` computed row by row, so the rows can be streamed once."""

    def __init__(self) -> None:
        self._digest = hashlib.sha256()

    def add(self, table: str, row: rows.Row) -> None:
        self._digest.update(table.encode())
        self._digest.update(json.dumps(row, sort_keys=True, default=str).encode())

    def finish(self, result: Result) -> str:
        for article in result.articles:
            self._digest.update(rows.dumps(article).encode())
        return self._digest.hexdigest()


class StoreReads:
    """What both stores share: the connection's lifetime and the queries without parameters,
    so one text serves SQLite and PostgreSQL alike."""

    conn: Any

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _order(self, columns: str) -> str:
        """An ORDER BY clause for ``columns``; PostgreSQL overrides it to match SQLite."""
        return ", ".join(f'"{column.strip()}"' for column in columns.split(","))

    def known_hashes(self) -> dict[str, str]:
        """Article id -> content hash of every analysed article (to skip unchanged input)."""
        return dict(self.conn.execute("SELECT article_id, content_hash FROM analyses"))

    def known_versions(self) -> dict[str, str]:
        """Article id -> the stage versions (JSON) its stored analysis was made with."""
        return dict(self.conn.execute("SELECT article_id, versions FROM analyses"))

    def load_articles(self) -> list[Article]:
        sql = f"SELECT data FROM articles ORDER BY {self._order('id')}"
        return [rows.load_article(d) for (d,) in self.conn.execute(sql)]

    def load_stories(self) -> list[Story]:
        """The stored stories alone (what the corpus stage needs of the previous result)."""
        sql = f"SELECT data FROM stories ORDER BY {self._order(rows.TABLE_ORDER['stories'])}"
        return [from_jsonable(Story, json.loads(d)) for (d,) in self.conn.execute(sql)]

    def load_errors(self) -> list[IngestError]:
        sql = f"SELECT source, reason FROM errors ORDER BY {self._order('source')}"
        return [IngestError(s, r) for s, r in self.conn.execute(sql)]

    def load_result(self) -> Result:
        """The whole stored result (the same data as ``analyze --json``)."""
        parts: dict[str, Any] = {}
        for table, model in rows.TABLE_MODELS.items():
            order = self._order(rows.TABLE_ORDER[table])
            sql = f"SELECT data FROM {table} ORDER BY {order}"
            parts[table] = tuple(
                from_jsonable(model, json.loads(d)) for (d,) in self.conn.execute(sql)
            )
        order = self._order("article_id, start, end, key")
        mentions = tuple(
            (article_id, EntityMention(start, end, text, label, key))
            for article_id, start, end, text, label, key in self.conn.execute(
                f'SELECT article_id, start, "end", text, label, key FROM entity_mentions '
                f"ORDER BY {order}"
            )
        )
        return Result(
            articles=tuple(self.load_articles()),
            errors=tuple(self.load_errors()),
            entity_mentions=mentions,
            **parts,
        )

    def entity_links(self) -> dict[tuple[str, str], str]:
        """``(article_id, local key) -> corpus entity id`` for every linked entity."""
        return {
            (a, k): e
            for a, k, e in self.conn.execute("SELECT article_id, key, entity_id FROM entity_links")
        }

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables (for summaries and health checks)."""
        counted: dict[str, int] = {}
        for table in COUNTED_TABLES:
            row = self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
            counted[table] = int(row[0]) if row else 0
        return counted
