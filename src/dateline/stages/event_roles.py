"""Who did it and to whom: actor/target/location for a trigger, from the dependency parse.

Actors are the syntactic subject (or the ``by`` agent of a passive), targets the object or
the ``with``/``to``/``against``/``on`` complement; a compound subject ("X and Y met") or a
``between X and Y`` phrase gives both participants of a symmetric event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Span, Token

from dateline.models import ArticleEntity, EntityMention
from dateline.stages.doctext import doc_text

_ACTOR_ENTS = {"PERSON", "ORG", "GPE", "NORP", "FAC"}
_PLACE_ENTS = {"GPE", "LOC", "FAC"}
_TARGET_PREPS = ("with", "to", "against", "on", "upon", "from", "for", "toward", "towards")
_PHRASE_DEPS = {"compound", "amod", "nmod", "poss", "case", "flat", "nummod", "quantmod"}
_PERSON_PRONOUNS = {"he", "she", "his", "her", "him"}
_CLIMB = {
    "dobj",
    "pobj",
    "prep",
    "pcomp",
    "attr",
    "acomp",
    "xcomp",
    "conj",
    "advcl",
    "npadvmod",
    "appos",
    "nsubjpass",
    "nsubj",
}


@dataclass(frozen=True, slots=True)
class Participant:
    """A resolved actor or target: the phrase in the text and the entity it names."""

    start: int
    end: int
    text: str
    key: str | None
    entity: ArticleEntity | None
    head: Token


def _mentions(entities: Sequence[ArticleEntity]) -> list[tuple[EntityMention, ArticleEntity]]:
    return sorted(((m, e) for e in entities for m in e.mentions), key=lambda p: p[0].start)


def entity_for_span(
    entities: Sequence[ArticleEntity], start: int, end: int, head: Token
) -> ArticleEntity | None:
    """The entity named in the phrase: a mention covering the head first, then the nearest.

    A nationality adjective ("his Venezuelan counterpart Jorge Arreaza") is a last resort:
    the person or organisation in the same phrase is the participant.
    """
    best: tuple[tuple[int, int], ArticleEntity] | None = None
    for ment, ent in _mentions(entities):
        if ment.end <= start or ment.start >= end:
            continue
        if ent.type in _NOT_ACTOR_ENTS:
            continue
        covers_head = ment.start <= head.idx < ment.end
        score = (
            1 if ent.type == "NORP" else 0,
            0 if covers_head else 1 + abs(ment.start - head.idx),
        )
        if best is None or score < best[0]:
            best = (score, ent)
    return best[1] if best else None


def _phrase_bounds(head: Token) -> tuple[int, int]:
    """Character span of the noun phrase around ``head`` (modifiers, compounds, appositive name)."""
    toks = [head]
    stack = [head]
    while stack:
        tok = stack.pop()
        for child in tok.children:
            if child.dep_ in _PHRASE_DEPS or (child.dep_ == "appos" and child.pos_ == "PROPN"):
                toks.append(child)
                stack.append(child)
    if head.ent_type_:
        sent_ent = next((e for e in head.doc.ents if e.start <= head.i < e.end), None)
        if sent_ent is not None:
            toks.extend(sent_ent)
    doc = head.doc
    member = {t.i for t in toks}

    def joinable(i: int) -> bool:
        tok = doc[i]
        if i not in member or "\n" in tok.text_with_ws[:-1] or "\n" in tok.text:
            return False
        return not tok.is_punct or tok.text in {"-", "'", "\u2019", "."}

    lo = hi = head.i
    while lo - 1 >= 0 and joinable(lo - 1) and "\n" not in doc[lo - 1].whitespace_:
        lo -= 1
    while hi + 1 < len(doc) and joinable(hi + 1) and "\n" not in doc[hi].whitespace_:
        hi += 1
    while lo < hi and (doc[lo].dep_ == "case" or doc[lo].pos_ == "DET" or doc[lo].is_punct):
        lo += 1
    while hi > lo and (doc[hi].dep_ == "case" or doc[hi].is_punct):
        hi -= 1
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _resolve_pronoun(tok: Token, entities: Sequence[ArticleEntity]) -> ArticleEntity | None:
    """He/she -> the closest preceding PERSON mention in the article."""
    if tok.lower_ not in _PERSON_PRONOUNS:
        return None
    best = None
    for ment, ent in _mentions(entities):
        if ment.end <= tok.idx and ent.type == "PERSON":
            best = ent
    return best


def participant(tok: Token, entities: Sequence[ArticleEntity]) -> Participant:
    """Build a :class:`Participant` for a noun/pronoun token."""
    if tok.pos_ == "PRON":
        ent = _resolve_pronoun(tok, entities)
        # A resolved pronoun is shown by the name it stands for ("his" -> "Vladimir Putin").
        text = ent.name if ent else tok.text
        return Participant(
            tok.idx, tok.idx + len(tok.text), text, ent.key if ent else None, ent, tok
        )
    start, end = _phrase_bounds(tok)
    ent = entity_for_span(entities, start, end, tok)
    return Participant(start, end, doc_text(tok.doc)[start:end], ent.key if ent else None, ent, tok)


_NOT_ACTOR_ENTS = {
    "DATE",
    "TIME",
    "CARDINAL",
    "ORDINAL",
    "MONEY",
    "PERCENT",
    "QUANTITY",
    "EVENT",
    "LAW",
    "WORK_OF_ART",
    "LANGUAGE",
}


def actorish(tok: Token, sector_words: frozenset[str]) -> bool:
    """Whether a token can head an actor phrase (named, national, or a role/group noun)."""
    if tok.ent_type_ in _NOT_ACTOR_ENTS:
        return False
    if tok.ent_type_ in _ACTOR_ENTS or tok.pos_ == "PROPN":
        return True
    if tok.pos_ == "PRON" and tok.lower_ in _PERSON_PRONOUNS | {"they", "we", "it"}:
        return tok.lower_ in _PERSON_PRONOUNS
    return tok.pos_ == "NOUN" and tok.lemma_.lower() in sector_words


def find_actorish(root: Token, sector_words: frozenset[str], skip: set[int]) -> Token | None:
    """Breadth-first search of ``root``'s subtree for the first actor-like head."""
    queue = [root]
    while queue:
        tok = queue.pop(0)
        if tok.i not in skip and actorish(tok, sector_words):
            # Climb from a modifier to the head of its own phrase ("Turkey" in "Turkey's").
            while tok.dep_ in {"compound", "flat"} and tok.head.i not in skip:
                tok = tok.head
            return tok
        queue.extend(c for c in tok.children if c.dep_ not in {"relcl", "punct", "cc", "advcl"})
    return None


