"""``dateline export``: every table as CSV, JSONL or Parquet, or events in GDELT's layout."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, cast

import typer

from dateline.cli._common import DbOption, console, open_existing
from dateline.cli.app import app


class Format(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"
    gdelt = "gdelt"


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (a file for gdelt).")],
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="csv, jsonl, parquet or gdelt.")
    ] = Format.csv,
    db: DbOption = None,
) -> None:
    """Export the analysed corpus for other tools.

    csv/jsonl/parquet write one file per table (articles, stories, entities, timexes,
    quotes, events, event_mentions, figures, framing_terms, timeline, summary, errors).
    gdelt writes events as a tab-separated file with the GDELT 2.0 event table's columns
    (see docs/GDELT_EXPORT.md).

    Example: dateline export --db story.db --format parquet --out story-parquet/
    """
    store = open_existing(db)
    try:
        result = store.load_result()
    finally:
        store.close()
    if fmt is Format.gdelt:
        from dateline.export_gdelt import write_gdelt

        target = out if out.suffix else out / "events.gdelt.tsv"
        target.parent.mkdir(parents=True, exist_ok=True)
        write_gdelt(result.events, result.entities, result.articles, target)
        console.print(f"wrote {target} ({len(result.events)} events)")
        return
    from dateline.export import ExportFormat, export_result

    for path in export_result(result, out, cast(ExportFormat, fmt.value)):
        console.print(f"wrote {path}")
