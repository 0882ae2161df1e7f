"""The typer application every command module registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="dateline",
    help=(
        "Turn news articles from many outlets into a cited, queryable account of a story.\n\n"
        "Start with `dateline analyze FOLDER --db story.db`, then explore with `timeline`, "
        "`quotes`, `events`, `compare`, `search`, `report` or `serve`."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
