"""Folding timeline clusters: coarse dates into finer ones, and date disagreements.

A week/month/year report of a happening that another cluster dates more finely joins that
cluster; near-identical wording on different dates is one happening reported with a date
disagreement. Both look up their partners through inverted indexes, never by a scan.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from datetime import date
from itertools import chain

from dateline.corpus import timeline_blocks as blocks
from dateline.corpus.eventmerge import _interval
from dateline.corpus.timeline_blocks import jaccard
from dateline.corpus.timeline_cands import SAME_HAPPENING, Cand

# Different dates + Jaccard at or above this (and dates within a month) -> the same
# happening with a date disagreement. Strict so that recurring events stay apart.
_DISAGREEMENT = 0.5
# A word in more clusters than this is too common to signal the same happening.
_COMMON = 50
_FINER = {"day": 0, "week": 1, "month": 2, "year": 3}
_SHARED = -2  # ``_Hosts`` prober mark: a key two coarse clusters probe


def fold_coarse(clusters: list[list[Cand]]) -> list[list[Cand]]:
    """A week/month report of a happening that another cluster dates to the day joins it.

    Coarsest first; a coarse cluster joins the one finer cluster dated inside its interval
    that holds a "same happening" of one of its members (preferring hosts that share an
    article). Hosts are found through an inverted index (:class:`_Hosts`), not by a scan.
    """
    out = list(clusters)
    if not any(cl[0].precision != "day" for cl in clusters):
        return out
    index = _Hosts(clusters)
    for i, cl in sorted(enumerate(clusters), key=lambda p: -_FINER[p[1][0].precision]):
        if cl[0].precision == "day":
            continue
        hosts = sorted(index.find(i, out))
        mine = {a for c in cl for a in c.article_ids}
        same_article = [j for j in hosts if mine & {a for c in out[j] for a in c.article_ids}]
        hosts = same_article if same_article else hosts
        if len(hosts) == 1:
            out[hosts[0]] = out[hosts[0]] + out[i]
            out[i] = []
            index.move(i, hosts[0], out[hosts[0]][0].date)
    return [c for c in out if c]


class _Hosts:
    """Members of the clusters filed by blocking key and by the month of their cluster.

    A member is filed under its sure keys and its prefix words (a corpus-wide order) in the
    month of the cluster that holds it: a coarse cluster reads the months it spans, nothing
    else. A key is filed only where a coarse cluster other than the member's own probes it
    (a cluster probes once, before it can move), and no member of a year cluster (never a
    host) is filed until it joins one. A member's keys are ints: sure keys negative, a
    prefix word ``(rank + 1) << 16 | its position``; a posting is ``member << 16 |
    that position``. Arrays and int sets: nothing for the cyclic collector to scan.
    """

    def __init__(self, clusters: list[list[Cand]]) -> None:
        self.clusters = clusters
        self.flat = [c for cl in clusters for c in cl]
        self.owner = [i for i, cl in enumerate(clusters) for _ in cl]
        self.home = array("l", self.owner)  # the cluster a member came in
        self.ids: list[list[int]] = []  # cluster index -> its members' indices in ``flat``
        first = 0
        for cl in clusters:
            self.ids.append(list(range(first, first + len(cl))))
            first += len(cl)
        self.orig = [list(x) for x in self.ids]
        rank = blocks.word_rank(self.flat)
        self.coded = [
            array("q", [*c.keys, *((r + 1) << 16 | min(p, 0xFFFF) for p, r in enumerate(pre))])
            for c in self.flat
            for pre in (blocks.prefix(c.words, rank, SAME_HAPPENING),)
        ]
        del rank
        self.prober: dict[int, int] = {}  # key -> the coarse cluster probing it, or _SHARED
        for i, cl in enumerate(clusters):
            if cl[0].precision != "day":
                for mb in self.ids[i]:
                    for k in self.coded[mb]:
                        key = k if k < 0 else k >> 16
                        if self.prober.setdefault(key, i) != i:
                            self.prober[key] = _SHARED
        self.index: dict[int, dict[int, array[int]]] = defaultdict(dict)  # month -> key -> ...
        self.filed: set[int] = set()  # member << 20 | month
        for i, cl in enumerate(clusters):
            if cl[0].precision != "year":
                for mb in self.ids[i]:
                    self._file(mb, cl[0].date)

    def _file(self, mb: int, when: date) -> None:
        month = when.year * 12 + when.month - 1
        if mb << 20 | month in self.filed:
            return
        self.filed.add(mb << 20 | month)
        postings, prober, home = self.index[month], self.prober, self.home[mb]
        for k in self.coded[mb]:
            key = k if k < 0 else k >> 16
            if prober.get(key, home) == home:
                continue  # no other cluster looks this key up
            found = postings.get(key)
            if found is None:
                found = postings[key] = array("q")
            found.append(mb << 16 | (0 if k < 0 else k & 0xFFFF))

    def move(self, i: int, host: int, when: date) -> None:
        """Cluster ``i`` joined ``host`` (dated ``when``): its members are re-filed there."""
        for mb in self.ids[i]:
            self.owner[mb] = host
            self._file(mb, when)
        self.ids[host] = self.ids[host] + self.ids[i]
        self.ids[i] = []

    def find(self, i: int, out: list[list[Cand]]) -> set[int]:
        """The finer clusters inside cluster ``i``'s interval holding a same happening."""
        head = self.clusters[i][0]
        lo, hi = _interval(head.date, head.precision)
        finer = _FINER[head.precision]
        first, last = lo.year * 12 + lo.month - 1, hi.year * 12 + hi.month - 1
        months = [self.index[m] for m in range(first, last + 1) if m in self.index]
        found: set[int] = set()
        owner, flat = self.owner, self.flat
        for ma in self.orig[i]:
            words = frozenset(flat[ma].words)
            na = len(words)
            for k in self.coded[ma]:
                key, pa = (k, 0) if k < 0 else (k >> 16, k & 0xFFFF)
                for postings in months:
                    for code in postings.get(key, ()):
                        j = owner[code >> 16]
                        if j == i or j in found or not out[j]:
                            continue
                        other = out[j][0]
                        if _FINER[other.precision] >= finer or not lo <= other.date <= hi:
                            continue
                        if k < 0:
                            found.add(j)
                            continue
                        theirs = flat[code >> 16].words
                        nb = len(theirs)
                        need = blocks.min_overlap(na, nb, SAME_HAPPENING)
                        if pa > na - need or (code & 0xFFFF) > nb - need:
                            continue  # a matching pair shares an earlier word
                        if jaccard(words, theirs, nb) >= SAME_HAPPENING:
                            found.add(j)
        return found


