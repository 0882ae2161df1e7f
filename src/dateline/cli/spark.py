"""``dateline spark``: the per-article analysis on Apache Spark (local mode or a cluster)."""

from __future__ import annotations

from typing import Annotated

import typer

from dateline.cli._common import console
from dateline.cli.app import app


@app.command()
def spark(
    input_path: Annotated[str, typer.Argument(help="JSONL (optionally .gz) or .parquet input.")],
    output_path: Annotated[str, typer.Argument(help="Folder for the Parquet tables.")],
    master: Annotated[
        str, typer.Option(help="Spark master: local[*], spark://host:7077, yarn, ...")
    ] = "local[*]",
) -> None:
    """Run the per-article stages on Spark and write Parquet tables.

    Writes analyses, errors, articles, entities, mentions, timexes, quotes, events and
    figures, plus near_duplicates found by MinHash LSH band keys. The per-article results
    equal those of `dateline analyze` on the same input.

    Example: dateline spark news.jsonl.gz out/ --master "local[2]"
    """
    from dateline.spark import run_spark_job

    counts = run_spark_job(input_path, output_path, master=master)
    for table, count in counts.items():
        console.print(f"{table}: {count}")
