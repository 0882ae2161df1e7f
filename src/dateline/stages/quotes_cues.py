"""Reporting cues from the dependency parse: cue verb, its speaker phrase and its content.

A *cue* is a reporting verb from ``lexicon/reporting_verbs.txt`` (or "according to").
For each cue we read, from the parse, the subject (who speaks), the complement that holds
what was said (a ``that``-clause, an infinitive, an object, a prepositional object, or the
main clause when the cue comes after it: "…, sources said") and a channel ("as saying" with
"quoted by X"). Pure functions over a spaCy ``Doc``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from dateline.models import CueClass
from dateline.stages.doctext import doc_text

_SUBJ = {"nsubj", "nsubjpass", "csubj"}
_CLAUSE_DEPS = {"ccomp"}
_INHERIT_DEPS = {"conj", "xcomp", "advcl", "pcomp"}
_POSTPOSED_DEPS = {"parataxis", "ccomp", "advcl", "conj"}
# Subordinators of adverbial clauses: "after the court annulled his election, X declared …"
# (a fronted clause the parser may attach as ``ccomp``) and "… ever since X declared …"
# (a cue inside a time clause) hold no reported content; see ``adverbial`` for "as".
ADVERBIAL_MARKS = frozenset(
    [
        "after",
        "before",
        "when",
        "whenever",
        "since",
        "while",
        "because",
        "although",
        "though",
        "until",
        "till",
        "once",
        "unless",
        "whereas",
    ]
)


_SET_OFF = {",", "\u2014", "\u2013", "-", "--", "(", ";"}


def set_off(doc: Doc, first: int) -> bool:
    """Whether the cue clause starting at token ``first`` is set off by punctuation.

    "The dam will hold, the mayor said": a postposed cue follows a comma or dash; in "Bush
    said history has shown the need …" the "cue" ``shown`` is part of what was said.
    """
    return first > 0 and doc[first - 1].text in _SET_OFF


def adverbial(tok: Token, *, as_too: bool = True) -> bool:
    """Whether the clause headed by ``tok`` is adverbial (introduced by "after", "since" …).

    A complement introduced by "as" is adverbial too ("said as the count began"); a cue
    introduced by "as" is not (``as_too=False``: "…, as X said" reports the clause before).
    """
    return any(
        c.dep_ == "mark" and (c.lower_ in ADVERBIAL_MARKS or (as_too and c.lower_ == "as"))
        for c in tok.children
    )


@dataclass(frozen=True, slots=True)
class Frames:
    """Which complements of a reporting verb carry the content."""

    clause: bool
    to: bool
    obj: bool
    preps: frozenset[str]


@dataclass(frozen=True, slots=True)
class Cue:
    """A reporting cue found in the parse (token indices are doc indices)."""

    verb: int
    cue_start: int
    cue_end: int
    speaker: tuple[int, int] | None  # token range [start, end)
    content: tuple[int, int] | None  # char range
    via: tuple[int, int] | None  # token range
    according: bool = False
    cue_class: CueClass | None = None  # set where the cue word alone does not tell ("For X, …")


@lru_cache(maxsize=1)
def reporting_verbs() -> dict[str, Frames]:
    """Load ``reporting_verbs.txt`` as lemma -> frames (later lines add frames)."""
    raw = resources.files("dateline.lexicon").joinpath("reporting_verbs.txt").read_text("utf-8")
    table: dict[str, Frames] = {}
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        lemma, _, frames_s = line.partition("\t")
        words = frames_s.split()
        preps = frozenset(p for w in words if w.startswith("prep:") for p in w[5:].split(","))
        old = table.get(lemma.strip())
        new = Frames("clause" in words, "to" in words, "obj" in words, preps)
        if old is not None:
            new = Frames(
                old.clause or new.clause, old.to or new.to, old.obj or new.obj, old.preps | preps
            )
        table[lemma.strip()] = new
    return table


@lru_cache(maxsize=1)
def quote_lexicon() -> dict[str, object]:
    """Load ``quote_lexicon.json`` (statement nouns, pronouns, role abbreviations)."""
    raw = resources.files("dateline.lexicon").joinpath("quote_lexicon.json").read_text("utf-8")
    data: dict[str, object] = json.loads(raw)
    return data


@dataclass(frozen=True, slots=True)
class CueClasses:
    """``quote_cue_classes.json``: (part of speech, lemma) -> class, plus the helper verbs."""

    table: dict[tuple[str, str], CueClass]
    light: frozenset[str]  # "issued a statement": the object noun decides
    aspect: frozenset[str]  # "continued to insist": the infinitive decides
    first_words: frozenset[str]  # of the table's lemmas ("lay" of "lay out")
    action: frozenset[str]  # verbs of acts ("sign", "strike down"): see ``is_action``


@lru_cache(maxsize=1)
def cue_classes() -> CueClasses:
    """Load ``quote_cue_classes.json``."""
    raw = resources.files("dateline.lexicon").joinpath("quote_cue_classes.json").read_text("utf-8")
    data = json.loads(raw)
    table: dict[tuple[str, str], CueClass] = {}
    for cls in ("stance", "speech"):  # speech last: it wins a lemma listed twice
        for pos, lemmas in data.get(cls, {}).items():
            for lemma in lemmas:
                table[(pos, str(lemma).lower())] = "speech" if cls == "speech" else "stance"
    return CueClasses(
        table,
        frozenset(data.get("light_verbs", [])),
        frozenset(data.get("aspect_verbs", [])),
        frozenset(lemma.split(" ")[0] for _, lemma in table),
        frozenset(str(v).lower() for v in data.get("action", {}).get("verb", [])),
    )


_POS_KEY = {
    "VERB": "verb",
    "AUX": "verb",
    "NOUN": "noun",
    "PROPN": "noun",
    "ADJ": "adj",
    "ADP": "adp",
    "ADV": "adv",
}


def _particles(tok: Token) -> list[str]:
    """The particles of a phrasal verb: "out" of "laid out", "down" of "struck down"."""
    return [
        c.lower_ for c in tok.children if c.dep_ == "prt" or (c.dep_ == "prep" and c.i == tok.i + 1)
    ]


def _lookup(tok: Token, classes: CueClasses) -> CueClass | None:
    lemma = tok.lemma_.lower()
    words = classes.first_words
    if " " not in lemma and not (lemma in words or lemma + "e" in words or lemma[:-1] in words):
        return None  # no key below can be in the table: most tokens, without their children
    table = classes.table
    pos = _POS_KEY.get(tok.pos_, "verb")
    keys = [(pos, lemma)] if pos == "verb" else [(pos, lemma), ("verb", lemma)]
    keys[:0] = [("verb", f"{lemma} {p}") for p in _particles(tok)]  # "laid out", "touched on"
    word = tok.lower_
    if word.startswith(lemma) and not word.startswith(lemma + lemma[-1:]):
        keys.append(("verb", lemma + "e"))  # "hoping", "hopes" lemmatised as "hop"
    if lemma.endswith("e") and not tok.lower_.startswith(lemma):  # "retweeted" -> "retweete"
        keys.append(("verb", lemma[:-1]))
    return next((table[k] for k in keys if k in table), None)


def cue_class(tok: Token, _depth: int = 0) -> CueClass | None:
    """Whether a cue token communicates ("speech"), holds a position ("stance") or neither.

    ``None`` means an action word (sign, block, seize): no attribution at all. A noun or
    adjective missing from its own list falls back to the verb list (tagger slips such as
    "hopes" read as a noun); "according to" and colons are speech. A light verb takes the
    class of its object ("issued a statement", "made the case"), an aspect verb that of its
    infinitive ("continued to insist").
    """
    classes = cue_classes()
    lemma = tok.lemma_.lower()
    if lemma == "accord":
        return "speech"
    if tok.is_punct:
        return classes.table.get(("punct", tok.text))
    found = _lookup(tok, classes)
    if found is not None or _depth > 2:
        return found
    if lemma in classes.light:
        for child in tok.children:
            if child.dep_ in {"dobj", "oprd", "acomp", "nsubjpass"}:
                found = _lookup(child, classes)
                if found is not None:
                    return found
    if lemma in classes.aspect:
        for child in tok.children:
            if child.dep_ == "xcomp" and child.pos_ in {"VERB", "AUX"}:
                return cue_class(child, _depth + 1)
        if any(c.dep_ == "ccomp" for c in tok.children) or tok.dep_ == "parataxis":
            return "speech"  # '"…," he continued': the verb goes on with a statement
    return None


def is_action(tok: Token) -> bool:
    """Whether a cue token is a verb of an act, not of words or of a position.

    "The two governments signed eleven agreements", "the council struck down the proposal":
    PolNeAR annotates some acts as attributions, so the attribution tagger can draw a
    statement on one; the quote is labelled "action" rather than presented as something
    said. Only verbs: "the signs point to …" is a noun. A phrasal verb is an act only if
    the list holds it as such ("struck down", "laid off"): "seized on her words", "signed
    off on the plan" are other verbs than "seize" and "sign". The list shares no lemma with
    the speech, stance, light or aspect verbs (a test holds it), so a cue ``cue_class``
    reads is never an act and the caller asks this only when that class is None.
    """
    if tok.pos_ != "VERB":
        return False
    classes = cue_classes()
    lemma = tok.lemma_.lower()
    particles = _particles(tok)
    if particles:
        return any(f"{lemma} {p}" in classes.action for p in particles)
    return lemma in classes.action


def _words(key: str) -> frozenset[str]:
    value = quote_lexicon().get(key, [])
    return frozenset(str(v) for v in value) if isinstance(value, list) else frozenset()


def is_cue_verb(tok: Token) -> bool:
    """True for a verb token whose lemma is a reporting verb."""
    if tok.lemma_.lower() not in reporting_verbs():
        return False
    if tok.pos_ in {"VERB", "AUX"}:
        return True
    # the tagger sometimes misreads a final cue ("…, a statement … read.") as a noun
    return tok.pos_ == "NOUN" and any(c.dep_ in _SUBJ for c in tok.children)


def np_range(head: Token) -> tuple[int, int]:
    """The noun phrase of ``head``: its left modifiers up to the head, plus "of/from" tails.

    Relative clauses and appositions after a comma are left out ("Guaido, who had …").
    """
    start = head.left_edge.i
    end = head.i + 1
    for child in head.rights:
        tail_prep = child.dep_ == "prep" and child.lower_ in {"of", "from", "for", "at"}
        if (
            tail_prep
            or child.dep_ in {"compound", "flat", "nummod"}
            or (child.dep_ == "appos" and child.pos_ == "PROPN" and child.i == end)
        ):
            end = max(end, child.right_edge.i + 1)
        else:
            break
    return start, end


def object_controlled(tok: Token) -> bool:
    """ "asked X to call on Y …": an infinitive after an object is a request to X, not words.

    Neither the subject (who asked) nor X said anything with it, so it is no cue.
    """
    return tok.dep_ == "xcomp" and any(c.dep_ == "dobj" and c.i < tok.i for c in tok.head.children)


def editorial_note(tok: Token) -> bool:
    """ "(emphasis added)", "italics mine": the writer's note on a quotation, not a statement."""
    words = _words("editorial_subjects")
    return any(c.dep_ in _SUBJ and c.lower_ in words for c in tok.children)