def fold_disagreements(clusters: list[list[Cand]]) -> list[tuple[list[Cand], list[str]]]:
    """Merge clusters that tell the same happening on different dates into the majority."""
    sig = [
        cl[0].words if len(cl) == 1 else array("i", sorted({w for c in cl for w in c.words}))
        for cl in clusters
    ]
    size = [len({i for c in cl for i in c.article_ids}) for cl in clusters]
    dates: list[date] = [cl[0].date for cl in clusters]
    # Words in one cluster only cannot link two; words in more than _COMMON are too common.
    df = Counter(chain.from_iterable(sig))
    index: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sig):
        for w in s:
            if 1 < df[w] <= _COMMON:
                index[w].append(i)
    del df
    order = sorted(range(len(clusters)), key=lambda i: (-size[i], dates[i]))
    owner: dict[int, int] = {}
    notes: dict[int, list[str]] = defaultdict(list)
    for i in order:
        if i in owner:
            continue
        owner[i] = i
        shared = Counter(chain.from_iterable(index[w] for w in sig[i] if w in index))
        mine: frozenset[int] | None = None
        for j, n in shared.items():
            if n < 3 or j in owner or dates[j] == dates[i]:
                continue
            if abs((dates[j] - dates[i]).days) > 31:
                continue
            mine = mine or frozenset(sig[i])
            if jaccard(mine, sig[j], len(sig[j])) >= _DISAGREEMENT:
                owner[j] = i
                ids = sorted({a for c in clusters[j] for a in c.article_ids})
                notes[i].append(f"{dates[j].isoformat()}: {', '.join(ids)}")
    followers: dict[int, list[int]] = defaultdict(list)
    for j, o in owner.items():
        if j != o:
            followers[o].append(j)
    merged: list[tuple[list[Cand], list[str]]] = []
    for i in order:
        if owner[i] != i:
            continue
        extra = [c for j in followers[i] for c in clusters[j]]
        merged.append((list(clusters[i]) + extra, notes[i]))
    return merged
