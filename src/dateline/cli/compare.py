"""``dateline compare``: how each outlet labels one entity, side by side."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from dateline.cli._common import (
    DbOption,
    OutletsOption,
    console,
    err_console,
    load_outlets,
    open_existing,
)
from dateline.cli.app import app
from dateline.corpus.framing import compare_framing, term_kinds, unique_terms
from dateline.models import Entity, Result
from dateline.outlets import OutletRegistry, profile_dict
from dateline.text import fold


def find_entity(result: Result, name: str) -> Entity | None:
    """The entity named ``name`` (name or alias; accents and case ignored).

    Exact matches beat partial ones ("Maduro" in "Nicolas Maduro"); among equals, the
    entity with the most framing terms, then the most articles, wins.
    """
    wanted = fold(name).strip()
    if not wanted:
        return None
    weight: dict[str, int] = {}
    for record in result.framing:
        weight[record.entity] = weight.get(record.entity, 0) + len(record.terms)

    def rank(e: Entity) -> tuple[int, int, int, str]:
        names = [fold(n) for n in (e.name, *e.aliases)]
        exact = 0 if wanted in names else 1
        return (exact, -weight.get(e.id, 0), -len(e.article_ids), e.id)

    candidates = [
        e
        for e in result.entities
        if any(
            wanted == fold(n) or wanted in fold(n).split() or wanted in fold(n)
            for n in (e.name, *e.aliases)
        )
    ]
    return min(candidates, key=rank) if candidates else None


def build_table(
    result: Result, entity: Entity, registry: OutletRegistry
) -> tuple[Table, dict[str, dict[str, int]]]:
    """A table with one column per outlet; terms only that outlet uses are highlighted."""
    comparison = compare_framing(result.framing, entity.id)
    unique = unique_terms(comparison)
    kinds = term_kinds(result.framing, entity.id)
    table = Table(title=f"How outlets label {entity.name}", show_lines=False)
    columns = []
    for outlet in comparison:
        profile = registry.lookup(outlet)
        facts = f"\n[dim]{profile.country or '?'} · {profile.kind or '?'}[/]" if profile else ""
        table.add_column(f"[bold]{outlet}[/]{facts}", overflow="fold")
        lines = []
        for term, count in comparison[outlet].items():
            label = f"{term} \u00d7{count}" if count > 1 else term
            kind = kinds.get(term, "")
            tag = f" [dim]({kind})[/]" if kind and kind != "role" else ""
            if term in unique[outlet]:
                label = f"[bold yellow]{label}[/]"
            lines.append(label + tag)
        columns.append(lines)
    for row in range(max((len(c) for c in columns), default=0)):
        table.add_row(*(c[row] if row < len(c) else "" for c in columns))
    return table, comparison


@app.command()
def compare(
    entity: Annotated[str, typer.Option("--entity", help="Entity name or alias, e.g. Maduro.")],
    db: DbOption = None,
    outlets_csv: OutletsOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Show how each outlet labels one entity; terms only one outlet uses are highlighted.

    Example: dateline compare --db story.db --entity Maduro
    """
    store = open_existing(db)
    try:
        result = store.load_result()
    finally:
        store.close()
    found = find_entity(result, entity)
    if found is None:
        err_console.print(f"[red]error:[/] no entity matching [bold]{entity}[/]")
        raise typer.Exit(1)
    registry = load_outlets(outlets_csv)
    table, comparison = build_table(result, found, registry)
    if as_json:
        unique = unique_terms(comparison)
        payload = {
            "entity": {"id": found.id, "name": found.name},
            "outlets": {
                outlet: {
                    "terms": terms,
                    "unique": list(unique[outlet]),
                    "profile": profile_dict(registry.lookup(outlet)),
                }
                for outlet, terms in comparison.items()
            },
        }
        console.print_json(json.dumps(payload, ensure_ascii=False))
        return
    if not comparison:
        console.print(f"no framing terms for {found.name}")
        return
    console.print(table)
