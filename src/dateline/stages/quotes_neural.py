"""Attribution spans from a fine-tuned MiniLM token tagger (source, cue, content; BIO).

The model is a three-layer MiniLM (all-MiniLM-L6-v2's) distilled from six-layer ones fine-tuned
on PolNeAR train to label every token as the source, cue or content of an attribution
(``benchmarks/quote_transformer_train.py``; model card in
``dateline/data/quote_tagger/README.md``), shipped as int8 ONNX inside this package
and run with onnxruntime: no torch, no download. Text goes in as WordPieces with a token for
each paragraph break, in overlapping windows; a token's label probabilities are the mean
over the windows it sits in; a token's label is the likeliest one once the O label is weighed
down (``OUTSIDE_WEIGHT``: more runs, for the quotes' confidence step to sort), runs that break
BIO decoded again as a sequence; label runs become character spans.

The helpers (encoding, windows, decoding) are shared with the training script, so that a
token means the same in both.
"""

from __future__ import annotations

import bisect
import functools
import importlib.util
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

LABELS = ("O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON")
# A paragraph break is a token of its own: quotations and reported speech end at them.
BREAK_TOKEN = "[unused1]"
CLS_ID, SEP_ID, PAD_ID = 101, 102, 0
WINDOW = 256  # tokens per window, [CLS] and [SEP] included
STRIDE = 128  # training: a token sits in two windows, so each window's edge is seen inside another
# at run time a window starts every 224 tokens: the 30 tokens at each window's edge sit in two
# windows (their probabilities are the mean), 40% fewer windows than at 128. Holdout content F1
# with the confidence step: 0.7730 at 192 (rounds 11-13), 0.7737 at 224, 0.7645 at 256 (no
# overlap: the edges lose their context; round 14)
RUN_STRIDE = 224


@dataclass(frozen=True, slots=True)
class TaggedSpan:
    """A run of tokens with one role: character offsets and the mean probability of its labels."""

    role: str  # "SRC", "CUE" or "CON"
    start: int
    end: int
    prob: float


