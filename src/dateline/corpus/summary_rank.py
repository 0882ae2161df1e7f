"""Score, merge and pick one group's sentences (a story, or the whole corpus) on flat arrays.

Sentences are scored by TF-IDF cosine to the group's centroid plus a lead bonus, minus a
little when mostly a direct quotation. Near-duplicates from different articles (Jaccard of
content words, blocked by each sentence's three rarest words) merge into one entry citing
every article; the best-scoring member represents it. Entries are taken by score, skipping
any that repeat one already taken.

The arithmetic is the one a per-sentence loop would do, in the same order: per-sentence
sums run left to right through the builtin ``sum`` and the centroid adds word weights in
sentence order (``np.bincount`` accumulates in input order), so scores are bit for bit
those of summing sentence by sentence, and ties break the same way.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from itertools import pairwise

import numpy as np

from dateline.corpus.summary_sentences import SentenceTable
from dateline.corpus.unionfind import UnionFind
from dateline.models import SummarySentence

_LEAD_BONUS = np.array([0.15, 0.08, 0.04])
# Jaccard of content words above which two sentences say the same thing.
_DUPLICATE = 0.6
# ... and above which a picked sentence would repeat one already picked.
_REPEAT = 0.5
_SUPPORT_BONUS = 0.05
_QUOTE_PENALTY = 0.1
_BLOCK_KEYS = 3  # rarest words per sentence used as blocking keys
_WINDOW = 50  # a block member is compared with the next WINDOW - 1 members only
# A "rare" word carried by more sentences than this is no blocking key (its block is then
# compared in full within the window): over a whole corpus such blocks produced ~6,000
# candidate pairs per article (news_corpus, 4,000 articles: +570 MB, 14 s of sorting).
# Sentences with the same content words are paired by their word-set hash instead, so
# wire copy carried by many articles still merges.
_BLOCK_MAX_DF = _WINDOW
_MIX = np.uint64(0x9E3779B97F4A7C15)
_CHUNK = 2048  # sentences per batch of builtin sums (bounds the Python floats held)


def _chunks(ptr: np.ndarray) -> Iterator[tuple[int, int, int, int]]:
    """Batches of sentences ``c0:c1`` and their tokens ``lo:hi``: bounded temporaries."""
    n = len(ptr) - 1
    for c0 in range(0, n, _CHUNK):
        c1 = min(n, c0 + _CHUNK)
        yield c0, c1, int(ptr[c0]), int(ptr[c1])


def _seq_sums(values: np.ndarray, offsets: np.ndarray) -> list[float]:
    """``sum(values[offsets[k]:offsets[k + 1]])`` per segment, by the builtin ``sum``."""
    vals, offs = values.tolist(), offsets.tolist()
    return [sum(vals[a:b]) for a, b in pairwise(offs)]


def _jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


class _Group:
    """One group's sentences (table rows) and tokens, with its words numbered ``0..words``.

    ``inv`` numbers each token's word so that first occurrences come in ascending order
    (the order a dict filled sentence by sentence would keep). For the whole corpus the
    table's own ids already are that numbering: nothing per token is copied.
    """

    def __init__(self, table: SentenceTable, members: Sequence[int], repeats: bool) -> None:
        ptr = table.sent_ptr
        at = np.asarray(members, dtype=np.int64)
        firsts, sizes = ptr[at], ptr[at + 1] - ptr[at]
        whole = list(members) == list(range(len(ptr) - 1))
        if whole:
            self.sel = np.arange(int(ptr[-1]))
        else:
            self.sel = np.repeat(firsts - np.cumsum(sizes) + sizes, sizes) + np.arange(
                int(sizes.sum())
            )
        self.order = np.repeat(np.arange(len(members)), sizes)
        # A story listing an article twice sees its quotes twice (as the per-story quote
        # list would): the coverage counts once per listing.
        counts = np.bincount(at, minlength=len(ptr) - 1)[at] if repeats else np.ones_like(at)
        self.times = np.repeat(counts, sizes)
        tp = table.tok_ptr
        if whole:
            self.ptr = tp
            self.ids, self.cnt, self.inv = table.word, table.count, table.word
            self.words = len(table.rank)
        else:
            lengths = tp[self.sel + 1] - tp[self.sel]
            self.ptr = np.zeros(len(self.sel) + 1, dtype=np.int64)
            np.cumsum(lengths, out=self.ptr[1:])
            pos = np.repeat(tp[self.sel] - self.ptr[:-1], lengths) + np.arange(int(self.ptr[-1]))
            self.ids, self.cnt = table.word[pos], table.count[pos]
            _, first, inv = np.unique(self.ids, return_index=True, return_inverse=True)
            renumber = np.empty(len(first), dtype=np.int32)
            renumber[np.argsort(first, kind="stable")] = np.arange(len(first), dtype=np.int32)
            self.inv = renumber[inv]
            self.words = len(first)

    def word_set(self, s: int) -> frozenset[int]:
        return frozenset(self.inv[self.ptr[s] : self.ptr[s + 1]].tolist())


def _scores(table: SentenceTable, g: _Group, df: np.ndarray) -> np.ndarray:
    n = len(g.sel)
    counts = np.unique(df)
    idf_of = np.array([math.log((1 + n) / (1 + c)) + 1 for c in counts.tolist()])
    idf = idf_of[np.searchsorted(counts, df)]
    centroid = np.zeros(g.words)
    for _, _, lo, hi in _chunks(g.ptr):  # np.add.at adds in token order, as a dict would
        np.add.at(centroid, g.inv[lo:hi], g.cnt[lo:hi] * idf[g.inv[lo:hi]])
    c_norm = math.sqrt(sum((centroid * centroid).tolist())) or 1.0
    cos = np.empty(n)
    for c0, c1, lo, hi in _chunks(g.ptr):
        vec = g.cnt[lo:hi] * idf[g.inv[lo:hi]]
        offsets = g.ptr[c0 : c1 + 1] - lo
        norm = np.sqrt(_seq_sums(vec * vec, offsets))
        norm[norm == 0.0] = 1.0
        cos[c0:c1] = np.asarray(_seq_sums(vec * centroid[g.inv[lo:hi]], offsets)) / (norm * c_norm)
    index = table.index[g.sel]
    bonus = np.where(index < len(_LEAD_BONUS), _LEAD_BONUS[np.minimum(index, 2)], 0.0)
    quoted = g.times * table.covered[g.sel] > 0.6 * table.span[g.sel]
    base = np.where(quoted, 0.0 - _QUOTE_PENALTY, 0.0)
    scores: np.ndarray = base + (cos + bonus)
    return scores


def _candidate_pairs(table: SentenceTable, g: _Group, df: np.ndarray) -> np.ndarray:
    """Pairs (i < j) of sentences of different articles sharing a block, as ``i * n + j``."""
    n = len(g.sel)
    words, sents = [], []
    for c0, c1, lo, hi in _chunks(g.ptr):
        sent = np.repeat(np.arange(c0, c1), np.diff(g.ptr[c0 : c1 + 1]))
        inv = g.inv[lo:hi]
        rarest = np.lexsort((table.rank[g.ids[lo:hi]], df[inv], sent))
        keep = rarest[np.arange(hi - lo) + lo - g.ptr[sent[rarest]] < _BLOCK_KEYS]
        keep = keep[df[inv[keep]] <= _BLOCK_MAX_DF]
        words.append(inv[keep])
        sents.append(sent[keep])
    block_word, block_sent = np.concatenate(words), np.concatenate(sents)
    blocks = np.lexsort((block_sent, block_word))
    block_word, block_sent = block_word[blocks], block_sent[blocks]
    code = table.code[table.article[g.sel]]
    found = [_same_words(g, code)]
    for d in range(1, min(_WINDOW, len(block_word))):
        same = np.flatnonzero(block_word[:-d] == block_word[d:])
        if not len(same):
            break
        i, j = block_sent[same], block_sent[same + d]
        other = code[i] != code[j]
        found.append(i[other] * n + j[other])
    return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def _same_words(g: _Group, code: np.ndarray) -> np.ndarray:
    """Pairs of sentences of different articles with the same content words, as ``i * n + j``.

    Sentences are ordered by an order-free hash of their word set. In each run of equal
    hashes every sentence is paired with the run's first sentence from another article
    (enough for the union of the merge; ``_duplicates`` checks every pair, so a hash
    collision costs only a test).
    """
    n = len(g.sel)
    lengths = np.diff(g.ptr)
    mixed = (g.inv.astype(np.uint64) + np.uint64(1)) * _MIX
    mixed ^= mixed >> np.uint64(29)
    total = np.concatenate((np.zeros(1, dtype=np.uint64), np.cumsum(mixed, dtype=np.uint64)))
    signature = total[g.ptr[1:]] - total[g.ptr[:-1]]
    order = np.lexsort((np.arange(n), signature))
    order = order[lengths[order] > 0]
    if len(order) < 2:
        return np.zeros(0, dtype=np.int64)
    cut = np.flatnonzero(signature[order[1:]] != signature[order[:-1]]) + 1
    starts = np.concatenate(([0], cut))
    ends = np.concatenate((cut, [len(order)]))
    pairs: list[int] = []
    for lo, hi in zip(starts.tolist(), ends.tolist(), strict=True):
        if hi - lo < 2:
            continue
        run = order[lo:hi]
        run_codes = code[run]
        head, head_code = int(run[0]), run_codes[0]
        others = np.flatnonzero(run_codes != head_code)
        if not len(others):
            continue
        first_other = int(run[others[0]])
        for m, c in zip(run[1:].tolist(), run_codes[1:].tolist(), strict=True):
            partner = head if c != head_code else first_other
            pairs.append(min(m, partner) * n + max(m, partner))
    return np.asarray(pairs, dtype=np.int64)


def _duplicates(g: _Group, pairs: np.ndarray) -> list[tuple[int, int]]:
    """The candidate pairs whose content-word Jaccard reaches ``_DUPLICATE``.

    Batches of pairs tag each side's words with the pair number; after a sort, a tag seen
    twice is a shared word. A pair whose sizes differ too much cannot reach the threshold
    (Jaccard <= smaller / larger) and is never expanded.
    """
    n, lengths = len(g.sel), np.diff(g.ptr)
    i, j = np.divmod(pairs, n)
    li, lj = lengths[i], lengths[j]
    fits = np.minimum(li, lj) / np.maximum(li, lj) >= _DUPLICATE
    i, j, li, lj = i[fits], j[fits], li[fits], lj[fits]
    found: list[tuple[int, int]] = []
    step = max(1, _CHUNK * 64 // max(1, int(np.max(li + lj, initial=1))))
    for p0 in range(0, len(i), step):
        tags = []
        for side, size in (
            (i[p0 : p0 + step], li[p0 : p0 + step]),
            (j[p0 : p0 + step], lj[p0 : p0 + step]),
        ):
            offsets = np.cumsum(size) - size
            pos = np.repeat(g.ptr[side] - offsets, size) + np.arange(int(size.sum()))
            tags.append(
                np.repeat(np.arange(len(side), dtype=np.int64), size) * g.words + g.inv[pos]
            )
        both = np.sort(np.concatenate(tags))
        sizes = li[p0 : p0 + step] + lj[p0 : p0 + step]
        twice = both[1:][both[1:] == both[:-1]]
        shared = np.bincount(twice // g.words, minlength=len(sizes))
        ok = np.flatnonzero(shared / (sizes - shared) >= _DUPLICATE)
        found.extend(zip(i[p0 + ok].tolist(), j[p0 + ok].tolist(), strict=True))
    return found


def _merge(
    table: SentenceTable, g: _Group, df: np.ndarray, scores: np.ndarray
) -> tuple[np.ndarray, np.ndarray, dict[int, tuple[str, ...]]]:
    """Each entry's representative sentence and score; the citations of merged entries."""
    n = len(g.sel)
    uf: UnionFind[int] = UnionFind()
    for i, j in _duplicates(g, _candidate_pairs(table, g, df)):
        uf.union(i, j)
    rep = np.arange(n)
    merged = scores.copy()
    cites: dict[int, tuple[str, ...]] = {}
    inside = np.zeros(n, dtype=bool)
    for group in uf.groups():
        best = max(group, key=lambda s: (scores[s], -g.order[s], -table.index[g.sel[s]]))
        ids = tuple(sorted({table.article_ids[table.article[g.sel[s]]] for s in group}))
        inside[group] = True
        inside[best] = False
        merged[best] = scores[best] + _SUPPORT_BONUS * (len(ids) - 1)
        cites[best] = ids
    return rep[~inside], merged[~inside], cites


