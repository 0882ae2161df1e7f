"""``dateline timeline``: the dated, cited timeline of the stored corpus."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from dateline.cli._common import (
    DbOption,
    OutletsOption,
    console,
    load_outlets,
    names_match,
    open_existing,
)
from dateline.cli.app import app
from dateline.models import Result, TimelineEntry
from dateline.outlets import OutletRegistry, load_registry, with_facts
from dateline.serialize import date_label
from dateline.text import fold

MAX_SUMMARY = 200


def _mentions(e: TimelineEntry, wanted: str, result: Result, entity_ids: set[str]) -> bool:
    if wanted in fold(e.summary):
        return True
    events = {ev.id: ev for ev in result.events}
    for eid in e.event_ids:
        ev = events.get(eid)
        if ev is not None and (
            {ev.actor, ev.target} & entity_ids
            or any(wanted in fold(t or "") for t in (ev.actor_text, ev.target_text))
        ):
            return True
    return False


def select_entries(
    result: Result,
    *,
    entity: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[TimelineEntry]:
    """Timeline entries passing the filters, in date order."""
    chosen = []
    entity_ids: set[str] = set()
    wanted = fold(entity) if entity else ""
    if entity:
        entity_ids = {x.id for x in result.entities if names_match(entity, (x.name, *x.aliases))}
    for e in result.timeline:
        if start and e.date < start:
            continue
        if end and e.date > end:
            continue
        if entity and not _mentions(e, wanted, result, entity_ids):
            continue
        chosen.append(e)
    chosen.sort(key=lambda e: (e.date, -e.score))
    return chosen


def render(
    result: Result, entries: Sequence[TimelineEntry], registry: OutletRegistry | None = None
) -> Table:
    """A rich table: date, summary, sources (with country and kind) and date disagreement."""
    registry = registry if registry is not None else load_registry()
    articles = {a.id: a for a in result.articles}
    table = Table("date", "summary", "sources", "score", "other dates given")
    for e in entries:
        labels: list[str] = []
        for aid in e.article_ids:
            art = articles.get(aid)
            label = (
                with_facts(art.outlet or art.id, registry.profile_for(art.outlet, art.url))
                if art
                else aid
            )
            if label not in labels:
                labels.append(label)
        summary = " ".join(e.summary.split())
        if len(summary) > MAX_SUMMARY:
            summary = summary[: MAX_SUMMARY - 1].rstrip() + "\u2026"
        table.add_row(
            date_label(e.date, e.date_precision),
            summary,
            escape(", ".join(labels)),
            f"{e.score:g}",
            "; ".join(e.date_disagreement),
        )
    return table


def _parse_date(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(
            f"{value!r} is not an ISO date (YYYY-MM-DD)", param_hint=name
        ) from exc


@app.command()
def timeline(
    db: DbOption = None,
    entity: Annotated[
        str | None, typer.Option(help="Only happenings involving this entity.")
    ] = None,
    from_: Annotated[str | None, typer.Option("--from", help="First date (YYYY-MM-DD).")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last date (YYYY-MM-DD).")] = None,
    outlets_csv: OutletsOption = None,
) -> None:
    """Show the dated timeline: one row per happening, with its sources.

    Example: dateline timeline --db story.db --entity Maduro --from 2019-04-01 --to 2019-05-31
    """
    start, end = _parse_date(from_, "--from"), _parse_date(to, "--to")
    registry = load_outlets(outlets_csv)
    store = open_existing(db)
    try:
        result = store.load_result()
    finally:
        store.close()
    chosen = select_entries(result, entity=entity, start=start, end=end)
    if not chosen:
        console.print("no timeline entries")
        return
    console.print(render(result, chosen, registry))
