"""Loads the event trigger dictionary and the PLOVER -> CAMEO table from ``dateline/lexicon``.

The vocabularies are data (``events.json``, ``plover_cameo.csv``, ``actors.json``) so that
tuning the event coder means editing a file, not code.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class Trigger:
    """One dictionary entry: a lemma or lemma sequence that signals a PLOVER event type."""

    lemmas: tuple[str, ...]
    pos: str
    type: str
    mode: str | None
    cameo: str | None
    weight: float
    frame: bool
    obj: frozenset[str]
    prep: frozenset[str]


@dataclass(frozen=True, slots=True)
class CameoRow:
    """One (PLOVER type, mode) -> CAMEO code row, with GDELT's quad class and Goldstein scale."""

    plover_type: str
    mode: str | None
    cameo: str
    quad_class: int
    goldstein: float


@dataclass(frozen=True, slots=True)
class EventLexicon:
    """Everything the event coder reads from data files."""

    triggers: tuple[Trigger, ...]
    by_first_lemma: dict[str, tuple[Trigger, ...]]
    transparent: frozenset[str]
    must_words: frozenset[str]
    negation_frames: dict[str, str]
    intent_to_agree: frozenset[str]
    intent_to_threaten: frozenset[str]
    planned_words: frozenset[str]
    planned_frames: frozenset[str]
    hypothetical_aux: frozenset[str]
    military_heads: frozenset[str]


def _read_text(name: str) -> str:
    return resources.files("dateline.lexicon").joinpath(name).read_text(encoding="utf-8")


def _trigger(raw: dict[str, Any]) -> Trigger:
    text = raw.get("phrase") or raw["lemma"]
    return Trigger(
        lemmas=tuple(str(text).lower().split()),
        pos=str(raw.get("pos", "ANY")),
        type=str(raw["type"]),
        mode=raw.get("mode"),
        cameo=raw.get("cameo"),
        weight=float(raw.get("w", 0.5)),
        frame=bool(raw.get("frame", False)),
        obj=frozenset(str(o).lower() for o in raw.get("obj", ())),
        prep=frozenset(str(p).lower() for p in raw.get("prep", ())),
    )


@lru_cache(maxsize=1)
def event_lexicon() -> EventLexicon:
    """Return the parsed trigger dictionary (read once per process)."""
    data = json.loads(_read_text("events.json"))
    triggers = tuple(_trigger(t) for t in data["triggers"])
    index: dict[str, list[Trigger]] = {}
    for trig in triggers:
        index.setdefault(trig.lemmas[0], []).append(trig)
    # Longer phrases first so "phone call" wins over "phone".
    by_first = {k: tuple(sorted(v, key=lambda t: -len(t.lemmas))) for k, v in index.items()}
    return EventLexicon(
        triggers=triggers,
        by_first_lemma=by_first,
        transparent=frozenset(data["transparent"]),
        must_words=frozenset(data["must_words"]),
        negation_frames=dict(data["negation_frames"]),
        intent_to_agree=frozenset(data["intent_to_agree"]),
        intent_to_threaten=frozenset(data["intent_to_threaten"]),
        planned_words=frozenset(data["planned_words"]),
        planned_frames=frozenset(data["planned_frames"]),
        hypothetical_aux=frozenset(data["hypothetical_aux"]),
        military_heads=frozenset(data["military_heads"]),
    )


@lru_cache(maxsize=1)
def cameo_table() -> dict[tuple[str, str | None], CameoRow]:
    """Return ``(PLOVER type, mode or None) -> CameoRow``; the row with no mode is the default."""
    rows: dict[tuple[str, str | None], CameoRow] = {}
    for rec in csv.DictReader(_read_text("plover_cameo.csv").splitlines()):
        mode = rec["mode"] or None
        rows[(rec["plover_type"], mode)] = CameoRow(
            plover_type=rec["plover_type"],
            mode=mode,
            cameo=rec["cameo"],
            quad_class=int(rec["quad_class"]),
            goldstein=float(rec["goldstein"]),
        )
    return rows


def cameo_for(plover_type: str, mode: str | None) -> CameoRow | None:
    """The CAMEO row for a type and mode, falling back to the type's default row."""
    table = cameo_table()
    return table.get((plover_type, mode)) or table.get((plover_type, None))


def cameo_row_by_code(code: str | None) -> CameoRow | None:
    """The table row for a CAMEO code (for GDELT export: quad class and Goldstein scale)."""
    if not code:
        return None
    for row in cameo_table().values():
        if row.cameo == code:
            return row
    root = code[:2]
    for row in cameo_table().values():
        if row.mode is None and row.cameo[:2] == root:
            return row
    return None


@lru_cache(maxsize=1)
def actor_lexicon() -> dict[str, Any]:
    """Return the parsed ``actors.json`` (countries, IGOs, sector words)."""
    data: dict[str, Any] = json.loads(_read_text("actors.json"))
    return data


@lru_cache(maxsize=1)
def plover_names() -> dict[str, tuple[str, str | None]]:
    """PLOVER 0.5 category -> (current PLOVER type, default mode), from plover_names.csv."""
    rows = [
        line for line in _read_text("plover_names.csv").splitlines() if not line.startswith("#")
    ]
    return {rec["old"]: (rec["new"], rec["mode"] or None) for rec in csv.DictReader(rows)}


def current_plover(etype: str, mode: str | None) -> tuple[str, str | None]:
    """The current PLOVER name of an event type (older names are mapped), keeping the mode."""
    new = plover_names().get(etype)
    if new is None:
        return etype, mode
    return new[0], mode or new[1]
