"""A content-span tagger stacked on the rule and learned-cue quote extractor.

Why: the extractor finds content spans from cues and quotation marks, one rule at a time; it
misses contents whose cue is unusual and cuts many boundaries wrongly. A linear-chain CRF over
spaCy tokens, trained on PolNeAR train (``benchmarks/train_quote_tagger.py``) with the
extractor's own output as features ("stacking"), tags every paragraph with B (a new content),
C (a further fragment of the previous content: '"A," he said, "B."'), I (inside) and O.

The product keeps what journalists rely on: quotation marks. ``combine`` never changes a
direct or mixed quote (a tagged span touching one is dropped); a tagged span only replaces the
indirect quotes it overlaps (keeping their speaker and cue), and a span that touches no quote
is added only when a learned cue candidate gives it a speaker (a content nobody said is not a
quote). Training needs python-crfsuite; the runtime only reads the exported weights
(``lexicon/quote_tagger.json``) and decodes with its own Viterbi, so no extra dependency.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

import numpy as np
from spacy.tokens import Doc

from dateline.models import Quote
from dateline.stages.quotes_candidates import Candidate
from dateline.stages.quotes_confidence import statement_key
from dateline.stages.quotes_cues import cue_class, reporting_verbs
from dateline.stages.quotes_marks import find_quoted_spans

__all__ = [
    "MODEL_FILE",
    "STACK_FLOOR",
    "TaggerModel",
    "combine",
    "decode_spans",
    "load_tagger",
    "read_tagger",
    "sequences",
    "speaker_candidate",
    "tag",
    "token_features",
    "viterbi",
    "window_features",
    "with_marks",
]

MODEL_FILE = "quote_tagger.json"
# candidates below this probability are not stacked (as in training: the bulk is noise)
STACK_FLOOR = 0.02
# a new span's speaker comes from a candidate at least this probable
SPEAKER_FLOOR = 0.1
# keep the extractor's content when it holds its own cue ("This budget, she says, is
# different"; "… reportedly …"): PolNeAR cuts the cue out, the product keeps one span
KEEP_CUE_INSIDE = True
# a new span's candidate cue must be a speech or stance word (actions are not quotes)
NEW_NEEDS_CUE_CLASS = True
# The cue-side edge of a replaced content stays put (see _keep_cue_side).
KEEP_CUE_SIDE = True
_SKIP_ANC = frozenset({"be", "have", "do"})
_OPEN_MARKS = "\"\u201c\u2018'`"
_CLOSE_MARKS = "\"\u201d\u2019'"
_WINDOW = ("w", "pos", "q", "Q", "QP", "P", "cue")
_BUCKETS = ((0.02, "0"), (0.1, "1"), (0.25, "2"), (0.4, "3"), (0.6, "4"), (0.8, "5"))
_OFFSETS = tuple((off, f"{off}:") for off in (-2, -1, 1, 2))  # neighbours in window_features

Frags = list[tuple[int, int]]  # token ranges [start, end) of one tagged content


@dataclass(frozen=True, slots=True)
class TaggerModel:
    """CRF weights: per feature string, (label index, weight) pairs; transitions[prev][cur].

    ``index`` and ``weights`` hold the state weights as one matrix, a row per feature (and a
    last row of zeros), so that a token's emission scores are one numpy sum, not a Python
    loop over its 60-odd features (in a profile the tagger was the largest single cost of
    the analysis after the parse).
    """

    labels: tuple[str, ...]
    state: dict[str, tuple[tuple[int, float], ...]]
    transitions: tuple[tuple[float, ...], ...]
    index: dict[str, int] = field(init=False, repr=False, compare=False)
    weights: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {f: i for i, f in enumerate(self.state)}
        weights = np.zeros((len(index) + 1, len(self.labels)))
        for f, i in index.items():
            for lab, w in self.state[f]:
                weights[i, lab] = w
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "weights", weights)


def read_tagger(raw: str) -> TaggerModel | None:
    """Parse the JSON model; ``None`` when it is malformed (the extractor then runs alone)."""
    try:
        data = json.loads(raw)
        labels = tuple(str(x) for x in data["labels"])
        index = {lab: i for i, lab in enumerate(labels)}
        state = {
            str(f): tuple((index[str(lab)], float(w)) for lab, w in ws.items())
            for f, ws in data["state"].items()
        }
        trans = tuple(
            tuple(float(data["transitions"].get(a, {}).get(b, 0.0)) for b in labels) for a in labels
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return TaggerModel(labels, state, trans)


@lru_cache(maxsize=1)
def load_tagger() -> TaggerModel | None:
    """Read ``lexicon/quote_tagger.json`` once; ``None`` when it is missing or unreadable."""
    try:
        raw = resources.files("dateline.lexicon").joinpath(MODEL_FILE).read_text("utf-8")
    except OSError:
        return None
    return read_tagger(raw)


def with_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """A direct quote widened to its quotation marks and the punctuation inside them.

    The CRF was trained on PolNeAR contents, which include the marks; the stacked position
    features must see a direct quote as that span (benchmarks/quotes.py widens the same way).
    """
    s, e = start, end
    while s > 0 and text[s - 1] in _OPEN_MARKS:
        s -= 1
    j = e
    while j < len(text) and j - e < 2 and text[j] in ",.!?;:":
        j += 1
    k = j
    while k < len(text) and k - j < 2 and text[k] in _CLOSE_MARKS:
        k += 1
    return s, (k if k > j else e)


def _bucket(p: float) -> str:
    for t, name in _BUCKETS:
        if p < t:
            return name
    return "6"


def token_features(
    doc: Doc,
    text: str,
    quotes: Sequence[Quote],
    scored: Sequence[tuple[float, Candidate]],
) -> list[list[str]]:
    """Feature strings per token of ``doc`` (training and inference share this function).

    Args:
        doc: the parse of ``text``.
        text: the article text.
        quotes: the extractor's quotes (stacked: kind, cue class, speaker or not, position).
        scored: the learned cue candidates with their probability, in
            ``quotes_learned.scored_candidates`` order (ties keep the first).
    """
    n = len(doc)
    rv = reporting_verbs()
    spans, _w = find_quoted_spans(text)
    inq = bytearray(len(text) + 1)
    for s in spans:
        inq[s.open_at : s.close_end] = b"\x01" * (s.close_end - s.open_at)
        inq[s.open_at : s.start] = b"\x02" * (s.start - s.open_at)
        inq[s.end : s.close_end] = b"\x03" * (s.close_end - s.end)
    # One pass over the tokens: spaCy builds a Python object per token access, and the
    # head and ancestor look-ups below would otherwise build millions of them.
    lower, lemma, pos, dep, head, shape, tag, idx, starts = [], [], [], [], [], [], [], [], []
    cls_of: list[str | None] = []
    tok_at = [-1] * (len(text) + 1)
    for t in doc:
        at = t.idx
        tok_at[at : at + len(t.text)] = [t.i] * len(t.text)
        lower.append(t.lower_)
        lemma.append(t.lemma_.lower())
        pos.append(t.pos_)
        dep.append(t.dep_)
        head.append(t.head.i)
        shape.append(t.shape_[:4])
        tag.append(t.tag_)
        idx.append(at)
        starts.append(t.is_sent_start)
        cls_of.append(cue_class(t))
    qkind = [""] * n
    qpos = [""] * n
    qrole = [""] * n
    for q in quotes:
        s0, e0 = with_marks(text, q.start, q.end) if q.kind == "direct" else (q.start, q.end)
        toks = sorted({x for x in tok_at[s0:e0] if x >= 0})
        spk = "spk" if q.speaker_text else "nospk"
        for j, ti in enumerate(toks):
            qkind[ti] = f"{q.kind}|{q.cue_class}|{spk}"
            qpos[ti] = "B" if j == 0 else "E" if j == len(toks) - 1 else "I"
        for a, b, role in (
            (q.cue_start, q.cue_end, "cue"),
            (q.speaker_start, q.speaker_end, "spk"),
        ):
            if a is not None and b is not None:
                for x in tok_at[a:b]:
                    if x >= 0:
                        qrole[x] = role
    best_p = [0.0] * n
    best_c: list[tuple[int, int, int] | None] = [None] * n
    cue_p = [0.0] * n
    for p, cand in scored:
        if p < STACK_FLOOR:
            continue
        c0, c1 = cand.content
        for ti in range(c0, c1):
            if p > best_p[ti]:
                best_p[ti], best_c[ti] = p, (cand.cue, c0, c1)
        cue_p[cand.cue] = max(cue_p[cand.cue], p)
    # a token that ends an ancestor walk: a reporting verb or a word with a cue class
    cue_anc = [
        lemma[i] not in _SKIP_ANC and (lemma[i] in rv or cls_of[i] is not None) for i in range(n)
    ]
    base: list[dict[str, str]] = []
    for i in range(n):
        h = head[i]
        f: dict[str, str] = {
            "w": lower[i],
            "lem": lemma[i],
            "shp": shape[i],
            "pos": pos[i],
            "tag": tag[i],
            "dep": dep[i],
            "hl": lemma[h],
            "hd": dep[i] + "|" + pos[h],
            "q": str(inq[idx[i]]),
            "ss": "1" if starts[i] else "0",
            "se": "1" if i + 1 == n or starts[i + 1] else "0",
            "Q": qkind[i] or "-",
            "QP": qpos[i] or "-",
            "QR": qrole[i] or "-",
            "P": _bucket(best_p[i]),
            "CP": _bucket(cue_p[i]),
        }
        bc = best_c[i]
        if bc is not None:
            cue, c0, c1 = bc
            f["PB"] = "B" if i == c0 else "E" if i == c1 - 1 else "I"
            f["PL"] = lemma[cue] + "|" + ("L" if cue < c0 else "R")
        cls = cls_of[i] if pos[i] in {"VERB", "NOUN", "ADJ"} else None
        if cls or lemma[i] in rv:
            f["cue"] = str(cls)
        # the nearest ancestor that is a cue, and the relation of the path's last step
        child, anc, depth = i, h, 0
        while anc != child:
            if cue_anc[anc]:
                f["anc"] = lemma[anc]
                f["ancd"] = dep[child] + "|" + ("1" if depth == 0 else "2" if depth < 3 else "3")
                f["ancs"] = "L" if i < anc else "R"
                break
            child, anc, depth = anc, head[anc], depth + 1
        base.append(f)
    return window_features(base, _WINDOW)


def window_features(
    base: Sequence[dict[str, str]], window: Sequence[str], *, stacked: bool = True
) -> list[list[str]]:
    """Each token's own features, two conjunctions, and its neighbours' ``window`` features
    two tokens either side (``-2:BOD`` past the document's edge). ``stacked=False`` leaves
    out the extractor-output conjunction (the experiment's no-stack ablation)."""
    n = len(base)
    # each token's window features once; a neighbour prefixes them with its offset
    shared = [[f"{k}={f[k]}" for k in window if k in f] for f in base]
    out: list[list[str]] = []
    for i, f in enumerate(base):
        feats = [f"{k}={v}" for k, v in f.items()]
        feats.append("bias")
        if stacked:
            feats.append(f"Q|P={f['Q']}|{f['P']}")
        feats.append(f"q|pos={f['q']}|{f['pos']}")
        for off, prefix in _OFFSETS:
            j = i + off
            if 0 <= j < n:
                feats.extend([prefix + x for x in shared[j]])
                if off in (-1, 1):
                    g = base[j]
                    feats.append(prefix + "dep=" + g["dep"])
                    feats.append(prefix + "ss=" + g["ss"])
            else:
                feats.append(prefix + "BOD")
        out.append(feats)
    return out


def sequences(doc: Doc) -> list[list[int]]:
    """Token indices per paragraph (one CRF sequence each); whitespace tokens are dropped."""
    seqs: list[list[int]] = [[]]
    for t in doc:
        if t.is_space:
            if "\n" in t.text and seqs[-1]:
                seqs.append([])
            continue
        seqs[-1].append(t.i)
    return [s for s in seqs if s]


def viterbi(model: TaggerModel, feats: Sequence[Sequence[str]]) -> list[str]:
    """The best label sequence: sum of state weights plus first-order transitions.

    Same scoring as crfsuite's 1st-order CRF (no start or end weights), so the labels are
    crfsuite's up to the 6 decimals its model dump keeps.
    """
    if not feats:
        return []
    k = len(model.labels)
    emit = _emissions(model, feats)
    score = list(emit[0])
    back: list[list[int]] = []
    for row in emit[1:]:
        ptr = [0] * k
        new = [0.0] * k
        for y in range(k):
            best_prev = 0
            best = score[0] + model.transitions[0][y]
            for x in range(1, k):
                s = score[x] + model.transitions[x][y]
                if s > best:
                    best, best_prev = s, x
            ptr[y] = best_prev
            new[y] = best + row[y]
        back.append(ptr)
        score = new
    y = max(range(k), key=lambda i: score[i])
    path = [y]
    for ptr in reversed(back):
        y = ptr[y]
        path.append(y)
    path.reverse()
    return [model.labels[i] for i in path]


def _emissions(model: TaggerModel, feats: Sequence[Sequence[str]]) -> list[list[float]]:
    """Each token's summed state weights, in feature order (as a loop would add them).

    Every token's rows start with the zero row, so a token without a known feature scores
    0.0 and each sum runs 0.0 + w1 + w2 + … like the loop it replaces.
    """
    index = model.index
    zero = len(index)
    rows: list[int] = []
    starts: list[int] = []
    for fs in feats:
        starts.append(len(rows))
        rows.append(zero)
        rows.extend([index[f] for f in fs if f in index])
    summed = np.add.reduceat(model.weights[rows], starts, axis=0)
    return summed.tolist()  # type: ignore[no-any-return]


def decode_spans(doc: Doc, labels: dict[int, str]) -> list[Frags]:
    """Tagged contents as token fragments; a C run joins the previous content."""
    groups: list[Frags] = []
    cur: Frags | None = None
    for t in doc:
        if t.is_space:
            continue
        lab = labels.get(t.i, "O")
        if lab == "O":
            cur = None
            continue
        if lab in {"B", "C"} or cur is None:
            if lab == "C" and groups:
                cur = groups[-1]
                cur.append((t.i, t.i + 1))
            else:
                cur = [(t.i, t.i + 1)]
                groups.append(cur)
        else:
            a, _b = cur[-1]
            cur[-1] = (a, t.i + 1)
    return groups


def tag(
    doc: Doc,
    text: str,
    quotes: Sequence[Quote],
    scored: Sequence[tuple[float, Candidate]],
    model: TaggerModel,
) -> list[Frags]:
    """Tag every paragraph and return the contents found."""
    feats = token_features(doc, text, quotes, scored)
    labels: dict[int, str] = {}
    for seq in sequences(doc):
        for j, lab in zip(seq, viterbi(model, [feats[j] for j in seq]), strict=True):
            labels[j] = lab
    return decode_spans(doc, labels)


def _frag_chars(doc: Doc, a: int, b: int) -> tuple[int, int]:
    last = doc[b - 1]
    return doc[a].idx, last.idx + len(last.text)


def _chars(doc: Doc, frags: Frags) -> set[int]:
    out: set[int] = set()
    for a, b in frags:
        s, e = _frag_chars(doc, a, b)
        out.update(range(s, e))
    return out


def speaker_candidate(
    doc: Doc,
    scored: Sequence[tuple[float, Candidate]],
    chars: set[int],
    floor: float = SPEAKER_FLOOR,
) -> Candidate | None:
    """The most probable candidate (p >= ``floor``, with a speaker) whose content matches
    ``chars``.

    Matching is the benchmark's: an overlap of at least half of the longer span.
    """
    best: tuple[float, Candidate | None] = (0.0, None)
    for p, cand in scored:
        if p < floor or cand.speaker is None:
            continue
        s, e = _frag_chars(doc, *cand.content)
        ov = sum(1 for c in range(s, e) if c in chars)
        if ov >= 0.5 * max(e - s, len(chars)) and p > best[0]:
            best = (p, cand)
    return best[1]


def _keep_cue_side(q: Quote, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The content's edge next to its cue stays where the rules put it, or moves outwards
    towards the cue, never onto it.

    The rules start a content right after "said (that)" / "according to X," and end it
    right before a postposed "…, she said"; the tagger may move the far edge or reach out
    to take an object ("accused [Washington] of …"), but a start moved inwards cut
    "According to X, Venezuela expects …" down to its last words, and one moved over the
    cue made "their support" part of what they support.
    """
    if q.cue_start is None or q.cue_end is None:
        return spans
    first_s, first_e = spans[0]
    last_s, last_e = spans[-1]
    if q.cue_end <= q.start and first_s < q.end:
        start = first_s if q.cue_end <= first_s <= q.start else q.start
        spans = [(start, first_e), *spans[1:]]
    elif q.cue_start >= q.end and last_e > q.start:
        end = last_e if q.end <= last_e <= q.cue_start else q.end
        spans = [*spans[:-1], (last_s, end)]
    return [(s, e) for s, e in spans if s < e]


def _nested(
    touched: Sequence[object], groups: dict[object, list[Quote]], chars: dict[object, set[int]]
) -> bool:
    """Whether the statements one tagged content covers may be joined under one cue.

    One statement is always fine. Several are joined when all but the outermost have their
    cue inside another's content ("said that the company felt X": PolNeAR and the tagger
    fold the inner attribution into the outer one); siblings ("X, who called for A, is
    expected to B"; "79 percent said A; 60 percent said B") keep their own cues and speakers.
    """
    outermost = 0
    for key in touched:
        cue = groups[key][0].cue_start
        inside = cue is not None and any(cue in chars[k] for k in touched if k != key)
        outermost += not inside
    return outermost <= 1


def combine(
    doc: Doc,
    text: str,
    quotes: Sequence[Quote],
    tagged: Sequence[Frags],
    scored: Sequence[tuple[float, Candidate]],
) -> tuple[list[Quote], list[tuple[list[tuple[int, int]], Candidate]]]:
    """Merge tagged contents into the extractor's quotes, never touching quotation marks.

    Returns:
        The quotes to keep (unchanged ones, and indirect ones whose content the tagger
        replaced), and the new contents as (char fragments, the candidate giving cue and
        speaker) for the caller to turn into quotes.
    """
    groups: dict[object, list[Quote]] = {}
    for q in quotes:
        groups.setdefault(statement_key(q), []).append(q)
    chars: dict[object, set[int]] = {}
    for key, qs in groups.items():
        cs: set[int] = set()
        for q in qs:
            s, e = with_marks(text, q.start, q.end) if q.kind == "direct" else (q.start, q.end)
            cs.update(range(s, e))
        chars[key] = cs
    protected = {
        k
        for k, qs in groups.items()
        if any(
            q.kind != "indirect"
            or (KEEP_CUE_INSIDE and q.cue_start is not None and q.start <= q.cue_start < q.end)
            for q in qs
        )
    }
    prot_chars: set[int] = set().union(*(chars[k] for k in protected)) if protected else set()
    all_chars: set[int] = set().union(*chars.values()) if chars else set()
    replaced: set[object] = set()
    kept: list[Quote] = []
    new: list[tuple[list[tuple[int, int]], Candidate]] = []
    for frags in tagged:
        tc = _chars(doc, frags)
        if tc & prot_chars:
            continue  # never second-guess a quotation (or a cue-inside content)
        spans = [_frag_chars(doc, a, b) for a, b in frags]
        if tc & all_chars:
            touched = [k for k in groups if k not in protected and chars[k] & tc]
            if not _nested(touched, groups, chars):
                continue  # one tagged content over sibling statements: keep them
            # the most overlapping quote gives speaker and cue; on a tie the tighter one
            # (a content nested in a longer one is the better match)
            best = max(touched, key=lambda k: (len(chars[k] & tc), -len(chars[k])))
            replaced.update(touched)
            q = groups[best][0]
            if KEEP_CUE_SIDE:
                spans = _keep_cue_side(q, spans)
            kept.extend(replace(q, start=s, end=e, text=text[s:e]) for s, e in spans)
            continue
        cand = speaker_candidate(doc, scored, tc)
        if cand is not None and (not NEW_NEEDS_CUE_CLASS or cue_class(doc[cand.cue])):
            new.append((spans, cand))
    for key, qs in groups.items():
        if key not in replaced:
            kept.extend(qs)
    return kept, new
