"""Trigger matching, frame absorption and event status over a spaCy parse.

A *trigger* is a token (or short phrase) from the dictionary in ``lexicon/events.json``.
*Frame* triggers ("agree to", "threaten to", "refuse to", "demand that") name the event
type of the action in their complement, so triggers inside that complement are absorbed
into the frame rather than reported as events of their own: "threatened to cut off
electricity" is one THREATEN event, not a THREATEN and a SANCTION.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from dateline.models import EventStatus
from dateline.stages.doctext import doc_text
from dateline.stages.event_lexicon import EventLexicon, Trigger

_VERB_POS = {"VERB", "AUX"}
_NOUN_POS = {"NOUN", "PROPN"}
_OBJ_DEPS = {"dobj", "nsubjpass", "attr", "oprd", "dative"}
# Edges through which a frame governs its complement.
_FRAME_EDGES = {
    "xcomp",
    "ccomp",
    "dobj",
    "pobj",
    "prep",
    "acomp",
    "pcomp",
    "nsubjpass",
    "acl",
    "conj",
    "advcl",
}
# Prepositions of circumstance: "In talks with Y, X vowed ..." sets the scene of the vow;
# the talks are an event of their own, not the content of the frame.
_CIRCUMSTANCE_PREPS = {"in", "during", "at", "after", "following", "before", "amid", "since"}
# Edges that put a trigger in a subordinate (purpose, adverbial, relative) clause.
_SUBORDINATE = {"advcl", "acl", "relcl", "xcomp", "pcomp", "csubj"}
_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
_NEG_WORDS = {"not", "n't", "never", "no"}
_CONDITIONAL_MARKS = {"if", "unless"}


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    """A dictionary trigger found in a sentence; ``token`` is the syntactic head of the match."""

    token: Token
    start: int
    end: int
    entry: Trigger
    absorbed: tuple[TriggerMatch, ...] = ()
    virtual: bool = False

    @property
    def text(self) -> str:
        doc = self.token.doc
        return doc[self.start : self.end].text


def _pos_ok(token: Token, pos: str) -> bool:
    if pos == "ANY":
        return True
    if pos == "VERB":
        return token.pos_ in _VERB_POS
    if pos == "NOUN":
        return token.pos_ in _NOUN_POS
    return token.pos_ == pos


def _objects(token: Token) -> list[Token]:
    """Direct and prepositional objects of ``token`` (and of its particle verb)."""
    out: list[Token] = []
    for child in token.children:
        if child.dep_ in _OBJ_DEPS:
            out.append(child)
        elif child.dep_ in {"prep", "prt", "agent"}:
            out.extend(g for g in child.children if g.dep_ in {"pobj", "dobj"})
    if token.dep_ in {"amod", "compound", "nmod"} and token.head.pos_ in _NOUN_POS:
        out.append(token.head)  # "lifted emergency" parsed oddly: fall back to the head noun
    if token.dep_ in {"acl", "relcl"}:
        out.append(token.head)  # "the curfew imposed ...": the modified noun is the object
    return out


def _word_forms(token: Token) -> set[str]:
    return {token.lemma_.lower(), token.lower_}


def _constraints_ok(head: Token, entry: Trigger) -> bool:
    if entry.obj:
        objs = _objects(head)
        expanded = set()
        for obj in objs:
            expanded |= _word_forms(obj)
            expanded |= {c.lemma_.lower() for c in obj.children if c.dep_ in {"compound", "amod"}}
        if not expanded & entry.obj:
            return False
    if entry.prep:
        preps = {c.lower_ for c in head.children if c.dep_ in {"prep", "prt", "agent"}}
        # A following particle that the parser attached elsewhere still counts ("called on X").
        nxt = head.nbor(1) if head.i + 1 < len(head.doc) else None
        if nxt is not None and nxt.pos_ in {"ADP", "PART"}:
            preps.add(nxt.lower_)
        if not preps & entry.prep:
            return False
    return True


def _phrase_head(sent: Span, start: int, end: int) -> Token:
    doc = sent.doc
    for tok in doc[start:end]:
        if not (start <= tok.head.i < end) or tok.head.i == tok.i:
            return tok
    return doc[end - 1]


def find_triggers(sent: Span, lex: EventLexicon) -> list[TriggerMatch]:
    """Every dictionary trigger in ``sent``, longest phrase first, one per token."""
    doc = sent.doc
    taken: set[int] = set()
    matches: list[TriggerMatch] = []
    for tok in sent:
        if tok.i in taken:
            continue
        candidates: list[Trigger] = []
        for form in (tok.lemma_.lower(), tok.lower_):
            candidates.extend(c for c in lex.by_first_lemma.get(form, ()) if c not in candidates)
        candidates.sort(key=lambda t: -len(t.lemmas))
        for entry in candidates:
            n = len(entry.lemmas)
            if tok.i + n > sent.end:
                continue
            span = doc[tok.i : tok.i + n]
            if not all(entry.lemmas[k] in _word_forms(span[k]) for k in range(n)):
                continue
            head = _phrase_head(sent, tok.i, tok.i + n)
            if not _pos_ok(head, entry.pos) or not _constraints_ok(head, entry):
                continue
            if entry.pos == "VERB" and head.dep_ in {"amod", "compound"} and head.tag_ == "VBN":
                continue  # "long-threatened invasion", "a planned visit": a modifier, no event
            matches.append(TriggerMatch(head, tok.i, tok.i + n, entry))
            taken.update(range(tok.i, tok.i + n))
            break
    return matches


def must_demands(sent: Span, lex: EventLexicon, demand: Trigger) -> list[TriggerMatch]:
    """Reported obligations ("X said Y must do Z") coded as DEMAND on the reporting verb."""
    out: list[TriggerMatch] = []
    for tok in sent:
        if tok.lemma_.lower() not in lex.transparent or tok.pos_ not in _VERB_POS:
            continue
        for comp in tok.children:
            if comp.dep_ != "ccomp":
                continue
            if any(a.lower_ in lex.must_words for a in comp.children if a.dep_ == "aux"):
                out.append(TriggerMatch(tok, tok.i, tok.i + 1, demand, virtual=True))
                break
    return out


def absorb_frames(matches: list[TriggerMatch]) -> list[TriggerMatch]:
    """Fold triggers inside a frame's complement into the frame; keep the rest."""
    by_index = {m.token.i: m for m in matches}
    owner: dict[int, int] = {}
    for m in matches:
        tok = m.token
        for _ in range(4):
            if tok.head.i == tok.i or tok.dep_ not in _FRAME_EDGES:
                break
            if tok.dep_ == "prep" and tok.lower_ in _CIRCUMSTANCE_PREPS:
                break
            tok = tok.head
            parent = by_index.get(tok.i)
            if parent is None:
                continue
            # A frame absorbs its complement; an entry constrained on its object ("accept
            # demands", "cancel a visit") absorbs that object.
            is_obj = m.token.head.i == tok.i and m.token.dep_ in _OBJ_DEPS
            # A nominal trigger that is what a verbal trigger acts on ("condemned the
            # attack", "rebuked the threats") is that event's topic, not a second event.
            nominal_topic = is_obj and m.token.pos_ in _NOUN_POS and parent.token.pos_ in _VERB_POS
            direct_obj = (bool(parent.entry.obj) and is_obj) or nominal_topic
            if (parent.entry.frame or direct_obj) and parent is not m:
                owner[m.token.i] = parent.token.i
            break

    # Resolve chains (a frame absorbed by a higher frame passes its children up).
    def root_of(i: int) -> int:
        seen = set()
        while i in owner and i not in seen:
            seen.add(i)
            i = owner[i]
        return i

    groups: dict[int, list[TriggerMatch]] = {}
    for m in matches:
        r = root_of(m.token.i)
        if r != m.token.i:
            groups.setdefault(r, []).append(m)
    out = []
    for m in matches:
        if m.token.i in owner:
            continue
        absorbed = tuple(sorted(groups.get(m.token.i, ()), key=lambda x: x.start))
        out.append(TriggerMatch(m.token, m.start, m.end, m.entry, absorbed, m.virtual))
    return out


