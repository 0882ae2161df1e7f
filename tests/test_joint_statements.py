"""A statement two parties make together ("Anna Petrova and Tom Reyes said …") is found by
either name, end to end: the corpus stage turns the coordinated speakers' article keys into
corpus entities, and the web index and filters treat each of them as a speaker."""

from __future__ import annotations

import pytest

from dateline.pipeline import analyze
from dateline.web.index import build_index
from dateline.web.queries import select_quotes

TEXT = (
    "SOLVAN (Harbour Wire) - Anna Petrova and her deputy Tom Reyes said on Monday that the "
    "port of Solvan would reopen in May. Petrova has run the harbour since 2015."
)


@pytest.fixture(scope="module")
def result():
    return analyze([{"id": "a1", "text": TEXT, "outlet": "Harbour Wire"}])


def _entity(result, name: str) -> str:
    return next(e.id for e in result.entities if e.name == name)


def test_the_corpus_stage_names_the_coordinated_speakers(result):
    (quote,) = [q for q in result.quotes if "reopen" in q.text]
    assert quote.speaker == _entity(result, "Anna Petrova")
    assert quote.co_speakers == (_entity(result, "Tom Reyes"),)


def test_the_web_finds_a_joint_statement_by_either_speaker(result):
    index = build_index(result)
    reyes = _entity(result, "Tom Reyes")
    assert [q.text for q in select_quotes(index, speaker="Reyes") if "reopen" in q.text]
    assert [q for q in index.quotes_by_speaker[reyes] if "reopen" in q.text]
