"""The bundled demo corpus end to end: hard cases and a quality gate with recorded floors.

The demo corpus (``examples/demo``) is original fiction written to carry the hard parts of
real coverage; ``examples/demo_expected.json`` holds hand-checked facts about it. Floors in
``tests/fixtures/floors.json`` may only be lowered with a note in the commit message.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from demo_quality import (
    DEMO,
    all_scores,
    linked_pairs,
    load_expected,
    published_in_range,
)

FLOORS = json.loads((Path(__file__).parent / "fixtures" / "floors.json").read_text())["demo"]


@pytest.fixture(scope="session")
def demo_data() -> dict[str, Any]:
    from dateline import analyze
    from dateline.serialize import result_to_dict

    return result_to_dict(analyze([DEMO]))


@pytest.fixture(scope="session")
def expected() -> dict[str, Any]:
    return load_expected()


def test_demo_reads_every_file_without_errors(
    demo_data: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert demo_data["errors"] == []
    assert {a["id"] for a in demo_data["articles"]} == set(expected["articles"])


@pytest.mark.parametrize("metric", sorted(set(FLOORS) - {"outlets_recognised"}))
def test_demo_quality_at_or_above_floor(
    metric: str, demo_data: dict[str, Any], expected: dict[str, Any]
) -> None:
    scores = all_scores(demo_data, expected)
    if metric == "scare_quotes_taken_as_quotes":
        assert scores[metric] <= FLOORS[metric]
    else:
        assert scores[metric] >= FLOORS[metric], scores


def test_demo_translations_of_one_statement_are_linked(
    demo_data: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert linked_pairs(demo_data, expected)[0], "the two translations of the minister's statement"


def test_demo_dated_articles_keep_their_dates(
    demo_data: dict[str, Any], expected: dict[str, Any]
) -> None:
    in_range = published_in_range(demo_data, expected)
    dated = [aid for aid, info in expected["articles"].items() if not info["undated"]]
    assert all(in_range[aid] for aid in dated), {aid: in_range[aid] for aid in dated}


def test_demo_outlets_recognised(demo_data: dict[str, Any], expected: dict[str, Any]) -> None:
    aliases = expected["outlet_aliases"]
    hits = 0
    for article in demo_data["articles"]:
        want = expected["articles"][article["id"]]["outlet"]
        names = {want, *aliases.get(want, [])}
        if article["outlet"] and any(n.casefold() in article["outlet"].casefold() for n in names):
            hits += 1
    assert hits >= FLOORS["outlets_recognised"]


def test_demo_offsets_slice_text(demo_data: dict[str, Any]) -> None:
    texts = {a["id"]: a["text"] for a in demo_data["articles"]}
    for section in ("timexes", "quotes", "figures"):
        for item in demo_data[section]:
            assert texts[item["article_id"]][item["start"] : item["end"]] == item["text"]
    for record in demo_data["framing"]:
        for term in record["terms"]:
            assert texts[term["article_id"]][term["start"] : term["end"]] == term["term"]
    for event in demo_data["events"]:
        for mention in event["mentions"]:
            assert 0 <= mention["start"] < mention["end"] <= len(texts[mention["article_id"]])
