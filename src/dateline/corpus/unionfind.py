"""Disjoint sets whose root is always the smallest member.

Several corpus steps group things that are linked by any chain of pairs: copies of one
article, spellings of one entity, reports of one happening, one sentence repeated across
articles. With the smallest member as the root, a group's root does not depend on the
order the links were made in, so groups come out in a canonical order.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any, Generic, Protocol, TypeVar


class _Ordered(Hashable, Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


K = TypeVar("K", bound=_Ordered)


class UnionFind(Generic[K]):
    """Union-find over hashable, ordered keys (ints, strings), with path halving."""

    __slots__ = ("parent",)

    def __init__(self, items: Iterable[K] = ()) -> None:
        self.parent: dict[K, K] = {x: x for x in items}

    def add(self, x: K) -> None:
        """Make ``x`` a group of its own unless it is already known."""
        self.parent.setdefault(x, x)

    def find(self, x: K) -> K:
        """The root (smallest member) of ``x``'s group; ``x`` must be known."""
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: K, b: K) -> None:
        """Join the groups of ``a`` and ``b`` (added first if unknown)."""
        self.add(a)
        self.add(b)
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            self.parent[hi] = lo

    def groups(self) -> list[list[K]]:
        """Every group, members ascending; groups in order of their smallest member."""
        found: dict[K, list[K]] = {}
        for x in sorted(self.parent):
            found.setdefault(self.find(x), []).append(x)
        return list(found.values())
