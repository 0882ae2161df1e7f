"""Loaders for the ingest vocabularies in ``dateline/lexicon``: agencies, outlets, places.

The data lives in CSV/TXT files so that adding a wire service or a news site is a data
change, not a code change. Outlet domains and names come from the shared outlet registry
(``outlets.csv``) plus ``agencies.csv``, so every stage names an outlet the same way. Each
loader reads its file once per process.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from dateline.text import fold


@dataclass(frozen=True, slots=True)
class Agency:
    """A news agency: its canonical name, the spellings used in credits, its web domains."""

    name: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]


def _lexicon_text(name: str) -> str:
    return resources.files("dateline.lexicon").joinpath(name).read_text(encoding="utf-8")


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split("|") if part.strip())


@cache
def load_agencies() -> tuple[Agency, ...]:
    """All agencies from ``agencies.csv`` (columns: name, aliases, domains; ``|``-separated)."""
    rows = csv.DictReader(_lexicon_text("agencies.csv").splitlines())
    return tuple(
        Agency(
            name=row["name"].strip(),
            aliases=_split(row.get("aliases")) or (row["name"].strip(),),
            domains=_split(row.get("domains")),
        )
        for row in rows
        if row.get("name")
    )


@cache
def agency_aliases() -> dict[str, str]:
    """Folded alias -> canonical agency name (``"itar-tass"`` -> ``"TASS"``)."""
    table: dict[str, str] = {}
    for agency in load_agencies():
        for alias in (agency.name, *agency.aliases):
            table.setdefault(fold(alias), agency.name)
    return table


def canonical_agency(name: str) -> str | None:
    """The canonical agency for a credit spelling, or None when it is not a known agency."""
    return agency_aliases().get(fold(" ".join(name.split())))


def _outlet_rows() -> list[dict[str, str]]:
    """Rows of the shared outlet registry ``outlets.csv`` (name, aliases, domains, ...), if any."""
    try:
        text = _lexicon_text("outlets.csv")
    except (FileNotFoundError, OSError):
        return []
    return [row for row in csv.DictReader(text.splitlines()) if row.get("name")]


@cache
def outlet_domains() -> dict[str, str]:
    """Domain -> outlet name, from ``agencies.csv`` and the outlet registry ``outlets.csv``."""
    table: dict[str, str] = {}
    for agency in load_agencies():
        for domain in agency.domains:
            table[domain.lower().removeprefix("www.")] = agency.name
    for row in _outlet_rows():
        for domain in _split(row.get("domains")):
            table[domain.lower().removeprefix("www.")] = row["name"].strip()
    return table


@cache
def outlet_names() -> dict[str, str]:
    """Folded outlet name or alias -> registry name (agencies first, then ``outlets.csv``)."""
    table = dict(agency_aliases())
    for row in _outlet_rows():
        name = row["name"].strip()
        for alias in (name, *_split(row.get("aliases"))):
            table.setdefault(fold(alias), name)
    return table


def canonical_outlet(name: str) -> str | None:
    """The registry name for an outlet or agency spelling, or None when unknown."""
    return outlet_names().get(fold(" ".join(name.split())))


@cache
def dateline_places() -> frozenset[str]:
    """Folded names of cities that may open a bare Title-Case dateline ("Moscow, ...")."""
    lines = _lexicon_text("dateline_places.txt").splitlines()
    return frozenset(fold(line.strip()) for line in lines if line.strip() and line[0] != "#")
