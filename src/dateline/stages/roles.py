"""Titles and roles around person names, and role-only references to people.

"Russian Foreign Minister Sergei Lavrov", "his Venezuelan counterpart Jorge Arreaza",
"Juan Guaido, who had proclaimed himself as the interim president" attach a role to a name;
"the Russian foreign minister" or "Russia's top diplomat" on their own refer to whoever holds
that role. Role words come from ``lexicon/roles.csv``; this module only walks tokens.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from dateline.stages.entity_lexicon import (
    RoleTerm,
    max_role_len,
    norm_key,
    org_info,
    place_code,
    role_modifiers,
    role_terms,
    role_words,
)

_POSSESSIVE = frozenset({"'s", "'"})
_JOINERS = frozenset({"of", "and", "for", "-"})
_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "its", "their", "our", "my", "your"})
_PLACE_LABELS = frozenset({"GPE", "NORP", "LOC"})
_SELF_VERBS = frozenset(
    {"proclaimed", "declared", "named", "styled", "called", "appointed", "crowned", "sworn"}
)
_REFLEXIVES = frozenset({"himself", "herself", "themselves"})
_AUX = frozenset({"had", "has", "have", "was", "is"})
# Walks stop after this many tokens: role phrases longer than this are lists, not titles.
_MAX_WALK = 9


@dataclass(frozen=True, slots=True)
class RoleSpan:
    """A role phrase found in the text, with what the lexicon says about it."""

    start: int
    end: int
    text: str
    concepts: frozenset[str]
    sector: str | None
    country: str | None
    linkable: bool
    head: int  # char offset of the last role word (identifies reference heads)


def _key(token: Token) -> str:
    return norm_key(token.text)


def _is_placeish(token: Token) -> bool:
    """A token naming a country or nationality (or a government seat like "Kremlin")."""
    if token.ent_type_ in _PLACE_LABELS:
        return True
    if token.ent_type_ == "ORG" or token.is_title or token.is_upper:
        info = org_info(token.text)
        if info is not None and info.country is not None and info.sector == "GOV":
            return True
    return bool(token.text[:1].isupper() and place_code(token.text))


def _acceptable(token: Token) -> bool:
    """A token that may be part of a role phrase (joiners are checked by ``_joins``)."""
    key = _key(token)
    if token.ent_type_ == "PERSON":
        return False
    if key in role_words() and key not in _JOINERS:
        return True
    if key in _POSSESSIVE:
        return token.i > 0 and _is_placeish(token.doc[token.i - 1])
    return _is_placeish(token)


def _is_role_word(token: Token) -> bool:
    key = _key(token)
    return key in role_words() and key not in _JOINERS and token.ent_type_ != "PERSON"


def _joins(token: Token) -> bool:
    """True for a joiner ("of", "and", "-") that sits inside a role phrase.

    It needs a role word on its right and a role word or place on its left ("Secretary of
    State", "leader and self-proclaimed president"), never a list ("Venezuela and for President").
    """
    if _key(token) not in _JOINERS:
        return False
    doc = token.doc
    if token.i == 0 or token.i + 1 >= len(doc):
        return False
    left, right = doc[token.i - 1], doc[token.i + 1]
    return _is_role_word(right) and (_is_role_word(left) or _is_placeish(left))


def _terms_in(tokens: list[Token]) -> list[tuple[int, int, RoleTerm]]:
    """Longest role-term matches (token index ranges within ``tokens``), left to right."""
    keys = [_key(t) for t in tokens]
    terms = role_terms()
    found: list[tuple[int, int, RoleTerm]] = []
    i = 0
    while i < len(keys):
        for n in range(min(max_role_len(), len(keys) - i), 0, -1):
            phrase = " ".join(keys[i : i + n])
            if phrase in terms:
                found.append((i, i + n, terms[phrase]))
                i += n
                break
        else:
            i += 1
    return found


def _country_of(tokens: list[Token]) -> str | None:
    doc = tokens[0].doc
    for ent in doc.ents:
        if ent.start >= tokens[0].i and ent.end <= tokens[-1].i + 1 and ent.label_ in _PLACE_LABELS:
            code = place_code(ent.text)
            if code:
                return code
    for token in tokens:
        if token.text[:1].isupper():
            code = place_code(token.text)
            if code:
                return code
    return None


def _build(tokens: list[Token]) -> RoleSpan | None:
    """A RoleSpan for ``tokens`` trimmed to its role words, or None when it holds no role."""
    while tokens and (_key(tokens[0]) in _JOINERS or _key(tokens[0]) in _POSSESSIVE):
        tokens = tokens[1:]
    found = _terms_in(tokens)
    if not found:
        return None
    last = found[-1][1]
    # drop trailing words after the last role term ("minister of" dangling) but keep
    # "Secretary of State"-style terms whole: they were matched as one term.
    tokens = tokens[:last]
    while tokens and _key(tokens[-1]) in _JOINERS | _POSSESSIVE:
        tokens = tokens[:-1]
    if not tokens:
        return None
    head_term = found[-1][2]
    concepts = frozenset(t.concept for _, _, t in found if t.linkable or t.concept == "counterpart")
    if not concepts:
        concepts = frozenset({head_term.concept})
    keys = {_key(t) for t in tokens}
    sector = "OPP" if "opposition" in keys else head_term.sector
    doc = tokens[0].doc
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    return RoleSpan(
        start=start,
        end=end,
        text=doc[tokens[0].i : tokens[-1].i + 1].text,
        concepts=concepts,
        sector=sector,
        country=_country_of(tokens),
        linkable=head_term.linkable,
        head=tokens[-1].idx,
    )


def _build_all(tokens: list[Token]) -> list[RoleSpan]:
    """Role spans of a phrase, split at "and" ("opposition leader and interim president")."""
    out: list[RoleSpan] = []
    segment: list[Token] = []
    for token in [*tokens, None]:
        if token is None or _key(token) == "and":
            built = _build(segment) if segment else None
            if built is not None:
                out.append(built)
            segment = []
        else:
            segment.append(token)
    return out


def role_before(doc: Doc, token_index: int) -> list[RoleSpan]:
    """The title right before the name starting at ``token_index`` ("Russian Foreign Minister")."""
    if len(doc) == 0:
        return []
    i = token_index - 1
    # ``token_index`` may be one past the last token (a role reference ending the text).
    anchor = doc[min(token_index, len(doc) - 1)]
    sent_start = anchor.sent.start if doc.has_annotation("SENT_START") else 0
    # "the opposition leader and self-proclaimed interim president, Juan Guaido"
    if i >= sent_start and doc[i].text == "," and i - 1 >= sent_start and _acceptable(doc[i - 1]):
        i -= 1
    collected: list[Token] = []
    while (
        i >= sent_start and len(collected) < _MAX_WALK and (_acceptable(doc[i]) or _joins(doc[i]))
    ):
        collected.insert(0, doc[i])
        i -= 1
    return _build_all(collected)


def role_after(doc: Doc, token_index: int) -> list[RoleSpan]:
    """An appositive role after the name ending before ``token_index``.

    Covers ", Russia's foreign minister," and ", who had proclaimed himself as the interim
    president".
    """
    n = len(doc)
    i = token_index
    if i >= n or doc[i].text != ",":
        return []
    i += 1
    sent_end = doc[token_index - 1].sent.end if doc.has_annotation("SENT_START") else n
    if i < sent_end and _key(doc[i]) == "who":
        i += 1
        if i < sent_end and _key(doc[i]) in _AUX:
            i += 1
        if not (i < sent_end and _key(doc[i]) in _SELF_VERBS):
            return []
        i += 1
        if not (i < sent_end and _key(doc[i]) in _REFLEXIVES):
            return []
        i += 1
        if i < sent_end and _key(doc[i]) == "as":
            i += 1
    if i < sent_end and _key(doc[i]) in _DETERMINERS:
        i += 1
    collected: list[Token] = []
    while i < sent_end and len(collected) < _MAX_WALK and (_acceptable(doc[i]) or _joins(doc[i])):
        collected.append(doc[i])
        i += 1
    if not collected:
        return []
    # the phrase must close the apposition ("..., Russia's foreign minister, said"); a
    # following word means it was the start of something else ("minister of industries")
    if i < sent_end and not (doc[i].is_punct or _key(doc[i]) in {"and", "who", "said", "says"}):
        return []
    return _build_all(collected)


def role_references(doc: Doc, taken: list[tuple[int, int]]) -> list[RoleSpan]:
    """Role-only noun phrases ("the Russian foreign minister") outside the ``taken`` char spans.

    A phrase counts when a determiner, possessive or country word introduces it and no name
    follows it (a following capitalised word means it is a title of a name NER missed).
    """
    out: list[RoleSpan] = []
    terms = role_terms()
    heads = {t.split()[-1] for t in terms}
    for token in doc:
        key = _key(token)
        if key not in heads or token.ent_type_ == "PERSON":
            continue
        if any(s <= token.idx < e for s, e in taken):
            continue
        nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if nxt is not None and (
            nxt.ent_type_ == "PERSON" or (nxt.is_alpha and nxt.text[:1].isupper())
        ):
            continue
        if nxt is not None and _key(nxt) in {"of", "-"} | _POSSESSIVE:
            continue  # "president of the assembly", "minister's": not a bare reference
        spans = role_before(doc, token.i + 1)
        span = spans[-1] if spans else None
        if span is None or span.head != token.idx:
            continue
        first = doc.char_span(span.start, span.end, alignment_mode="expand")
        if first is None:
            continue
        before = doc[first.start - 1] if first.start > 0 else None
        introduced = span.country is not None or (
            before is not None and _key(before) in _DETERMINERS
        )
        if not introduced or not span.linkable:
            continue
        out.append(span)
    return out


def roles_concepts(text: str) -> tuple[frozenset[str], str | None]:
    """Concepts and sector of a role string ("Russian Foreign Minister") from the lexicon."""
    keys = norm_key(text).replace(",", " ").split()
    terms = role_terms()
    concepts: set[str] = set()
    sector: str | None = None
    i = 0
    while i < len(keys):
        for n in range(min(max_role_len(), len(keys) - i), 0, -1):
            phrase = " ".join(keys[i : i + n])
            if phrase in terms:
                concepts.add(terms[phrase].concept)
                sector = terms[phrase].sector or sector
                i += n
                break
        else:
            i += 1
    if "opposition" in keys:
        sector = "OPP"
    return frozenset(concepts), sector


__all__ = ["RoleSpan", "role_after", "role_before", "role_modifiers", "role_references"]
