"""Share equal values across the analyses the corpus stage holds in memory.

The corpus stage keeps every article's analysis in memory at once: on 15,000 news articles
that is the peak of a run. Most of those objects repeat: character offsets (the same few
thousand integers in every article), dates, labels and keys, and within one article the
same sentence string on every event coded from it. A :class:`Compactor` walks analyses in
place and makes equal values one shared object, which leaves them equal and the records
unchanged (frozen dataclasses are rebound with ``object.__setattr__``, the documented way
for a dataclass to set its own frozen fields).

Measured on 400 news analyses (benchmarks/results/throughput.md): integers were 10 KiB of
a 70 KiB analysis, dates 1.5 KiB.
"""

from __future__ import annotations

import sys
from dataclasses import is_dataclass
from datetime import date
from typing import Any, TypeVar

T = TypeVar("T")

# Strings up to this length are interned process-wide (ids, keys, labels, mention texts);
# longer ones (sentences, quotes) are shared only within one analysis, where they repeat.
_INTERN_MAX = 64
# Integers above CPython's small-int cache but below this are shared: offsets and years.
_SHARE_INT_MAX = 1 << 20


class Compactor:
    """Shares equal integers, dates and strings across every analysis it is given.

    Keep one for one load of a corpus and drop it afterwards: its tables hold only the
    distinct integers and dates seen, a few thousand entries.
    """

    def __init__(self) -> None:
        self._ints: dict[int, int] = {}
        self._dates: dict[date, date] = {}

    def __call__(self, record: T) -> T:
        """Compact ``record`` (a dataclass tree) in place and return it."""
        self._walk(record, {})
        return record

    def _walk(self, record: Any, local: dict[str, str]) -> None:
        for name in type(record).__slots__:
            value = getattr(record, name, None)
            shared = self._share(value, local)
            if shared is not value:
                object.__setattr__(record, name, shared)

    def _share(self, value: Any, local: dict[str, str]) -> Any:
        kind = type(value)
        if kind is str:
            if len(value) <= _INTERN_MAX:
                return sys.intern(value)
            return local.setdefault(value, value)
        if kind is int:
            if 256 < value < _SHARE_INT_MAX:
                return self._ints.setdefault(value, value)
            return value
        if kind is tuple:
            items = tuple(self._share(item, local) for item in value)
            return value if all(a is b for a, b in zip(items, value, strict=True)) else items
        if kind is date:
            return self._dates.setdefault(value, value)
        if kind is dict:
            for key, item in value.items():
                shared = self._share(item, local)
                if shared is not item:
                    value[key] = shared
            return value
        if is_dataclass(value) and hasattr(kind, "__slots__"):
            self._walk(value, local)
        return value
