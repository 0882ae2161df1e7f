"""``dateline report``: one self-contained HTML file (works offline) from a database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dateline.cli._common import DbOption, OutletsOption, console, err_console
from dateline.cli.app import app


@app.command()
def report(
    db: DbOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path(
        "report.html"
    ),
    outlets_csv: OutletsOption = None,
) -> None:
    """Write a single-file HTML report: timeline, quotes, framing, figure conflicts, summary.

    Everything (CSS, the timeline plot, cited article texts) is inside the one file, so it
    can be mailed or opened offline. Article text is escaped, never run. Outlet names carry
    facts from the outlet registry (country, kind), extended by --outlets CSV.

    Example: dateline report --db story.db --out report.html
    """
    from dateline.store import resolve_db
    from dateline.web.report import write_report

    try:
        size = write_report(resolve_db(db), str(out), outlets_csv)
    except FileNotFoundError as exc:
        err_console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(3) from exc
    console.print(f"wrote {out} ({size / 1024:.0f} KiB)")
