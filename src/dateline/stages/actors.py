"""CAMEO-style actor codes (country ISO-3 + sector) for event participants.

The entities stage gives each entity a country; when it does not (or for plain noun phrases
like "Afghan rebels" that are no named entity), the phrase itself is coded from the data in
``lexicon/actors.json``: country names, demonyms and seats of government ("the Kremlin" is
the Russian government), IGO names, and role words that give the sector.
"""

from __future__ import annotations

import re
from functools import lru_cache

from dateline.models import ArticleEntity
from dateline.stages.event_lexicon import actor_lexicon

# Sector precedence: a more specific role word wins ("opposition leader" is OPP, not GOV;
# "Defence Minister" is GOV, not MIL).
_SECTOR_ORDER = (
    "OPP",
    "REB",
    "JUD",
    "LEG",
    "GOV",
    "MIL",
    "COP",
    "MED",
    "BUS",
    "REF",
    "NGO",
    "REL",
    "CVL",
)


@lru_cache(maxsize=1)
def _country_index() -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    """Regex over every country name/demonym/seat, and name -> (ISO-3, kind)."""
    table: dict[str, tuple[str, str]] = {}
    for iso, (names, demonyms, seats) in actor_lexicon()["countries"].items():
        for kind, field in (("name", names), ("demonym", demonyms), ("seat", seats)):
            for name in field.split("|"):
                if name:
                    table.setdefault(name, (iso, kind))
    alts = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.])(" + "|".join(re.escape(a) for a in alts) + r")(?![\w])")
    return pattern, table


@lru_cache(maxsize=1)
def _igo_index() -> tuple[re.Pattern[str], dict[str, str]]:
    igos: dict[str, str] = dict(actor_lexicon()["igos"])
    alts = sorted(igos, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.])(" + "|".join(re.escape(a) for a in alts) + r")(?![\w])")
    return pattern, igos


@lru_cache(maxsize=1)
def _sector_words() -> dict[str, str]:
    out: dict[str, str] = {}
    sectors: dict[str, list[str]] = actor_lexicon()["sectors"]
    for sector in _SECTOR_ORDER:
        for word in sectors.get(sector, ()):
            out.setdefault(word.lower(), sector)
    return out


def country_of_text(text: str) -> tuple[str | None, str | None]:
    """The ISO-3 country a phrase names and how (``name``, ``demonym`` or ``seat``)."""
    pattern, table = _country_index()
    match = pattern.search(text)
    if not match:
        return None, None
    return table[match.group(1)]


def igo_of_text(text: str) -> str | None:
    """The IGO/NGO code for a phrase naming an international organisation, if any."""
    pattern, igos = _igo_index()
    match = pattern.search(text)
    return igos[match.group(1)] if match else None


def sector_of_text(text: str) -> str | None:
    """The CAMEO sector that the role words in ``text`` point to, most specific first."""
    words = _sector_words()
    lowered = text.lower()
    tokens = re.findall(r"[a-z]+", lowered)
    found = {words[t] for t in tokens if t in words}
    found |= {sector for phrase, sector in words.items() if " " in phrase and phrase in lowered}
    for sector in _SECTOR_ORDER:
        if sector in found:
            return sector
    return None


def actor_code(text: str | None, entity: ArticleEntity | None = None) -> str | None:
    """CAMEO-style code for a participant: ``RUSGOV``, ``VENOPP``, ``IGOUNO``, ``RUS``.

    A bare country name codes as the country alone (CAMEO's convention for states);
    a seat of government ("Moscow", "the Kremlin") codes as that country's government.
    """
    if not text and entity is None:
        return None
    phrase = " ".join(filter(None, [text or "", *(entity.roles if entity else ())]))
    igo = igo_of_text(phrase) or (igo_of_text(entity.name) if entity else None)
    if igo:
        return igo
    country, how = country_of_text(phrase)
    if entity is not None and entity.country:
        country = entity.country
    sector = sector_of_text(phrase)
    if sector is None and how == "seat":
        sector = "GOV"
    if country and sector:
        return country + sector
    return country or sector
