"""Corpus-wide canonical entities: one record per real person, place or organisation.

Article entities merge when their type agrees and their names are compatible: accents and
case folded ("Guaidó" = "Guaido"), transliterated first names with the same surname
("Sergei"/"Sergey" Lavrov), middle initials that agree ("Donald J. Trump" = "Donald
Trump"), and a surname-only entity joins the one full name with that surname, or among
several the one whose role it carries ("President Clinton"; otherwise no merge). A name
with a generational suffix stays apart from the same name without it where an article names
both ("Donald Trump Jr."). Work is blocked by surname, so cost stays near-linear in the
number of entities. Ids hash the canonical name and type: stable across runs and
independent of input order.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

import numpy as np
from rapidfuzz import fuzz

from dateline.corpus.unionfind import UnionFind
from dateline.models import ArticleAnalysis, ArticleEntity, Entity
from dateline.stages.entity_lexicon import (
    country_code,
    is_known_place,
    norm_key,
    org_info,
    role_modifiers,
)
from dateline.stages.entity_mentions import generation, name_tokens

VERSION = "corpus_entities.v5"

# Two full names with the same surname are one person when the folded names are this similar
# (rapidfuzz ratio) and each first-name token is at least _FIRST_RATIO alike or an initial.
# Tuned on transliteration pairs (Sergei/Sergey 83, Dmitry/Dmitri 83) against distinct people
# sharing a surname (Delcy/Jorge 18, Raul/Fidel 22).
_FULL_RATIO = 85.0
_FIRST_RATIO = 75.0
_MISLABELLED = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC"})

Ref = tuple[str, str]  # (article_id, key)
_K = TypeVar("_K")
_V = TypeVar("_V")


class _Memo(dict[_K, _V]):
    """``fn(key)`` computed once per distinct key, for one ``canonicalise`` call.

    A person named in 1,000 articles is one name: its tokens and keys are worked out once.
    The memo dies with the call (the lexicon's own bounded caches thrash on large corpora).
    """

    __slots__ = ("fn",)

    def __init__(self, fn: Callable[[_K], _V]) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, key: _K) -> _V:
        value = self[key] = self.fn(key)
        return value


@dataclass(slots=True)
class _Names:
    """The per-call memos: name -> name tokens, text -> folded key, (type, name) -> key."""

    tokens: _Memo[str, tuple[str, ...]]
    keys: _Memo[str, str]
    others: _Memo[tuple[str, str], str]

    @classmethod
    def new(cls) -> _Names:
        tokens = _Memo(name_tokens)
        return cls(tokens, _Memo(norm_key), _Memo(lambda tn: _other_key(tn, tokens)))


@dataclass(slots=True)
class _Item:
    ref: Ref
    ent: ArticleEntity
    type: str
    tokens: tuple[str, ...]


def _compatible(
    a: tuple[str, ...], b: tuple[str, ...], apart: frozenset[tuple[str, ...]] = frozenset()
) -> bool:
    """Full names (>= 2 tokens) of one person across articles. A name with a generational
    suffix and the same name without it are two people when some article names both
    (``apart``: "Donald Trump" and "Donald Trump Jr."), and one person otherwise ("Joseph R.
    Biden Jr.", written "Joseph R. Biden" elsewhere)."""
    if a == b:
        return True
    if generation(a) != generation(b) and (_base(a) in apart or _base(b) in apart):
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    n = len(short)
    if n >= 2 and any(long_[i : i + n] == short for i in range(len(long_) - n + 1)):
        return True
    if a[-1] != b[-1] or len(a) != len(b):
        return False
    if fuzz.ratio(" ".join(a), " ".join(b)) < _FULL_RATIO:
        return False
    return all(
        x == y
        or fuzz.ratio(x, y) >= _FIRST_RATIO
        or (len(x) == 1 and y.startswith(x))
        or (len(y) == 1 and x.startswith(y))
        for x, y in zip(a[:-1], b[:-1], strict=True)
    )


def _base(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """A name without its generational suffix."""
    return tokens[:-1] if generation(tokens) else tokens


def _generations_apart(items: list[_Item]) -> frozenset[tuple[str, ...]]:
    """Names an article gives to two people, with and without a generational suffix ("Donald
    Trump" and "Donald Trump Jr."): the article stage keeps those apart, and so must this."""
    by_article: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for it in items:
        if it.type == "PERSON" and len(it.tokens) >= 2:
            by_article[it.ref[0]].add(it.tokens)
    apart: set[tuple[str, ...]] = set()
    for names in by_article.values():
        for tokens in names:
            if generation(tokens) and _base(tokens) in names:
                apart.add(_base(tokens))
    return frozenset(apart)


def _other_key(type_name: tuple[str, str], tokens: _Memo[str, tuple[str, ...]]) -> str:
    typ, name = type_name
    if typ == "GPE":
        code = country_code(name)
        if code:
            return f"country:{code}"
    if typ == "ORG":
        info = org_info(name)
        if info is not None:
            return "org:" + norm_key(info.canonical)
    return " ".join(tokens[name])


def _items(analyses: Sequence[ArticleAnalysis], names: _Names) -> list[_Item]:
    tokens = names.tokens
    items = [
        _Item((a.article.id, e.key), e, e.type, tokens[e.name])
        for a in analyses
        for e in a.entities
    ]
    items.sort(key=lambda it: it.ref)
    return items


def _merge_people(items: list[_Item], uf: UnionFind[int]) -> None:
    apart = _generations_apart(items)
    heads_of: _Memo[tuple[str, ...], frozenset[str]] = _Memo(_role_heads)
    people = [i for i, it in enumerate(items) if it.type == "PERSON" and it.tokens]
    by_surname: dict[str, list[int]] = defaultdict(list)
    for i in people:
        by_surname[items[i].tokens[-1]].append(i)
    # full names: pairwise only among the distinct names of a surname block (a person named
    # in 1,000 articles is one name compared once, so the cost stays near-linear)
    for block in by_surname.values():
        names: dict[tuple[str, ...], int] = {}
        for i in block:
            tokens = items[i].tokens
            if len(tokens) >= 2:
                if tokens in names:
                    uf.union(names[tokens], i)
                else:
                    names[tokens] = i
        distinct = sorted(names)
        for x, a in enumerate(distinct):
            for b in distinct[x + 1 :]:
                if _compatible(a, b, apart):
                    uf.union(names[a], names[b])
        _merge_middle_names(names, _roles_by_name(block, items, heads_of), uf)
    # longer names containing a shorter full name under another surname ("... Maduro Moros")
    longer = {items[i].tokens: i for i in people if len(items[i].tokens) >= 3}
    for tokens, i in sorted(longer.items()):
        for tok in tokens[1:-1]:
            seen: set[tuple[str, ...]] = set()
            for j in by_surname.get(tok, ()):
                other = items[j].tokens
                if len(other) >= 2 and other not in seen:
                    seen.add(other)
                    if _compatible(tokens, other, apart):
                        uf.union(i, j)
    # surname-only entities (or mislabelled single names) join a unique full-name cluster
    singles = [
        i
        for i, it in enumerate(items)
        if len(it.tokens) == 1
        and (it.type == "PERSON" or (it.type in _MISLABELLED and not _is_place_or_org(it.ent)))
    ]
    roots: dict[str, set[int]] = defaultdict(set)
    for surname, block in by_surname.items():
        roots[surname] = {uf.find(j) for j in block if len(items[j].tokens) >= 2}
    held: dict[int, frozenset[str]] = defaultdict(frozenset)  # root -> its names' role heads
    for block in by_surname.values():
        for j in block:
            if len(items[j].tokens) >= 2:
                held[uf.find(j)] |= heads_of[items[j].ent.roles]
    lone: dict[str, int] = {}  # surname -> first surname-only person with no full name anywhere
    for i in singles:
        surname = items[i].tokens[0]
        found = roots.get(surname, set())
        if len(found) > 1:
            found = _same_role(heads_of[items[i].ent.roles], found, held)
        if len(found) == 1:
            uf.union(i, next(iter(found)))
            items[i].type = "PERSON"
        elif not found and items[i].type == "PERSON" and not roots.get(surname):
            uf.union(i, lone.setdefault(surname, i))


def _roles_by_name(
    block: list[int], items: list[_Item], heads_of: _Memo[tuple[str, ...], frozenset[str]]
) -> dict[tuple[str, ...], frozenset[str]]:
    """The role heads (``_role_heads``) each full name of a surname block is given."""
    out: dict[tuple[str, ...], frozenset[str]] = defaultdict(frozenset)
    for i in block:
        if len(items[i].tokens) >= 2:
            out[items[i].tokens] |= heads_of[items[i].ent.roles]
    return out


def _merge_middle_names(
    names: dict[tuple[str, ...], int],
    roles: dict[tuple[str, ...], frozenset[str]],
    uf: UnionFind[int],
) -> None:
    """A first and last name joins the longer names with middle initials between them when
    those agree ("Donald Trump" and "Donald J. Trump", "James Comey" and "James B. Comey"):
    one person. Initials that differ ("George W. Bush", "George H.W. Bush") leave "George
    Bush" to neither, and so do roles that do not meet ("Senator John Kennedy" is not
    President John F. Kennedy). ``names``: one surname's distinct names -> an item."""
    by_ends: dict[tuple[str, str], list[tuple[str, ...]]] = defaultdict(list)
    for tokens in names:
        if len(tokens) >= 3 and not generation(tokens) and all(map(_initials, tokens[1:-1])):
            by_ends[tokens[0], tokens[-1]].append(tokens)
    for ends, longer in by_ends.items():
        if ends not in names:
            continue
        if not all(_middles_agree(a, b) for x, a in enumerate(longer) for b in longer[x + 1 :]):
            continue
        short_roles = roles.get(ends, frozenset())
        for tokens in longer:
            other = roles.get(tokens, frozenset())
            if (
                short_roles
                and other
                and not any(_roles_meet(a, b) for a in short_roles for b in other)
            ):
                continue
            uf.union(names[ends], names[tokens])


def _initials(token: str) -> bool:
    """A middle name written as initials ("j", "h.w"): a house style that names one person
    with or without them. A middle name written out may be another person's ("John Quincy
    Adams" is not John Adams, "John Bel Edwards" not John Edwards)."""
    return all(len(part) == 1 for part in token.split(".") if part)


def _middles_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """The same middle names, or initials of them ("j" and "john")."""
    ma, mb = a[1:-1], b[1:-1]
    return len(ma) == len(mb) and all(
        x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y))
        for x, y in zip(ma, mb, strict=True)
    )


def _role_heads(roles: tuple[str, ...]) -> frozenset[str]:
    """Roles without their modifiers and places: "former U.S. Secretary of State" ->
    "secretary of state"."""
    modifiers = role_modifiers()
    out: set[str] = set()
    for role in roles:
        words = [w for w in norm_key(role).split() if w not in modifiers]
        while words and is_known_place(words[0]):
            words = words[1:]
        if words:
            out.add(" ".join(words))
    return frozenset(out)


def _same_role(own: frozenset[str], roots: set[int], held: dict[int, frozenset[str]]) -> set[int]:
    """Of the people (``roots``) a bare surname may be, the ones whose roles (``held``) meet
    its own (``own``): "President Clinton" is Bill, a former President, not Hillary, a former
    Secretary of State. No roles: none (the surname stays ambiguous)."""
    return {root for root in roots if any(_roles_meet(a, b) for a in own for b in held[root])}


def _roles_meet(a: str, b: str) -> bool:
    """The same role, or one the start of the other ("secretary", "secretary of state")."""
    return a == b or b.startswith(a + " ") or a.startswith(b + " ")


def _is_place_or_org(ent: ArticleEntity) -> bool:
    return is_known_place(ent.name) or org_info(ent.name) is not None


def _merge_others(items: list[_Item], uf: UnionFind[int], names: _Names) -> None:
    first: dict[tuple[str, str], int] = {}
    for i, it in enumerate(items):
        if it.type == "PERSON":
            continue
        key = (it.type, names.others[it.type, it.ent.name])
        if key in first:
            uf.union(first[key], i)
        else:
            first[key] = i


def _pick_name(members: list[_Item], typ: str, names: _Names) -> tuple[str, Counter[str]]:
    counts: Counter[str] = Counter()
    for it in members:
        for m in it.ent.mentions:
            if m.label != "ROLE":
                counts[m.text.removesuffix("'s").removesuffix("\u2019s")] += 1
        counts[it.ent.name] += 0
    forms = list(counts)
    if typ == "PERSON":
        tokens = names.tokens
        longest = max(len(tokens[f]) for f in forms)
        if longest >= 2:
            forms = [f for f in forms if len(tokens[f]) >= 2]
    if typ != "PERSON":
        forms = [it.ent.name for it in members]
        counts = Counter({f: counts.get(f, 0) + 1 for f in forms}) + counts
    name = min(forms, key=lambda f: (-counts[f], -len(f), f))
    return name, counts


def _entity(members: list[_Item], names: _Names) -> tuple[Entity, list[Ref]]:
    types = Counter(it.type for it in members)
    typ = "PERSON" if "PERSON" in types else min(types, key=lambda t: (-types[t], t))
    name, counts = _pick_name(members, typ, names)
    aliases = sorted(set(counts) | {a for it in members for a in it.ent.aliases})
    roles: dict[str, str] = {}
    for it in members:
        for r in it.ent.roles:
            roles.setdefault(names.keys[r], r)
    countries = Counter(it.ent.country for it in members if it.ent.country)
    country = min(countries, key=lambda c: (-countries[c], c)) if countries else None
    digest = hashlib.sha1(f"{typ}|{names.keys[name]}".encode()).hexdigest()[:12]
    refs = sorted(it.ref for it in members)
    entity = Entity(
        id=f"ent_{digest}",
        name=name,
        type=typ,
        aliases=tuple(aliases),
        roles=tuple(roles[k] for k in sorted(roles)),
        country=country,
        article_ids=tuple(sorted({r[0] for r in refs})),
    )
    return entity, refs


def _groups(items: list[_Item], uf: UnionFind[int]) -> Iterator[list[_Item]]:
    """Each merged group's items, groups in order of their first item's ref.

    A group's root is its smallest item index (``UnionFind``) and items are sorted by ref,
    so ordering groups by root orders them by first ref. One stable argsort of the roots
    yields the groups one at a time, instead of a dict holding a list per group.
    """
    roots = np.fromiter((uf.find(i) for i in range(len(items))), np.int64, len(items))
    order = np.argsort(roots, kind="stable")
    bounds = np.flatnonzero(np.diff(roots[order])) + 1
    for run in np.split(order, bounds) if len(items) else ():
        yield [items[i] for i in run.tolist()]


def canonicalise(
    analyses: Sequence[ArticleAnalysis],
) -> tuple[tuple[Entity, ...], dict[tuple[str, str], str]]:
    """Merge article entities into corpus entities.

    Args:
        analyses: per-article analyses (their ``entities`` are read).

    Returns:
        The canonical entities sorted by id, and ``(article_id, key) -> entity id``.
    """
    names = _Names.new()
    items = _items(analyses, names)
    uf = UnionFind(range(len(items)))
    _merge_people(items, uf)
    _merge_others(items, uf, names)
    entities: dict[str, Entity] = {}
    mapping: dict[Ref, str] = {}
    for members in _groups(items, uf):
        entity, refs = _entity(members, names)
        if entity.id in entities:  # same name and type, yet kept apart (ambiguous surname)
            suffix = hashlib.sha1("|".join(f"{a}/{k}" for a, k in refs).encode()).hexdigest()[:6]
            entity = replace(entity, id=f"{entity.id}_{suffix}")
        entities[entity.id] = entity
        for ref in refs:
            mapping[ref] = entity.id
    return tuple(entities[k] for k in sorted(entities)), mapping


__all__ = ["VERSION", "canonicalise"]
