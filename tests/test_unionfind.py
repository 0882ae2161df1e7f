"""``UnionFind``: groups and roots do not depend on the order links are made in."""

from __future__ import annotations

import itertools

import pytest

from dateline.corpus.unionfind import UnionFind

LINKS = [(4, 2), (7, 4), (1, 9), (3, 3), (9, 5)]


@pytest.mark.parametrize("order", list(itertools.permutations(range(len(LINKS))))[::7])
def test_groups_and_roots_are_canonical(order: tuple[int, ...]) -> None:
    uf = UnionFind(range(10))
    for k in order:
        uf.union(*LINKS[k])
    assert uf.groups() == [[0], [1, 5, 9], [2, 4, 7], [3], [6], [8]]
    assert [uf.find(x) for x in (9, 5, 7, 4)] == [1, 1, 2, 2]


def test_union_adds_unknown_keys() -> None:
    uf: UnionFind[str] = UnionFind()
    uf.union("b", "c")
    uf.add("a")
    uf.add("c")  # already known: stays in its group
    assert uf.groups() == [["a"], ["b", "c"]]
    assert uf.find("c") == "b"
