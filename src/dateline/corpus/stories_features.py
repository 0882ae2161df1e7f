"""Story features in one streaming pass, and candidate pairs from an inverted index.

Helpers of :mod:`dateline.corpus.stories`, split out to keep that module small. Both exist
for the corpus stage's memory and time at scale: texts are tokenised a chunk at a time and
reduced to compact per-article data (a MinHash signature, two small arrays) before the next
chunk, and candidate pairs are counted as ints in numpy rather than as tuples in a dict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from dateline.corpus.minhash import DuplicateFinder, words
from dateline.corpus.storyterms import (
    StoryVectors,
    TermCache,
    VectorBuilder,
    article_entities,
    article_terms,
    with_title,
)
from dateline.models import Article

# Articles tokenised per turn: few enough that their tokens take little memory, enough that
# each kind of work (tokenising, MinHash, term weights) runs over several texts in a row,
# which keeps the processor's caches warm (one article at a time was ~10% slower).
CHUNK = 64


def story_features(
    arts: list[Article],
    entity_ids: Mapping[str, Sequence[str]] | None,
    *,
    threshold: float,
    salient_count: int,
) -> tuple[list[tuple[str, ...]], StoryVectors]:
    """Near-duplicate groups and story vectors in one pass over the texts.

    Each text is tokenised, signed (MinHash) and reduced to raw term weights, then dropped:
    only compact per-article data (a signature, two small arrays) outlives its turn. The
    fold cache lives for this pass only. Articles go in ascending id order (``arts`` is
    sorted), which fixes the feature ids.
    """
    finder = DuplicateFinder(threshold)
    builder = VectorBuilder(salient_count)
    cache = TermCache()
    for start in range(0, len(arts), CHUNK):
        chunk = arts[start : start + CHUNK]
        texts = [with_title(a.text, a.title) for a in chunk]
        tokens = [words(text, cache) for text in texts]
        for a, toks in zip(chunk, tokens, strict=True):
            finder.add(a.id, toks, a.content_hash)
        for a, text, toks in zip(chunk, texts, tokens, strict=True):
            builder.add(a.id, article_terms(text, toks, cache), article_entities(entity_ids, a.id))
    del cache
    return finder.groups(), builder.build()


def candidate_pairs(
    salient: Mapping[str, tuple[int, ...]], *, cap: int, min_shared: int
) -> Iterable[tuple[str, str]]:
    """Pairs sharing >= min_shared salient features with short posting lists.

    Articles are numbered in id order and a pair is one int (``a * n + b``); posting lists
    of one length are stacked so that their pairs come out of numpy in one step, and the
    pairs seen often enough are counted with ``np.unique``: 8 bytes a pair occurrence
    instead of a dict entry keyed by a tuple of two strings.
    """
    ids = sorted(salient)
    n = len(ids)
    postings: dict[int, list[int]] = defaultdict(list)
    for x, aid in enumerate(ids):
        for f in salient[aid]:
            postings[f].append(x)
    by_length: dict[int, list[list[int]]] = defaultdict(list)
    for members in postings.values():
        if 2 <= len(members) <= cap:
            by_length[len(members)].append(members)
    del postings
    codes = []
    for length, lists in by_length.items():
        block = np.array(lists, dtype=np.int64)
        first, second = np.triu_indices(length, 1)
        codes.append((block[:, first] * n + block[:, second]).ravel())
    if not codes:
        return []
    found, counts = np.unique(np.concatenate(codes), return_counts=True)
    return [(ids[c // n], ids[c % n]) for c in found[counts >= min_shared].tolist()]


def sentence_vocab(
    vocab: Mapping[str, int],
    vectors: Mapping[str, Mapping[int, float]],
    arts: Iterable[Article],
) -> dict[str, int]:
    """The part of ``vocab`` a story title made from a sentence can use.

    A sentence is scored against its cluster's summed vectors only when no article of the
    cluster has a title, so only features of untitled articles can ever score: the rest of
    the corpus vocabulary (all of it when every article has a title) is dropped early.
    """
    needed: set[int] = set()
    for a in arts:
        if not (a.title or "").strip():
            needed.update(vectors[a.id])
    return {t: f for t, f in vocab.items() if f in needed} if needed else {}
