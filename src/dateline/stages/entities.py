"""Per-article entities: NER mentions clustered into people, places and organisations.

"Sergei Lavrov" ... "Lavrov" ... "Lavrov's" are one entity, but "Donald Trump" and "Donald
Trump Jr." are two (a bare "Trump" is the one without the suffix, or nobody's before the
suffixed name appears); titles next to a name become its roles and give its country; a
role-only reference ("the Russian foreign minister") joins the one person in the article
who holds that role, and nobody when several could.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import accumulate

from rapidfuzz import fuzz
from spacy.tokens import Doc

from dateline.models import Article, ArticleEntity, EntityMention, RoleMention
from dateline.settings import DEFAULT_SETTINGS, Settings
from dateline.stages.doctext import doc_text
from dateline.stages.entity_bodies import find_bodies
from dateline.stages.entity_lexicon import (
    broader_concepts,
    capital_code,
    country_code,
    demonym_code,
    is_known_place,
    norm_key,
    org_info,
    place_code,
)
from dateline.stages.entity_lookup import entity_at, sector_of
from dateline.stages.entity_mentions import RawMention, generation, name_tokens, raw_mentions
from dateline.stages.roles import RoleSpan, role_after, role_before, role_references

VERSION = "entities.v5"

# First names this similar (rapidfuzz ratio on folded text) with the same surname are one
# person within an article ("Sergei"/"Sergey"); tuned on transliteration pairs.
_FIRST_NAME_RATIO = 75.0


@dataclass(slots=True)
class _Cluster:
    type: str
    full: tuple[str, ...]
    mentions: list[tuple[RawMention, str]] = field(default_factory=list)  # (mention, label)
    roles: list[RoleSpan] = field(default_factory=list)
    concepts: dict[str, str | None] = field(default_factory=dict)  # concept -> country

    @property
    def first(self) -> int:
        return min(m.start for m, _ in self.mentions)


def _same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two full names (>= 2 tokens) of one person: equal, transliterated, or one inside other,
    with the same generational suffix ("Donald Trump Jr." is not "Donald Trump")."""
    if a == b:
        return True
    if generation(a) != generation(b):
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 2 and _contiguous(short, long_):
        return True
    if a[-1] != b[-1] or len(a) != len(b):
        return False
    return all(
        x == y
        or fuzz.ratio(x, y) >= _FIRST_NAME_RATIO
        or (len(x) == 1 and y.startswith(x))
        or (len(y) == 1 and x.startswith(y))
        for x, y in zip(a[:-1], b[:-1], strict=True)
    )


def _contiguous(short: tuple[str, ...], long_: tuple[str, ...]) -> bool:
    n = len(short)
    return any(long_[i : i + n] == short for i in range(len(long_) - n + 1))


