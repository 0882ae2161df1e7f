"""MinHash helpers: the per-pass fold cache and the streaming near-duplicate finder.

All sentences are fictional news lines written for these tests.
"""

from __future__ import annotations

import itertools
import re

import pytest

from dateline.corpus.minhash import DuplicateFinder, FoldCache, duplicate_groups, fold_word, words
from dateline.text import fold

WIRE = (
    "The harbour board of Pellmouth approved a new ferry terminal on Monday after a vote "
    "of seven to two, the board chair Maren Tolvik told reporters outside the town hall."
)
WIRE_COPY = WIRE + " (Reporting by the desk)"
OTHER = (
    "Farmers near Ostwick reported the driest spring in forty years, and the regional water "
    "agency asked households to halve their use of garden hoses until the autumn rains."
)


@pytest.mark.parametrize(
    "text",
    [
        "Guaidó met Señora Núñez in São Paulo",
        "ÉCOLE Straße Ærø ǅemal ﬁnance",
        "plain ASCII words, with CAPITALS and 42 numbers_and_underscores",
        "",
        "\u2019quoted\u2019 \u201cwords\u201d",
    ],
)
def test_fold_cache_matches_fold(text: str) -> None:
    cache = FoldCache()
    assert words(text, cache) == words(text) == [fold(w) for w in re.findall(r"\w+", text)]
    # every cached value is exactly what fold() gives
    assert all(cache[w] == fold(w) for w in list(cache))


@pytest.mark.parametrize("word", ["Lavrov", "ÖSTERREICH", "naïve", "x", "ÀÉÎ"])
def test_fold_word_is_fold(word: str) -> None:
    assert fold_word(word) == fold(word)


def test_fold_word_cache_is_bounded() -> None:
    maxsize = fold_word.cache_info().maxsize
    assert maxsize is not None
    assert maxsize <= 10_000


@pytest.mark.parametrize(
    "order",
    list(itertools.permutations(["a", "b", "c", "d"])),
)
def test_duplicate_finder_order_independent(order: tuple[str, ...]) -> None:
    texts = {"a": WIRE, "b": OTHER, "c": WIRE_COPY, "d": WIRE}
    finder = DuplicateFinder(0.8)
    for aid in order:
        finder.add(aid, words(texts[aid]), content_hash=None)
    assert finder.groups() == [("a", "c", "d")]
    assert duplicate_groups({k: words(v) for k, v in texts.items()}) == [("a", "c", "d")]


def test_duplicate_finder_exact_hash_and_empty_tokens() -> None:
    finder = DuplicateFinder(0.8)
    finder.add("x", [], content_hash="h1")
    finder.add("y", [], content_hash="h1")
    finder.add("z", [], content_hash="h2")
    finder.add("w", words(OTHER))
    assert finder.groups() == [("x", "y")]