def subject_of(verb: Token) -> Token | None:
    """The grammatical subject of ``verb``, walking up through conj/xcomp/advcl chains."""
    tok: Token | None = verb
    for _ in range(4):
        if tok is None:
            return None
        # two subjects are a misparse ("SOLVAN, May 4 (Wire) - X's minister pledged"):
        # the one next to the verb is the real one
        at = tok.i
        subjects = sorted((c for c in tok.children if c.dep_ in _SUBJ), key=lambda c: abs(c.i - at))
        if subjects:
            child = subjects[0]
            # "MOSCOW, May 5 (Xinhua) -- Minister X said": the dateline is no speaker
            if child.text.isupper() and len(child.text) > 2:
                appos = [g for g in child.children if g.dep_ == "appos" and g.pos_ == "PROPN"]
                if appos:
                    return appos[-1]
            return child
        if tok.dep_ in _INHERIT_DEPS or (tok.dep_ == "prep" and tok.head.i != tok.i):
            tok = _skip_passive_conjunct(tok)
        else:
            return None
    return None


def _skip_passive_conjunct(tok: Token) -> Token:
    """Where ``tok`` takes its subject from: its head, or past a misparsed coordination.

    In "Ortega said 82 people had been detained and accused the opposition of …" the parser
    joins the active "accused" to the passive "detained"; the detained did not accuse
    anyone, so the subject comes from the verb that reports both ("said").
    """
    head = tok.head
    if (
        tok.dep_ == "conj"
        and head.dep_ == "ccomp"
        and any(c.dep_ == "nsubjpass" for c in head.children)
        and any(c.dep_ == "dobj" for c in tok.children)
        and not any(c.dep_ == "auxpass" for c in tok.children)
    ):
        return head.head
    return head


