"""Storage: the only package that speaks SQL. ``open_store`` picks SQLite or PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from dateline.store.sqlite import SearchSyntaxError, SQLiteStore

DEFAULT_DB = "dateline.db"


def resolve_db(db: str | Path | None) -> str:
    """The database to use: the argument, else ``$DATELINE_DB``, else ``dateline.db``."""
    return str(db or os.environ.get("DATELINE_DB") or DEFAULT_DB)


def open_store(db: str | Path | None = None, *, read_only: bool = False) -> Any:
    """Open the store named by ``db``: a ``postgresql://`` URL or an SQLite file path."""
    target = resolve_db(db)
    if target.startswith(("postgresql://", "postgres://")):
        from dateline.store.postgres import PostgresStore

        return PostgresStore(target, read_only=read_only)
    if read_only and not Path(target).exists():
        raise FileNotFoundError(
            f"database {target} does not exist; "
            f"create it with `dateline analyze PATH --db {target}`"
        )
    return SQLiteStore(target, read_only=read_only)


__all__ = ["DEFAULT_DB", "SQLiteStore", "SearchSyntaxError", "open_store", "resolve_db"]
