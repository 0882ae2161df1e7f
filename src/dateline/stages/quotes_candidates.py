"""Attribution candidates: every (cue token, complement, boundary shape) the parse offers.

News attributes far more than speech (stances, beliefs, evidence, nominal and colon cues,
"in a poll", "reportedly"), so ``quotes_learned`` scores every candidate found here rather than
listing cues: a verb, noun or predicative adjective with its ``ccomp``/``xcomp``/object/
prepositional complement, the clause before a postposed cue, a colon's right side, and each
one's boundary variants (``quotes_variants``). Pure functions over a Doc; split out of
``quotes_learned`` (which holds the features and the model).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Token

from dateline.stages.quotes_cues import (
    adverbial,
    clause_range,
    cue_class,
    cue_left,
    editorial_note,
    np_range,
    object_controlled,
    quote_lexicon,
    set_off,
    subject_of,
)
from dateline.stages.quotes_variants import variants

_PREP_OK = {"about", "for", "on", "to", "of", "with", "against", "at", "over", "that", "into"}
_OBJ_PREPS = {"as", "for", "from", "of", "into", "to", "on", "with"}
_UP_DEPS = {"parataxis", "ccomp", "advcl", "conj"}
_MAX_CONTENT_TOKENS = 120
_TURN_LABELS = frozenset({"question", "answer"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """One possible attribution: the cue token, how the content hangs on it, and spans."""

    cue: int  # token index
    rel: str
    content: tuple[int, int]  # token range [start, end)
    speaker: tuple[int, int] | None  # token range
    shape: str = "base"  # a boundary variant of the complement (``quotes_variants``)
    base_end: int = -1  # the unvaried content's end token, for the shape's features


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    while start < end and (
        doc[start].is_space or doc[start].text in {",", ";", ":", "-", "\u2014"}
    ):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in {",", ";", ":", "-"}):
        end -= 1
    if end <= start or end - start > _MAX_CONTENT_TOKENS:
        return None
    return start, end


def _speaker(tok: Token) -> tuple[int, int] | None:
    if tok.pos_ == "NOUN":  # "Trump's claim that …", "criticism from X"
        for child in tok.children:
            if child.dep_ == "poss":
                return np_range(child)
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ in {"from", "by"}:
                objs = [g for g in child.children if g.dep_ == "pobj"]
                if objs:
                    return np_range(objs[0])
        return None
    subj = subject_of(tok.head if tok.pos_ == "ADJ" and tok.dep_ == "acomp" else tok)
    if subj is None or subj.lower_ in {"there", "what"}:
        return None  # PolNeAR keeps relative pronouns ("which", "who") as sources
    return np_range(subj)


def turn_label(colon: Token) -> bool:
    """The colon ends an interview's turn label ("Q: …", "Answer: …"), which names nobody."""
    left = [t for t in colon.sent if t.i < colon.i]
    return len(left) == 1 and (left[0].text in {"Q", "A"} or left[0].lower_ in _TURN_LABELS)


def colon_candidate(doc: Doc, tok: Token, min_words: int = 3) -> Candidate | None:
    """ "Trump: …" / "X responded: …": the words after a colon, said by the phrase before it.

    ``min_words``: the fewest content tokens (0 for a quotation after the colon, whose
    words are the quotation marks' business).
    """
    sent = tok.sent
    left = [t for t in sent if t.i < tok.i]
    if not left or len(left) > 10 or tok.i + 1 >= len(doc):
        return None
    nxt = doc[tok.i + 1]
    end = nxt.sent.end if nxt.sent.start > sent.start else sent.end
    # a headline "Cruz: …" ends at its line, even when the parser runs it into the next one
    end = next((t.i for t in doc[tok.i + 1 : end] if "\n" in t.text), end)
    span = _trim(doc, tok.i + 1, end) or (tok.i + 1, tok.i + 1)
    if span[1] - span[0] < min_words:
        return None
    if any(t.lower_ in _colon_labels() or t.lemma_.lower() in _colon_labels() for t in left[-3:]):
        return None  # "Photo: Andrew Burton, Getty Images", "Related: …": a label, no speaker
    if turn_label(tok):
        return None  # "Q: What is national debt?": an interview turn, nobody named
    roots = [t for t in left if t.head.i >= tok.i or t.head.i < sent.start or t.head.i == t.i]
    speaker = None
    if roots:
        root = roots[-1]
        if root.pos_ in {"PROPN", "NOUN", "PRON"}:
            speaker = np_range(root)
        elif root.pos_ in {"VERB", "AUX"} and cue_class(root) is not None:
            subj = subject_of(root)
            speaker = np_range(subj) if subj is not None else None
    return Candidate(tok.i, "colon", span, speaker)


def candidates(doc: Doc) -> list[Candidate]:
    """Every (cue token, complement, boundary shape) the model may accept."""
    out: list[Candidate] = []
    heads = [t.head.i for t in doc]
    for base in base_candidates(doc):
        out.append(base)
        out.extend(shapes_of(doc, base, heads))
    return out