def pick(
    table: SentenceTable,
    members: Sequence[int],
    limit: int,
    story_id: str | None,
    *,
    repeats: bool = False,
) -> list[SummarySentence]:
    """Up to ``limit`` summary sentences of the analyses ``members`` (table indices, in order).

    ``repeats``: count a member listed k times k times in its quote coverage.
    """
    g = _Group(table, members, repeats)
    if not len(g.sel) or limit <= 0:
        return []
    df = np.zeros(g.words, dtype=np.int64)  # words are distinct per sentence
    for _, _, lo, hi in _chunks(g.ptr):
        df += np.bincount(g.inv[lo:hi], minlength=g.words)
    scores = _scores(table, g, df)
    rep, merged, cites = _merge(table, g, df, scores)
    ranked = np.lexsort((table.index[g.sel[rep]], g.order[rep], -merged))
    chosen: list[tuple[int, frozenset[int]]] = []
    for s in rep[ranked].tolist():
        if len(chosen) >= limit:
            break
        words = g.word_set(s)
        if any(_jaccard(words, c) >= _REPEAT for _, c in chosen):
            continue
        chosen.append((s, words))
    out = []
    for s, _ in chosen:
        row = int(g.sel[s])
        ids = cites.get(s) or (table.article_ids[table.article[row]],)
        out.append(SummarySentence(sentence=table.text(row), article_ids=ids, story_id=story_id))
    return out
