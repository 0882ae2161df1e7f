"""Government bodies named in lowercase after their owner, which NER misses.

"said the Russian foreign ministry", "the Kremlin's foreign ministry reportedly provided",
"Norland's foreign department": the owner (a demonym, a country, a capital or a seat of
government) gives the country, and the body gets the canonical name "<Demonym> Foreign
Ministry" so that the corpus stage merges it with the capitalised "Russian Foreign Ministry"
another outlet wrote. Only bodies listed in ``lexicon/government_bodies.txt`` are taken.
An owner the place lexicon does not know, but the article names as a nationality or a
place ("the Karskian foreign ministry", NER's NORP "Karskian"), names the body as written
("Karskian Foreign Ministry"), with no country.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from dateline.models import ArticleEntity, EntityMention
from dateline.stages.entity_lexicon import place_code

_OWNER_TYPES = frozenset({"NORP", "GPE"})
_OWNER = r"(?P<owner>[A-Z][\w.\-]*(?:\s[A-Z][\w.\-]*)?)(?P<poss>[\u2019']s)?"


@lru_cache(maxsize=1)
def _bodies() -> tuple[str, ...]:
    text = resources.files("dateline.lexicon").joinpath("government_bodies.txt").read_text("utf-8")
    rows = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return tuple(sorted(rows, key=len, reverse=True))


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    bodies = "|".join(re.escape(b).replace(r"\ ", r"\s+") for b in _bodies())
    return re.compile(rf"\b{_OWNER}\s+(?P<body>(?i:{bodies}))\b")


@lru_cache(maxsize=1)
def _demonym_of() -> dict[str, str]:
    """Alpha-3 -> the demonym used in canonical names (first listed in demonyms.csv)."""
    text = resources.files("dateline.lexicon").joinpath("demonyms.csv").read_text("utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines()[2:]:
        demonym, _, code = line.partition(",")
        if demonym and code:
            out.setdefault(code.strip(), demonym.strip().title())
    return out


def find_bodies(text: str, entities: tuple[ArticleEntity, ...]) -> tuple[ArticleEntity, ...]:
    """Entities for the government bodies in ``text`` that no existing mention covers.

    Keys continue after the existing ones ("e12", "e13", ...); mentions of the same body
    (same canonical name) share one entity.
    """
    taken = [(m.start, m.end) for e in entities for m in e.mentions if m.label != "ROLE"]
    places = {m.text for e in entities if e.type in _OWNER_TYPES for m in e.mentions}
    found: dict[str, list[EntityMention]] = {}
    countries: dict[str, str] = {}
    next_key = len(entities) + 1
    keys: dict[str, str] = {}
    for match in _pattern().finditer(text):
        owner = match.group("owner")
        start, end = match.start("owner"), match.end("body")
        if owner.startswith(("The ", "the ")):
            start += 4
            owner = owner[4:]
        # NER already has this body as a mention: nothing to add.
        if any(s <= match.start("body") and match.end("body") <= e for s, e in taken):
            continue
        code = place_code(owner)
        demonym = _demonym_of().get(code) if code is not None else None
        if demonym is None and code is None and owner in places:
            demonym = owner
        if demonym is None:
            continue
        name = f"{demonym} {match.group('body').title()}"
        if name not in keys:
            keys[name] = f"e{next_key}"
            next_key += 1
        key = keys[name]
        span_start = start
        found.setdefault(name, []).append(
            EntityMention(span_start, end, text[span_start:end], "ORG", key)
        )
        if code is not None:
            countries[name] = code
    return tuple(
        ArticleEntity(
            key=keys[name],
            name=name,
            type="ORG",
            aliases=tuple(dict.fromkeys(m.text for m in mentions)),
            country=countries.get(name),
            mentions=tuple(mentions),
        )
        for name, mentions in found.items()
    )
