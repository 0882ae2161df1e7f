"""Story features built in one streaming pass give exactly what the batch helpers give.

The streaming pieces (per-pass term cache, vector builder, numpy candidate pairs) exist to
keep the corpus stage's memory flat; these tests pin them to the plain definitions. All
sentences are fictional news lines written for these tests.
"""

from __future__ import annotations

import random
from collections import Counter
from itertools import combinations

import pytest

from dateline.corpus.minhash import words
from dateline.corpus.stories import POSTING_CAP as CAP
from dateline.corpus.stories_features import candidate_pairs, sentence_vocab
from dateline.corpus.storyterms import (
    TermCache,
    VectorBuilder,
    article_terms,
    build_vectors,
)
from dateline.models import Article

TEXTS = {
    "n1": "Mayor Ilse Varga of Dunmore opened the new bridge on May 4, 2021, after 3 years.",
    "n2": "The Dunmore bridge, opened by Mayor Ilse Varga on 4 May, cost 12 million crowns.",
    "n3": "Storms flooded the Kessel valley; the NWS said 2021-05-04 was the wettest day.",
    "n4": "Señor Óscar Núñez, the Kessel fire chief, said 40 homes were flooded on Tuesday.",
    "n5": "",
}


@pytest.mark.parametrize("aid", sorted(TEXTS))
def test_article_terms_same_with_term_cache(aid: str) -> None:
    cache = TermCache()
    text = TEXTS[aid]
    for _ in range(2):  # the second round reads the kinds the first one stored
        assert article_terms(text, words(text, cache), cache) == article_terms(text)


@pytest.mark.parametrize("entities", [None, {"n1": ["e1", "e2"], "n2": ["e1"], "n4": ["e3"]}])
def test_vector_builder_matches_build_vectors(entities: dict[str, list[str]] | None) -> None:
    terms = {aid: article_terms(t) for aid, t in TEXTS.items()}
    built = build_vectors(terms, entity_ids=entities, salient_count=5)
    builder = VectorBuilder(salient_count=5)
    for aid in sorted(terms):
        ents = sorted(set((entities or {}).get(aid, ())))
        builder.add(aid, terms[aid], ents)
    streamed = builder.build()
    assert streamed.vectors == built.vectors
    assert streamed.salient == built.salient
    assert streamed.vocab == built.vocab
    assert list(streamed.df) == list(built.df)
    # the two Dunmore reports share names, the bridge and the date
    shared = built.vectors["n1"].keys() & built.vectors["n2"].keys()
    assert {built.vocab["dunmore"], built.vocab["varga"], built.vocab["date:05-04"]} <= shared
    # document frequencies count articles, one per article whatever the term frequency
    assert built.df[built.vocab["dunmore"]] == 2


def _reference_pairs(salient: dict[str, tuple[int, ...]]) -> set[tuple[str, str]]:
    postings: dict[int, list[str]] = {}
    for aid in sorted(salient):
        for f in salient[aid]:
            postings.setdefault(f, []).append(aid)
    shared: Counter[tuple[str, str]] = Counter()
    for ids in postings.values():
        if 2 <= len(ids) <= CAP:
            shared.update(combinations(ids, 2))
    return {p for p, n in shared.items() if n >= 2}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_candidate_pairs_match_reference(seed: int) -> None:
    rng = random.Random(seed)
    # a few very common features (posting lists over the cap) among many rare ones
    salient = {f"a{i:03d}": (*rng.sample(range(40), 6), 1000 + i % 3) for i in range(200)}
    found = list(candidate_pairs(salient, cap=CAP, min_shared=2))
    assert len(found) == len(set(found))
    assert set(found) == _reference_pairs(salient)
    assert all(a < b for a, b in found)


def test_candidate_pairs_empty() -> None:
    assert list(candidate_pairs({}, cap=CAP, min_shared=2)) == []
    assert list(candidate_pairs({"a": (1, 2), "b": (3,)}, cap=CAP, min_shared=2)) == []


def test_sentence_vocab_keeps_only_untitled_features() -> None:
    terms = {aid: article_terms(t) for aid, t in TEXTS.items()}
    sv = build_vectors(terms)
    arts = [
        Article(id=aid, source=aid, text=t, content_hash=aid, title=None if aid == "n2" else "T")
        for aid, t in TEXTS.items()
    ]
    kept = sentence_vocab(sv.vocab, sv.vectors, arts)
    assert set(kept.values()) == set(sv.vectors["n2"])
    assert all(sv.vocab[t] == f for t, f in kept.items())
    titled = [
        Article(id=a.id, source=a.id, text=a.text, content_hash=a.id, title="T") for a in arts
    ]
    assert sentence_vocab(sv.vocab, sv.vectors, titled) == {}
