"""Train the content tagger (``lexicon/quote_tagger.json``) on PolNeAR train; dev is never read.

Usage:
    .venv/bin/pip install python-crfsuite        # in the dev dependency group (training only)
    # the shipped model: cross-fitted on all 840 train articles
    .venv/bin/python benchmarks/train_quote_tagger.py --docbin /tmp/qtag/train.spacy \
        --work /tmp/qtag_full [--out src/dateline/lexicon/quote_tagger.json]
    # the every-6th holdout setup (cue models and CRF without those 140 articles), to score
    .venv/bin/python benchmarks/train_quote_tagger.py --docbin /tmp/qtag/train.spacy \
        --work /tmp/qtag_h --holdout --out /tmp/qtag_h/tagger.json
    # export a crfsuite model of the experiment (e.g. its every-6th holdout tagger) to JSON
    .venv/bin/python benchmarks/train_quote_tagger.py \
        --export /tmp/qtag/tagger_c13.0_c20.001_i300.crfsuite --out /tmp/qtag/tagger_e6.json
    # score benchmarks/quotes.py with a given tagger JSON (other arguments go to quotes.py)
    .venv/bin/python benchmarks/train_quote_tagger.py --tagger /tmp/qtag/tagger_e6.json -- \
        --split train --every 6 --docbin /tmp/qtag/train.spacy --model /tmp/qtag/cuemodels/all.json

Training (the experiment's recipe, benchmarks/quote_tagger_experiment.py, Round 5/6 of
benchmarks/results/quotes.md): the stacked features of an article must come from a cue model
that did not see it, as at run time. So the 840 articles are cut into 5 folds (index % 5), the
cue model (train_quote_cues.py's ``_examples``/``_fit``, C 1, threshold 0.25) is fit once per
fold without it, ``quotes.stack_base`` (the rules alone) and ``scored_candidates`` run on each
article with its fold's model, and the CRF (c1 3, c2 0.001, 300 iterations, chosen on an inner
fold) is trained on ``quotes_tagger.token_features`` of all 840 articles. The runtime stacks on
the shipped cue model (fit on all 840). Only nonzero weights are exported (crfsuite's dump
keeps 6 decimals).
"""

from __future__ import annotations

import argparse
import gzip
import json
import pickle
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from spacy.tokens import DocBin

sys.path.insert(0, str(Path(__file__).resolve().parent))

import quote_tagger_experiment as exp
import quotes as bench
import train_quote_cues as tqc

from dateline.models import Article
from dateline.nlp import load_nlp
from dateline.stages import quotes_learned, quotes_tagger
from dateline.stages.quotes import stack_base

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "dateline" / "lexicon" / quotes_tagger.MODEL_FILE
# "  (0) ATTR --> LABEL: WEIGHT" (state) or "  (1) FROM --> TO: WEIGHT" (transition); an
# attribute may hold newlines (the word of a whitespace token), so entries can span lines
_ENTRY = re.compile(r"^  \(([01])\) (.*?) --> (\S+): ([-+0-9.eE]+)$", re.M | re.S)


def export(crf_path: Path, out: Path) -> None:
    """crfsuite model -> JSON (labels, nonzero state weights, transitions)."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(crf_path))
    labels = list(tagger.labels())
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "dump.txt"
        tagger.dump(str(dump))
        raw = dump.read_text("utf-8")
    state: dict[str, dict[str, float]] = {}
    trans: dict[str, dict[str, float]] = {}
    for m in _ENTRY.finditer(raw):
        kind, a, b, w = m.group(1), m.group(2), m.group(3), float(m.group(4))
        if w != 0.0:
            (trans if kind == "1" else state).setdefault(a, {})[b] = w
    out.write_text(
        json.dumps(
            {"labels": labels, "transitions": trans, "state": state},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        + "\n",
        encoding="utf-8",
    )
    n = sum(len(v) for v in state.values())
    print(f"wrote {out} ({n} state weights, {len(state)} features, {out.stat().st_size} bytes)")


def _cue_models(rows: list[dict], docs: list, work: Path, k: int) -> list[object]:
    out = work / "cuemodels"
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"f{f}.json" for f in range(k)]
    if not all(p.exists() for p in paths):
        t0 = time.perf_counter()
        feats, labels, article = tqc._examples(rows, docs)
        y = np.asarray(labels, dtype=float)
        fold = np.asarray([a % k for a in article])
        for f, path in enumerate(paths):
            keep = fold != f
            tr = [x for x, m in zip(feats, keep, strict=True) if m]
            vocab = tqc._vocab(tr)
            w = tqc._fit(tqc._matrix(tr, vocab), y[keep], 1.0)
            tqc._write(path, w, vocab, exp.THRESHOLD)
            print(f"  cue model f{f} ({time.perf_counter() - t0:.0f}s)", flush=True)
    return [quotes_learned.read_model(p.read_text("utf-8")) for p in paths]


def _run_stacked(rows: list[dict], docs: list, model_of: Callable[[int], object]) -> list[tuple]:
    """Per article: (quotes without the tagger, scored candidates) from ``model_of(i)``."""
    out: list[tuple] = []
    orig = quotes_learned.load_model
    for i, (row, doc) in enumerate(zip(rows, docs, strict=True)):
        model = model_of(i)
        quotes_learned.load_model = lambda m=model: m  # type: ignore[misc]
        art = Article(id=row["id"], source=row["id"], text=row["text"], content_hash="")
        quotes = stack_base(art, doc, entities=bench._entities(art, doc))
        scored = [
            (p, c)
            for p, c in quotes_learned.scored_candidates(doc)
            if p >= quotes_tagger.STACK_FLOOR
        ]
        out.append((quotes, scored))
    quotes_learned.load_model = orig  # type: ignore[assignment]
    return out


def _stack(rows: list[dict], docs: list, work: Path, k: int) -> list[tuple]:
    """Each article stacked on its fold's cue model (a model that did not see it)."""
    path = work / "stack.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    models = _cue_models(rows, docs, work, k)
    out = _run_stacked(rows, docs, lambda i: models[i % k])
    path.write_bytes(pickle.dumps(out))
    return out