def clause_verb(token: Token) -> Token:
    """The verb whose clause a (possibly nominal) trigger belongs to."""
    tok = token
    for _ in range(4):
        if tok.pos_ in _VERB_POS or tok.head.i == tok.i:
            return tok
        if (
            tok.dep_ in {"acomp", "attr"}
            or tok.dep_ in _OBJ_DEPS
            or tok.dep_
            in {"nsubj", "pobj", "prep", "conj", "appos", "pcomp", "npadvmod", "compound", "amod"}
        ):
            tok = tok.head
            continue
        return tok
    return tok


def clause_depth_penalty(token: Token, lex: EventLexicon) -> float:
    """How far a trigger sits from the sentence's main assertion (reporting verbs are skipped)."""
    penalty = 0.0
    tok = token
    for _ in range(8):
        if tok.head.i == tok.i:
            break
        dep = tok.dep_
        parent = tok.head
        if dep in _SUBORDINATE:
            # A purpose clause ("staged demonstrations to demand reforms") states the aim,
            # not the act: it weighs less than other subordinate clauses.
            purpose = any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
            penalty += 0.2 if purpose and dep == "advcl" else 0.12
        elif dep == "ccomp" and parent.lemma_.lower() not in lex.transparent:
            penalty += 0.08
        elif dep == "conj":
            penalty += 0.03
        elif dep == "pobj" and parent.dep_ == "prep" and token.pos_ in _NOUN_POS and tok is token:
            penalty += 0.05
        tok = parent
    return min(penalty, 0.4)