def _subject_of(verb: Token) -> tuple[Token | None, bool]:
    """(subject, passive) for a verb, inheriting through xcomp/conj/acomp chains."""
    tok = verb
    for _ in range(4):
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        if agent is not None:
            pobj = next((g for g in agent.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj, True
        subj = next((c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass", "csubj"}), None)
        if subj is not None:
            return subj, subj.dep_ == "nsubjpass"
        if (
            tok.dep_ in {"xcomp", "conj", "acomp", "advcl", "ccomp", "pcomp"}
            and tok.head.i != tok.i
        ):
            tok = tok.head
            continue
        break
    return None, False


def _conj_of(tok: Token) -> Token | None:
    for cand in (tok, *(c for c in tok.children if c.dep_ == "appos")):
        conj = next((c for c in cand.children if c.dep_ == "conj"), None)
        if conj is not None:
            return conj
    return None


def roles(
    trig: Token,
    entities: Sequence[ArticleEntity],
    sector_words: frozenset[str],
    skip: set[int],
    *,
    symmetric: bool = False,
) -> tuple[Token | None, Token | None]:
    """Heads of the (actor, target) phrases for a trigger token.

    ``symmetric`` events (CONSULT) take the ``with`` partner before the direct object,
    which for "discuss X with Y" is the topic, not a participant.
    """
    actor: Token | None = None
    target: Token | None = None
    preps = {c.lower_: c for c in trig.children if c.dep_ in {"prep", "agent"}}
    if "between" in preps:
        first = next((g for g in preps["between"].children if g.dep_ == "pobj"), None)
        if first is not None:
            return first, _conj_of(first)
    if trig.pos_ in {"NOUN", "PROPN"}:
        poss = next((c for c in trig.children if c.dep_ == "poss"), None)
        if (
            poss is not None
            and poss.ent_type_ not in _NOT_ACTOR_ENTS
            and (poss.pos_ != "PRON" or poss.lower_ in _PERSON_PRONOUNS)
        ):
            actor = poss
        comp = next(
            (
                c
                for c in trig.children
                if c.dep_ == "compound" and actorish(c, sector_words) and c.i not in skip
            ),
            None,
        )
        if actor is None and comp is not None:
            actor = comp
    else:
        subj, passive = _subject_of(trig)
        if passive:
            actor = subj if any(c.dep_ == "agent" for c in trig.children) else None
            target = next((c for c in trig.children if c.dep_ == "nsubjpass"), None)
        else:
            actor = subj
        holders = [trig, *(c for c in trig.children if c.dep_ == "dobj")]
        with_obj = next(
            (
                g
                for h in holders
                for c in h.children
                if c.lower_ == "with"
                for g in c.children
                if g.dep_ == "pobj"
            ),
            None,
        )
        if target is None and with_obj is not None and symmetric:
            target = find_actorish(with_obj, sector_words, skip)
        if target is None:
            dobj = next((c for c in trig.children if c.dep_ in {"dobj", "dative"}), None)
            if dobj is not None and (not symmetric or actorish(dobj, sector_words)):
                target = find_actorish(dobj, sector_words, skip)
    if target is None and symmetric and actor is not None:
        # "X and Y met (for hours) in PLACE": the other conjunct is the partner; the place
        # and the duration phrase are not.
        target = _conj_of(actor)
    if target is None:
        for prep in _TARGET_PREPS:
            if prep in preps:
                pobj = next((g for g in preps[prep].children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    target = find_actorish(pobj, sector_words, skip)
                    if target is not None:
                        break
    if actor is None:
        # A nominal trigger ("after talks with X", "reiterated support for X") takes the
        # subject of the verb that governs it.
        tok = trig
        for _ in range(5):
            if tok.dep_ not in _CLIMB or tok.head.i == tok.i:
                break
            tok = tok.head
            if tok.pos_ in {"VERB", "AUX"}:
                subj, passive = _subject_of(tok)
                if subj is not None and subj.i not in skip and not passive:
                    actor = subj
                    break
    if actor is not None and actor.pos_ == "PRON" and actor.lower_ not in _PERSON_PRONOUNS:
        actor = None
    if actor is not None and actor.i in skip:
        # The subject sits in a skipped region (a wire dateline): use the name inside it.
        actor = find_actorish(actor, sector_words, skip)
    if actor is not None and target is None:
        target = _conj_of(actor)
    if actor is not None and target is not None and actor.i == target.i:
        target = None
    return actor, target


def location(trig: Token, sent: Span, exclude: set[int]) -> str | None:
    """The place named by an ``in``/``at`` phrase on the trigger or its clause."""
    heads = [trig]
    # "met for hours in PLACE", "talks with Y in PLACE": the phrase hangs on a complement.
    heads += [g for c in trig.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    if trig.head.i != trig.i:
        heads.append(trig.head)
        if trig.head.head.i != trig.head.i:
            heads.append(trig.head.head)
    for head in heads:
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in {"in", "at"}:
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj" or pobj.i in exclude:
                    continue
                ent = next((e for e in sent.ents if e.start <= pobj.i < e.end), None)
                if ent is not None and ent.label_ in _PLACE_ENTS | {"ORG"} and pobj.pos_ == "PROPN":
                    return ent.text
    return None