def shapes_of(doc: Doc, base: Candidate, heads: list[int] | None = None) -> list[Candidate]:
    """The boundary variants of one unvaried candidate (``quotes_variants``), deduplicated."""
    out: list[Candidate] = []
    seen = {base.content}
    for shape, s, e in variants(doc, doc[base.cue], base.rel, *base.content, heads=heads):
        span = _trim(doc, s, e)
        if span is not None and span not in seen:
            seen.add(span)
            out.append(Candidate(base.cue, base.rel, span, base.speaker, shape, base.content[1]))
    return out


@lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """``quote_lexicon.json``'s source nouns after "in" and its hearsay adverbs."""
    data = quote_lexicon()
    nouns, advs = data.get("source_in_nouns", []), data.get("hearsay_adverbs", [])
    return (
        frozenset(str(w) for w in nouns) if isinstance(nouns, list) else frozenset(),
        frozenset(str(w) for w in advs) if isinstance(advs, list) else frozenset(),
    )


@lru_cache(maxsize=1)
def _colon_labels() -> frozenset[str]:
    """``quote_lexicon.json``'s words that label what follows a colon (captions, links)."""
    words = quote_lexicon().get("colon_labels", [])
    return frozenset(str(w) for w in words) if isinstance(words, list) else frozenset()


def clause_root(tok: Token) -> Token:
    root = tok
    for _ in range(4):
        if root.pos_ in {"VERB", "AUX"} or root.head.i == root.i:
            break
        root = root.head
    return root


def _in_candidate(doc: Doc, tok: Token) -> Candidate | None:
    """ "In a poll released Monday, X leads …" / "X leads in the poll": the poll says it.

    The content is the clause the phrase hangs on, without the phrase when it opens or
    closes the clause (kept whole when it sits inside: the cue is then inside the content,
    as with "X, he said, is Y").
    """
    objs = [c for c in tok.children if c.dep_ == "pobj"]
    if not objs or objs[0].lemma_.lower() not in _lexicon()[0]:
        return None
    root = clause_root(tok.head)
    lo, hi = root.left_edge.i, root.right_edge.i + 1
    p0, p1 = tok.left_edge.i, tok.right_edge.i + 1
    if p0 <= lo:
        span = _trim(doc, p1, hi)
    elif p1 >= hi or all(t.is_punct for t in doc[p1:hi]):
        span = _trim(doc, lo, p0)
    else:
        span = _trim(doc, lo, hi)
    if span is None or span[1] - span[0] < 3:
        return None
    return Candidate(tok.i, "in", span, np_range(objs[0]))


def _adverb_candidate(doc: Doc, tok: Token) -> Candidate | None:
    """ "X is reportedly planning …": hearsay without a named source; the whole clause."""
    head = tok.head
    if head.pos_ not in {"VERB", "AUX"}:
        return None
    span = _trim(doc, head.left_edge.i, head.right_edge.i + 1)
    return Candidate(tok.i, "adv", span, None) if span is not None else None


def base_candidates(doc: Doc) -> list[Candidate]:
    """The unvaried candidates: each cue token with each complement the parse gives it."""
    out: list[Candidate] = []
    advs = _lexicon()[1]
    for tok in doc:
        special = None
        if tok.pos_ == "ADP" and tok.lower_ == "in" and tok.dep_ == "prep":
            special = _in_candidate(doc, tok)
        elif tok.pos_ == "ADV" and tok.lower_ in advs:
            special = _adverb_candidate(doc, tok)
        if special is not None:
            out.append(special)
            continue
        if tok.text == ":" and tok.pos_ == "PUNCT":
            cand = colon_candidate(doc, tok)
            if cand is not None:
                out.append(cand)
            continue
        if tok.pos_ not in {"VERB", "NOUN", "ADJ"}:
            continue
        if tok.pos_ == "ADJ" and tok.dep_ not in {"acomp", "ROOT", "conj"}:
            continue
        if object_controlled(tok) or editorial_note(tok) or _quoted_as_saying(tok):
            continue
        found = _frame_candidates(doc, tok)
        for child in tok.children:
            dep = child.dep_
            span: tuple[int, int] | None = None
            rel = dep
            if dep == "ccomp" or (dep == "acl" and child.i > tok.i and tok.pos_ == "NOUN"):
                if adverbial(child):
                    continue  # "said as the count began", "after X annulled …, Y declared"
                start, end = clause_range(tok, child)
                if child.i > tok.i and _relative_opening(doc, start):
                    continue  # "recognized X, after which others followed": a relative clause
                span = _trim(doc, start, end)
            elif dep in {"xcomp", "dobj", "oprd"} and child.i > tok.i:
                # never from before the cue: in "which X has refused to recognize" the
                # infinitive's subtree starts at "which", left of the cue and its speaker
                start = max(_object_start(tok, child), tok.i + 1)
                span = _trim(doc, start, child.right_edge.i + 1)
            elif dep == "prep" and child.i > tok.i and child.lower_ in _PREP_OK:
                objs = [g for g in child.children if g.dep_ in {"pobj", "pcomp"}]
                if objs:
                    rel = "prep:" + child.lower_
                    span = _trim(doc, objs[0].left_edge.i, objs[0].right_edge.i + 1)
            if span is not None:
                found.append((rel, span, True))
        head = tok.head
        if (
            tok.dep_ in _UP_DEPS
            and head.i < tok.i
            and tok.pos_ == "VERB"
            and set_off(doc, cue_left(tok, after=head.left_edge.i - 1))
        ):
            span = _trim(doc, head.left_edge.i, cue_left(tok, after=head.left_edge.i - 1))
            if span is not None and span[1] <= tok.i:
                found.append(("up:" + tok.dep_, span, True))
            if head.right_edge.i > tok.right_edge.i + 1:  # "A provision, X said, that …"
                span = _trim(doc, head.left_edge.i, head.right_edge.i + 1)
                if span is not None:
                    found.append(("wrap:" + tok.dep_, span, True))
        if found and tok.lemma_.lower() in PERCEPTION:
            found = [f for f in found if not sighting(doc, f[0], f[1])]
        if found:  # the speaker only for tokens with a complement (most have none)
            spk = _speaker(tok)
            out.extend(Candidate(tok.i, r, sp, spk if own else None) for r, sp, own in found)
    return out


