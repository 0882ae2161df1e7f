"""Distillation data for a smaller attribution tagger: a teacher's probabilities, on a CPU.

Usage (after ``benchmarks/quote_transformer_data.py`` wrote ``.qx``):

    .venv/bin/python benchmarks/quote_transformer_distill_data.py --data .qx --out .qx8 \
        --teacher split=TEACHER_A.int8.onnx:TEACHER_A.safetensors \
        --teacher final=src/dateline/data/quote_tagger/model.int8.onnx:FINAL.safetensors \
        --news-articles 2000 --layers 0,1,2,4

Each teacher is a six-layer tagger as the product runs it (int8 ONNX) and its fine-tuned
weights (``quote_transformer_train.py train``'s safetensors). "split" is the teacher trained
without the holdout and early-stopping articles: students distilled from it can be scored on
the holdout. "final" is the shipped model: its students are the ones to ship.

Writes, for ``quote_transformer_train.py distill`` on the GPU machine (sized to travel there):
- ``data.jsonl.gz``: PolNeAR as ``.qx`` has it (gold labels, splits);
- ``news.jsonl.gz``: WordPiece ids of unlabelled political news (the shared news_corpus, last
  file, articles of 1,500-12,000 characters that share no 12-word run with a PolNeAR article);
  the teacher's reading of them is what a student learns beyond the 630 annotated articles;
- ``soft_NAME.npz``: the teacher's per-token label probabilities (uint8, p * 255, mean over
  the product's windows) for every PolNeAR train article and every news article;
- ``init_NAME.npz``: the teacher's weights for the student's start, only the layers in
  ``--layers``, matrices as int8 with a float16 scale per row (a start point need not be
  exact; this keeps both teachers inside the machine's transfer limit);
- ``word_embeddings.npz`` and ``config.json``: the base model's frozen word embeddings.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import quotes as bench
from quote_transformer_data import news_rows, safetensors_parts, write_news_ids

from dateline.stages.quotes_neural import AttributionTagger, read_tokenizer

WORD_EMBEDDINGS = "bert.embeddings.word_embeddings.weight"


def teacher_probs(job: tuple[str, str, list[dict], int]) -> tuple[str, dict[str, np.ndarray]]:
    """One teacher over all texts: uint8 probabilities keyed by article id."""
    import onnxruntime as ort

    from dateline.stages.quotes_neural import _data_file

    name, onnx_path, rows, threads = job
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(onnx_path, options, providers=["CPUExecutionProvider"])
    tagger = AttributionTagger(session, read_tokenizer(_data_file("tokenizer.json")))
    out = {}
    t0 = time.time()
    for i, row in enumerate(rows):
        _, probs = tagger.probabilities(row["text"])
        out[row["id"]] = np.rint(probs * 255).astype(np.uint8)
        if i % 200 == 0:
            print(f"  {name}: {i}/{len(rows)} ({time.time() - t0:.0f}s)", flush=True)
    return name, out


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """A safetensors file's arrays, read with numpy (the data script's venv has no torch)."""
    header, body = safetensors_parts(path.read_bytes())
    header.pop("__metadata__", None)
    dtypes = {"F16": np.float16, "F32": np.float32, "I64": np.int64}
    return {
        key: np.frombuffer(
            body[meta["data_offsets"][0] : meta["data_offsets"][1]], dtype=dtypes[meta["dtype"]]
        ).reshape(meta["shape"])
        for key, meta in header.items()
    }


def quantized_init(weights: Path, layers: list[int]) -> dict[str, np.ndarray]:
    """The teacher's weights less the other layers; 2-D arrays int8 with per-row scales."""
    keep = {f"bert.encoder.layer.{i}." for i in layers}
    out: dict[str, np.ndarray] = {}
    for key, value in read_safetensors(weights).items():
        if key.startswith("bert.encoder.layer.") and not any(key.startswith(k) for k in keep):
            continue
        value = value.astype(np.float32)
        if value.ndim == 2:
            scale = np.maximum(np.abs(value).max(axis=1, keepdims=True), 1e-8) / 127
            out[key + ".q8"] = np.rint(value / scale).astype(np.int8)
            out[key + ".scale"] = scale.astype(np.float16)
        else:
            out[key] = value.astype(np.float16)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path(".qx"))
    parser.add_argument("--out", type=Path, default=Path(".qx8"))
    parser.add_argument("--teacher", action="append", required=True, help="NAME=ONNX:WEIGHTS")
    parser.add_argument("--news-articles", type=int, default=2000)
    parser.add_argument(
        "--layers", default="0,1,2,4", help="teacher layers a student may start from"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    shutil.copy(args.data / "data.jsonl.gz", args.out / "data.jsonl.gz")
    shutil.copy(args.data / "base" / "config.json", args.out / "config.json")
    base = read_safetensors(args.data / "base" / "model.safetensors")
    np.savez(
        args.out / "word_embeddings.npz",
        **{WORD_EMBEDDINGS: base["embeddings.word_embeddings.weight"]},
    )

    with gzip.open(args.data / "data.jsonl.gz", "rt", encoding="utf-8") as fh:
        ids_of = {r["id"]: r["ids"] for r in map(json.loads, fh) if r["split"] != "dev"}
    texts = {}
    for split in ("train", "dev"):
        with gzip.open(bench.DATA / f"polnear_{split}.jsonl.gz", "rt", encoding="utf-8") as fh:
            for row in map(json.loads, fh):
                texts[row["id"]] = (split, row["text"])
    polnear = [{"id": i, "text": texts[i][1]} for i in ids_of]
    news = news_rows(args.news_articles, [t for _, t in texts.values()])
    tok = read_tokenizer(args.data / "base" / "tokenizer.json")
    ids_of.update(write_news_ids(tok, news, args.out / "news.jsonl.gz"))

    teachers = [spec.split("=", 1) for spec in args.teacher]
    layers = [int(x) for x in args.layers.split(",")]
    jobs = [(name, paths.split(":")[0], polnear + news, 1) for name, paths in teachers]
    with ProcessPoolExecutor(max_workers=len(jobs)) as pool:
        for name, probs in pool.map(teacher_probs, jobs):
            for key, p in probs.items():
                assert len(p) == len(ids_of[key]), key  # the product's tokens are the data's
            np.savez_compressed(args.out / f"soft_{name}.npz", **probs)
    for name, paths in teachers:
        np.savez(args.out / f"init_{name}.npz", **quantized_init(Path(paths.split(":")[1]), layers))
    for path in sorted(args.out.iterdir()):
        print(f"{path.name}: {path.stat().st_size / 2**20:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