def _aux_words(verb: Token) -> set[str]:
    return {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}


def is_negated(token: Token) -> bool:
    """Negation on the trigger or on the clause verb carrying it."""
    verb = clause_verb(token)
    for tok in {token, verb}:
        for child in tok.children:
            if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
                return True
    return verb.dep_ == "xcomp" and verb.head.lemma_.lower() == "fail"


def event_status(token: Token, lex: EventLexicon, frame: Token | None = None) -> EventStatus:
    """``planned``, ``hypothetical``, ``negated`` or ``happened`` from modality in the clause."""
    if is_negated(token) or (frame is not None and is_negated(frame)):
        return "negated"
    verb = clause_verb(token)
    chain = [verb]
    if frame is not None:
        chain.append(clause_verb(frame))
    head = verb
    for _ in range(3):
        if head.dep_ in {"xcomp", "conj", "ccomp", "advcl"} and head.head.i != head.i:
            head = head.head
            chain.append(head)
        else:
            break
    auxes: set[str] = set()
    for v in chain:
        auxes |= _aux_words(v)
        for child in v.children:
            if child.dep_ == "advcl" and any(
                m.lower_ in _CONDITIONAL_MARKS for m in child.children if m.dep_ == "mark"
            ):
                return "hypothetical"
            if child.dep_ == "mark" and child.lower_ in _CONDITIONAL_MARKS:
                return "hypothetical"
    if auxes & _FUTURE_AUX:
        return "planned"
    if any(v.lemma_.lower() in lex.planned_frames for v in chain[1:]):
        return "planned"
    if any(v.lemma_.lower() in lex.planned_frames and v.tag_ == "VBN" for v in chain):
        return "planned"
    mods = {c.lower_ for c in token.children if c.dep_ in {"amod", "compound", "acl"}}
    if mods & lex.planned_words:
        return "planned"
    if "going" in {v.lower_ for v in chain} and "to" in {
        c.lower_ for v in chain for c in v.children
    }:
        return "planned"
    modal = auxes & lex.hypothetical_aux
    if modal:
        # "X said it would do Y" is reported intent, not a hypothesis.
        reported = any(
            v.dep_ == "ccomp" and v.head.lemma_.lower() in lex.transparent for v in chain
        )
        return "planned" if modal == {"would"} and reported else "hypothetical"
    return "happened"


def in_quotation(token: Token) -> bool:
    """Whether the token sits inside quotation marks (counted within its paragraph)."""
    text = doc_text(token.doc)
    para_start = text.rfind("\n", 0, token.idx) + 1
    before = text[para_start : token.idx]
    opens = before.count("\u201c")
    closes = before.count("\u201d")
    straight = before.count('"')
    return opens > closes or straight % 2 == 1
