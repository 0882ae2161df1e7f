"""Blocking keys for the timeline's "same happening" test, so it never compares all pairs.

Two candidates can only be the same happening (``timeline._same_happening``) when they share
a merged event, a participant, a proper name, or enough content words for a Jaccard of
``threshold``. Each candidate is filed under keys that cover every one of these ways:

* ``e:<event id>`` and ``p:<party>``: a shared key is itself a match;
* ``w:<word>`` for the candidate's *prefix* words: its words ordered rarest first, cut to
  ``n - ceil(threshold * n) + 1`` of them. Two sets with Jaccard >= t overlap in at least
  ``ceil(t * max(n_a, n_b))`` words, so their prefixes share one (prefix filtering): exact,
  and the very common words (numbers, "government") drop out of the index;
* ``n2:<name>|<name>`` for every pair of its names (two shared names are a match), and
  ``na:``/``ns:`` a name with its article or story (one shared name is a match there).

Candidate pairs are the pairs that share a key; the caller still checks each one with the
exact test, so the result is that of the all-pairs loop, in near-linear time on news.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import Protocol

# Keys that are a match by themselves (no need to check the pair).
SURE = ("e:", "p:")


class Keyed(Protocol):
    event_ids: set[str]
    article_ids: set[str]
    words: frozenset[str]
    names: frozenset[str]
    parties: frozenset[str]
    stories: frozenset[str]
    keys: list[str]


def word_rank(cands: Iterable[Keyed]) -> dict[str, tuple[int, str]]:
    """Order of words for prefix filtering: rarest first (ties by the word itself)."""
    df: Counter[str] = Counter()
    for c in cands:
        df.update(c.words)
    return {w: (n, w) for w, n in df.items()}


def keys(
    c: Keyed, rank: dict[str, tuple[int, str]], threshold: float, memo: dict[str, str]
) -> list[str]:
    """Every blocking key of one candidate (see the module docstring).

    ``memo`` shares one string per distinct key across candidates (a large corpus has
    millions of keys but far fewer distinct ones).
    """
    return [memo.setdefault(k, k) for k in _keys(c, rank, threshold)]


def _keys(c: Keyed, rank: dict[str, tuple[int, str]], threshold: float) -> list[str]:
    out = [f"e:{e}" for e in c.event_ids]
    out += [f"p:{p}" for p in c.parties]
    n = len(c.words)
    if n:
        prefix = n - math.ceil(threshold * n) + 1
        out += [f"w:{w}" for w in sorted(c.words, key=rank.__getitem__)[:prefix]]
    names = sorted(c.names)
    out += [f"n2:{a}|{b}" for a, b in combinations(names, 2)]
    for name in names:
        out += [f"na:{name}|{a}" for a in c.article_ids]
        out += [f"ns:{name}|{s}" for s in c.stories]
    return out


def postings(cands: Sequence[Keyed]) -> dict[str, list[int]]:
    """Key -> indices of the candidates filed under it (in index order; keys set before)."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(cands):
        for key in c.keys:
            index[key].append(i)
    return index


class UnionFind:
    """Union-find whose root is always the smallest index (so the order is canonical)."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            lo, hi = (ri, rj) if ri < rj else (rj, ri)
            self.parent[hi] = lo
