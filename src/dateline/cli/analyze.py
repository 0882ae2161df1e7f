"""``dateline analyze``: ingest and analyse files into the store, optionally write JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from dateline.cli._common import DbOption, console, err_console
from dateline.cli.app import app
from dateline.models import IngestError
from dateline.nlp import ModelMissingError
from dateline.settings import DEFAULT_SETTINGS, Settings

EXIT_OK = 0
EXIT_SOME_ERRORS = 1
EXIT_FATAL = 3


@app.command()
def analyze(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Files or folders: .txt .html .jsonl .xml/.rss/.atom, optionally .gz."),
    ],
    db: DbOption = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the full result as one JSON file.")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-w", min=1, help="Worker processes (default: all cores)."),
    ] = None,
    batch_size: Annotated[
        int, typer.Option(min=1, help="Articles per spaCy batch.")
    ] = DEFAULT_SETTINGS.batch_size,
    max_file_bytes: Annotated[
        int,
        typer.Option(
            min=1,
            help="Files larger than this are reported, not read (JSONL streams: per line).",
        ),
    ] = DEFAULT_SETTINGS.max_file_bytes,
    max_article_chars: Annotated[
        int,
        typer.Option(min=1, max=2_000_000, help="Longer articles are reported, not analysed."),
    ] = DEFAULT_SETTINGS.max_article_chars,
    quote_tagger: Annotated[
        bool,
        typer.Option(
            "--quote-tagger/--no-quote-tagger",
            help="Also find quotes with the learned attribution tagger (a small transformer "
            "trained on PolNeAR, about 0.06 s per article): more reported speech, the rules' "
            "speakers and refusals kept. --no-quote-tagger: the rules alone, about 1.3x "
            "faster, fewer quotes (benchmarks/results/quotes.md, rounds 11-13).",
        ),
    ] = DEFAULT_SETTINGS.quote_tagger,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")
    ] = False,
) -> None:
    """Ingest and analyse news files into the database, then rebuild the corpus view.

    Unchanged articles (same id and content hash) are skipped, so re-running is safe.
    Each unreadable file is reported on stderr with its reason and the rest goes on.

    Exit codes: 0 all inputs analysed; 1 some inputs could not be read (the rest was
    analysed); 2 bad command-line usage; 3 fatal (missing model, unusable database).

    Example: dateline analyze news/ --db story.db --json story.json
    """
    from dateline.runner import run_analyze
    from dateline.serialize import result_to_dict
    from dateline.store import open_store, resolve_db

    settings = Settings(
        batch_size=batch_size,
        max_file_bytes=max_file_bytes,
        max_article_chars=max_article_chars,
        quote_tagger=quote_tagger,
    )
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        err_console.print(f"[red]error:[/] {path}: no such file or folder")
    existing = [p for p in paths if p.exists()]

    def on_error(error: IngestError) -> None:
        err_console.print(f"[yellow]skipped[/] {error.source}: {error.reason}")

    progress_bar = Progress(
        TextColumn("[bold]analysing"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        disable=quiet or not err_console.is_terminal,
        transient=True,
    )

    def progress(total: int) -> Callable[[int], Any]:
        task = progress_bar.add_task("analyse", total=total, rate="")

        def tick(n: int) -> None:
            progress_bar.update(task, advance=n)
            speed = progress_bar.tasks[task].speed
            progress_bar.update(task, rate=f"{speed:.1f} articles/s" if speed else "")

        return tick

    target = resolve_db(db)
    try:
        store = open_store(target)
    except Exception as exc:
        err_console.print(f"[red]error:[/] cannot open database {target}: {exc}")
        raise typer.Exit(EXIT_FATAL) from exc
    try:
        with progress_bar:
            report, result = run_analyze(
                existing,
                store,
                settings=settings,
                workers=workers,
                on_error=on_error,
                progress=progress,
            )
    except ModelMissingError as exc:
        err_console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(EXIT_FATAL) from exc
    finally:
        store.close()
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(
            json.dumps(result_to_dict(result), ensure_ascii=False, indent=1), encoding="utf-8"
        )
    if not quiet:
        table = Table(title=f"dateline: {target}", show_header=False)
        outlets = {a.outlet for a in result.articles if a.outlet}
        for label, value in (
            (
                "articles (new / unchanged)",
                f"{len(result.articles)} ({report.analysed} / {report.skipped})",
            ),
            ("outlets", len(outlets)),
            ("stories", len(result.stories)),
            ("entities", len(result.entities)),
            ("dates", len(result.timexes)),
            ("quotes", len(result.quotes)),
            ("events", len(result.events)),
            ("figures", len(result.figures)),
            ("timeline entries", len(result.timeline)),
            ("errors (this run)", len(report.errors) + len(missing)),
        ):
            table.add_row(label, str(value))
        console.print(table)
        if json_out is not None:
            console.print(f"wrote {json_out}")
    if report.errors or missing:
        raise typer.Exit(EXIT_SOME_ERRORS)
