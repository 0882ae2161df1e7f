"""Train the attribution-cue model (``lexicon/quote_cue_model.json``) on PolNeAR train.

Usage: .venv/bin/python benchmarks/train_quote_cues.py [--docbin PATH] [--holdout N] [--c C]
       [--every N] [--threshold T] [--holdout-out PATH [--holdout-only]] [--out PATH]
       (the shipped model: --threshold 0.25)

Every candidate of ``dateline.stages.quotes_learned.candidates`` is labelled positive when
its content matches a gold content (overlap >= half of the longer span, as in
benchmarks/quotes.py) without covering its source, and its cue token lies inside that
attribution's cue. A logistic
regression (L2, L-BFGS from scipy; training only: the runtime reads the JSON weights) is fit
on the first articles (with ``--every N``: all but every Nth article; the file is sorted by
publisher, so this holdout spans them all); the held-out articles choose the threshold
(best candidate F1), then the final model is refit on all of train. Dev is never read.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

import numpy as np
from scipy import optimize, sparse
from spacy.tokens import DocBin

from dateline.nlp import load_nlp
from dateline.stages.quotes_learned import candidates, features

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "polnear_dev" / "polnear_train.jsonl.gz"
OUT = ROOT / "src" / "dateline" / "lexicon" / "quote_cue_model.json"


def _gold(row: dict) -> list[tuple[set[int], set[int], set[int]]]:
    out = []
    for a in row["attributions"]:
        if not a.get("content"):
            continue
        content = {i for s, e in a["content"]["spans"] for i in range(s, e)}
        cue = {i for s, e in (a.get("cue") or {}).get("spans", []) for i in range(s, e)}
        src = {i for s, e in (a.get("source") or {}).get("spans", []) for i in range(s, e)}
        out.append((content, cue, src))
    return out


def _examples(rows: list[dict], docs: list) -> tuple[list[list[str]], list[int], list[int]]:
    feats: list[list[str]] = []
    labels: list[int] = []
    article: list[int] = []
    for n, (row, doc) in enumerate(zip(rows, docs, strict=True)):
        gold = _gold(row)
        cache: dict[object, object] = {}
        for cand in candidates(doc):
            c0, c1 = cand.content
            chars = set(range(doc[c0].idx, doc[c1 - 1].idx + len(doc[c1 - 1].text)))
            pos = doc[cand.cue].idx
            y = 0
            for content, cue, src in gold:
                ov = len(chars & content)
                if chars & src:  # the content must not swallow the source
                    continue
                if ov >= 0.5 * max(len(chars), len(content)) and (not cue or pos in cue):
                    y = 1
                    break
            feats.append(features(doc, cand, cache))
            labels.append(y)
            article.append(n)
    return feats, labels, article


def _fit(x: sparse.csr_matrix, y: np.ndarray, c: float) -> np.ndarray:
    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w[1:] + w[0]
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        eps = 1e-12
        ll = -np.sum(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))
        reg = 0.5 / c * np.sum(w[1:] ** 2)
        g = p - y
        grad = np.concatenate([[g.sum()], x.T @ g + w[1:] / c])
        return float(ll + reg), grad

    w0 = np.zeros(x.shape[1] + 1)
    res = optimize.minimize(loss, w0, jac=True, method="L-BFGS-B", options={"maxiter": 400})
    return np.asarray(res.x)


def _matrix(feats: list[list[str]], vocab: dict[str, int]) -> sparse.csr_matrix:
    rows, cols = [], []
    for i, fs in enumerate(feats):
        for f in fs:
            j = vocab.get(f)
            if j is not None:
                rows.append(i)
                cols.append(j)
    data = np.ones(len(rows))
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(feats), len(vocab)))


def _vocab(feats: list[list[str]], min_count: int = 3) -> dict[str, int]:
    counts: dict[str, int] = {}
    for fs in feats:
        for f in fs:
            counts[f] = counts.get(f, 0) + 1
    kept = sorted(f for f, n in counts.items() if n >= min_count)
    return {f: i for i, f in enumerate(kept)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docbin", default="", help="cached spaCy DocBin of the train texts")
    parser.add_argument("--holdout", type=int, default=140)
    parser.add_argument(
        "--every", type=int, default=0, help="hold out articles i %% N == N-1 instead"
    )
    parser.add_argument("--c", type=float, default=1.0)
    parser.add_argument("--threshold", type=float, default=0.0, help="skip threshold search")
    parser.add_argument(
        "--holdout-out", default="", help="also write the model fit without holdout"
    )
    parser.add_argument(
        "--holdout-only", action="store_true", help="write only the --holdout-out model"
    )
    parser.add_argument("--out", default=str(OUT), help="where to write the full-train model")
    args = parser.parse_args()
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    nlp = load_nlp()
    if args.docbin and Path(args.docbin).exists():
        docs = list(DocBin().from_disk(args.docbin).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe([r["text"] for r in rows], batch_size=16))
    feats, labels, article = _examples(rows, docs)
    y = np.asarray(labels, dtype=float)
    art = np.asarray(article)
    print(f"candidates={len(y)} positives={int(y.sum())}")
    threshold = args.threshold
    if not threshold or args.holdout_out:
        cut = len(rows) - args.holdout
        held = (art % args.every == args.every - 1) if args.every else art >= cut
        tr = [f for f, h in zip(feats, held, strict=True) if not h]
        vocab = _vocab(tr)
        w = _fit(_matrix(tr, vocab), y[~held], args.c)
        if not threshold:
            te = [f for f, h in zip(feats, held, strict=True) if h]
            threshold = _best_threshold(_matrix(te, vocab) @ w[1:] + w[0], y[held])
        if args.holdout_out:
            _write(Path(args.holdout_out), w, vocab, threshold)
            if args.holdout_only:
                return 0
    vocab = _vocab(feats)
    w = _fit(_matrix(feats, vocab), y, args.c)
    _write(Path(args.out), w, vocab, threshold)
    return 0


def _best_threshold(z: np.ndarray, yt: np.ndarray) -> float:
    """Candidate-level F1-best threshold on the held-out articles."""
    p = 1.0 / (1.0 + np.exp(-z))
    best = (0.0, 0.5)
    for t in np.arange(0.2, 0.8, 0.05):
        tp = float(((p >= t) & (yt == 1)).sum())
        prec = tp / max(1.0, float((p >= t).sum()))
        rec = tp / max(1.0, float(yt.sum()))
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        print(f"threshold={t:.2f} P={prec:.3f} R={rec:.3f} F1={f1:.3f}")
        best = max(best, (f1, float(t)))
    return best[1]


def _write(path: Path, w: np.ndarray, vocab: dict[str, int], threshold: float) -> None:
    weights = {f: round(float(w[j + 1]), 4) for f, j in vocab.items() if abs(w[j + 1]) >= 0.02}
    path.write_text(
        json.dumps(
            {
                "_comment": "Attribution-cue logistic regression; made by "
                "benchmarks/train_quote_cues.py on PolNeAR train. "
                "Features: dateline.stages.quotes_learned.features.",
                "bias": round(float(w[0]), 4),
                "threshold": round(threshold, 2),
                "weights": dict(sorted(weights.items())),
            },
            indent=0,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {path} ({len(weights)} weights, threshold {threshold:.2f})")


if __name__ == "__main__":
    raise SystemExit(main())
