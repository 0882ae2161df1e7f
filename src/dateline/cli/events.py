"""``dateline events``: who did what to whom, when, coded in PLOVER/CAMEO, with sources."""

from __future__ import annotations

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
from dateline.models import Entity, Event, Result
from dateline.outlets import OutletRegistry, load_registry, with_facts
from dateline.serialize import date_label


def _parse_date(value: str | None, *, end: bool) -> date | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a partial date covers its whole period."""
    if not value:
        return None
    parts = value.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else (12 if end else 1)
        if len(parts) > 2:
            return date(year, month, int(parts[2]))
        if not end:
            return date(year, month, 1)
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    except (ValueError, IndexError) as exc:
        raise typer.BadParameter(
            f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)"
        ) from exc


def _matches_actor(ev: Event, wanted: str, entities: dict[str, Entity]) -> bool:
    """An actor filter matches a CAMEO code prefix (RUS, RUSGOV) or a name part, either side."""
    for code in (ev.actor_code, ev.target_code):
        if code and code.upper().startswith(wanted.upper()):
            return True
    names = [ev.actor_text or "", ev.target_text or ""]
    for eid in (ev.actor, ev.target):
        ent = entities.get(eid or "")
        if ent is not None:
            names.extend((ent.name, *ent.aliases))
    return names_match(wanted, names)


def select_events(
    result: Result,
    *,
    actor: str | None = None,
    type_: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[Event]:
    """The events of ``result`` passing the filters, by date (undated last) then confidence."""
    entities = {e.id: e for e in result.entities}
    out = []
    for ev in result.events:
        if type_ and ev.type.upper() != type_.upper():
            continue
        if actor and not _matches_actor(ev, actor, entities):
            continue
        if (date_from or date_to) and ev.date is None:
            continue
        if date_from and ev.date is not None and ev.date < date_from:
            continue
        if date_to and ev.date is not None and ev.date > date_to:
            continue
        out.append(ev)
    out.sort(key=lambda e: (e.date is None, e.date or date.min, -e.confidence, e.id))
    return out


def _name(eid: str | None, text: str | None, entities: dict[str, Entity]) -> str:
    ent = entities.get(eid or "")
    return ent.name if ent else (text or "")


def render(result: Result, chosen: list[Event], registry: OutletRegistry | None = None) -> Table:
    """A rich table of the chosen events; each source outlet carries its country and kind."""
    registry = registry if registry is not None else load_registry()
    entities = {e.id: e for e in result.entities}
    articles = {a.id: a for a in result.articles}
    table = Table(
        "date", "type", "mode", "cameo", "actor", "target", "where", "status", "sources", "conf"
    )
    for ev in chosen:
        outlets = []
        for m in ev.mentions:
            art = articles.get(m.article_id)
            label = (
                with_facts(art.outlet or art.id, registry.profile_for(art.outlet, art.url))
                if art
                else m.article_id
            )
            if label not in outlets:
                outlets.append(label)
        actor = _name(ev.actor, ev.actor_text, entities)
        target = _name(ev.target, ev.target_text, entities)
        table.add_row(
            date_label(ev.date, ev.date_precision),
            ev.type,
            ev.mode or "",
            ev.cameo or "",
            f"{actor} [{ev.actor_code}]" if ev.actor_code else actor,
            f"{target} [{ev.target_code}]" if ev.target_code else target,
            ev.location or "",
            ev.status,
            escape(", ".join(outlets)),
            f"{ev.confidence:.2f}",
        )
    return table


@app.command()
def events(
    db: DbOption = None,
    actor: Annotated[
        str | None, typer.Option(help="CAMEO code prefix (RUS, RUSGOV) or name part.")
    ] = None,
    type_: Annotated[
        str | None, typer.Option("--type", help="PLOVER event type, e.g. CONSULT.")
    ] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="Earliest date (YYYY[-MM[-DD]]).")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Latest date (YYYY[-MM[-DD]]).")
    ] = None,
    outlets_csv: OutletsOption = None,
) -> None:
    """List events (PLOVER type, CAMEO code, actors, date, place) with the outlets reporting them.

    Example: dateline events --db story.db --actor RUS --type CONSULT
    """
    start = _parse_date(date_from, end=False)
    stop = _parse_date(date_to, end=True)
    registry = load_outlets(outlets_csv)
    store = open_existing(db)
    try:
        result = store.load_result()
    finally:
        store.close()
    chosen = select_events(result, actor=actor, type_=type_, date_from=start, date_to=stop)
    if not chosen:
        console.print("no events")
        return
    console.print(render(result, chosen, registry))
