"""What a figure measures, read off the dependency parse (helpers of ``figures``).

Kept apart from number finding so each module stays small: these functions turn the
syntax around a number into a short phrase ("investment in X", "people injured").
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token


_DROP_MODS = frozenset(
    [
        "other",
        "more",
        "additional",
        "further",
        "such",
        "several",
        "same",
        "the",
        "a",
        "an",
        "this",
        "that",
    ]
)
# Governors after which a money figure measures the subject ("X is worth $5bn").
_VALUATION_LEMMAS = frozenset(
    [
        "be",
        "estimate",
        "value",
        "worth",
        "cost",
        "total",
        "amount",
        "reach",
        "stand",
        "put",
        "exceed",
        "top",
    ]
)
_NAME_ENTS = frozenset({"NORP", "GPE", "ORG", "PERSON", "LOC", "FAC"})
_MAX_MEASURE_TOKENS = 12


def lexicon_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("dateline.lexicon").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@lru_cache(maxsize=1)
def nominalisations() -> dict[str, str]:
    """Verb lemma -> the noun naming what it measures ("invest" -> "investment")."""
    return {r["verb"]: r["noun"] for r in lexicon_rows("figures_nominalisations.csv")}


def _phrase(tokens: list[Token]) -> str:
    """Render tokens in document order, casing common words down, trimming punctuation."""
    toks = sorted(tokens, key=lambda t: t.i)
    while toks and (toks[0].is_punct or toks[0].lower_ in _DROP_MODS):
        toks = toks[1:]
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    toks = toks[:_MAX_MEASURE_TOKENS]
    out = []
    for t in toks:
        keep_case = t.pos_ == "PROPN" or t.text.isupper() or t.ent_type_ in _NAME_ENTS
        word = t.text if keep_case else t.lower_
        out.append(word + t.whitespace_)
    return "".join(out).strip()


def _np_tokens(head: Token, *, with_preps: bool) -> list[Token]:
    """The head noun with its compounds/modifiers (and prepositional phrases when asked)."""
    keep = {"compound", "amod", "nmod", "poss", "case", "det"}
    if with_preps:
        keep |= {"prep", "pobj", "conj", "cc", "pcomp"}
    result = [head]
    stack = [c for c in head.children if c.dep_ in keep]
    while stack:
        tok = stack.pop()
        if tok.lower_ in _DROP_MODS and tok.dep_ == "amod":
            continue
        if tok.like_num or (
            tok.ent_type_ in {"MONEY", "PERCENT", "CARDINAL"} and tok.dep_ != "poss"
        ):
            continue
        if tok.dep_ == "prep" and tok.lower_ in {"according", "as", "than"}:
            continue
        result.append(tok)
        stack.extend(c for c in tok.children if c.dep_ not in {"relcl", "acl", "appos", "punct"})
    return result


def _preps(tok: Token, exclude: Token | None = None, figure: Token | None = None) -> list[Token]:
    """Prepositional phrases under ``tok``, minus dates and the one holding the figure."""
    out: list[Token] = []
    for child in tok.children:
        if figure is not None and child.left_edge.i <= figure.i <= child.right_edge.i:
            continue
        if exclude is not None and child.i == exclude.i:
            continue
        if (
            child.dep_ == "prep"
            and child.lower_ != "according"
            and not any(t.ent_type_ == "DATE" for t in child.subtree)
        ):
            out.extend(child.subtree)
    return out


def _subject(verb: Token) -> Token | None:
    seen = 0
    while seen < 4:
        for child in verb.children:
            if child.dep_ in {"nsubj", "nsubjpass"} and child.pos_ in {"NOUN", "PROPN", "PRON"}:
                return child
        if verb.dep_ in {"xcomp", "ccomp", "acomp", "conj"} and verb.head.i != verb.i:
            verb = verb.head
            seen += 1
        else:
            return None
    return None


def _verb_measure(verb: Token, via: Token | None, head: Token) -> str | None:
    lemma = verb.lemma_.lower()
    while lemma in {"worth", "be"} or verb.pos_ == "ADJ":
        if verb.head.i == verb.i:
            break
        verb, lemma = verb.head, verb.head.lemma_.lower()
        if lemma not in {"worth", "be"} and verb.pos_ != "ADJ":
            break
    noun = nominalisations().get(lemma)
    subj = _subject(verb)
    if noun is not None:
        preps = _preps(head) + _preps(verb, exclude=via, figure=head)
        text = noun + (" " + _phrase(preps) if preps else "")
        if subj is not None and subj.pos_ == "NOUN" and not preps:
            text = f"{subj.lemma_.lower()} {noun}"
        return text
    if lemma in _VALUATION_LEMMAS and subj is not None and subj.pos_ != "PRON":
        return _phrase(_np_tokens(subj, with_preps=True))
    if subj is not None and subj.pos_ == "NOUN":
        return f"{subj.lemma_.lower()} {verb.lower_}"
    return verb.lower_ if verb.pos_ == "VERB" else None


def amount_measure(head: Token) -> str | None:
    """What a money or percentage figure (syntactic head ``head``) measures."""
    gov, dep = head.head, head.dep_
    if gov.i == head.i:
        return None
    if dep == "conj" and gov.ent_type_ in {"MONEY", "PERCENT"}:
        return amount_measure(gov)  # "€300 million and $4bn more": share the first's measure
    of_child = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of_child is not None and head.ent_type_ == "PERCENT":
        objs = [c for c in of_child.children if c.dep_ == "pobj"]
        if objs:
            return "share of " + _phrase(_np_tokens(objs[0], with_preps=False))
    if dep == "pobj" and gov.pos_ == "ADP":
        target = gov.head
        if target.pos_ in {"NOUN", "PROPN"}:
            base = _phrase(_np_tokens(target, with_preps=False))
            if target.pos_ == "NOUN":
                base = (
                    base.rsplit(" ", 1)[0] + " " + target.lemma_.lower()
                    if " " in base
                    else (target.lemma_.lower())
                )
            preps = _preps(head) + _preps(target, exclude=gov, figure=head)
            return base + (" " + _phrase(preps) if preps else "")
        if target.pos_ in {"VERB", "AUX", "ADJ"}:
            return _verb_measure(target, gov, head)
        return None
    if dep in {"compound", "nmod", "amod", "nummod", "quantmod"} and gov.pos_ == "NOUN":
        return _phrase(_np_tokens(gov, with_preps=True))
    if gov.pos_ in {"VERB", "AUX", "ADJ"}:
        return _verb_measure(gov, None, head)
    if gov.pos_ == "NOUN":
        return _phrase(_np_tokens(gov, with_preps=True))
    return None


def count_measure(noun: Token) -> str:
    """What a count measures: the counted noun with its modifiers (and its predicate)."""
    mods = [t for t in _np_tokens(noun, with_preps=False) if t.dep_ not in {"poss", "case"}]
    of_child = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    text = _phrase(mods)
    if of_child is not None:
        objs = [c for c in of_child.children if c.dep_ == "pobj"]
        if objs:
            obj = objs[0]
            obj_mods = [t for t in _np_tokens(obj, with_preps=False) if t.i != obj.i]
            text = (_phrase(obj_mods) + " " + obj.lemma_.lower()).strip() + " " + text
    if noun.dep_ in {"nsubj", "nsubjpass"} and noun.head.pos_ == "VERB":
        verb = noun.head
        text += " " + verb.lower_
        dobj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if noun.dep_ == "nsubj" and dobj is not None and dobj.pos_ == "NOUN":
            text += " " + dobj.lower_
    return text.strip()
