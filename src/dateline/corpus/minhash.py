"""Near-duplicate detection: MinHash over word shingles, LSH buckets, union-find groups.

Wire copies and republished pieces share long runs of identical words, so the Jaccard
similarity of their 5-word shingle sets stays high even when an outlet trims a paragraph or
adds a credit line; different reports of the same event share few 5-word runs. MinHash/LSH
(datasketch) finds the pairs above the threshold without comparing all pairs.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from dateline.text import fold

VERSION = "minhash.v1"

NUM_PERM = 128
SHINGLE = 5  # words per shingle: long enough that topic phrases rarely repeat by chance
_WORD = re.compile(r"\w+")
_MASK32 = np.uint64(0xFFFFFFFF)


def _identity(value: int) -> int:
    return value


@lru_cache(maxsize=1)
def _permutations() -> np.ndarray:
    """The seeded permutations, made once: every MinHash in a run must share them."""
    perms: np.ndarray = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=_identity).permutations
    return perms


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    """``dateline.text.fold`` of one word, cached: folding each distinct word once is far
    cheaper than folding every character of every text."""
    return fold(word)


def words(text: str) -> list[str]:
    """Folded word tokens (case and accents ignored)."""
    return [fold_word(w) for w in _WORD.findall(text)]


def shingle_hashes(tokens: Sequence[str], k: int = SHINGLE) -> list[int]:
    """32-bit hashes of the k-word shingles of ``tokens`` (the whole text when shorter).

    Each word is hashed once (crc32, stable across processes, unlike ``hash``) and the k
    word hashes are mixed with a polynomial in numpy, which is much faster than hashing
    every shingle string.
    """
    if not tokens:
        return []
    crc = {t: zlib.crc32(t.encode("utf-8")) for t in set(tokens)}
    ids = np.array([crc[t] for t in tokens], dtype=np.uint64)
    k = min(k, len(ids))
    n = len(ids) - k + 1
    acc = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            acc = acc * np.uint64(1_000_003) + ids[j : j + n]
        acc ^= acc >> np.uint64(29)
        acc *= np.uint64(0xBF58476D1CE4E5B9)
        acc ^= acc >> np.uint64(32)
    hashes: list[int] = np.unique(acc & _MASK32).tolist()
    return hashes


def minhash(tokens: Sequence[str]) -> MinHash:
    """The MinHash signature of a token sequence's shingle set."""
    m = MinHash(
        num_perm=NUM_PERM, hashfunc=_identity, permutations=_permutations(), scheme="affine32"
    )
    m.update_batch(shingle_hashes(tokens))
    return m


class _UnionFind:
    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {i: i for i in items}

    def find(self, x: str) -> str:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller id becomes the root, so groups do not depend on input order.
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            self.parent[hi] = lo


def duplicate_groups(
    tokens: Mapping[str, Sequence[str]],
    *,
    threshold: float = 0.8,
    hashes: Mapping[str, str] | None = None,
) -> list[tuple[str, ...]]:
    """Groups (size >= 2, sorted ids) of near-verbatim copies (``tokens``: id -> words).

    ``hashes`` (id -> content hash) joins exact copies without MinHash. A pair joins when
    the LSH puts it in a shared bucket and its estimated Jaccard is >= ``threshold``; groups
    are connected components, which is safe at this high threshold.
    """
    ids = sorted(tokens)
    uf = _UnionFind(ids)
    if hashes:
        first: dict[str, str] = {}
        for i in ids:
            h = hashes.get(i)
            if h:
                uf.union(first.setdefault(h, i), i)
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    sigs: dict[str, MinHash] = {}
    for i in ids:
        if not tokens[i]:
            continue
        sig = minhash(tokens[i])
        for other in lsh.query(sig):
            if sig.jaccard(sigs[other]) >= threshold:
                uf.union(i, other)
        lsh.insert(i, sig)
        sigs[i] = sig
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(uf.find(i), []).append(i)
    return sorted(tuple(g) for g in groups.values() if len(g) > 1)
