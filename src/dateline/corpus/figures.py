"""Figure reconciliation: the same quantity reported by different outlets, agreeing or not.

Two figures are about the same thing when they share a unit and their ``measure`` phrases
are similar (rapidfuzz token-set ratio over folded, lightly stemmed content words). Their
values then agree (within 2%, or 10% when either is hedged with "about"/"some", or inside
the bound an "at least"/"up to" sets) or conflict.

Cost is near-linear: figures are blocked by (story, unit, content-word key); only figures
sharing a block are compared, and keys shared by more than ``_MAX_BLOCK`` figures are too
common to discriminate and are skipped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace

from rapidfuzz import fuzz

from dateline.models import Figure
from dateline.stages.figures import qualifier_of
from dateline.text import fold

VERSION = "figures.corpus.v1"

# Measures must be this similar (token-set ratio, 0-100) to be the same quantity; tuned by
# hand on short measure pairs ("investment in mining projects" vs "investments in mining").
_SAME_MEASURE = 80.0
_EXACT_TOLERANCE = 0.02
_APPROX_TOLERANCE = 0.10
_MAX_BLOCK = 200
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "in",
        "on",
        "to",
        "for",
        "and",
        "or",
        "by",
        "with",
        "from",
        "at",
        "its",
        "their",
        "his",
        "her",
        "this",
        "that",
        "these",
        "those",
        "between",
        "into",
        "over",
        "about",
    ]
)


def _words(measure: str | None) -> tuple[str, ...]:
    words = re.findall(r"[^\W\d_]+", fold(measure or ""))
    # A crude stem (first 6 letters) makes "investment"/"investments"/"invest" meet.
    return tuple(w[:6] for w in words if w not in _STOP and len(w) > 2)


def values_agree(a: Figure, b: Figure) -> bool:
    """Whether two values of the same measure are compatible, given their qualifiers."""
    qa, qb = qualifier_of(a.text), qualifier_of(b.text)
    lo, hi = min(a.value, b.value), max(a.value, b.value)
    if hi == 0:
        return True
    tolerance = _APPROX_TOLERANCE if "approx" in (qa, qb) else _EXACT_TOLERANCE
    if (hi - lo) / hi <= tolerance:
        return True
    for x, qx, y in ((a, qa, b), (b, qb, a)):
        if qx == "min" and y.value >= x.value:
            return True  # "at least 300" is compatible with 350
        if qx == "max" and y.value <= x.value:
            return True  # "up to 5 million" is compatible with 4 million
    return False


def same_measure(a: Figure, b: Figure) -> bool:
    """Whether two figures (same unit) measure the same thing, judged by their measures."""
    if a.unit != b.unit:
        return False
    wa, wb = _words(a.measure), _words(b.measure)
    if not wa or not wb:
        return False
    if min(len(wa), len(wb)) < 2:
        # A one-word measure ("agreements") is a subset of many; require near-equality.
        return fuzz.token_sort_ratio(" ".join(wa), " ".join(wb)) >= _SAME_MEASURE
    return fuzz.token_set_ratio(" ".join(wa), " ".join(wb)) >= _SAME_MEASURE


def reconcile_figures(
    figures: Sequence[Figure],
    *,
    article_outlets: Mapping[str, str | None],
    story_of: Mapping[str, str | None] | None = None,
) -> tuple[Figure, ...]:
    """Fill ``agrees_with``/``conflicts_with`` across articles.

    Args:
        figures: figures of all articles.
        article_outlets: article id -> outlet. Two articles of the same known outlet are not
            compared (a later count from one outlet is an update, not a disagreement).
        story_of: article id -> story id; when both articles have a story, they must share it.

    Returns:
        The figures in input order, with sorted ``agrees_with``/``conflicts_with`` id tuples.
    """
    blocks: dict[tuple[str | None, str | None, str], list[int]] = defaultdict(list)
    for index, fig in enumerate(figures):
        story = (story_of or {}).get(fig.article_id)
        for word in set(_words(fig.measure)):
            blocks[(story, fig.unit, word)].append(index)
    # Figures whose story is unknown are compared with every story's figures of the same key.
    unknown = {(u, w): ids for (s, u, w), ids in blocks.items() if s is None}
    pairs: set[tuple[int, int]] = set()
    for (story, unit, word), ids in blocks.items():
        members = ids if story is None else ids + unknown.get((unit, word), [])
        if len(members) > _MAX_BLOCK:
            continue
        for i in members:
            for j in members:
                if i < j:
                    pairs.add((i, j))
    agrees: dict[int, set[str]] = defaultdict(set)
    conflicts: dict[int, set[str]] = defaultdict(set)
    for i, j in sorted(pairs):
        a, b = figures[i], figures[j]
        if a.article_id == b.article_id:
            continue
        oa, ob = article_outlets.get(a.article_id), article_outlets.get(b.article_id)
        if oa is not None and oa == ob:
            continue
        if not same_measure(a, b):
            continue
        target = agrees if values_agree(a, b) else conflicts
        target[i].add(b.id)
        target[j].add(a.id)
    return tuple(
        replace(
            fig,
            agrees_with=tuple(sorted(agrees.get(k, ()))),
            conflicts_with=tuple(sorted(conflicts.get(k, ()))),
        )
        for k, fig in enumerate(figures)
    )
