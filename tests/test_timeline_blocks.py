"""Tests for dateline.corpus.timeline_blocks and timeline_fold: blocking finds what all pairs find.

Random candidate sets (fixed seeds, a small skewed vocabulary so that words, names and
participants collide often) are clustered and folded by the indexed code and by a plain
all-pairs reference written here from the rules in the modules' docstrings.
"""

from __future__ import annotations

import random
from array import array
from datetime import date, timedelta

import pytest

from dateline.corpus import timeline_blocks as blocks
from dateline.corpus.eventmerge import _interval
from dateline.corpus.timeline_cands import SAME_HAPPENING, Cand
from dateline.corpus.timeline_fold import fold_coarse, fold_disagreements

_VOCAB = [f"w{i}" for i in range(200)]
_NAMES = ["Arlo", "Bexa", "Corin", "Dovan", "Elsin", "Farro", "Gemma", "Hollis"]
_FINER = {"day": 0, "week": 1, "month": 2, "year": 3}


class _Sig:
    """The raw signature of a test candidate (what the reference compares)."""

    def __init__(self, rng: random.Random, vocab: int) -> None:
        k = rng.randint(2, 12)
        self.words = frozenset(rng.choices(_VOCAB[:vocab], weights=range(vocab, 0, -1), k=k))
        self.names = frozenset(rng.sample(_NAMES, rng.choice([0, 0, 1, 2, 3])))
        self.parties = frozenset(rng.sample(["p1", "p2", "p3", "p4"], rng.choice([0, 0, 0, 1])))
        self.articles = frozenset(rng.sample([f"a{i}" for i in range(8)], rng.choice([1, 1, 2])))
        self.stories = frozenset(rng.sample(["s1", "s2", "s3"], rng.choice([0, 1])))
        self.events = frozenset(
            rng.sample(["e1", "e2", "e3", "e4", "e5"], rng.choice([0] * 5 + [1]))
        )


def _same(a: _Sig, b: _Sig) -> bool:
    """Reference "same happening" (timeline module docstring), all fields compared."""
    if a.events & b.events or a.parties & b.parties:
        return True
    inter = len(a.words & b.words)
    if inter / len(a.words | b.words) >= SAME_HAPPENING:
        return True
    close = bool(a.articles & b.articles or a.stories & b.stories)
    shared = len(a.names & b.names)
    return shared >= 2 or (close and shared >= 1)


def _make(
    seed: int, n: int, when: list[tuple[date, str]], vocab: int = 40
) -> tuple[list[Cand], dict[int, _Sig]]:
    rng = random.Random(seed)
    sure, word_id = blocks.SureKeys(), {w: i for i, w in enumerate(_VOCAB)}
    cands, sigs = [], {}
    for i in range(n):
        sig = _Sig(rng, vocab)
        d, precision = rng.choice(when)
        c = Cand(
            d,
            precision,  # type: ignore[arg-type]
            f"sentence {i:03d}",
            tuple(sorted(sig.articles)),
            tuple(sorted(sig.events)),
            array("i", sorted(word_id[w] for w in sig.words)),
            sure(sig.events, sig.parties, sig.names, sig.articles, sig.stories),
        )
        cands.append(c)
        sigs[id(c)] = sig
    return cands, sigs