PERCEPTION = frozenset({"see", "watch", "spot", "witness"})
_CLAUSE_OPENERS = frozenset({"that", "if", "whether", "why", "how", "what", "who", "when", "where"})


def sighting(doc: Doc, rel: str, span: tuple[int, int]) -> bool:
    """What someone saw, not what they think: "saw the senator campaign in a barn", "was seen
    walking", "has seen a flood of donations". A view is "sees X as Y" or "see why/that …"."""
    if rel == "obj+as" or rel.startswith(("up:", "wrap:")):
        return False
    if rel == "ccomp":
        first = next((t for t in doc[span[0] : span[1]] if not t.is_punct), None)
        return first is None or first.lower_ not in _CLAUSE_OPENERS
    return True


def _quoted_as_saying(tok: Token) -> bool:
    """ "quoted X as saying …": the rules' cue ("saying"); "quoted" has no content of its own."""
    return tok.lemma_ == "quote" and any(
        c.lower_ == "as" and any(g.dep_ == "pcomp" for g in c.children) for c in tok.children
    )


def _relative_opening(doc: Doc, start: int) -> bool:
    """Whether a complement right of the cue opens like a relative clause ("after which")."""
    first = start
    while first < len(doc) and (doc[first].is_punct or doc[first].is_space):
        first += 1
    if first + 1 >= len(doc):
        return False
    return doc[first].pos_ == "ADP" and doc[first + 1].lower_ in {"which", "whom", "whose"}


def _object_start(tok: Token, child: Token) -> int:
    """Where an object complement starts: "called the plan a disaster" keeps "the plan".

    PolNeAR (and a reader) take the whole small clause "the plan a disaster" as what was
    called, not only the predicate noun.
    """
    if child.dep_ != "oprd":
        return child.left_edge.i
    objs = [c for c in tok.children if c.dep_ in {"dobj", "oprd"} and tok.i < c.i < child.i]
    return min([child.left_edge.i] + [c.left_edge.i for c in objs])


def _frame_candidates(doc: Doc, tok: Token) -> list[tuple[str, tuple[int, int], bool]]:
    """Wider frames: "described X as Y", "blamed X for Y", "X seems to …", "X was reported".

    Returns (relation, token span, whether the cue's speaker is its speaker).
    """
    out: list[tuple[str, tuple[int, int], bool]] = []
    kids = list(tok.children)
    objs = [c for c in kids if c.dep_ == "dobj" and c.i > tok.i]
    if objs:
        preps = [c for c in kids if c.dep_ == "prep" and c.i > objs[0].i and c.lower_ in _OBJ_PREPS]
        if preps:
            span = _trim(doc, objs[0].left_edge.i, preps[0].right_edge.i + 1)
            if span is not None:
                out.append(("obj+" + preps[0].lower_, span, True))
    subj = [c for c in kids if c.dep_ in {"nsubj", "nsubjpass"} and c.i < tok.i]
    xs = [c for c in kids if c.dep_ in {"xcomp", "acomp", "oprd"} and c.i > tok.i]
    if subj and xs:
        span = _trim(doc, subj[0].left_edge.i, xs[0].right_edge.i + 1)
        if span is not None:
            out.append(("subj+" + xs[0].dep_, span, False))
    elif subj and subj[0].dep_ == "nsubjpass":
        span = _trim(doc, subj[0].left_edge.i, subj[0].right_edge.i + 1)
        if span is not None:
            out.append(("subjpass", span, False))
    return out
