"""Blocking for the timeline's "same happening" test, so it never compares all pairs.

Two candidates of one date are the same happening when they share a merged event, a
participant, two proper names, a proper name and an article or story, or enough content
words for a Jaccard of ``threshold``. Every way but the last is a shared *sure* key, a match
by itself:

* ``e:<event id>``, ``p:<party>``, ``n2:<name>|<name>`` for every pair of its names, and
  ``na:``/``ns:`` a name with its article or story.

Sure keys are negative ints (one per distinct key, for the length of one call), so a large
corpus holds no key strings. The Jaccard is found by *prefix filtering*: a candidate's
words ordered rarest first, cut to ``n - ceil(threshold * n) + 1`` of them. Two sets with
Jaccard >= t overlap in at least ``ceil(t * max(n_a, n_b))`` words, so their prefixes share
one whatever the order, as long as both use the same one. Within one date the order is
that date's own word frequencies: the words every report of the day repeats (the year,
the month) come last and drop out, where a corpus-wide order kept them.

Candidate pairs are the pairs that share a prefix word (at a position :func:`min_overlap`
allows); each is checked with the exact Jaccard, so the clusters are those of the
all-pairs loop, in near-linear time on news.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from itertools import combinations
from typing import TYPE_CHECKING

from dateline.corpus.unionfind import UnionFind

if TYPE_CHECKING:
    from dateline.corpus.timeline_cands import Cand


class SureKeys:
    """A candidate's sure keys as negative ints, one per distinct key for one call."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def __call__(
        self,
        event_ids: Iterable[str],
        parties: Iterable[str],
        names: Collection[str],
        article_ids: Iterable[str],
        stories: Iterable[str],
    ) -> array[int]:
        out = [f"e:{e}" for e in event_ids]
        out += [f"p:{p}" for p in parties]
        ordered = sorted(names)
        out += [f"n2:{a}|{b}" for a, b in combinations(ordered, 2)]
        articles, found = list(article_ids), list(stories)
        for name in ordered:
            out += [f"na:{name}|{a}" for a in articles]
            out += [f"ns:{name}|{s}" for s in found]
        ids = self.ids
        return array("l", sorted({ids.setdefault(k, -1 - len(ids)) for k in out}))


def jaccard(a: set[int] | frozenset[int], b: Iterable[int], len_b: int) -> float:
    """Jaccard of a set and ``len_b`` distinct items (``b`` may be any iterable)."""
    inter = len(a.intersection(b))
    union = len(a) + len_b - inter
    return inter / union if union else 0.0


def word_rank(cands: Iterable[Cand]) -> dict[int, int]:
    """Position of each word in the prefix order: rarest first (ties by word id)."""
    df: Counter[int] = Counter()
    for c in cands:
        df.update(c.words)
    order = sorted(df, key=lambda w: (df[w], w))
    return {w: i for i, w in enumerate(order)}


def prefix(words: Sequence[int], rank: dict[int, int], threshold: float) -> list[int]:
    """The ranks of the prefix words (rarest first): a Jaccard match shares one of them."""
    n = len(words)
    if not n:
        return []
    return sorted(map(rank.__getitem__, words))[: n - math.ceil(threshold * n) + 1]


def min_overlap(na: int, nb: int, threshold: float) -> int:
    """Fewest shared words for a Jaccard >= ``threshold`` between ``na`` and ``nb`` words.

    Jaccard >= t means overlap >= t * (na + nb) / (1 + t). Two sets with that overlap share
    a word among the first ``n - min_overlap + 1`` of each (in any common order): the
    first word they share. A pair found through a later word is found through that one.
    """
    return math.ceil(threshold * (na + nb) / (1 + threshold) - 1e-9)


def cluster(cands: list[Cand], threshold: float) -> list[list[Cand]]:
    """Single-link within each (date, precision): union-find over the "same happening" pairs.

    Clusters are ordered by date, precision and first sentence; members by sentence.
    """
    by_date: dict[tuple[date, str], list[Cand]] = defaultdict(list)
    for c in sorted(cands, key=lambda c: (c.date, c.precision, c.sentence)):
        by_date[(c.date, c.precision)].append(c)
    clusters: list[list[Cand]] = []
    for group in by_date.values():
        uf = UnionFind(range(len(group)))
        if len(group) > 1:
            _link_group(group, uf, threshold)
        clusters.extend([group[i] for i in members] for members in uf.groups())
    return clusters


def _link_group(group: Sequence[Cand], uf: UnionFind[int], threshold: float) -> None:
    first: dict[int, int] = {}  # sure key -> first candidate filed under it
    for i, c in enumerate(group):
        for key in c.keys:
            if key in first:
                uf.union(first[key], i)
            else:
                first[key] = i
    del first
    rank = word_rank(group)  # this date's own frequencies (module doc)
    by_word: dict[int, list[int]] = defaultdict(list)  # word -> i << 16 | its position
    for i, c in enumerate(group):
        for p, w in enumerate(prefix(c.words, rank, threshold)):
            by_word[w].append(i << 16 | min(p, 0xFFFF))
    n = len(group)
    sets: dict[int, frozenset[int]] = {}
    checked: set[int] = set()
    for postings in by_word.values():
        for x, code_a in enumerate(postings):
            i, pa = code_a >> 16, code_a & 0xFFFF
            na = len(group[i].words)
            for code_b in postings[x + 1 :]:
                j = code_b >> 16
                if i * n + j in checked or uf.find(i) == uf.find(j):
                    continue
                b = group[j].words
                need = min_overlap(na, len(b), threshold)
                if pa > na - need or (code_b & 0xFFFF) > len(b) - need:
                    continue  # a matching pair shares an earlier word (min_overlap)
                checked.add(i * n + j)
                a = sets.get(i)
                if a is None:
                    a = sets[i] = frozenset(group[i].words)
                if jaccard(a, b, len(b)) >= threshold:
                    uf.union(i, j)
