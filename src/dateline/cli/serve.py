"""``dateline serve``: the JSON API and web UI over a database, on 127.0.0.1 by default."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from dateline.cli._common import DbOption, OutletsOption, err_console
from dateline.cli.app import app


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``; anything else is reachable from outside."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to bind (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    outlets_csv: OutletsOption = None,
) -> None:
    """Serve the JSON API (/api, /docs) and the web UI (/) for a database, read-only.

    The server binds 127.0.0.1 unless --host says otherwise; the UI has no login, so a
    non-loopback address shares the whole database with the network. Outlet names are shown
    with facts from the outlet registry (country, kind), extended by --outlets CSV.

    Example: dateline serve --db story.db --port 8000
    """
    import uvicorn

    from dateline.api import create_app
    from dateline.store import resolve_db

    if not is_loopback(host):
        err_console.print(
            f"[bold red]WARNING:[/] binding {host}: the database will be readable by anyone "
            "who can reach this address (no authentication). Use 127.0.0.1 to keep it local."
        )
    target = resolve_db(db)
    try:
        application = create_app(target, outlets_csv)
    except FileNotFoundError as exc:
        err_console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(3) from exc
    err_console.print(f"serving {target} on http://{host}:{port}/ (API docs: /docs)")
    uvicorn.run(application, host=host, port=port, log_level="warning")
