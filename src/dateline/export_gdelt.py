"""Write events as a GDELT 2.0 event table (tab-separated, one header row).

Only the columns dateline can fill are filled; the others are empty cells, so the file
loads with GDELT tooling that reads by column name. ``docs/GDELT_EXPORT.md`` lists each
column and where its value comes from.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from dateline.models import Article, Entity, Event
from dateline.stages.actors import country_of_text
from dateline.stages.event_lexicon import cameo_row_by_code

GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code",
    "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code",
    "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)  # fmt: skip

_SECTORS = {
    "GOV",
    "MIL",
    "OPP",
    "REB",
    "JUD",
    "LEG",
    "COP",
    "MED",
    "BUS",
    "REF",
    "NGO",
    "REL",
    "CVL",
    "PTY",
    "IGO",
}


def _global_id(event_id: str) -> str:
    """A stable numeric id (GDELT ids are integers): 15 digits of a hash of the event id."""
    return str(int(hashlib.sha1(event_id.encode("utf-8")).hexdigest()[:12], 16))


def _fraction(d: date) -> str:
    return f"{d.year + (d.timetuple().tm_yday - 1) / 365.0:.4f}"


def _split_code(code: str | None) -> tuple[str, str]:
    """(country, first type code) from a CAMEO actor code such as ``RUSGOV`` or ``IGOUNO``."""
    if not code:
        return "", ""
    if code.startswith(("IGO", "NGO")):
        return "", code[:3]
    if code[:3] in _SECTORS:
        return "", code[:3]
    return code[:3], code[3:6]


def _actor_cells(event: Event, which: str, entities: dict[str, Entity]) -> list[str]:
    code = event.actor_code if which == "actor" else event.target_code
    eid = event.actor if which == "actor" else event.target
    text = event.actor_text if which == "actor" else event.target_text
    ent = entities.get(eid) if eid else None
    name = (ent.name if ent else text) or ""
    country, type1 = _split_code(code)
    if not country and ent is not None and ent.country:
        country = ent.country
    return [code or "", name.upper(), country, "", "", "", "", type1, "", ""]


def _root(event: Event) -> str:
    """1 when the event comes from a sentence that opens an article (GDELT's lead paragraph)."""
    return "1" if any(m.start < 400 for m in event.mentions) else "0"


def _row(event: Event, entities: dict[str, Entity], articles: dict[str, Article]) -> list[str]:
    mention_articles = [articles[m.article_id] for m in event.mentions if m.article_id in articles]
    first = min(mention_articles, key=lambda a: (a.published or date.max, a.id), default=None)
    when = event.date or (first.published if first else None)
    cameo = event.cameo or ""
    table_row = cameo_row_by_code(cameo)
    outlets = {a.outlet or a.source for a in mention_articles}
    place_country = country_of_text(event.location)[0] if event.location else None
    added = max((a.published for a in mention_articles if a.published), default=None)
    return [
        _global_id(event.id),
        when.strftime("%Y%m%d") if when else "",
        when.strftime("%Y%m") if when else "",
        str(when.year) if when else "",
        _fraction(when) if when else "",
        *_actor_cells(event, "actor", entities),
        *_actor_cells(event, "target", entities),
        _root(event),
        cameo,
        cameo[:3] if cameo else "",
        cameo[:2] if cameo else "",
        str(table_row.quad_class) if table_row else "",
        f"{table_row.goldstein:.1f}" if table_row else "",
        str(len(event.mentions)),
        str(len(outlets)),
        str(len({m.article_id for m in event.mentions})),
        "",  # AvgTone: dateline does no sentiment scoring
        *([""] * 16),  # actor geography: dateline does not geocode actors
        "4" if event.location else "",  # 4 = WORLDCITY, the closest GDELT type for a named place
        event.location or "",
        place_country or "",
        *([""] * 5),  # ADM codes, lat/long, feature id: no gazetteer
        added.strftime("%Y%m%d000000") if added else "",
        (first.url or first.source) if first else "",
    ]


def write_gdelt(
    events: Sequence[Event],
    entities: Sequence[Entity],
    articles: Sequence[Article],
    out_path: str | Path,
) -> Path:
    """Write ``events`` as a GDELT 2.0 event table (TSV with a header row) and return the path.

    Args:
        events: merged corpus events (``actor``/``target`` are corpus entity ids).
        entities: corpus entities, for actor names and countries.
        articles: the articles the events cite, for dates, outlets and source URLs.
        out_path: file to write (parent folders are created).
    """
    path = Path(out_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    by_id = {e.id: e for e in entities}
    by_article = {a.id: a for a in articles}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(GDELT_COLUMNS)
        for event in sorted(events, key=lambda e: (e.date or date.min, e.id)):
            row = _row(event, by_id, by_article)
            writer.writerow([cell.replace("\t", " ").replace("\n", " ") for cell in row])
    return path
