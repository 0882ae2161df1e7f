"""Lookups other stages run over article entities: which entity sits at a span, its sector.

Quotes resolve a speaker span with :func:`entity_at`; events build actor codes such as
``RUSGOV`` from an entity's country and :func:`sector_of`.
"""

from __future__ import annotations

from dateline.models import ArticleEntity
from dateline.stages.entity_lexicon import norm_key, org_info, org_sector_keywords
from dateline.stages.roles import roles_concepts

# When a person's roles give several sectors, the most specific wins ("opposition leader"
# and "interim president" -> OPP).
_SECTOR_PRIORITY = ("OPP", "REB", "MIL", "JUD", "LEG", "IGO", "GOV", "COP", "MED", "PTY", "BUS")


def entity_at(entities: tuple[ArticleEntity, ...], start: int, end: int) -> ArticleEntity | None:
    """The entity with a mention overlapping ``[start, end)``: largest overlap, people first."""
    best: tuple[int, int, int] | None = None
    found: ArticleEntity | None = None
    for idx, ent in enumerate(entities):
        for m in ent.mentions:
            overlap = min(end, m.end) - max(start, m.start)
            if overlap <= 0 and not (start == end and m.start <= start < m.end):
                continue
            score = (max(overlap, 0), 1 if ent.type == "PERSON" else 0, -idx)
            if best is None or score > best:
                best, found = score, ent
    return found


def sector_of(entity: ArticleEntity) -> str | None:
    """CAMEO-style sector of an entity (GOV, MIL, OPP, IGO, MED, BUS, LEG, JUD...), else None.

    People take it from their roles ("opposition leader" -> OPP, "Foreign Minister" -> GOV);
    organisations from the lexicon or a keyword in their name ("Foreign Ministry" -> GOV).
    """
    if entity.type == "PERSON":
        sectors = {s for r in entity.roles if (s := roles_concepts(r)[1])}
        for s in _SECTOR_PRIORITY:
            if s in sectors:
                return s
        return None
    if entity.type in {"ORG", "FAC"}:
        for name in (entity.name, *entity.aliases):
            info = org_info(name)
            if info is not None and info.sector:
                return info.sector
        words = f" {norm_key(entity.name)} "
        for keyword, sector in org_sector_keywords():
            if f" {keyword} " in words:
                return sector
    return None
