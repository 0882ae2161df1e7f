"""Fit the statement-confidence model (``data/quote_tagger/confidence.json``) on PolNeAR train.

Usage (the holdout setup of benchmarks/results/quotes.md: a tagger, cue model and CRF all
trained without the every-6th train articles):

    DATELINE_QUOTE_TAGGER=/tmp/r13/b_split.int8.onnx \\
    .venv/bin/python benchmarks/train_quote_confidence.py --docbin /tmp/qtag/train.spacy \\
        --crf /tmp/qtag_h/tagger.json --cue-model /tmp/qtag_h/cuemodels/all.json \\
        --threshold 0.3 [--out src/dateline/data/quote_tagger/confidence.json]

Every statement ``extract_quotes`` draws on the held-out articles (before the confidence
step, which this script turns into a recorder) is an example: its
``quotes_confidence.features`` and whether it is a hit by benchmarks/quotes.py's rule.
Statements with quoted words (direct and mixed quotes) are left out: the product keeps them
all. A logistic regression (L2, on
standardised features; the weights are written unscaled) is cross-validated over the
articles (5 folds, three shuffles) for the content F1 of each keep threshold (the best is
the default; the shipped 0.30 is a product choice, see benchmarks/results/quotes.md round 14),
then refit on all the examples. The models must not have seen these articles: the
tagger's probabilities on text it was trained on are surer than on new text. Dev is never read.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Collection, Sequence
from pathlib import Path

import numpy as np
import quotes as bench
from spacy.tokens import DocBin
from train_quote_cues import _fit

from dateline.models import Article, Quote
from dateline.nlp import load_nlp
from dateline.settings import Settings
from dateline.stages import quotes_confidence, quotes_learned, quotes_neural, quotes_tagger
from dateline.stages.quotes import extract_quotes
from dateline.stages.quotes_neural import Reading

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "dateline" / "data" / "quote_tagger" / quotes_confidence.MODEL_FILE
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5)


def _examples(
    rows: list[dict], docs: list
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[int, int, int]]:
    """Features, hit labels and article numbers of the statements without quoted words;
    and the counts every threshold shares: gold attributions, statements with quoted words
    and their hits."""
    seen: list[tuple[list[Quote], tuple[float, ...]]] = []

    def record(
        quotes: Sequence[Quote], reading: Reading, ruled: Collection[tuple[int, int]]
    ) -> list[Quote]:
        for statement in quotes_confidence.statements(quotes):
            seen.append((statement, quotes_confidence.features(statement, reading, ruled)))
        return list(quotes)

    quotes_confidence.confident = record  # type: ignore[assignment]
    x: list[tuple[float, ...]] = []
    y: list[int] = []
    art: list[int] = []
    n_gold = n_quoted = quoted_hits = 0
    for n, (row, doc) in enumerate(zip(rows, docs, strict=True)):
        seen.clear()
        article = Article(id=row["id"], source=row["id"], text=row["text"], content_hash="")
        entities = bench._entities(article, doc)
        quotes = extract_quotes(article, doc, entities=entities, settings=Settings())
        gold = bench._gold(row)
        pred = bench._predicted(quotes, row["text"])
        hits, _partial = bench.match(gold, pred)
        hit_keys = {quotes_confidence.statement_key(pred[pi]["q"]) for _, pi in hits}
        n_gold += len(gold)
        for statement, values in seen:
            hit = quotes_confidence.statement_key(statement[0]) in hit_keys
            if quotes_confidence.has_quoted_words(statement):
                n_quoted += 1  # kept whatever the model says
                quoted_hits += hit
                continue
            x.append(values)
            y.append(int(hit))
            art.append(n)
    return np.array(x), np.array(y), np.array(art), (n_gold, n_quoted, quoted_hits)


def _fit_scaled(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    """Weights and bias on the raw features of an L2 logistic regression fit on standardised
    ones (so that the penalty treats every feature alike)."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    w = _fit((x - mean) / scale, y.astype(float), c)
    weights = w[1:] / scale
    return weights, float(w[0] - np.sum(weights * mean))


