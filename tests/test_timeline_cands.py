"""Tests for dateline.corpus.timeline_cands: sentence bounds, signatures, candidates."""

from __future__ import annotations

from datetime import date

import pytest

from dateline.corpus.timeline_cands import (
    SentenceBounds,
    WordIds,
    candidates,
    clean,
    names,
    words,
)
from dateline.models import Article, ArticleAnalysis
from dateline.stages.dates import extract_timexes, sentence_bounds

_TEXTS = [
    "The council met on Monday. It voted 7-2 to close the bridge.\nRepairs start in June.",
    'He said: "We will rebuild." Then he left.  "Not now," she replied. (Later, calm.)',
    "No break here at all just words and more words without any stop",
    "Ends with a stop.",
    "Line one\n\n\nLine two. 2019 was hard! Was it? Yes.\u201cQuoted,\u201d he said. \u201dOdd.",
    "",
    ". . .  A  B. c. D",
]


@pytest.mark.parametrize("text", _TEXTS)
def test_sentence_bounds_equal_the_plain_function(text: str) -> None:
    bounds = SentenceBounds(text)
    for start in range(len(text)):
        for end in (start + 1, min(len(text), start + 7)):
            assert bounds(start, end) == sentence_bounds(text, None, start, end), (start, end)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The mayor was elected on May 20, 2018.", {"mayor", "elected", "may", "20", "2018"}),
        ("It's the rebels' town-hall.", {"it's", "rebels'", "town-hall"}),
        ("a I to", set()),
    ],
)
def test_words_table(text: str, expected: set[str]) -> None:
    assert words(text) == expected


def test_word_ids_share_one_id_per_word() -> None:
    ids = WordIds()
    a, b = ids("Rebels took the town."), ids("The town fell to rebels.")
    assert len(set(a) & set(b)) == 2  # "rebels", "town"
    assert list(a) == sorted(a)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Putov met Madero in Lorna on Monday.", {"Madero", "Lorna", "Monday"}),
        ("Senators met Putov.", {"Putov"}),  # the first capitalised word opens the sentence
        ("Officials said The Senate met.", {"Senate"}),  # "The" is a stop word
    ],
)
def test_names_table(text: str, expected: set[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("KESSA, May 2 (Wire) - Rebels   took the town.", "Rebels took the town."),
        ("\u201cWe will stay,\u201d she said.", "We will stay,\u201d she said."),
        ("Plain sentence.", "Plain sentence."),
    ],
)
def test_clean_table(sentence: str, expected: str) -> None:
    assert clean(sentence) == expected


def test_candidates_day_dates_of_the_past_only() -> None:
    pub = date(2019, 5, 5)
    text = (
        "The mayor was elected on May 20, 2018, in a disputed vote across the province. "
        "Talks will resume on May 10, 2019, in the capital with regional envoys present."
    )
    art = Article(id="a1", source="t", text=text, content_hash="a1", published=pub)
    analysis = ArticleAnalysis(article=art, timexes=extract_timexes(art, None, reference=pub))
    (cand,) = candidates([analysis], ())
    assert cand.date == date(2018, 5, 20)
    assert cand.sentence.startswith("The mayor was elected")
    assert cand.article_ids == ("a1",)
    assert len(cand.keys) > 0  # its names, with its article, are sure keys
