"""``dateline search``: full-text search over the stored articles (SQLite FTS5)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from dateline.cli._common import DbOption, console, err_console, open_existing
from dateline.cli.app import app
from dateline.store import SearchSyntaxError


@app.command()
def search(
    query: Annotated[
        str, typer.Argument(help='FTS5 query, e.g. "humanitarian aid" or Lavrov AND talks.')
    ],
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Most results to show.")] = 20,
) -> None:
    """Find articles by words or phrases, best matches first, with a snippet.

    Example: dateline search --db story.db '"humanitarian aid"'
    """
    store = open_existing(db)
    try:
        hits = store.search(query, limit=limit)
    except SearchSyntaxError as exc:
        err_console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    finally:
        store.close()
    table = Table("article", "outlet", "published", "snippet")
    for hit in hits:
        table.add_row(hit["id"], hit["outlet"] or "", hit["published"] or "", hit["snippet"])
    console.print(table)
    if not hits:
        console.print("no matches")
