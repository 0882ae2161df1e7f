"""Alternative content boundaries for one attribution candidate (which the cue model ranks).

The parse gives a complement's subtree, but where a reported content ends is a convention the
subtree often misses: trailing phrases the parser hangs on the cue verb belong to what was
reported ("cited reports of attacks, including last week's"), while a conjoined clause with a
cue of its own ("said A and would not identify B"), an apposition or a relative clause after a
comma are often a second attribution or the writer's gloss. Rather than fixing one rule, each
candidate gets a few *shapes*; the learned model scores every shape with features saying what
was added or cut, and the best one per cue wins. Pure functions over a Doc.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from dateline.stages.quotes_cues import cue_class

_STOP_PUNCT = {".", "!", "?", ";", ":"}
_TAIL_DEPS = {"prep", "advcl", "npadvmod", "advmod", "appos", "dobj", "xcomp", "acomp", "dep"}
_FUNCTION_POS = {"ADP", "SCONJ", "CCONJ", "PRON", "DET"}
_DASHES = {",", "-", "\u2014", "\u2013"}
_GLOSS_DEPS = {"appos", "relcl", "advcl", "acl", "prep", "npadvmod"}


def content_head(doc: Doc, start: int, end: int, heads: list[int] | None = None) -> Token:
    """The first token of [start, end) whose head lies outside it (the complement's root).

    ``heads`` (each token's head index, precomputed per Doc) saves building Token objects.
    """
    if heads is None:
        heads = [t.head.i for t in doc[start:end]]
        heads = [0] * start + heads
    for i in range(start, end):
        if not start <= heads[i] < end or heads[i] == i:
            return doc[i]
    return doc[start]


def variants(
    doc: Doc, cue: Token, rel: str, start: int, end: int, heads: list[int] | None = None
) -> list[tuple[str, int, int]]:
    """Other (shape, start, end) token ranges for a content [start, end) of ``cue``.

    Shapes: ``tail`` adds the cue's own right dependents after the content up to the next
    conjunct or sentence stop; ``tail1`` only the first of them; ``conj`` runs on through a
    clause conjoined to the cue ("said A, but B"); ``cut`` stops before a clause
    conjoined to the content's head; ``gloss`` stops before the first comma-introduced
    modifier of the head (apposition, relative or adverbial clause). Ranges are not trimmed.
    """
    out: list[tuple[str, int, int]] = []
    if rel == "colon":
        return out
    if start > cue.i:
        ends: list[int] = []
        for child in cue.rights:
            if child.i < end:
                continue
            if child.dep_ in {"cc", "conj"} or child.text in _STOP_PUNCT:
                break
            if child.dep_ == "punct":
                continue
            if child.dep_ not in _TAIL_DEPS:
                break
            ends.append(child.right_edge.i + 1)
        if ends:
            out.append(("tail1", start, ends[0]))
            if len(ends) > 1:
                out.append(("tail", start, ends[-1]))
        conj = [c for c in cue.rights if c.dep_ == "conj" and c.i >= end]
        if conj and conj[0].pos_ in {"VERB", "AUX"}:  # "said A, but B": B is still what was said
            out.append(("conj", start, conj[0].right_edge.i + 1))
    head = content_head(doc, start, end, heads)
    for child in head.rights:
        if not start <= child.i < end:
            continue
        if child.dep_ == "conj" and child.pos_ in {"VERB", "AUX"}:
            cut = child.left_edge.i
            while cut > start + 1 and (doc[cut - 1].dep_ in {"cc", "punct"}):
                cut -= 1
            if cut > head.i:
                out.append(("cut", start, cut))
            break
    for child in head.rights:
        if not start <= child.i < end or child.dep_ not in _GLOSS_DEPS:
            continue
        first = child.left_edge.i
        if first - 1 > head.i and doc[first - 1].text in {",", "-", "\u2014", "\u2013", "("}:
            out.append(("gloss", start, first - 1))
            break
    return out


def shape_features(
    doc: Doc, cue: Token, shape: str, start: int, end: int, base_end: int
) -> list[str]:
    """What a shape added or cut, as sparse features (the cue lemma, the dependency involved)."""
    lemma = cue.lemma_.lower()
    feats = ["V=" + shape, "VL=" + shape + "|" + lemma]
    if shape == "base":
        return feats
    lo, hi = (base_end, end) if end > base_end else (end, base_end)
    if lo >= hi:
        return feats
    part = doc[lo:hi]
    root = min(part, key=lambda t: (t.head.i >= lo and t.head.i < hi and t.head.i != t.i, t.i))
    first = next((t for t in part if not t.is_punct), root)
    word = first.lower_ if first.pos_ in _FUNCTION_POS else first.pos_
    comma = doc[lo].text in _DASHES or (lo > 0 and doc[lo - 1].text in _DASHES)
    n = hi - lo
    return [
        *feats,
        "VD=" + shape + "|" + root.dep_,
        "VW=" + shape + "|" + word,
        "VP=" + shape + "|" + str(comma),
        "VN=" + shape + "|" + ("1-3" if n <= 3 else "4-10" if n <= 10 else "11+"),
        "VC=" + shape + "|" + str(cue_class(root)),
    ]
