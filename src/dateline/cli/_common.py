"""Options and helpers shared by the command modules."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from dateline.outlets import OutletRegistry, load_registry
from dateline.store import open_store, resolve_db
from dateline.text import fold

console = Console()
err_console = Console(stderr=True, soft_wrap=True)

OutletsOption = Annotated[
    Path | None,
    typer.Option(
        "--outlets",
        help="Extra outlet registry CSV (name,aliases,domains,country,kind,language); "
        "default: $DATELINE_OUTLETS.",
        show_default=False,
    ),
]

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


def load_outlets(outlets_csv: Path | None) -> OutletRegistry:
    """The outlet registry, extended by ``--outlets`` (or $DATELINE_OUTLETS).

    A named CSV that does not exist is a usage error on ``--outlets`` (exit code 2).
    """
    try:
        return load_registry(outlets_csv)
    except FileNotFoundError as exc:
        raise typer.BadParameter(str(exc), param_hint="--outlets") from exc


def names_match(wanted: str, names: Iterable[str]) -> bool:
    """True when ``wanted`` occurs in one of ``names``, accents and case ignored."""
    folded = fold(wanted)
    return any(folded in fold(n) for n in names if n)