def read_tokenizer(path: str | Path) -> Any:
    """The WordPiece tokenizer from ``tokenizer.json``, set for whole articles.

    The file as sentence-transformers ships it truncates and pads to 128 tokens; here an
    article is cut into windows after tokenizing (``window_inputs``).
    """
    import tokenizers

    tokenizer = tokenizers.Tokenizer.from_file(str(path))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def encode_text(tokenizer: Any, text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """WordPiece ids and character offsets of ``text``, with a break token at each newline run.

    ``tokenizer`` comes from ``read_tokenizer``.
    """
    enc = tokenizer.encode(text, add_special_tokens=False)
    brk = tokenizer.token_to_id(BREAK_TOKEN)
    ids: list[int] = []
    offsets: list[tuple[int, int]] = []
    prev_end = 0
    for tid, (s, e) in zip(enc.ids, enc.offsets, strict=True):
        if ids and "\n" in text[prev_end:s]:
            ids.append(brk)
            offsets.append((prev_end, prev_end))
        ids.append(tid)
        offsets.append((s, e))
        prev_end = e
    return ids, offsets


def windows(n_tokens: int, window: int = WINDOW, stride: int = STRIDE) -> list[tuple[int, int]]:
    """Token ranges [start, end) of at most ``window - 2`` tokens, ``stride`` apart."""
    size = window - 2
    if n_tokens <= size:
        return [(0, n_tokens)]
    out = []
    start = 0
    while True:
        end = min(start + size, n_tokens)
        out.append((start, end))
        if end == n_tokens:
            return out
        start += stride


def window_inputs(ids: Sequence[int], stride: int = STRIDE) -> list[tuple[int, int, list[int]]]:
    """Each window's token range [start, end) and its model input: [CLS] tokens [SEP].

    Training and its evaluation cut an article this way, the run-time model too (with
    ``RUN_STRIDE``).
    """
    return [(s, e, [CLS_ID, *ids[s:e], SEP_ID]) for s, e in windows(len(ids), stride=stride)]


_INSIDE = tuple(i for i, name in enumerate(LABELS) if name.startswith("I-"))  # each after its B-
# prev label -> label: an I- after anything but its own B- or I- (or first in a run) costs
# as much as a label ten times less likely
_BROKEN = np.log(0.1)
_TRANSITION = np.zeros((len(LABELS), len(LABELS)))
for _i in _INSIDE:
    _TRANSITION[:, _i] = _BROKEN
    _TRANSITION[_i - 1, _i] = _TRANSITION[_i, _i] = 0.0
_FIRST = np.array([_BROKEN if i in _INSIDE else 0.0 for i in range(len(LABELS))])


def bio_labels(probs: np.ndarray) -> list[int]:
    """Each token's label: the likeliest one, where the run it sits in is BIO.

    The tagger labels tokens one by one, so a content can hold an orphan ("I-CON I-CUE I-CON":
    a cue and two contents) or open with an I-. Runs of non-O tokens that hold such a label
    are decoded again as a sequence (Viterbi over the label probabilities, a broken step
    costing a factor of ten: a run the tagger is sure of stays as it is); elsewhere the
    per-token argmax already is the likeliest sequence. Holdout content F1 with the
    three-layer tagger 0.764 -> 0.768 (0.769 forbidding broken steps, which merged more
    confused runs into one content; round 12).
    """
    labels = probs.argmax(axis=-1)
    if not len(labels):
        return []
    before = np.concatenate([[0], labels[:-1]])
    broken = np.isin(labels, _INSIDE) & (before != labels) & (before != labels - 1)
    if not broken.any():
        return [int(x) for x in labels]
    out = labels.copy()
    outside = labels == LABELS.index("O")
    log_probs = np.log(np.clip(probs, 1e-9, 1.0))
    done = -1
    for at in np.flatnonzero(broken).tolist():
        if at < done:
            continue  # the run was decoded with an earlier broken label
        start = at
        while start > 0 and not outside[start - 1]:
            start -= 1
        done = at
        while done < len(labels) and not outside[done]:
            done += 1
        out[start:done] = _viterbi(log_probs[start:done])
    return [int(x) for x in out]


def _viterbi(log_probs: np.ndarray) -> list[int]:
    """The likeliest label sequence (log label probabilities, ``_TRANSITION`` costs)."""
    score = _FIRST + log_probs[0]
    back = np.zeros(log_probs.shape, dtype=np.int8)
    for t in range(1, len(log_probs)):
        paths = score[:, None] + _TRANSITION
        back[t] = paths.argmax(axis=0)
        score = paths.max(axis=0) + log_probs[t]
    best = [int(score.argmax())]
    for t in range(len(log_probs) - 1, 0, -1):
        best.append(int(back[t, best[-1]]))
    return best[::-1]


def decode(
    label_ids: Sequence[int], probs: Sequence[float], offsets: Sequence[tuple[int, int]]
) -> list[TaggedSpan]:
    """BIO label ids (one per token) to spans; an I- without its B- starts a span too."""
    out: list[TaggedSpan] = []
    role = None
    start = end = 0
    total = 0.0
    count = 0

    def close() -> None:
        if role is not None and end > start:
            out.append(TaggedSpan(role, start, end, total / count))

    for lab, p, (s, e) in zip(label_ids, probs, offsets, strict=True):
        name = LABELS[lab]
        if name == "O" or e <= s:
            close()
            role = None
            continue
        prefix, tag = name.split("-")
        if prefix == "B" or tag != role:
            close()
            role, start, total, count = tag, s, 0.0, 0
        end = e
        total += p
        count += 1
    close()
    return out


# A content run whose labels average under this is noise; so is a content shorter than
# MIN_CONTENT_CHARS ("a", "question"). Both chosen on the every-6th PolNeAR train holdout
# (benchmarks/results/quotes.md, round 9): 0.6/0.7/0.8 x 1/8/15 characters.
CONTENT_FLOOR = 0.7
MIN_CONTENT_CHARS = 8
# a source further than this from its cue (characters) belongs to another statement
SOURCE_REACH = 250


@dataclass(frozen=True, slots=True)
class TaggedAttribution:
    """Content fragments with the cue they hang on and the source nearest that cue."""

    contents: tuple[TaggedSpan, ...]
    cue: TaggedSpan | None
    source: TaggedSpan | None


def _gap(a: TaggedSpan, b: TaggedSpan) -> int:
    if a.end <= b.start:
        return b.start - a.end
    if b.end <= a.start:
        return a.start - b.end
    return 0


def attributions(text: str, spans: Sequence[TaggedSpan]) -> list[TaggedAttribution]:
    """Group tagged spans into attributions, in text order.

    Each content fragment hangs on the nearest cue in its paragraph; fragments on one cue
    are one attribution (a quotation split by its cue: "…," she said, "…"). The source is
    the source span nearest the cue (or the content, for a content with no cue), in the
    same paragraph and within ``SOURCE_REACH`` characters. Contents never merge across a
    gap: the tagger's B- label is what separates two statements that touch.
    """

    def same_paragraph(a: int, b: int) -> bool:
        return "\n" not in text[min(a, b) : max(a, b)]

    contents = [s for s in spans if s.role == "CON" and s.prob >= CONTENT_FLOOR]
    cues = [s for s in spans if s.role == "CUE"]
    sources = [s for s in spans if s.role == "SRC"]
    groups: dict[tuple[int, int], list[TaggedSpan]] = {}
    cue_of: dict[tuple[int, int], TaggedSpan | None] = {}
    for c in contents:
        near = [
            q
            for q in cues
            if same_paragraph(q.start, c.start) and same_paragraph(q.start, c.end - 1)
        ]
        cue = min(near, key=lambda q: _gap(q, c), default=None)
        key = (cue.start, -1) if cue is not None else (c.start, c.end)
        groups.setdefault(key, []).append(c)
        cue_of[key] = cue
    out = []
    for key, frags in groups.items():
        if sum(f.end - f.start for f in frags) < MIN_CONTENT_CHARS:
            continue
        cue = cue_of[key]
        anchor = cue or frags[0]
        near = [
            s
            for s in sources
            if same_paragraph(s.start, anchor.start) and _gap(s, anchor) < SOURCE_REACH
        ]
        source = min(near, key=lambda s: _gap(s, anchor), default=None)
        out.append(TaggedAttribution(tuple(frags), cue, source))
    out.sort(key=lambda a: a.contents[0].start)
    return out


MODEL_ENV = "DATELINE_QUOTE_TAGGER"  # another model file (a retrained one); "off" disables
THREADS_ENV = "DATELINE_QUOTE_TAGGER_THREADS"
_RUNTIME_MODULES = ("onnxruntime", "tokenizers")
BATCH_WINDOWS = 8


def _data_file(name: str) -> Path:
    return Path(str(resources.files("dateline").joinpath("data", "quote_tagger", name)))


# Before decoding, the O label's probability is weighed by this (and each token's
# probabilities renormalised): the tagger labels more and longer runs than its argmax would,
# and the confidence step (``quotes_confidence``, over the unweighed probabilities) sorts
# them. Holdout content F1 with that step refit, threshold 0.30: 0.7721 unweighed, 0.7730 at
# 0.5, 0.7768 at 0.3, 0.7755 at 0.2, 0.7783 at 0.15, 0.7789 at 0.1 (round 14).
OUTSIDE_WEIGHT = 0.3


def outside_weighed(probs: np.ndarray) -> np.ndarray:
    """Label probabilities with O's weighed by ``OUTSIDE_WEIGHT``, renormalised per token."""
    weighed = probs.copy()
    weighed[:, LABELS.index("O")] *= OUTSIDE_WEIGHT
    weighed /= np.maximum(weighed.sum(axis=-1, keepdims=True), 1e-12)
    return weighed


@dataclass(frozen=True)
class Reading:
    """The tagger's reading of one article: its spans, and each token's label probabilities.

    The probabilities let later steps ask how the tagger sees a span it did not draw itself
    (a statement the rules found): ``role_probability`` of the words, ``runs_on`` after them.
    """

    spans: list[TaggedSpan]
    offsets: list[tuple[int, int]]
    probs: np.ndarray  # tokens x LABELS
    _starts: list[int] = field(init=False, repr=False)
    _ends: list[int] = field(init=False, repr=False)
    _index: list[int] = field(init=False, repr=False)  # their rows in ``probs``

    def __post_init__(self) -> None:
        # break tokens (empty offsets) belong to no span; the rest are in text order
        index = [i for i, (s, e) in enumerate(self.offsets) if e > s]
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_starts", [self.offsets[i][0] for i in index])
        object.__setattr__(self, "_ends", [self.offsets[i][1] for i in index])

    def _inside(self, start: int, end: int) -> list[int]:
        """Indices of the word-piece tokens within ``[start, end)`` (break tokens excluded)."""
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_right(self._ends, end)
        return self._index[lo:hi]

    def role_probability(self, role: str, start: int, end: int) -> float:
        """Mean probability that the tokens of ``[start, end)`` have ``role`` (B- or I-);
        0.0 for a span that holds no token."""
        tokens = self._inside(start, end)
        if not tokens:
            return 0.0
        b, i = LABELS.index("B-" + role), LABELS.index("I-" + role)
        return float((self.probs[tokens, b] + self.probs[tokens, i]).mean())

    def runs_on(self, start: int, end: int) -> float:
        """Probability that the content ``[start, end)`` goes on past its end: the I-CON
        probability of the token after its last one (0.0 at the end of the text)."""
        tokens = self._inside(start, end)
        after = tokens[-1] + 1 if tokens else len(self.offsets)
        if after >= len(self.offsets):
            return 0.0
        return float(self.probs[after, LABELS.index("I-CON")])


@dataclass(frozen=True)
class AttributionTagger:
    """A loaded tagger: :meth:`tag` gives an article's spans. Build it with :func:`load`."""

    session: Any
    tokenizer: Any

    def probabilities(self, text: str) -> tuple[list[tuple[int, int]], np.ndarray]:
        """Token offsets and label probabilities (tokens x LABELS), averaged over windows."""
        ids, offsets = encode_text(self.tokenizer, text)
        probs = np.zeros((len(ids), len(LABELS)), dtype=np.float32)
        counts = np.zeros((len(ids), 1), dtype=np.float32)
        inputs = window_inputs(ids, RUN_STRIDE)
        for b in range(0, len(inputs), BATCH_WINDOWS):
            chunk = inputs[b : b + BATCH_WINDOWS]
            batch = np.full((len(chunk), max(len(x) for _, _, x in chunk)), PAD_ID, dtype=np.int64)
            for row, (_, _, x) in enumerate(chunk):
                batch[row, : len(x)] = x
            mask = (batch != PAD_ID).astype(np.int64)
            logits = self.session.run(None, {"input_ids": batch, "attention_mask": mask})[0]
            logits = logits - logits.max(axis=-1, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(axis=-1, keepdims=True)
            for row, (s, e, _) in enumerate(chunk):
                probs[s:e] += p[row, 1 : 1 + e - s]
                counts[s:e] += 1
        return offsets, probs / np.maximum(counts, 1)

    def tag(self, text: str) -> list[TaggedSpan]:
        """The article's source, cue and content spans, in text order."""
        return self.read(text).spans

    def read(self, text: str) -> Reading:
        """The article's spans and the token probabilities they were decoded from."""
        if not text.strip():  # nothing to tag: the tokenizer gives no token
            return Reading([], [], np.zeros((0, len(LABELS)), dtype=np.float32))
        offsets, probs = self.probabilities(text)
        weighed = outside_weighed(probs)
        # a span's probability stays the mean of its tokens' top label probability: a label
        # bio_labels mended may be one the tagger doubted (a B- for its sure I-), which
        # says how the run opens, not how sure the tagger is of the token's role
        spans = decode(bio_labels(weighed), weighed.max(axis=-1).tolist(), offsets)
        return Reading(spans, offsets, probs)


def model_file() -> Path | None:
    """The ONNX model: ``$DATELINE_QUOTE_TAGGER`` if set, else the packaged one."""
    override = os.environ.get(MODEL_ENV, "").strip()
    if override:
        path = Path(override).expanduser()
        return path if path.is_file() else None
    path = _data_file("model.int8.onnx")
    return path if path.is_file() else None


@functools.lru_cache(maxsize=1)
def unavailable_reason() -> str | None:
    """Why the tagger cannot run here (None when it can): the product then uses rules alone.

    Decided once per process (environment, installed modules, model file), so that every
    article of a run, and the stage version it records, agree.
    """
    if os.environ.get(MODEL_ENV, "").strip().lower() == "off":
        return f"${MODEL_ENV}=off"
    missing = [m for m in _RUNTIME_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        return f"missing Python modules {', '.join(missing)} (pip install onnxruntime tokenizers)"
    if model_file() is None:
        return f"no model file (the package's data/quote_tagger, or ${MODEL_ENV})"
    return None


@functools.lru_cache(maxsize=1)
def load() -> AttributionTagger | None:
    """Load the tagger once per process; None (logged once) when it cannot run here."""
    reason = unavailable_reason()
    if reason is not None:
        log.warning("quote tagger off, rules alone: %s", reason)
        return None
    import onnxruntime as ort

    options = ort.SessionOptions()
    try:
        threads = max(1, int(os.environ.get(THREADS_ENV, "1")))
    except ValueError:
        threads = 1
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    path = str(model_file())
    session = ort.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])
    return AttributionTagger(
        session=session, tokenizer=read_tokenizer(_data_file("tokenizer.json"))
    )