def _reference_clusters(cands: list[Cand], sigs: dict[int, _Sig]) -> set[frozenset[str]]:
    parent = list(range(len(cands)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, a in enumerate(cands):
        for j in range(i + 1, len(cands)):
            b = cands[j]
            if (a.date, a.precision) == (b.date, b.precision) and _same(sigs[id(a)], sigs[id(b)]):
                parent[find(j)] = find(i)
    groups: dict[int, set[str]] = {}
    for i, c in enumerate(cands):
        groups.setdefault(find(i), set()).add(c.sentence)
    return {frozenset(g) for g in groups.values()}


@pytest.mark.parametrize(("seed", "n"), [(1, 30), (2, 60), (3, 120), (4, 200), (5, 200)])
def test_cluster_equals_all_pairs(seed: int, n: int) -> None:
    day = date(2019, 3, 4)
    cands, sigs = _make(seed, n, [(day, "day"), (day + timedelta(days=1), "day")])
    found = blocks.cluster(cands, SAME_HAPPENING)
    assert {frozenset(c.sentence for c in cl) for cl in found} == _reference_clusters(cands, sigs)
    assert len(found) < n  # the random sets do collide: the test exercises the linking


def _reference_fold(clusters: list[list[Cand]], sigs: dict[int, _Sig]) -> list[list[Cand]]:
    """The fold by scanning every cluster (timeline_fold.fold_coarse's docstring)."""
    out = list(clusters)
    for i, cl in sorted(enumerate(clusters), key=lambda p: -_FINER[p[1][0].precision]):
        head = cl[0]
        if head.precision == "day":
            continue
        lo, hi = _interval(head.date, head.precision)
        hosts = [
            j
            for j, other in enumerate(out)
            if j != i
            and other
            and _FINER[other[0].precision] < _FINER[head.precision]
            and lo <= other[0].date <= hi
            and any(_same(sigs[id(a)], sigs[id(b)]) for a in cl for b in other)
        ]
        mine = {a for c in cl for a in c.article_ids}
        near = [j for j in hosts if mine & {a for c in out[j] for a in c.article_ids}]
        hosts = near or hosts
        if len(hosts) == 1:
            out[hosts[0]] = out[hosts[0]] + out[i]
            out[i] = []
    return [c for c in out if c]


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_fold_coarse_equals_scan(seed: int) -> None:
    when = [
        (date(2019, 3, 4), "day"),
        (date(2019, 3, 6), "day"),
        (date(2019, 4, 2), "day"),
        (date(2019, 12, 31), "day"),
        (date(2020, 1, 1), "day"),
        (date(2019, 3, 4), "week"),
        (date(2019, 12, 30), "week"),  # a week across the new year
        (date(2019, 3, 1), "month"),
        (date(2019, 1, 1), "year"),
    ]
    cands, sigs = _make(seed, 90, when, vocab=200)
    clusters = blocks.cluster(cands, SAME_HAPPENING)
    got = [[c.sentence for c in cl] for cl in fold_coarse(clusters)]
    want = [[c.sentence for c in cl] for cl in _reference_fold(clusters, sigs)]
    assert got == want
    assert len(got) < len(clusters)  # something was folded


def test_fold_disagreements_merges_near_copies_on_close_dates() -> None:
    cands, _ = _make(21, 3, [(date(2019, 3, 4), "day")])
    a, b, c = cands
    b.words = c.words = a.words = array("i", range(10))
    a.article_ids, b.article_ids, c.article_ids = ("a1", "a2"), ("a3",), ("a4",)
    b.date = date(2019, 3, 6)
    c.date = date(2019, 6, 1)  # more than a month away: a recurring happening
    merged = fold_disagreements([[a], [b], [c]])
    assert [len(m) for m, _ in merged] == [2, 1]
    assert merged[0][1] == ["2019-03-06: a3"]


@pytest.mark.parametrize(
    ("na", "nb", "expected"), [(1, 1, 1), (5, 5, 2), (6, 6, 2), (7, 5, 2), (10, 20, 5)]
)
def test_min_overlap_table(na: int, nb: int, expected: int) -> None:
    assert blocks.min_overlap(na, nb, SAME_HAPPENING) == expected


def test_min_overlap_is_the_jaccard_bound() -> None:
    for na in range(1, 40):
        for nb in range(1, 40):
            need = blocks.min_overlap(na, nb, SAME_HAPPENING)
            for inter in range(min(na, nb) + 1):
                passes = inter / (na + nb - inter) >= SAME_HAPPENING
                assert passes == (inter >= need), (na, nb, inter)