def _span_chars(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Char range of tokens [start, end) with edge punctuation and 'that'-less trims."""
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        if doc[end - 1].text in {".", "?", "!", "\u201d", '"', "\u2019"} and end - 1 > start:
            break
        end -= 1
    if end <= start:
        return None
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


def _content(doc: Doc, verb: Token, frames: Frames) -> tuple[int, int] | None:
    """Char range of what the cue verb reports, or None when no complement is found."""
    children = list(verb.children)
    # a small clause ("declared himself president") has a nominal head: not a statement
    clauses = [
        c
        for c in children
        if c.dep_ in _CLAUSE_DEPS and c.pos_ in {"VERB", "AUX"} and not adverbial(c)
    ]
    if clauses and frames.clause:
        c = max(clauses, key=lambda t: t.right_edge.i - t.left_edge.i)
        return _span_chars(doc, *clause_range(verb, c))
    if frames.to:
        xs = [c for c in children if c.dep_ in {"xcomp"} and c.i > verb.i]
        if xs:
            objs = [c for c in children if c.dep_ in {"dobj"} and c.i < xs[0].i]
            start = (objs[0] if objs else xs[0]).left_edge.i
            return _span_chars(doc, start, xs[0].right_edge.i + 1)
    if frames.preps:
        # "accused X of …": the preposition hangs on the object
        objs_preps = [g for c in children if c.dep_ == "dobj" for g in c.children]
        for c in children + objs_preps:
            if c.dep_ in {"prep", "prt"} and c.lower_ in frames.preps and c.i > verb.i:
                if c.head.i != verb.i and len(list(c.children)) == 0:
                    continue
                objs = [g for g in c.children if g.dep_ in {"pobj", "pcomp"}]
                nxt = c.right_edge.i + 1
                if not objs and c.dep_ == "prt":  # "called out X", "pointed out that"
                    rest = [g for g in children if g.i > c.i and g.dep_ in {"dobj", "ccomp"}]
                    if rest:
                        return _span_chars(doc, rest[0].left_edge.i, rest[-1].right_edge.i + 1)
                    continue
                if objs:
                    return _span_chars(doc, objs[0].left_edge.i, max(nxt, objs[0].i + 1))
    if frames.obj:
        objs = [c for c in children if c.dep_ == "dobj" and c.i > verb.i]
        if objs:
            end = objs[0].right_edge.i + 1
            as_ = [c for c in children if c.dep_ == "prep" and c.lower_ == "as" and c.i >= end]
            if as_ and as_[0].i == end:  # "described the plan as a disaster": the whole frame
                end = as_[0].right_edge.i + 1
            return _span_chars(doc, objs[0].left_edge.i, end)
    if (
        frames.clause
        and verb.dep_ in _POSTPOSED_DEPS
        and verb.head.i < verb.i
        and not adverbial(verb, as_too=False)
        and any(c.dep_ in _SUBJ for c in children)  # "…, X said"; not "…, declaring Y"
        and set_off(doc, cue_left(verb, after=verb.head.left_edge.i))  # not "X said Y shows"
    ):
        start = verb.head.left_edge.i
        end = cue_left(verb, after=start)
        tail = verb.head.right_edge.i + 1
        if tail > verb.right_edge.i + 2:  # "Greensboro, Sexton said, made him …": the rest too
            return _span_chars(doc, start, tail)
        return _span_chars(doc, start, end) if end > start else None
    if frames.clause and verb.dep_ == "parataxis" and verb.head.i > verb.i:
        head = verb.head  # "This campaign, he says, is different": the cue inside its content
        first = cue_left(verb, after=head.left_edge.i)
        if head.left_edge.i < first and doc[first - 1].text in {",", "\u2014"}:
            return _span_chars(doc, head.left_edge.i, head.right_edge.i + 1)
    if frames.clause and verb.dep_ == "ROOT":
        left = [
            c
            for c in children
            if c.i < verb.i and c.dep_ in {"ccomp", "parataxis"} and not adverbial(c)
        ]
        if left:
            return _span_chars(doc, left[0].left_edge.i, cue_left(verb, after=left[0].right_edge.i))
    return None


def clause_range(verb: Token, clause: Token) -> tuple[int, int]:
    """Token range [start, end) of a clause the cue ``verb`` reports, without the cue clause.

    Before the cue it stops where the cue clause starts ("…, sources said"); after it, it
    starts after the cue, so a relative pronoun stays behind with the speaker ("strikes
    that prosecutors say could have been deadlier").
    """
    start, end = clause.left_edge.i, clause.right_edge.i + 1
    if clause.i < verb.i:
        return start, min(end, cue_left(verb, after=clause.right_edge.i))
    return max(start, verb.i + 1), end


def cue_left(verb: Token, *, after: int) -> int:
    """First token of the cue clause (its subject and auxiliaries) to the right of ``after``."""
    first = verb.i
    for child in verb.lefts:
        if child.i > after and child.dep_ not in {"punct"}:
            first = min(first, child.left_edge.i)
    return first


def _cue_extent(verb: Token) -> tuple[int, int]:
    """Token range of the cue phrase: the verb with its auxiliaries, particles and negation."""
    start = verb.i
    end = verb.i + 1
    for child in verb.children:
        if child.dep_ in {"aux", "auxpass", "neg", "prt"} and abs(child.i - verb.i) <= 3:
            start = min(start, child.i)
            end = max(end, child.i + 1)
    return start, end


def _via_of(verb: Token) -> tuple[int, int] | None:
    """Channel of a passive quotation: "X was quoted by Tass as saying"."""
    for child in verb.children:
        if child.dep_ == "agent":
            objs = [g for g in child.children if g.dep_ == "pobj"]
            if objs:
                return np_range(objs[0])
    return None


def find_cues(doc: Doc) -> tuple[Cue, ...]:
    """All reporting cues of the document, sorted by the verb position."""
    verbs = reporting_verbs()
    nonsubj = _words("nonspeaker_subjects")
    cues: list[Cue] = []
    for tok in doc:
        lemma = tok.lemma_.lower()
        if lemma == "accord" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            cues.append(_according(doc, tok))
            continue
        if tok.lower_ == "for" and tok.dep_ == "prep":
            viewpoint = _viewpoint(doc, tok)
            if viewpoint is not None:
                cues.append(viewpoint)
            continue
        if not is_cue_verb(tok) or tok.dep_ in {"amod", "compound"}:
            continue
        if object_controlled(tok) or editorial_note(tok):
            continue
        frames = verbs[lemma]
        # "as saying" after "was quoted": the speaker is the subject of "quoted"
        head = tok.head
        via: tuple[int, int] | None = None
        if tok.dep_ == "pcomp" and head.lower_ == "as" and head.head.lemma_ == "quote":
            quoted = head.head
            subj = subject_of(quoted)
            via = _via_of(quoted)
            objs = [c for c in quoted.children if c.dep_ == "dobj" and c.i < head.i]
            c_start, c_end = _cue_extent(quoted)
            c_end = tok.i + 1
            if objs:  # "the AP quoted X as saying": X speaks, through the AP
                via = np_range(subj) if subj is not None else None
                subj = objs[0]
                c_start = head.i  # the cue "as saying" (X sits between "quoted" and it)
        else:
            subj = subject_of(tok)
            c_start, c_end = _cue_extent(tok)
        if (
            subj is not None
            and subj.lower_ in nonsubj
            and subj.dep_ != "nsubjpass"
            and not (subj.lower_ in {"who", "which", "that"} and subj.head.dep_ == "relcl")
        ):
            subj = None  # "it said", "there was" — but "Mourdock, who said …" names him
        content = _clip_to_paragraph(doc, tok, _content(doc, tok, frames))
        speaker = np_range(subj) if subj is not None else None
        if tok.lemma_ == "quote" and tok.pos_ == "VERB":
            continue  # handled through "as saying"
        if content is None and speaker is None:
            continue
        cues.append(Cue(tok.i, c_start, c_end, speaker, content, via))
    return tuple(cues)


def _clip_to_paragraph(
    doc: Doc, verb: Token, content: tuple[int, int] | None
) -> tuple[int, int] | None:
    """Keep reported content inside the cue's paragraph (a headline is not reported speech)."""
    if content is None:
        return None
    text = doc_text(doc)
    lo = text.rfind("\n", 0, verb.idx) + 1
    hi = text.find("\n", verb.idx)
    hi = len(text) if hi < 0 else hi
    start, end = max(content[0], lo), min(content[1], hi)
    while start < end and text[start].isspace():
        start += 1
    return (start, end) if end > start else None


def _according(doc: Doc, tok: Token) -> Cue:
    """ "according to X, …" / "…, according to X": X is the source, the clause the content."""
    to = doc[tok.i + 1]
    objs = [c for c in to.children if c.dep_ == "pobj"]
    speaker = np_range(objs[0]) if objs else None
    if speaker is None and tok.i + 2 < len(doc):
        speaker = np_range(doc[tok.i + 2].head if doc[tok.i + 2].dep_ != "ROOT" else doc[tok.i + 2])
    sent: Span = tok.sent
    phrase_end = max(to.right_edge.i + 1, speaker[1] if speaker else to.i + 1)
    rest = [t for t in doc[phrase_end : sent.end] if not (t.is_punct or t.is_space)]
    if tok.i - sent.start <= 1:  # "According to X, …"
        content = _span_chars(doc, phrase_end, sent.end)
    elif (
        doc[tok.i - 1].text in {",", "\u2014", "-"}
        and phrase_end < sent.end
        and doc[phrase_end].text in {",", "\u2014", "-"}
        and len(rest) >= 2
    ):  # "Sales, according to X, rose": the whole clause, as with "X, he said, is Y"
        content = _span_chars(doc, sent.start, sent.end)
    else:  # "…, according to X."
        content = _span_chars(doc, sent.start, tok.i)
    return Cue(tok.i, tok.i, to.i + 1, speaker, content, None, according=True)


_VIEWPOINT_ENTS = {"PERSON", "ORG", "NORP", "GPE"}


def _viewpoint(doc: Doc, tok: Token) -> Cue | None:
    """ "For the Venezuelan president, the meeting was “very important”": whose view it is.

    Only at the start of a sentence, with a person, organisation, country or role noun as
    the object ("For years, …" and "For example, …" are no viewpoints) and a comma after
    the phrase; the rest of the sentence is the content, like "According to X, …".
    """
    from dateline.stages.entity_lexicon import role_terms

    sent: Span = tok.sent
    first = sent.start
    while first < tok.i and (doc[first].is_punct or doc[first].pos_ == "CCONJ"):
        first += 1  # "But for the mayor, …"
    if first != tok.i:
        return None
    objs = [c for c in tok.children if c.dep_ == "pobj"]
    if not objs:
        return None
    obj = objs[0]
    if obj.ent_type_ not in _VIEWPOINT_ENTS and obj.lemma_.lower() not in role_terms():
        return None
    phrase_end = tok.right_edge.i + 1
    if phrase_end >= sent.end or doc[phrase_end].text != ",":
        return None
    content = _span_chars(doc, phrase_end, sent.end)
    if content is None:
        return None
    return Cue(tok.i, tok.i, tok.i + 1, np_range(obj), content, None, True, "stance")
