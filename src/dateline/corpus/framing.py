"""Framing across outlets: which words each outlet uses for each corpus entity.

Per-article ``FramingTerm`` records (article-local entity keys) are grouped into one
``Framing`` per outlet x corpus entity. :func:`compare_framing` counts normalised terms per
outlet for one entity, and :func:`unique_terms` says which terms only one outlet uses: the
heart of ``dateline compare`` and of the web UI's framing view.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from dateline.models import Framing, FramingTerm
from dateline.text import fold

VERSION = "framing.corpus.v1"

UNKNOWN_OUTLET = "(unknown outlet)"
_LEADING = re.compile(r"^(?:the|a|an|his|her|its|their)\s+")
_QUOTES = re.compile(r"[\"'`\u2018\u2019\u201c\u201d\u00ab\u00bb]")


def normalise_term(term: str) -> str:
    """Fold case, accents and quote marks, drop a leading article, squeeze spaces."""
    text = _QUOTES.sub("", fold(term))
    text = " ".join(text.replace("\u2011", "-").replace("\u2010", "-").split())
    return _LEADING.sub("", text)


def aggregate_framing(
    terms: Sequence[FramingTerm],
    *,
    article_outlets: Mapping[str, str | None],
    entity_of: Mapping[tuple[str, str], str],
) -> tuple[Framing, ...]:
    """One ``Framing`` per (outlet, corpus entity), terms sorted by article and offset.

    Args:
        terms: framing terms of all articles.
        article_outlets: article id -> outlet name (None: ``UNKNOWN_OUTLET`` + the article id, one
            group per article).
        entity_of: (article id, article-local key) -> corpus entity id; terms whose entity
            has no corpus id are dropped.

    Returns:
        Framing records sorted by entity id, then outlet.
    """
    groups: dict[tuple[str, str], list[FramingTerm]] = defaultdict(list)
    for term in terms:
        entity = entity_of.get((term.article_id, term.entity_key))
        if entity is None:
            continue
        # Articles of unknown outlet stay apart: pooling them would invent one "outlet".
        outlet = article_outlets.get(term.article_id) or f"{UNKNOWN_OUTLET} {term.article_id}"
        groups[(entity, outlet)].append(term)
    return tuple(
        Framing(
            outlet=outlet,
            entity=entity,
            terms=tuple(sorted(group, key=lambda t: (t.article_id, t.start, t.end, t.kind))),
        )
        for (entity, outlet), group in sorted(groups.items())
    )


def compare_framing(framing: Sequence[Framing], entity_id: str) -> dict[str, dict[str, int]]:
    """For one entity: outlet -> {normalised term: count}, outlets and terms sorted.

    Terms the outlet only quotes from a speaker are shown in quotation marks.
    """
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for record in framing:
        if record.entity != entity_id:
            continue
        for term in record.terms:
            key = normalise_term(term.term)
            if key and term.quoted:
                key = f"\u201c{key}\u201d"  # in a quoted statement: the speaker's words
            if key:
                counts[record.outlet][key] += 1
    return {
        outlet: dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
        for outlet, counter in sorted(counts.items())
    }


def unique_terms(comparison: Mapping[str, Mapping[str, int]]) -> dict[str, tuple[str, ...]]:
    """Terms each outlet uses that no other outlet in ``comparison`` uses (needs >= 2 outlets)."""
    if len(comparison) < 2:
        return dict.fromkeys(comparison, ())
    users: dict[str, set[str]] = defaultdict(set)
    for outlet, terms in comparison.items():
        for term in terms:
            users[term].add(outlet)
    return {
        outlet: tuple(sorted(t for t in terms if len(users[t]) == 1))
        for outlet, terms in comparison.items()
    }


def term_kinds(framing: Sequence[Framing], entity_id: str) -> dict[str, str]:
    """Normalised term -> its most frequent kind for one entity (for display)."""
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    for record in framing:
        if record.entity == entity_id:
            for term in record.terms:
                kinds[normalise_term(term.term)][term.kind] += 1
    return {t: c.most_common(1)[0][0] for t, c in sorted(kinds.items())}
