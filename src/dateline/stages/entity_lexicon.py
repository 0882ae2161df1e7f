"""Loaders for the entity vocabularies in ``dateline/lexicon`` (roles, countries, organisations).

The words live in data files so they can grow without code changes; this module only reads
them once per process and offers small lookups keyed on accent- and case-folded text.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pycountry

from dateline.text import fold

_PACKAGE = "dateline.lexicon"


def _rows(name: str) -> list[dict[str, str]]:
    """CSV rows of a lexicon file, skipping ``#`` comment lines."""
    text = resources.files(_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines)]


def _words(name: str) -> frozenset[str]:
    """One folded entry per line of a TXT lexicon file, skipping comments."""
    text = resources.files(_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    return frozenset(
        fold(line.strip())
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=65536)
def norm_key(text: str) -> str:
    """Folded lookup key: accents/case folded, curly quotes straightened, spaces collapsed."""
    return " ".join(fold(text).split())


@dataclass(frozen=True, slots=True)
class RoleTerm:
    """One role word or phrase of ``roles.csv``."""

    term: str
    concept: str
    sector: str | None
    linkable: bool


@dataclass(frozen=True, slots=True)
class OrgInfo:
    """A known organisation of ``organisations.csv``."""

    canonical: str
    country: str | None
    sector: str | None


@lru_cache(maxsize=1)
def role_terms() -> dict[str, RoleTerm]:
    """Role phrase (folded) -> its concept, sector and whether a bare mention may be linked."""
    out: dict[str, RoleTerm] = {}
    for row in _rows("roles.csv"):
        term = norm_key(row["term"])
        out[term] = RoleTerm(term, row["concept"], row["sector"] or None, row["linkable"] == "yes")
    return out


@lru_cache(maxsize=1)
def role_words() -> frozenset[str]:
    """Every single word occurring in a role phrase or in the role modifiers."""
    words: set[str] = set(_words("role_modifiers.txt"))
    for term in role_terms():
        words.update(term.split())
    return frozenset(words)


@lru_cache(maxsize=1)
def role_modifiers() -> frozenset[str]:
    """Words allowed inside a role phrase without being a role ("former", "top")."""
    return _words("role_modifiers.txt")


@lru_cache(maxsize=1)
def max_role_len() -> int:
    """Longest role phrase in words."""
    return max(len(t.split()) for t in role_terms())


@lru_cache(maxsize=1)
def broader_concepts() -> dict[str, frozenset[str]]:
    """Concept -> the broader concepts a role-only reference may use for it."""
    return {
        row["concept"]: frozenset(b for b in row["broader"].split("|") if b)
        for row in _rows("role_concepts.csv")
    }


@lru_cache(maxsize=1)
def honorifics() -> frozenset[str]:
    """Courtesy titles (folded) stripped from the front of person names."""
    return _words("honorifics.txt")


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Country name (folded, several variants) -> alpha-3, from pycountry plus aliases."""
    out: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                out[norm_key(value)] = country.alpha_3
    for row in _rows("countries_aliases.csv"):
        out[norm_key(row["alias"])] = row["alpha3"]
    return out


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    return {norm_key(r["demonym"]): r["alpha3"] for r in _rows("demonyms.csv")}


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    return {norm_key(r["city"]): r["alpha3"] for r in _rows("capitals.csv")}


@lru_cache(maxsize=1)
def organisations() -> dict[str, OrgInfo]:
    """Known organisation name (folded, no leading "the") -> canonical name, country, sector."""
    return {
        norm_key(r["name"]): OrgInfo(r["canonical"], r["country"] or None, r["sector"] or None)
        for r in _rows("organisations.csv")
    }


@lru_cache(maxsize=1)
def org_sector_keywords() -> tuple[tuple[str, str], ...]:
    """(keyword, sector) pairs, most specific first."""
    return tuple((norm_key(r["keyword"]), r["sector"]) for r in _rows("org_sectors.csv"))


def _variants(text: str) -> list[str]:
    key = norm_key(text)
    if key.startswith("the "):
        key = key[4:]
    for suffix in ("'s", "'"):
        if key.endswith(suffix):
            key = key[: -len(suffix)]
    return [key, key.replace(".", "")] if "." in key else [key]


def country_code(text: str) -> str | None:
    """Alpha-3 of a country name or short name ("Russia", "U.S."), else None."""
    names = _country_names()
    for key in _variants(text):
        if key in names:
            return names[key]
    return None


def demonym_code(text: str) -> str | None:
    """Alpha-3 of a nationality adjective ("Venezuelan"), else None."""
    demonyms = _demonyms()
    for key in _variants(text):
        if key in demonyms:
            return demonyms[key]
        if key.endswith("s") and key[:-1] in demonyms:  # "Venezuelans"
            return demonyms[key[:-1]]
    return None


def capital_code(text: str) -> str | None:
    """Alpha-3 of the country whose capital/seat of government this is ("Moscow"), else None."""
    capitals = _capitals()
    for key in _variants(text):
        if key in capitals:
            return capitals[key]
    return None


def org_info(text: str) -> OrgInfo | None:
    """The known organisation this name denotes, else None.

    Acronyms of three letters or fewer must be written in capitals: "UN" is the United
    Nations, "Un" (of "Kim Jong Un") and "who" are not.
    """
    orgs = organisations()
    letters = text.replace(".", "").strip()
    if len(letters) <= 3 and not letters.isupper():
        return None
    for key in _variants(text):
        if key in orgs:
            return orgs[key]
    return None


def place_code(text: str) -> str | None:
    """Alpha-3 for any country-denoting word: country name, demonym, capital or institution."""
    info = org_info(text)
    return (
        country_code(text)
        or demonym_code(text)
        or capital_code(text)
        or (info.country if info and info.sector == "GOV" else None)
    )


def is_known_place(text: str) -> bool:
    """True for a country, demonym or capital name (never to be relabelled as a person)."""
    return bool(country_code(text) or demonym_code(text) or capital_code(text))
