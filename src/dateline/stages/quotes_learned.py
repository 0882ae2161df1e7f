"""Attribution cues beyond the reporting-verb lexicon, scored by a small learned model.

News attributes far more than speech: stances ("X supports …", "X wants to …"), beliefs
("X believes …", "… seems to …"), evidence ("polls show …", "X cited …"), nominal cues ("X's
claim that …") and colon cues ("Trump: …"). Rules cannot list them all, so every
(cue token, complement) pair of the parse is a *candidate*, described by sparse string
features (cue lemma and relation, subject type, tense, …) and scored by a logistic
regression whose weights ship as ``lexicon/quote_cue_model.json`` (trained on PolNeAR train
by ``benchmarks/train_quote_cues.py``; runtime needs only this file). Pure functions over a Doc.
"""

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc

from dateline.stages.doctext import doc_text
from dateline.stages.quotes_candidates import (
    Candidate,
    base_candidates,
    candidates,
    clause_root,
    shapes_of,
)
from dateline.stages.quotes_cues import Cue, cue_class
from dateline.stages.quotes_variants import shape_features

__all__ = [
    "Candidate",
    "Model",
    "best_shape",
    "candidates",
    "features",
    "find_learned_cues",
    "load_model",
    "read_model",
    "score",
    "scored_candidates",
    "shape_table",
]

# Boundary shapes are scored only for candidates at least this probable unvaried (their
# shapes rarely gain more than a few points; this saves a fifth of the scoring time).
SHAPE_FLOOR = 0.05
_TEX_CLOSE = "'" * 2
_TEX_MARKS = {"``", _TEX_CLOSE}  # typesetting-style quotation marks (see quotes_marks)
_QUOTE_CHARS = set('"\u201c\u201d\u00ab\u00bb')


@dataclass(frozen=True, slots=True)
class Model:
    """Logistic-regression weights over string features."""

    bias: float
    weights: dict[str, float]
    threshold: float