def _f1(keep: np.ndarray, y: np.ndarray, fixed: tuple[int, int, int]) -> float:
    """Content F1 when the statements ``keep`` marks and all with quoted words are kept."""
    n_gold, n_quoted, quoted_hits = fixed
    return 2 * float(quoted_hits + y[keep].sum()) / (n_quoted + int(keep.sum()) + n_gold)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docbin", required=True, help="spaCy DocBin of the 840 train texts")
    ap.add_argument("--crf", required=True, help="content-tagger JSON fit without the holdout")
    ap.add_argument("--cue-model", required=True, help="cue model JSON fit without the holdout")
    ap.add_argument("--every", type=int, default=6, help="the holdout: articles i %% N == N-1")
    ap.add_argument("--c", type=float, default=1.0, help="inverse L2 strength")
    ap.add_argument(
        "--threshold", type=float, default=0.0, help="keep threshold (default: the best in CV)"
    )
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    if quotes_neural.load() is None:
        raise SystemExit(
            "the attribution tagger does not run here: " + str(quotes_neural.unavailable_reason())
        )
    crf = quotes_tagger.read_tagger(Path(args.crf).read_text("utf-8"))
    quotes_tagger.load_tagger = lambda: crf  # type: ignore[assignment]
    cue_model = quotes_learned.read_model(Path(args.cue_model).read_text("utf-8"))
    quotes_learned.load_model = lambda: cue_model  # type: ignore[assignment]
    with gzip.open(bench.DATA / "polnear_train.jsonl.gz", "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    nlp = load_nlp()
    docs = list(DocBin().from_disk(args.docbin).get_docs(nlp.vocab))
    held = [i for i in range(len(rows)) if i % args.every == args.every - 1]
    x, y, art, fixed = _examples([rows[i] for i in held], [docs[i] for i in held])
    print(f"{len(held)} articles, {len(y)} statements without quoted words, {y.sum()} hits")
    everything = np.ones(len(y), dtype=bool)
    print(f"keep all: F1 {_f1(everything, y, fixed):.4f}")
    articles = np.unique(art)
    scores = {t: [] for t in THRESHOLDS}  # type: dict[float, list[float]]
    for shuffle in range(3):
        order = np.random.RandomState(shuffle).permutation(articles)
        fold = {a: k % 5 for k, a in enumerate(order)}
        folds = np.array([fold[a] for a in art])
        p = np.zeros(len(y))
        for k in range(5):
            w, b = _fit_scaled(x[folds != k], y[folds != k], args.c)
            p[folds == k] = 1 / (1 + np.exp(-(x[folds == k] @ w + b)))
        for t in THRESHOLDS:
            scores[t].append(_f1(p >= t, y, fixed))
    for t in THRESHOLDS:
        print(
            f"threshold {t:.2f}: cross-validated F1 {np.mean(scores[t]):.4f} "
            f"({', '.join(f'{s:.4f}' for s in scores[t])})"
        )
    best = args.threshold or max(THRESHOLDS, key=lambda t: np.mean(scores[t]))
    w, b = _fit_scaled(x, y, args.c)
    data = {
        "features": list(quotes_confidence.FEATURES),
        "weights": [round(float(v), 6) for v in w],
        "bias": round(b, 6),
        "threshold": best,
        "fit": f"benchmarks/train_quote_confidence.py, {len(y)} statements of {len(held)} "
        "every-6th PolNeAR train articles, drawn by models trained without them",
    }
    Path(args.out).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(
        f"threshold {best}; wrote {args.out}: "
        + ", ".join(f"{n} {v:+.3f}" for n, v in zip(quotes_confidence.FEATURES, w, strict=True))
        + f", bias {b:+.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
