"""Near-duplicate detection: MinHash over word shingles, LSH buckets, union-find groups.

Wire copies and republished pieces share long runs of identical words, so the Jaccard
similarity of their 5-word shingle sets stays high even when an outlet trims a paragraph or
adds a credit line; different reports of the same event share few 5-word runs. MinHash/LSH
(datasketch) finds the pairs above the threshold without comparing all pairs.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from dateline.corpus.unionfind import UnionFind
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


class FoldCache(dict[str, str]):
    """word -> ``dateline.text.fold(word)``, filled on first use.

    Folding each distinct word once is far cheaper than folding it every time.
    A corpus-wide pass makes one of these and drops it when done, so the cache lives exactly
    as long as the pass: it never thrashes (unbounded) and never outlives it (a module-level
    cache kept ~200,000 words, tens of MB, for the life of the process).
    """

    def __missing__(self, word: str) -> str:
        # fold() of an ASCII word is its lower case: nothing to decompose or strip.
        folded = self[word] = word.lower() if word.isascii() else fold(word)
        return folded


# Bounded: the frequent words of any text fit; callers folding a whole corpus pass their own
# FoldCache instead.
@lru_cache(maxsize=8192)
def fold_word(word: str) -> str:
    """``dateline.text.fold`` of one word (small shared cache for one-off callers)."""
    return fold(word)


def words(text: str, cache: FoldCache | None = None) -> list[str]:
    """Folded word tokens (case and accents ignored); ``cache`` folds each word once.

    With a cache every occurrence of a word is the same string object (its hash computed
    once), which makes the counting and hashing downstream cheaper than folding afresh.
    """
    if cache is None:
        return [fold_word(w) for w in _WORD.findall(text)]
    return [cache[w] for w in _WORD.findall(text)]


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


class DuplicateFinder:
    """Near-verbatim copy groups built one article at a time (see :func:`duplicate_groups`).

    Only each article's MinHash signature is kept, so a corpus pass can tokenise, add and
    drop each text in turn instead of holding every token list at once.
    """

    def __init__(self, threshold: float = 0.8) -> None:
        self._threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._sigs: dict[str, MinHash] = {}
        self._first: dict[str, str] = {}
        self._uf: UnionFind[str] = UnionFind()

    def add(self, aid: str, tokens: Sequence[str], content_hash: str | None = None) -> None:
        """Add one article (each id once); ``content_hash`` joins exact copies directly."""
        uf = self._uf
        uf.add(aid)
        if content_hash:
            uf.union(self._first.setdefault(content_hash, aid), aid)
        if not tokens:
            return
        sig = minhash(tokens)
        for other in self._lsh.query(sig):
            if sig.jaccard(self._sigs[other]) >= self._threshold:
                uf.union(aid, other)
        self._lsh.insert(aid, sig)
        self._sigs[aid] = sig

    def groups(self) -> list[tuple[str, ...]]:
        """Groups (size >= 2, sorted ids, groups sorted): connected components of the pairs.

        Components do not depend on the order articles were added in.
        """
        return sorted(tuple(g) for g in self._uf.groups() if len(g) > 1)


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
    finder = DuplicateFinder(threshold)
    for i in sorted(tokens):
        finder.add(i, tokens[i], hashes.get(i) if hashes else None)
    return finder.groups()