def _matches_partial(part: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """A shorter reference ("Lavrov", "El Aissami") to a full name: not the first name alone."""
    if len(part) >= len(full) or not _contiguous(part, full):
        return False
    return part != full[: len(part)] or len(full) == 1


def _person_clusters(mentions: list[RawMention]) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    for m in mentions:
        if m.label != "PERSON" or len(m.tokens) < 2:
            continue
        for c in clusters:
            if _same_person(c.full, m.tokens):
                if len(m.tokens) > len(c.full):
                    c.full = m.tokens
                c.mentions.append((m, "PERSON"))
                break
        else:
            clusters.append(_Cluster("PERSON", m.tokens, [(m, "PERSON")]))
    return clusters


def _person_matches(
    tokens: tuple[str, ...], persons: list[_Cluster], *, first_names: bool = False
) -> list[_Cluster]:
    """Person clusters a name may refer to: the same full name, else a surname-like part, else
    (when ``first_names``) a first name ("Kim" for "Kim Jong Un", "Delcy")."""
    same = [
        c
        for c in persons
        if c.full == tokens
        or (len(tokens) >= 2 and len(c.full) >= 2 and _same_person(c.full, tokens))
    ]
    if same:
        return same[:1]
    hits = [c for c in persons if _matches_partial(tokens, c.full)]
    if not generation(tokens) and any(not generation(c.full) for c in hits):
        # "Trump" beside "Donald Trump" and "Donald Trump Jr.": the son is named with his suffix
        hits = [c for c in hits if not generation(c.full)]
    if hits or not first_names:
        return hits
    return [c for c in persons if len(c.full) > len(tokens) and c.full[: len(tokens)] == tokens]


def _before_suffixed(start: int, tokens: tuple[str, ...], person: _Cluster) -> bool:
    """A bare name before the first full mention of a person named with a generational
    suffix: "What Trump knew …" before "… his son Donald Trump Jr." is not the son. After it
    ("Martin Luther King Jr. … King said"), the bare name is his."""
    return bool(generation(person.full)) and not generation(tokens) and start < person.first


def _person_for(tokens: tuple[str, ...], persons: list[_Cluster]) -> _Cluster | None:
    """The unique person cluster a short name refers to, else None."""
    hits = _person_matches(tokens, persons)
    return hits[0] if len(hits) == 1 else None


def _trim_to_person(doc: Doc, m: RawMention, persons: list[_Cluster]) -> RawMention | None:
    """A non-person span ending in a known person's name ("Later Dmitry Sokolov") -> that name."""
    for k in range(m.start_token + 1, m.end_token - 1):
        span = doc[k : m.end_token]
        tokens = name_tokens(span.text)
        if len(tokens) >= 2 and _person_for(tokens, persons) is not None:
            return RawMention(
                k, m.end_token, span.start_char, span.end_char, span.text, "PERSON", tokens
            )
    return None


def _other_key(m: RawMention) -> tuple[str, str]:
    """Cluster key of a non-person mention: countries by code, known orgs by canonical name."""
    if m.label == "GPE":
        code = country_code(m.text)
        if code:
            return ("GPE", code)
    if m.label == "ORG":
        info = org_info(m.text)
        if info is not None:
            return ("ORG", norm_key(info.canonical))
    return (m.label, " ".join(m.tokens))


def _cluster(doc: Doc, mentions: list[RawMention]) -> tuple[list[_Cluster], list[RoleSpan]]:
    persons = _person_clusters(mentions)
    others: dict[tuple[str, str], _Cluster] = {}
    for m in mentions:
        if m.label == "PERSON" and len(m.tokens) >= 2:
            continue
        named_place = m.label != "PERSON" and (is_known_place(m.text) or org_info(m.text))
        if not named_place:
            hits = _person_matches(m.tokens, persons, first_names=m.label == "PERSON")
            if len(hits) == 1 and _before_suffixed(m.start, m.tokens, hits[0]):
                hits, m.label = [], "PERSON"  # its own person: later bare mentions join it
            if len(hits) == 1:
                hits[0].mentions.append((m, "PERSON"))
                continue
            trimmed = _trim_to_person(doc, m, persons) if m.label != "PERSON" else None
            if trimmed is not None:
                _person_matches(trimmed.tokens, persons)[0].mentions.append((trimmed, "PERSON"))
                continue
            if hits:  # a surname shared by several people here: a person, but which is unknown
                m.label = "PERSON"
        if m.label == "PERSON":
            persons.append(_Cluster("PERSON", m.tokens, [(m, "PERSON")]))
            continue
        key = _other_key(m)
        if key not in others:
            others[key] = _Cluster(m.label, m.tokens)
        others[key].mentions.append((m, m.label))
    roles = _attach_roles(doc, persons)
    _drop_inside_roles(others, roles)
    _add_bare_surnames(doc, persons, roles, others)
    clusters = [c for c in [*persons, *others.values()] if c.mentions]
    return clusters, roles


def _attach_roles(doc: Doc, persons: list[_Cluster]) -> list[RoleSpan]:
    found: list[RoleSpan] = []
    for c in persons:
        for m, _ in c.mentions:
            if m.start_token < 0:
                continue
            spans = role_before(doc, m.title_tokens[1] if m.title_tokens else m.start_token)
            spans += role_after(doc, m.end_token)
            for span in spans:
                if all(r.start != span.start for r in found):
                    c.roles.append(span)
                    found.append(span)
    return found


def _drop_inside_roles(others: dict[tuple[str, str], _Cluster], roles: list[RoleSpan]) -> None:
    """An ORG-like mention inside a title ("State" of "Secretary of State") is not an entity."""
    for c in others.values():
        if c.type in {"GPE", "NORP", "LOC"}:
            continue
        c.mentions = [
            (m, lab)
            for m, lab in c.mentions
            if not any(r.start <= m.start and m.end <= r.end for r in roles)
        ]


def _add_bare_surnames(
    doc: Doc,
    persons: list[_Cluster],
    roles: list[RoleSpan],
    others: dict[tuple[str, str], _Cluster],
) -> None:
    """Capitalised words equal to a person's surname that NER left out become mentions."""
    taken = [(m.start, m.end) for c in [*persons, *others.values()] for m, _ in c.mentions]
    taken += [(r.start, r.end) for r in roles]
    # Overlap test in O(log n) per token: the spans starting before the token's end overlap
    # it iff the largest end among them is past its start (a scan per token was quadratic).
    taken.sort()
    starts = [s for s, _ in taken]
    max_end = list(accumulate((e for _, e in taken), max))
    for token in doc:
        if not (token.is_alpha and token.text[:1].isupper()) or token.ent_type_ == "PERSON":
            continue
        if token.pos_ != "PROPN":
            continue  # "Young people ..." is not Mr Young
        before_end = bisect_left(starts, token.idx + len(token.text))
        if before_end and max_end[before_end - 1] > token.idx:
            continue
        toks = (norm_key(token.text),)
        if is_known_place(token.text):
            continue
        target = _person_for(toks, [p for p in persons if len(p.full) >= 2])
        if target is None or _before_suffixed(token.idx, toks, target):
            continue
        m = RawMention(
            token.i, token.i + 1, token.idx, token.idx + len(token.text), token.text, "PERSON", toks
        )
        target.mentions.append((m, "PERSON"))


def _role_concepts(clusters: list[_Cluster]) -> None:
    """Concepts per person; a "counterpart" takes the concepts of the person it is set against."""
    for c in clusters:
        for r in c.roles:
            for concept in r.concepts - {"counterpart"}:
                c.concepts.setdefault(concept, r.country)
    mention_owner = sorted(
        ((m.start, c) for c in clusters if c.type == "PERSON" for m, _ in c.mentions),
        key=lambda x: x[0],
    )
    for c in clusters:
        for r in c.roles:
            if "counterpart" not in r.concepts:
                continue
            before = [o for s, o in mention_owner if s < r.start and o is not c and o.concepts]
            if before:
                for concept in before[-1].concepts:
                    c.concepts.setdefault(concept, r.country)


def _link_role_references(doc: Doc, clusters: list[_Cluster], roles: list[RoleSpan]) -> None:
    persons = [c for c in clusters if c.type == "PERSON"]
    taken = [(r.start, r.end) for r in roles]
    taken += [(m.start, m.end) for c in clusters for m, _ in c.mentions]
    broader = broader_concepts()
    for ref in role_references(doc, taken):
        candidates = []
        for c in persons:
            for concept, country in c.concepts.items():
                fits = concept in ref.concepts or bool(
                    broader.get(concept, frozenset()) & ref.concepts
                )
                if fits and (ref.country is None or (country or _person_country(c)) == ref.country):
                    candidates.append(c)
                    break
        if len(candidates) == 1:
            tokens = tuple(norm_key(ref.text).split())
            m = RawMention(-1, -1, ref.start, ref.end, ref.text, "ROLE", tokens)
            candidates[0].mentions.append((m, "ROLE"))


def _person_country(c: _Cluster) -> str | None:
    votes = Counter(r.country for r in c.roles if r.country)
    return votes.most_common(1)[0][0] if votes else None


def _country(c: _Cluster, name: str) -> str | None:
    if c.type == "PERSON":
        return _person_country(c) or next((v for v in c.concepts.values() if v), None)
    if c.type == "GPE":
        return country_code(name) or capital_code(name) or _leading_place(name)
    if c.type == "NORP":
        return demonym_code(name) or country_code(name)
    info = org_info(name)
    if info is not None:
        return info.country
    return _leading_place(name)


def _leading_place(name: str) -> str | None:
    """Country named at the start of an organisation ("Russian Foreign Ministry" -> RUS)."""
    words = name.replace("'s", "").replace("\u2019s", "").split()
    for n in (3, 2, 1):
        if len(words) > n:
            code = place_code(" ".join(words[:n]))
            if code:
                return code
    return None


def _name(c: _Cluster) -> str:
    named = [m for m, lab in c.mentions if lab != "ROLE"]
    if c.type == "PERSON":
        best = max(len(m.tokens) for m in named)
        return min((m for m in named if len(m.tokens) == best), key=lambda m: m.start).text
    counts = Counter(m.text for m in named)
    first: dict[str, int] = {}
    for m in sorted(named, key=lambda m: m.start):
        first.setdefault(m.text, m.start)
    return min(counts, key=lambda t: (-counts[t], first[t]))


def _label_of(c: _Cluster) -> str:
    if c.type == "PERSON":
        return "PERSON"
    votes = Counter(lab for _, lab in c.mentions)
    return votes.most_common(1)[0][0]


def extract_entities(
    article: Article, doc: Doc, *, settings: Settings = DEFAULT_SETTINGS
) -> tuple[ArticleEntity, ...]:
    """Entities of one article with their mentions, roles and country, keyed ``e1``, ``e2``...

    Args:
        article: the article; ``doc`` must have been made from ``article.text``.
        doc: its spaCy parse (NER, parser).
        settings: unused for now; kept for the stage signature.

    Returns:
        Entities in order of first mention; mentions sorted by start.
    """
    del settings
    if doc_text(doc) != article.text or not article.text.strip():
        return ()
    clusters, roles = _cluster(doc, raw_mentions(doc))
    _role_concepts(clusters)
    _link_role_references(doc, clusters, roles)
    clusters.sort(key=lambda c: c.first)
    out: list[ArticleEntity] = []
    for i, c in enumerate(clusters, start=1):
        key = f"e{i}"
        seen: set[tuple[int, int]] = set()
        mentions = []
        for m, lab in sorted(c.mentions, key=lambda x: (x[0].start, x[0].end)):
            if (m.start, m.end) in seen:
                continue
            seen.add((m.start, m.end))
            mentions.append(EntityMention(m.start, m.end, article.text[m.start : m.end], lab, key))
        name = _name(c)
        aliases = tuple(dict.fromkeys(m.text for m in mentions if m.label != "ROLE"))
        role_texts = tuple(dict.fromkeys(r.text for r in sorted(c.roles, key=lambda r: r.start)))
        role_mentions = tuple(
            RoleMention(r.start, r.end, r.text, key) for r in sorted(c.roles, key=lambda r: r.start)
        )
        out.append(
            ArticleEntity(
                key=key,
                name=name,
                type=_label_of(c),
                aliases=aliases,
                roles=_dedupe_folded(role_texts),
                country=_country(c, name),
                mentions=tuple(mentions),
                role_mentions=role_mentions,
            )
        )
    found = _places_with_demonyms(tuple(out))
    return found + find_bodies(article.text, found)


# "Karsk" / "Karskian", "Veloria" / "Velorian", "Japan" / "Japanese": a one-word name whose
# demonym (a NORP mention) also occurs in the article is a place, whatever NER guessed.
_DEMONYM_SUFFIXES = ("ian", "an", "n", "ese", "ish", "i")


def _places_with_demonyms(entities: tuple[ArticleEntity, ...]) -> tuple[ArticleEntity, ...]:
    demonyms = {norm_key(m.text) for e in entities if e.type == "NORP" for m in e.mentions}
    if not demonyms:
        return entities
    out = []
    for e in entities:
        stem = norm_key(e.name)
        if (
            e.type in {"PERSON", "ORG"}
            and " " not in stem
            and len(stem) >= 4
            and any(stem + suffix in demonyms for suffix in _DEMONYM_SUFFIXES)
        ):
            e = replace(e, type="GPE")
        out.append(e)
    return tuple(out)


def _dedupe_folded(texts: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for t in texts:
        seen.setdefault(norm_key(t), t)
    return tuple(seen.values())


__all__ = ["VERSION", "entity_at", "extract_entities", "sector_of"]
