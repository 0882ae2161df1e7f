"""Fine-tune all-MiniLM-L6-v2 as a BIO attribution tagger; export it to int8 ONNX.

Runs where torch and transformers are (the lent GPU machine for training; export runs on a
CPU in seconds). Input is what ``benchmarks/quote_transformer_data.py`` wrote
(``DATA/data.jsonl.gz`` and ``DATA/base``).

    python3 benchmarks/quote_transformer_train.py train --data .qx --out OUT \
        --runs "a1:5e-5:8,a2:1e-4:8" --final
    python3 benchmarks/quote_transformer_train.py export --data .qx \
        --weights OUT/final.safetensors --onnx src/dateline/data/quote_tagger/model.int8.onnx

Each run ``name:lr:epochs`` trains on split "train" (PolNeAR train less the every-6th holdout
and the every-12th early-stopping articles), keeps the epoch with the best content-span F1 on
"early", and writes ``OUT/preds_NAME.npz`` (per-token label probabilities, float16, keyed by
article id, for "holdout", "early" and "dev": dev is predicted, never trained or selected on).
The best run's weights go to ``OUT/best.safetensors``; ``--final`` then trains its settings
on all of PolNeAR train for its best epoch count (``OUT/final.safetensors``): the model to
ship. Word embeddings stay frozen (840 articles do not move 30k rows usefully), so the
weight files leave them out (float16, 22 MB): they are the base model's.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location(
    "quotes_neural", HERE.parent / "src" / "dateline" / "stages" / "quotes_neural.py"
)
assert _spec is not None
assert _spec.loader is not None
qn = importlib.util.module_from_spec(_spec)
sys.modules["quotes_neural"] = qn
_spec.loader.exec_module(qn)

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"
BATCH = 32
WORD_EMBEDDINGS = "bert.embeddings.word_embeddings.weight"


def log(*parts: object) -> None:
    print(*parts, flush=True)


def load_rows(data: Path) -> list[dict]:
    with gzip.open(data / "data.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def train_windows(rows: list[dict]) -> list[tuple[list[int], list[int]]]:
    out = []
    for row in rows:
        for s, e, ids in qn.window_inputs(row["ids"]):
            out.append((ids, [-100, *row["labels"][s:e], -100]))
    return out


def new_model(data: Path):  # type: ignore[no-untyped-def]
    from safetensors.torch import load_file
    from transformers import BertConfig, BertForTokenClassification

    config = BertConfig.from_json_file(str(data / "base" / "config.json"))
    config.num_labels = len(qn.LABELS)
    config._attn_implementation = "eager"  # exports to ONNX as plain ops
    model = BertForTokenClassification(config)
    model.bert.embeddings.word_embeddings.weight.requires_grad = False  # 30k rows, little data
    state = {
        k: v.float() if v.is_floating_point() else v
        for k, v in load_file(str(data / "base" / "model.safetensors")).items()
    }
    missing, unexpected = model.bert.load_state_dict(state, strict=False)
    log("weights: missing", missing, "unexpected", unexpected)
    return model.to(DEVICE)


def batches(items: list, size: int):  # type: ignore[no-untyped-def]
    for i in range(0, len(items), size):
        yield items[i : i + size]


def pad(seqs: list[list[int]], value: int) -> torch.Tensor:
    width = max(len(s) for s in seqs)
    return torch.tensor([s + [value] * (width - len(s)) for s in seqs], device=DEVICE)


@torch.no_grad()
def predict(model, rows: list[dict]) -> dict[str, np.ndarray]:  # type: ignore[no-untyped-def]
    """Per-token label probabilities, the mean over the windows a token sits in."""
    model.eval()
    jobs = []
    for r_i, row in enumerate(rows):
        jobs.extend((r_i, s, e, ids) for s, e, ids in qn.window_inputs(row["ids"]))
    sums = [np.zeros((len(r["ids"]), len(qn.LABELS)), dtype=np.float32) for r in rows]
    counts = [np.zeros((len(r["ids"]), 1), dtype=np.float32) for r in rows]
    for chunk in batches(jobs, 64):
        ids = pad([j[3] for j in chunk], qn.PAD_ID)
        mask = (ids != qn.PAD_ID).long()
        with torch.autocast(DEVICE, dtype=torch.bfloat16, enabled=DEVICE == "cuda"):
            logits = model(input_ids=ids, attention_mask=mask).logits
        probs = torch.softmax(logits.float(), dim=-1).cpu().numpy()
        for (r_i, s, e, _), p in zip(chunk, probs, strict=True):
            sums[r_i][s:e] += p[1 : 1 + e - s]
            counts[r_i][s:e] += 1
    return {r["id"]: sums[i] / np.maximum(counts[i], 1) for i, r in enumerate(rows)}


def content_f1(rows: list[dict], probs: dict[str, np.ndarray]) -> float:
    """Content spans (token indices) matched one to one when they overlap by half the longer."""
    tp = n_pred = n_gold = 0
    for row in rows:
        p = probs[row["id"]]
        offs = [(i, i + 1) for i in range(len(row["ids"]))]
        pred = [
            (s.start, s.end)
            for s in qn.decode(p.argmax(-1).tolist(), p.max(-1).tolist(), offs)
            if s.role == "CON"
        ]
        gold = [
            (s.start, s.end)
            for s in qn.decode(row["labels"], [1.0] * len(offs), offs)
            if s.role == "CON"
        ]
        n_pred += len(pred)
        n_gold += len(gold)
        used: set[int] = set()
        for gs, ge in gold:
            for j, (ps, pe) in enumerate(pred):
                ov = min(ge, pe) - max(gs, ps)
                if j not in used and ov >= 0.5 * max(ge - gs, pe - ps):
                    used.add(j)
                    tp += 1
                    break
    prec = tp / n_pred if n_pred else 0.0
    rec = tp / n_gold if n_gold else 0.0
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def fit(
    data: Path, train_rows: list[dict], early: list[dict], lr: float, epochs: int, seed: int = 13
):  # type: ignore[no-untyped-def]
    random.seed(seed)
    torch.manual_seed(seed)
    model = new_model(data)
    wins = train_windows(train_rows)
    steps = epochs * ((len(wins) + BATCH - 1) // BATCH)
    opt = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=0.01
    )
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda k: min((k + 1) / warm, max(0.0, (steps - k) / max(1, steps - warm)))
    )
    best = (-1.0, 0, None)
    for epoch in range(1, epochs + 1):
        model.train()
        random.shuffle(wins)
        t0 = time.time()
        total = 0.0
        for chunk in batches(wins, BATCH):
            ids = pad([w[0] for w in chunk], qn.PAD_ID)
            labels = pad([w[1] for w in chunk], -100)
            mask = (ids != qn.PAD_ID).long()
            with torch.autocast(DEVICE, dtype=torch.bfloat16, enabled=DEVICE == "cuda"):
                loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            total += loss.item()
        f1 = content_f1(early, predict(model, early)) if early else 0.0
        log(
            f"  epoch {epoch}: loss {total:.1f} early content F1 {f1:.4f} ({time.time() - t0:.1f}s)"
        )
        if f1 > best[0] or not early:
            best = (f1, epoch, {k: v.detach().clone() for k, v in model.state_dict().items()})
    model.load_state_dict(best[2])
    return model, best[0], best[1]


def export_int8(model, path: Path, sample: list[dict]) -> None:  # type: ignore[no-untyped-def]
    """ONNX (fp32) then dynamic int8 quantization; checks the int8 labels against torch's."""
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval().float()
    cpu = model.to("cpu")
    ids = torch.tensor([[qn.CLS_ID, *sample[0]["ids"][:60], qn.SEP_ID]])
    mask = torch.ones_like(ids)
    fp32 = path.with_suffix(".fp32.onnx")
    axes = {
        "input_ids": {0: "batch", 1: "seq"},
        "attention_mask": {0: "batch", 1: "seq"},
        "logits": {0: "batch", 1: "seq"},
    }
    for dynamo in (False, True):  # the legacy exporter first: it may be gone in a torch
        try:
            torch.onnx.export(
                cpu,
                (ids, mask),
                str(fp32),
                input_names=["input_ids", "attention_mask"],
                output_names=["logits"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=dynamo,
            )
            break
        except Exception as exc:
            if dynamo:
                raise
            log("legacy export failed:", repr(exc)[:300])
    quantize_dynamic(str(fp32), str(path), weight_type=QuantType.QInt8)
    fp32.unlink()
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    agree = total = 0
    for row in sample[:10]:
        for _, _, window in qn.window_inputs(row["ids"]):
            x = np.array([window], dtype=np.int64)
            onnx_lab = sess.run(None, {"input_ids": x, "attention_mask": np.ones_like(x)})[
                0
            ].argmax(-1)
            with torch.no_grad():
                t_lab = (
                    cpu(
                        input_ids=torch.from_numpy(x),
                        attention_mask=torch.ones_like(torch.from_numpy(x)),
                    )
                    .logits.argmax(-1)
                    .numpy()
                )
            agree += int((onnx_lab == t_lab).sum())
            total += x.shape[1]
    log(
        f"  {path.name}: {path.stat().st_size / 1e6:.1f} MB, "
        f"int8 labels agree with fp32 on {agree}/{total} tokens"
    )
    model.to(DEVICE)


def trained_state(model) -> dict[str, torch.Tensor]:  # type: ignore[no-untyped-def]
    """The fine-tuned weights, float16, less the frozen word embeddings (the base's own)."""
    return {
        k: v.detach().half().cpu().contiguous()
        for k, v in model.state_dict().items()
        if k != WORD_EMBEDDINGS
    }


def load_trained(data: Path, weights: Path):  # type: ignore[no-untyped-def]
    from safetensors.torch import load_file

    model = new_model(data)
    state = {k: v.float() for k, v in load_file(str(weights)).items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert missing == [WORD_EMBEDDINGS], missing
    assert not unexpected, unexpected
    return model


def train_main(args: argparse.Namespace) -> int:
    from safetensors.torch import save_file

    args.out.mkdir(parents=True, exist_ok=True)
    rows = load_rows(args.data)
    by = {s: [r for r in rows if r["split"] == s] for s in ("train", "early", "holdout", "dev")}
    log(DEVICE, {k: len(v) for k, v in by.items()})
    results = {}
    for spec in args.runs.split(","):
        name, lr, epochs = spec.split(":")
        log(f"run {name}: lr {lr}, {epochs} epochs")
        t0 = time.time()
        model, f1, epoch = fit(args.data, by["train"], by["early"], float(lr), int(epochs))
        log(f"run {name}: best early F1 {f1:.4f} at epoch {epoch} ({time.time() - t0:.0f}s)")
        preds = predict(model, by["holdout"] + by["early"] + by["dev"])
        np.savez_compressed(
            args.out / f"preds_{name}.npz", **{k: v.astype(np.float16) for k, v in preds.items()}
        )
        log(f"  holdout content F1 (token spans) {content_f1(by['holdout'], preds):.4f}")
        results[name] = (f1, epoch, float(lr), trained_state(model))
        del model
    best = max(results, key=lambda n: results[n][0])
    f1, epoch, lr, state = results[best]
    save_file(
        state,
        str(args.out / "best.safetensors"),
        metadata={"run": best, "epochs": str(epoch), "lr": str(lr)},
    )
    if args.final:
        log(f"final: {best}'s lr {lr}, {epoch} epochs, all of PolNeAR train")
        model, _, _ = fit(args.data, by["train"] + by["early"] + by["holdout"], [], lr, epoch)
        save_file(
            trained_state(model),
            str(args.out / "final.safetensors"),
            metadata={"run": best, "epochs": str(epoch), "lr": str(lr)},
        )
    return 0


def export_main(args: argparse.Namespace) -> int:
    rows = [r for r in load_rows(args.data) if r["split"] == "early"]
    export_int8(load_trained(args.data, args.weights), args.onnx, rows)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    tr = sub.add_parser("train")
    tr.add_argument("--data", type=Path, default=Path(".qx"))
    tr.add_argument("--out", type=Path, required=True)
    tr.add_argument("--runs", default="a1:5e-5:8")
    tr.add_argument("--final", action="store_true", help="then train the best run on all of train")
    ex = sub.add_parser("export")
    ex.add_argument("--data", type=Path, default=Path(".qx"))
    ex.add_argument("--weights", type=Path, required=True)
    ex.add_argument("--onnx", type=Path, required=True)
    args = parser.parse_args()
    return train_main(args) if args.cmd == "train" else export_main(args)


if __name__ == "__main__":
    sys.exit(main())