def read_model(raw: str) -> Model | None:
    """Parse model JSON (``quote_cue_model.json``'s format); ``None`` when malformed."""
    try:
        data = json.loads(raw)
        return Model(
            float(data["bias"]),
            {str(k): float(v) for k, v in data["weights"].items()},
            float(data["threshold"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


@lru_cache(maxsize=1)
def load_model() -> Model | None:
    """Read ``quote_cue_model.json``; ``None`` when it is missing or unreadable."""
    try:
        raw = (
            resources.files("dateline.lexicon").joinpath("quote_cue_model.json").read_text("utf-8")
        )
    except OSError:
        return None
    return read_model(raw)


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


def _token_features(doc: Doc, cand: Candidate) -> tuple[str, str, list[str]]:
    """The cue token's own features (shared by all its candidates with the same speaker)."""
    tok = doc[cand.cue]
    lemma = tok.lemma_.lower()
    subj = _subject_class(doc, cand.speaker)
    feats = [
        "L=" + lemma,
        "T=" + tok.tag_,
        "D=" + tok.dep_,
        "S=" + subj,
        "LS=" + lemma + "|" + ("none" if subj == "none" else "some"),
        "IQ=" + str(_inside_quotes(doc, tok.idx)),
        "NEG=" + str(any(c.dep_ == "neg" for c in tok.children)),
        "LT=" + lemma + "|" + tok.tag_,
    ]
    if subj.startswith("pron:") and subj[5:] in {"i", "we", "you"}:
        feats.append("P1")
    if tok.pos_ in {"ADP", "ADV"}:  # "in a poll" vs "said in an interview": noun and host verb
        objs = [c.lemma_.lower() for c in tok.children if c.dep_ == "pobj"]
        feats.append("PO=" + (objs[0] if objs else "-"))
        feats.append("HC=" + str(cue_class(clause_root(tok.head))))
    return lemma, subj, feats


def features(doc: Doc, cand: Candidate, cache: dict[object, object] | None = None) -> list[str]:
    """Sparse string features of one candidate (what the weights are keyed by).

    ``cache`` (one dict per Doc) keeps the per-token parts between candidates.
    """
    cache = {} if cache is None else cache
    heads = cache.get("heads")
    if not isinstance(heads, list):
        heads = [t.head.i for t in doc]
        cache["heads"] = heads
    key = (cand.cue, cand.speaker)
    shared = cache.get(key)
    if not isinstance(shared, tuple):
        shared = _token_features(doc, cand)
        cache[key] = shared
    lemma, subj, tok_feats = shared
    tok = doc[cand.cue]
    rel = cand.rel
    c0, c1 = cand.content
    h = next((i for i in range(c0, c1) if not c0 <= heads[i] < c1 or heads[i] == i), c0)
    chead = doc[h]
    n = c1 - c0
    size = "1" if n <= 1 else "2-3" if n <= 3 else "4-8" if n <= 8 else "9-20" if n <= 20 else "21+"
    first = doc[c0]
    head2 = doc_text(doc)[first.idx : first.idx + 2]
    quoted = any(ch in _QUOTE_CHARS for ch in head2) or head2 in _TEX_MARKS
    feats = [
        *tok_feats,
        "R=" + rel,
        "LR=" + lemma + "|" + rel,
        "PR=" + tok.pos_ + "|" + rel,
        "TR=" + tok.tag_ + "|" + rel,
        "DR=" + tok.dep_ + "|" + rel,
        "SR=" + subj + "|" + rel,
        "CP=" + chead.pos_ + "|" + rel,
        "CT=" + chead.tag_,
        "N=" + size + "|" + rel,
        "Q=" + str(quoted),
        "FIRST=" + str(cand.content[0] > cand.cue),
        "LC=" + lemma + "|" + chead.pos_ + "|" + rel,
    ]
    marks = [c.lower_ for c in chead.children if c.dep_ == "mark"]
    if marks:
        feats.append("M=" + marks[0] + "|" + rel)
    return feats + shape_features(doc, tok, cand.shape, c0, c1, cand.base_end)


def _inside_quotes(doc: Doc, pos: int) -> bool:
    """Odd number of double quote marks earlier in the paragraph (two apostrophes: one)."""
    text = doc_text(doc)
    lo = text.rfind("\n", 0, pos) + 1
    seg = text[lo:pos]
    opens = seg.count("\u201c") + seg.count("\u00ab")
    closes = seg.count("\u201d") + seg.count("\u00bb")
    opens += seg.count("``")
    straight = seg.count('"') + seg.count(_TEX_CLOSE)
    return opens > closes or straight % 2 == 1


def score(model: Model, feats: list[str]) -> float:
    z = model.bias + sum(model.weights.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


Scored = tuple[float, Candidate]  # (probability that it is an attribution, candidate)


def scored_candidates(doc: Doc, model: Model | None = None) -> list[Scored]:
    """Every candidate with its probability (empty without a model)."""
    model = model if model is not None else load_model()
    if model is None:
        return []
    heads = [t.head.i for t in doc]
    cache: dict[object, object] = {"heads": heads}
    out: list[Scored] = []
    for base in base_candidates(doc):
        p = score(model, features(doc, base, cache))
        out.append((p, base))
        if p < SHAPE_FLOOR:
            continue  # not an attribution under any boundary: skip its shapes (runtime)
        out.extend((score(model, features(doc, c, cache)), c) for c in shapes_of(doc, base, heads))
    return out


def _chars(doc: Doc, span: tuple[int, int]) -> tuple[int, int]:
    last = doc[span[1] - 1]
    return doc[span[0]].idx, last.idx + len(last.text)


def find_learned_cues(
    doc: Doc,
    model: Model | None = None,
    scored: list[Scored] | None = None,
) -> tuple[tuple[Cue, float], ...]:
    """Accepted cue tokens as ``Cue`` records with their probability, most probable first.

    One candidate per cue token (its most probable), only above the model threshold.
    """
    model = model if model is not None else load_model()
    if model is None:
        return ()
    best: dict[int, tuple[float, Candidate]] = {}
    for p, cand in scored if scored is not None else scored_candidates(doc, model):
        if p >= model.threshold and (cand.cue not in best or p > best[cand.cue][0]):
            best[cand.cue] = (p, cand)
    out: list[tuple[Cue, float]] = []
    for p, cand in sorted(best.values(), key=lambda pc: -pc[0]):
        i = cand.cue
        out.append((Cue(i, i, i + 1, cand.speaker, _chars(doc, cand.content), None), p))
    return tuple(out)


def shape_table(
    doc: Doc, scored: list[Scored]
) -> dict[tuple[int, int], list[tuple[int, tuple[int, int] | None]]]:
    """Per (cue token, content start char): each unvaried candidate's end char and the char
    range of its best-ranked shape when that is not the unvaried one (else None).

    Lets a rule-based content take the model's boundary (see ``best_shape``).
    """
    family: dict[tuple[int, int, int], list[tuple[float, Candidate]]] = {}
    for r, cand in scored:
        end = cand.base_end if cand.shape != "base" else cand.content[1]
        family.setdefault((cand.cue, cand.content[0], end), []).append((r, cand))
    table: dict[tuple[int, int], list[tuple[int, tuple[int, int] | None]]] = {}
    for (cue, b0, b1), members in family.items():
        base_r = max((r for r, c in members if c.shape == "base"), default=None)
        if base_r is None:
            continue
        r, top = max(members, key=lambda rc: rc[0])
        s, e = _chars(doc, (b0, b1))
        better = _chars(doc, top.content) if top.shape != "base" and r > base_r else None
        table.setdefault((cue, s), []).append((e, better))
    return table


def best_shape(
    table: dict[tuple[int, int], list[tuple[int, tuple[int, int] | None]]],
    cue: int,
    content: tuple[int, int],
) -> tuple[int, int] | None:
    """A better-scored boundary for a rule-based content of cue token ``cue``, or None.

    The rule's char range must be one of the model's unvaried candidates for that cue (same
    start, same end up to a final period); then the best-scored shape of that candidate
    replaces it when it outscores the unvaried one.
    """
    for end, better in table.get((cue, content[0]), []):
        if 0 <= end - content[1] <= 1:
            return better
    return None