def _stack_holdout(rows: list[dict], docs: list, work: Path, k: int) -> list[tuple]:
    """As ``_stack`` without the every-6th holdout: fold models over the other 700 articles
    (``quote_tagger_experiment``'s folds), the holdout stacked on a model of all 700."""
    path = work / "stack_holdout.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    exp.fit_cue_models(rows, docs, work, k)
    models = {
        name: quotes_learned.read_model((work / "cuemodels" / f"{name}.json").read_text("utf-8"))
        for name in ["all"] + [f"f{f}" for f in range(k)]
    }
    out = _run_stacked(
        rows, docs, lambda i: models["all" if exp.held(i) else f"f{exp.fold_of(i, k)}"]
    )
    path.write_bytes(pickle.dumps(out))
    return out


def train(
    docbin: str,
    work: Path,
    out: Path,
    k: int,
    c1: float,
    c2: float,
    iters: int,
    holdout: bool = False,
) -> None:
    import pycrfsuite

    work.mkdir(parents=True, exist_ok=True)
    with gzip.open(bench.DATA / "polnear_train.jsonl.gz", "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    nlp = load_nlp()
    docs = list(DocBin().from_disk(docbin).get_docs(nlp.vocab))
    t0 = time.perf_counter()
    stack = (_stack_holdout if holdout else _stack)(rows, docs, work, k)
    print(f"stacked {len(stack)} articles ({time.perf_counter() - t0:.0f}s)", flush=True)
    trainer = pycrfsuite.Trainer(verbose=False)
    for i, (row, doc, (quotes, scored)) in enumerate(zip(rows, docs, stack, strict=True)):
        if holdout and exp.held(i):
            continue
        feats = quotes_tagger.token_features(doc, row["text"], quotes, scored)
        labels = exp.gold_labels(doc, row)
        for seq in quotes_tagger.sequences(doc):
            trainer.append([feats[j] for j in seq], [labels[j] for j in seq])
    trainer.set_params(
        {"c1": c1, "c2": c2, "max_iterations": iters, "feature.possible_transitions": True}
    )
    name = "holdout" if holdout else "all"
    crf = work / f"tagger_{name}_c1{c1}_c2{c2}_i{iters}.crfsuite"
    trainer.train(str(crf))
    print(f"trained {crf} ({time.perf_counter() - t0:.0f}s)", flush=True)
    export(crf, out)


def main() -> int:
    argv = sys.argv[1:]
    rest: list[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, rest = argv[:at], argv[at + 1 :]
    ap = argparse.ArgumentParser()
    ap.add_argument("--docbin", default="")
    ap.add_argument("--work", default="/tmp/qtag_full")
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--c1", type=float, default=3.0)
    ap.add_argument("--c2", type=float, default=0.001)
    ap.add_argument("--iters", type=int, default=300)
    ap.add_argument("--export", default="", help="only convert this crfsuite model to JSON")
    ap.add_argument("--tagger", default="", help="run benchmarks/quotes.py with this JSON model")
    ap.add_argument(
        "--holdout",
        action="store_true",
        help="leave out the every-6th articles (cue models WORK/cuemodels/all.json, f*.json)",
    )
    args = ap.parse_args(argv)
    if args.export:
        export(Path(args.export), Path(args.out))
        return 0
    if args.tagger:
        model = quotes_tagger.read_tagger(Path(args.tagger).read_text("utf-8"))
        if model is None:
            raise SystemExit(f"unreadable {args.tagger}")
        quotes_tagger.load_tagger = lambda: model  # type: ignore[assignment]
        sys.argv = ["quotes.py", *rest]
        return bench.main()
    if not args.docbin:
        ap.error("--docbin is required to train")
    train(
        args.docbin,
        Path(args.work),
        Path(args.out),
        args.folds,
        args.c1,
        args.c2,
        args.iters,
        holdout=args.holdout,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
