"""Attribution cues beyond the reporting-verb lexicon, scored by a small learned model.

News attributes far more than speech: stances ("X supports …", "X wants to …"), beliefs
("X believes …", "… seems to …"), evidence ("polls show …", "X cited …"), nominal cues ("X's
claim that …") and colon cues ("Trump: …"). Rules cannot list them all, so every
(cue token, complement) pair of the parse is a *candidate*, described by sparse string
features (cue lemma and relation, subject type, tense, …) and scored by a logistic
regression whose weights ship as ``lexicon/quote_cue_model.json`` (trained on PolNeAR train
by ``benchmarks/train_quote_cues.py``; runtime needs only this file). Pure functions over a Doc.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Token

from dateline.stages.doctext import doc_text
from dateline.stages.quotes_cues import Cue, np_range, subject_of

_PREP_OK = {"about", "for", "on", "to", "of", "with", "against", "at", "over", "that", "into"}
_OBJ_PREPS = {"as", "for", "from", "of", "into", "to", "on", "with"}
_UP_DEPS = {"parataxis", "ccomp", "advcl", "conj"}
_QUOTE_CHARS = set('"\u201c\u201d\u00ab\u00bb')
_MAX_CONTENT_TOKENS = 120


@dataclass(frozen=True, slots=True)
class Candidate:
    """One possible attribution: the cue token, how the content hangs on it, and spans."""

    cue: int  # token index
    rel: str
    content: tuple[int, int]  # token range [start, end)
    speaker: tuple[int, int] | None  # token range


@dataclass(frozen=True, slots=True)
class Model:
    """Logistic-regression weights over string features."""

    bias: float
    weights: dict[str, float]
    threshold: float


@lru_cache(maxsize=1)
def load_model() -> Model | None:
    """Read ``quote_cue_model.json``; ``None`` when it is missing or unreadable."""
    try:
        raw = (
            resources.files("dateline.lexicon").joinpath("quote_cue_model.json").read_text("utf-8")
        )
        data = json.loads(raw)
        return Model(
            float(data["bias"]),
            {str(k): float(v) for k, v in data["weights"].items()},
            float(data["threshold"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _cue_left(verb: Token, after: int) -> int:
    first = verb.i
    for child in verb.lefts:
        if child.i > after and child.dep_ != "punct":
            first = min(first, child.left_edge.i)
    return first


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


def _colon_candidate(doc: Doc, tok: Token) -> Candidate | None:
    """ "Trump: …" / "X responded: …": the words after a colon, said by the phrase before it."""
    sent = tok.sent
    left = [t for t in sent if t.i < tok.i]
    if not left or len(left) > 10 or tok.i + 1 >= len(doc):
        return None
    nxt = doc[tok.i + 1]
    end = nxt.sent.end if nxt.sent.start > sent.start else sent.end
    # a headline "Cruz: …" ends at its line, even when the parser runs it into the next one
    end = next((t.i for t in doc[tok.i + 1 : end] if "\n" in t.text), end)
    span = _trim(doc, tok.i + 1, end)
    if span is None or span[1] - span[0] < 3:
        return None
    roots = [t for t in left if t.head.i >= tok.i or t.head.i < sent.start or t.head is t]
    speaker = None
    if roots:
        root = roots[-1]
        if root.pos_ in {"PROPN", "NOUN", "PRON"}:
            speaker = np_range(root)
        elif root.pos_ in {"VERB", "AUX"}:
            subj = subject_of(root)
            speaker = np_range(subj) if subj is not None else None
    return Candidate(tok.i, "colon", span, speaker)


def candidates(doc: Doc) -> list[Candidate]:
    """Every (cue token, complement) pair the model may accept."""
    out: list[Candidate] = []
    for tok in doc:
        if tok.text == ":" and tok.pos_ == "PUNCT":
            cand = _colon_candidate(doc, tok)
            if cand is not None:
                out.append(cand)
            continue
        if tok.pos_ not in {"VERB", "NOUN", "ADJ"}:
            continue
        if tok.pos_ == "ADJ" and tok.dep_ not in {"acomp", "ROOT", "conj"}:
            continue
        spk = _speaker(tok)
        out.extend(_frame_candidates(doc, tok, spk))
        for child in tok.children:
            dep = child.dep_
            span: tuple[int, int] | None = None
            rel = dep
            if dep == "ccomp" or (dep == "acl" and child.i > tok.i and tok.pos_ == "NOUN"):
                end = child.right_edge.i + 1
                if child.i < tok.i:
                    end = min(end, _cue_left(tok, child.right_edge.i))
                span = _trim(doc, child.left_edge.i, end)
            elif dep in {"xcomp", "dobj", "oprd"} and child.i > tok.i:
                span = _trim(doc, _object_start(tok, child), child.right_edge.i + 1)
            elif dep == "prep" and child.i > tok.i and child.lower_ in _PREP_OK:
                objs = [g for g in child.children if g.dep_ in {"pobj", "pcomp"}]
                if objs:
                    rel = "prep:" + child.lower_
                    span = _trim(doc, objs[0].left_edge.i, objs[0].right_edge.i + 1)
            if span is not None:
                out.append(Candidate(tok.i, rel, span, spk))
        head = tok.head
        if tok.dep_ in _UP_DEPS and head.i < tok.i and tok.pos_ == "VERB":
            span = _trim(doc, head.left_edge.i, _cue_left(tok, head.left_edge.i - 1))
            if span is not None and span[1] <= tok.i:
                out.append(Candidate(tok.i, "up:" + tok.dep_, span, spk))
            if head.right_edge.i > tok.right_edge.i + 1:  # "A provision, X said, that …"
                span = _trim(doc, head.left_edge.i, head.right_edge.i + 1)
                if span is not None:
                    out.append(Candidate(tok.i, "wrap:" + tok.dep_, span, spk))
    return out


def _object_start(tok: Token, child: Token) -> int:
    """Where an object complement starts: "called the plan a disaster" keeps "the plan".

    PolNeAR (and a reader) take the whole small clause "the plan a disaster" as what was
    called, not only the predicate noun.
    """
    if child.dep_ != "oprd":
        return child.left_edge.i
    objs = [c for c in tok.children if c.dep_ in {"dobj", "oprd"} and tok.i < c.i < child.i]
    return min([child.left_edge.i] + [c.left_edge.i for c in objs])


def _frame_candidates(doc: Doc, tok: Token, spk: tuple[int, int] | None) -> list[Candidate]:
    """Wider frames: "described X as Y", "blamed X for Y", "X seems to …", "X was reported"."""
    out: list[Candidate] = []
    kids = list(tok.children)
    objs = [c for c in kids if c.dep_ == "dobj" and c.i > tok.i]
    if objs:
        preps = [c for c in kids if c.dep_ == "prep" and c.i > objs[0].i and c.lower_ in _OBJ_PREPS]
        if preps:
            span = _trim(doc, objs[0].left_edge.i, preps[0].right_edge.i + 1)
            if span is not None:
                out.append(Candidate(tok.i, "obj+" + preps[0].lower_, span, spk))
    subj = [c for c in kids if c.dep_ in {"nsubj", "nsubjpass"} and c.i < tok.i]
    xs = [c for c in kids if c.dep_ in {"xcomp", "acomp", "oprd"} and c.i > tok.i]
    if subj and xs:
        span = _trim(doc, subj[0].left_edge.i, xs[0].right_edge.i + 1)
        if span is not None:
            out.append(Candidate(tok.i, "subj+" + xs[0].dep_, span, None))
    elif subj and subj[0].dep_ == "nsubjpass":
        span = _trim(doc, subj[0].left_edge.i, subj[0].right_edge.i + 1)
        if span is not None:
            out.append(Candidate(tok.i, "subjpass", span, None))
    return out


def _subject_class(doc: Doc, speaker: tuple[int, int] | None) -> str:
    if speaker is None:
        return "none"
    head = doc[speaker[1] - 1]
    for t in doc[speaker[0] : speaker[1]]:
        if t.ent_type_:
            return t.ent_type_
    if head.pos_ == "PRON":
        return "pron:" + head.lower_
    return head.pos_


def features(doc: Doc, cand: Candidate) -> list[str]:
    """Sparse string features of one candidate (what the weights are keyed by)."""
    tok = doc[cand.cue]
    lemma = tok.lemma_.lower()
    rel = cand.rel
    c0, c1 = cand.content
    chead = min(
        (t for t in doc[c0:c1] if t.head.i < c0 or t.head.i >= c1 or t.head is t),
        key=lambda t: t.i,
        default=doc[c0],
    )
    subj = _subject_class(doc, cand.speaker)
    n = c1 - c0
    size = "1" if n <= 1 else "2-3" if n <= 3 else "4-8" if n <= 8 else "9-20" if n <= 20 else "21+"
    quoted = any(ch in _QUOTE_CHARS for ch in doc[c0:c1].text[:2])
    in_quote = _inside_quotes(doc, tok.idx)
    neg = any(c.dep_ == "neg" for c in tok.children)
    feats = [
        "L=" + lemma,
        "R=" + rel,
        "LR=" + lemma + "|" + rel,
        "PR=" + tok.pos_ + "|" + rel,
        "T=" + tok.tag_,
        "TR=" + tok.tag_ + "|" + rel,
        "D=" + tok.dep_,
        "DR=" + tok.dep_ + "|" + rel,
        "S=" + subj,
        "SR=" + subj + "|" + rel,
        "LS=" + lemma + "|" + ("none" if subj == "none" else "some"),
        "CP=" + chead.pos_ + "|" + rel,
        "CT=" + chead.tag_,
        "N=" + size + "|" + rel,
        "Q=" + str(quoted),
        "IQ=" + str(in_quote),
        "NEG=" + str(neg),
        "FIRST=" + str(cand.content[0] > cand.cue),
        "LT=" + lemma + "|" + tok.tag_,
        "LC=" + lemma + "|" + chead.pos_ + "|" + rel,
    ]
    marks = [c.lower_ for c in chead.children if c.dep_ == "mark"]
    if marks:
        feats.append("M=" + marks[0] + "|" + rel)
    if subj.startswith("pron:") and subj[5:] in {"i", "we", "you"}:
        feats.append("P1")
    return feats


def _inside_quotes(doc: Doc, pos: int) -> bool:
    """Odd number of double quote marks earlier in the paragraph."""
    text = doc_text(doc)
    lo = text.rfind("\n", 0, pos) + 1
    seg = text[lo:pos]
    opens = seg.count("\u201c") + seg.count("\u00ab")
    closes = seg.count("\u201d") + seg.count("\u00bb")
    straight = seg.count('"')
    return opens > closes or straight % 2 == 1


def score(model: Model, feats: list[str]) -> float:
    z = model.bias + sum(model.weights.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def find_learned_cues(doc: Doc, model: Model | None = None) -> tuple[tuple[Cue, float], ...]:
    """Accepted candidates as ``Cue`` records with their probability, best first per cue token.

    One candidate per cue token (its best), only above the model threshold.
    """
    model = model if model is not None else load_model()
    if model is None:
        return ()
    best: dict[int, tuple[float, Candidate]] = {}
    for cand in candidates(doc):
        p = score(model, features(doc, cand))
        if p >= model.threshold and (cand.cue not in best or p > best[cand.cue][0]):
            best[cand.cue] = (p, cand)
    out: list[tuple[Cue, float]] = []
    for p, cand in sorted(best.values(), key=lambda pc: -pc[0]):
        tok = doc[cand.cue]
        c0, c1 = cand.content
        last = doc[c1 - 1]
        chars = (doc[c0].idx, last.idx + len(last.text))
        out.append((Cue(tok.i, tok.i, tok.i + 1, cand.speaker, chars, None), p))
    return tuple(out)
