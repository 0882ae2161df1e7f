"""Scores a result against the hand-checked facts in ``examples/demo_expected.json``.

Used by ``tests/test_demo.py`` (floors in ``tests/fixtures/floors.json``) and by
``benchmarks/demo_quality.py`` (prints the figures).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dateline.text import fold

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "demo"
EXPECTED = REPO / "examples" / "demo_expected.json"


def load_expected() -> dict[str, Any]:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _norm(text: str) -> str:
    return " ".join(fold(text).replace('"', "").replace("'", "").split())


def _entity_names(data: dict[str, Any]) -> dict[str, set[str]]:
    """Entity id -> folded name and aliases."""
    return {
        e["id"]: {_norm(e["name"]), *(_norm(a) for a in e["aliases"])} for e in data["entities"]
    }


def _names_match(names: Iterable[str], wanted: str) -> bool:
    w = _norm(wanted)
    return any(w == n or w in n.split() or n.endswith(" " + w) for n in names)


def find_quote(data: dict[str, Any], article_id: str, snippet: str) -> dict[str, Any] | None:
    """The quote in ``article_id`` whose text overlaps ``snippet`` the most."""
    target = _norm(snippet)
    best, best_overlap = None, 0.0
    for quote in data["quotes"]:
        if quote["article_id"] != article_id:
            continue
        text = _norm(quote["text"])
        if not text:
            continue
        if target in text:
            overlap = 1 + len(target) / len(text)  # the snippet lies inside: prefer the tightest
        elif text in target:
            overlap = len(text) / len(target)
        else:
            words_t, words_q = set(target.split()), set(text.split())
            overlap = len(words_t & words_q) / max(len(words_t), 1) * 0.5
        if overlap > best_overlap:
            best, best_overlap = quote, overlap
    return best if best_overlap >= 0.3 else None


def quote_scores(data: dict[str, Any], expected: dict[str, Any]) -> dict[str, float]:
    """Recall of the expected quotes and speaker accuracy on the found ones."""
    names = _entity_names(data)
    found = right = 0
    for item in expected["quotes"]:
        quote = find_quote(data, item["file"], item["snippet"])
        if quote is None:
            continue
        found += 1
        speaker_names = names.get(quote["speaker"] or "", set())
        if quote["speaker_text"]:
            speaker_names = speaker_names | {_norm(quote["speaker_text"])}
        if _names_match(speaker_names, item["speaker"]):
            right += 1
    false_quotes = 0
    for item in expected["not_quotes"]:
        quote = find_quote(data, item["file"], item["snippet"])
        if quote is not None and _norm(quote["text"]) == _norm(item["snippet"]):
            false_quotes += 1
    total = len(expected["quotes"])
    return {
        "quote_recall": found / total if total else 0.0,
        "speaker_accuracy": right / found if found else 0.0,
        "scare_quotes_taken_as_quotes": float(false_quotes),
    }


def linked_pairs(data: dict[str, Any], expected: dict[str, Any]) -> list[bool]:
    """For each expected same-statement pair: are the two quotes linked by ``same_as``?"""
    out = []
    for (file_a, snip_a), (file_b, snip_b) in expected["same_statement_pairs"]:
        qa, qb = find_quote(data, file_a, snip_a), find_quote(data, file_b, snip_b)
        out.append(bool(qa and qb and qb["id"] in qa["same_as"]))
    return out


def published_in_range(data: dict[str, Any], expected: dict[str, Any]) -> dict[str, bool]:
    """For each article: does its published_range (or date) hold the true date?"""
    truth = {aid: info["published"] for aid, info in expected["articles"].items()}
    out = {}
    for article in data["articles"]:
        true = truth.get(article["id"])
        if true is None:
            continue
        low_high = article["published_range"]
        out[article["id"]] = bool(low_high) and low_high[0] <= true <= low_high[1]
    return out


def story_scores(data: dict[str, Any], expected: dict[str, Any]) -> dict[str, float]:
    """Share of expected same-story groups kept together, and near-dups in one story."""
    story_of = {a["id"]: a["story_id"] for a in data["articles"]}
    together = sum(len({story_of.get(a) for a in group}) == 1 for group in expected["stories"])
    dups = sum(len({story_of.get(a) for a in pair}) == 1 for pair in expected["near_duplicates"])
    return {
        "stories_together": together / len(expected["stories"]),
        "near_duplicates_together": dups / len(expected["near_duplicates"]),
    }


def event_recall(data: dict[str, Any], expected: dict[str, Any]) -> float:
    """Share of expected events found with their type and participants (date not checked)."""
    names = _entity_names(data)
    hits = 0
    for item in expected["events"]:
        for event in data["events"]:
            if event["type"] != item["type"]:
                continue
            people = names.get(event["actor"] or "", set()) | names.get(
                event["target"] or "", set()
            )
            people |= {_norm(event.get("actor_text") or ""), _norm(event.get("target_text") or "")}
            if all(_names_match(people, p) for p in item["participants"]):
                hits += 1
                break
    return hits / len(expected["events"])


def framing_recall(data: dict[str, Any], expected: dict[str, Any]) -> float:
    """Share of expected (article, entity, term) framing facts present."""
    names = _entity_names(data)
    hits = 0
    for item in expected["framing"]:
        term = _norm(item["term"])
        for record in data["framing"]:
            if not _names_match(names.get(record["entity"], set()), item["entity"]):
                continue
            if any(
                t["article_id"] == item["file"] and term in _norm(t["term"])
                for t in record["terms"]
            ):
                hits += 1
                break
    return hits / len(expected["framing"])


def figure_recall(data: dict[str, Any], expected: dict[str, Any]) -> float:
    """Share of expected figures found with the right value."""
    hits = 0
    for item in expected["figures"]:
        for figure in data["figures"]:
            if figure["article_id"] == item["file"] and abs(
                figure["value"] - item["value"]
            ) < 1e-6 * max(1, item["value"]):
                hits += 1
                break
    return hits / len(expected["figures"])


def all_scores(data: dict[str, Any], expected: dict[str, Any]) -> dict[str, float]:
    """Every figure the demo quality gate checks."""
    in_range = published_in_range(data, expected)
    pairs = linked_pairs(data, expected)
    return {
        **quote_scores(data, expected),
        "same_statement_linked": sum(pairs) / len(pairs),
        "published_in_range": sum(in_range.values()) / max(len(in_range), 1),
        **story_scores(data, expected),
        "event_recall": event_recall(data, expected),
        "framing_recall": framing_recall(data, expected),
        "figure_recall": figure_recall(data, expected),
    }
