"""Options and helpers shared by the command modules."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from dateline.store import open_store, resolve_db

console = Console()
err_console = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="DATELINE_DB",
        help="SQLite file or postgresql:// URL (default: $DATELINE_DB, else dateline.db).",
        show_default=False,
    ),
]


def open_existing(db: str | None) -> Any:
    """Open a database for reading, with an error that says how to create it."""
    target = resolve_db(db)
    if not target.startswith(("postgresql://", "postgres://")) and not Path(target).exists():
        err_console.print(
            f"[red]error:[/] database [bold]{target}[/] does not exist. "
            f"Create it with `dateline analyze FOLDER --db {target}`."
        )
        raise typer.Exit(3)
    return open_store(target)
