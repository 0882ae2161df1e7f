"""``dateline quotes``: who said what, where, and which other outlets carry it."""

from __future__ import annotations

from collections.abc import Sequence
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
from dateline.models import Article, Entity, Quote, QuoteClass, Result
from dateline.outlets import OutletRegistry, load_registry, with_facts
from dateline.serialize import date_label
from dateline.text import fold

MAX_TEXT = 160


def _trim(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _speaker_name(q: Quote, entities: dict[str, Entity]) -> str:
    """The speaker's entity name (else the words), with those who spoke with it."""
    if q.speaker and q.speaker in entities:
        name = entities[q.speaker].name
    else:
        name = q.speaker_text or "?"
    others = [entities[e].name for e in q.co_speakers if e in entities]
    return f"{name} (with {', '.join(others)})" if others else name


def _speaker_matches(q: Quote, name: str, entities: dict[str, Entity]) -> bool:
    """Whether ``name`` is the quote's speaker or one coordinated with it."""
    names = [q.speaker_text or ""]
    for entity_id in (q.speaker, *q.co_speakers):
        ent = entities.get(entity_id or "")
        if ent is not None:
            names.extend((ent.name, *ent.aliases))
    return names_match(name, names)


def select_quotes(
    result: Result,
    *,
    speaker: str | None = None,
    outlet: str | None = None,
    story: str | None = None,
    stances: bool = True,
    cue_class: QuoteClass | None = None,
) -> list[Quote]:
    """The quotes of ``result`` passing the filters, by article date then position.

    ``stances=False`` keeps statements only (``cue_class == "speech"``): positions such as
    "X supports …" and acts such as "X signed eleven agreements" (``cue_class == "action"``)
    are attributions, not things anyone said. ``cue_class`` keeps that one class, whatever
    ``stances`` says.
    """
    entities = {e.id: e for e in result.entities}
    articles = {a.id: a for a in result.articles}
    out: list[Quote] = []
    for q in result.quotes:
        art = articles.get(q.article_id)
        if speaker and not _speaker_matches(q, speaker, entities):
            continue
        if outlet and (art is None or fold(outlet) not in fold(art.outlet or "")):
            continue
        if story and (art is None or art.story_id != story):
            continue
        if cue_class is not None:
            if q.cue_class != cue_class:
                continue
        elif not stances and q.cue_class != "speech":
            continue
        out.append(q)
    out.sort(key=lambda q: (_date_key(articles.get(q.article_id)), q.article_id, q.start))
    return out


def _date_key(art: Article | None) -> str:
    return art.published.isoformat() if art is not None and art.published else "9999"


def outlet_label(art: Article | None, fallback: str, registry: OutletRegistry) -> str:
    """The outlet name with its registry facts, e.g. "Xinhua (CHN · state news agency)"."""
    if art is None:
        return fallback
    return with_facts(art.outlet or art.id, registry.profile_for(art.outlet, art.url))


def _others(q: Quote, quotes: dict[str, Quote], articles: dict[str, Article]) -> str:
    names: list[str] = []
    for other in q.same_as:
        oq = quotes.get(other)
        art = articles.get(oq.article_id) if oq else None
        label = (art.outlet or art.id) if art else other
        if label not in names:
            names.append(label)
    return ", ".join(names)


def render(
    result: Result, chosen: Sequence[Quote], registry: OutletRegistry | None = None
) -> Table:
    """A rich table of the chosen quotes; the outlet column carries country and kind."""
    registry = registry if registry is not None else load_registry()
    entities = {e.id: e for e in result.entities}
    articles = {a.id: a for a in result.articles}
    by_id = {q.id: q for q in result.quotes}
    table = Table("speaker", "quote", "kind", "class", "outlet", "date", "also in")
    for q in chosen:
        art = articles.get(q.article_id)
        if q.date is not None:
            when = date_label(q.date, q.date_precision)
        else:
            when = date_label(art.published, art.published_precision) if art else ""
        table.add_row(
            _speaker_name(q, entities),
            _trim(q.text),
            q.kind,
            q.cue_class,
            escape(outlet_label(art, q.article_id, registry)),
            when,
            _others(q, by_id, articles),
        )
    return table


@app.command()
def quotes(
    db: DbOption = None,
    speaker: Annotated[
        str | None,
        typer.Option(
            help="Only quotes by this speaker (name part), also those said with others "
            '("Lavrov and Rodriguez said").',
        ),
    ] = None,
    outlet: Annotated[str | None, typer.Option(help="Only quotes from this outlet.")] = None,
    story: Annotated[str | None, typer.Option(help="Only quotes from this story id.")] = None,
    stances: Annotated[
        bool,
        typer.Option(
            "--stances",
            help="Also list stances (supports, wants, believes) and acts read as attributions "
            "(signed, blocked), not only statements.",
        ),
    ] = False,
    cue_class: Annotated[
        QuoteClass | None,
        typer.Option(
            "--class",
            help="Only this class: speech (statements), stance (positions) or action (acts).",
        ),
    ] = None,
    outlets_csv: OutletsOption = None,
) -> None:
    """List quotes with speaker, outlet, date and the other outlets carrying the same statement.

    Statements only by default; --stances adds positions and acts, --class picks one class.

    Example: dateline quotes --db story.db --speaker Lavrov
    Example: dateline quotes --db story.db --class action
    """
    registry = load_outlets(outlets_csv)
    store = open_existing(db)
    try:
        result = store.load_result()
    finally:
        store.close()
    chosen = select_quotes(
        result,
        speaker=speaker,
        outlet=outlet,
        story=story,
        stances=stances,
        cue_class=cue_class,
    )
    if not chosen:
        console.print("no quotes")
        return
    console.print(render(result, chosen, registry))
