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

    python3 benchmarks/quote_transformer_train.py distill --data .qx8 --out OUT \
        --students "b=0,1,2;u=0,2,4" --lr 5e-4 --epochs 20 --final

trains smaller taggers (students) on what ``benchmarks/quote_transformer_distill_data.py``
wrote: each student ``NAME=LAYERS`` starts from those layers of the teacher trained without
the holdout, learns from the gold labels of split "train" and from the teacher's
probabilities on them and on unlabelled news (an epoch: every gold window and as many news
windows), keeps its best epoch on "early" and is written as ``OUT/NAME_split.safetensors``;
``--final`` trains the best one again on all of PolNeAR train with the shipped teacher
(``OUT/NAME_final.safetensors``); ``--final-only`` trains just that, for the first student
and ``--epochs`` epochs, when the choice was made in an earlier run. ``export`` takes any
of them (the layer count is read from the weights). It runs on a CPU too, in bfloat16
(about 9 minutes an epoch for three layers on two cores with AVX512-BF16; round 9's H100
runs took 5 seconds an epoch of gold alone).

    python3 benchmarks/quote_transformer_train.py ensemble --data .qx --work /tmp/ens \
        --out OUT --teachers 3 --teacher-budget 190 --budget 170

does all of it on the GPU machine from ``.qx`` alone (with ``news.jsonl.gz``: the data
script's ``--news-articles``), in one call of about five minutes (round 13): the teachers of
both sets side by side (``teacher``: "split" without the holdout and early articles, "final"
on all of PolNeAR train; seeds 1..N), each reading every PolNeAR and news article; then the
students of ``--students`` for both sets side by side (``student``), each taught by the mean of
its set's teachers and started from the first one's layers. The students' weights go to OUT
(``NAME_split``, ``NAME_final``), the teachers' stay in WORK. A run whose pace will not fit
its budget shortens its schedule after an epoch (``epochs_within``) rather than stop cut off.
``--student-seeds N`` trains N students of each kind from the same start and averages their
weights (``soup``; round 13: no better than the mean of its parts).
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


TAG = [""]  # the run's name, before each line it logs (several runs share one output)


def log(*parts: object) -> None:
    print(*TAG[:1] if TAG[0] else (), *parts, flush=True)


def load_rows(data: Path) -> list[dict]:
    with gzip.open(data / "data.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def train_windows(rows: list[dict]) -> list[tuple[list[int], list[int]]]:
    out = []
    for row in rows:
        for s, e, ids in qn.window_inputs(row["ids"]):
            out.append((ids, [-100, *row["labels"][s:e], -100]))
    return out


def new_model(data: Path, layers: int | None = None):  # type: ignore[no-untyped-def]
    """The base model with a fresh tagging head; its first ``layers`` layers (all by default)."""
    from safetensors.torch import load_file
    from transformers import BertConfig, BertForTokenClassification

    config = BertConfig.from_json_file(str(data / "base" / "config.json"))
    config.num_labels = len(qn.LABELS)
    config.num_hidden_layers = layers or config.num_hidden_layers
    config._attn_implementation = "eager"  # exports to ONNX as plain ops
    model = BertForTokenClassification(config)
    model.bert.embeddings.word_embeddings.weight.requires_grad = False  # 30k rows, little data
    state = {
        k: v.float() if v.is_floating_point() else v
        for k, v in load_file(str(data / "base" / "model.safetensors")).items()
        if _layer_of(k) < config.num_hidden_layers
    }
    missing, unexpected = model.bert.load_state_dict(state, strict=False)
    log("weights: missing", missing, "unexpected", unexpected)
    return model.to(DEVICE)


def student_key(key: str, layers: list[int]) -> str | None:
    """A teacher weight's name in a student made of the teacher's ``layers`` (in that order);
    None for a layer the student leaves out. Embeddings and head keep their names."""
    layer = _layer_of(key)
    if layer < 0:
        return key
    if layer not in layers:
        return None
    return key.replace(f".layer.{layer}.", f".layer.{layers.index(layer)}.", 1)


def _layer_of(key: str) -> int:
    """The encoder layer a weight belongs to (-1 for the embeddings and the head)."""
    parts = key.split(".")
    return int(parts[parts.index("layer") + 1]) if "layer" in parts else -1


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
    """Content spans (token indices) matched one to one when they overlap by half the longer.

    Labels are decoded as the product decodes them (``bio_labels``; before round 12, by
    argmax: the early and holdout token F1 of rounds 9-11 were measured so)."""
    tp = n_pred = n_gold = 0
    for row in rows:
        p = probs[row["id"]]
        offs = [(i, i + 1) for i in range(len(row["ids"]))]
        pred = [
            (s.start, s.end)
            for s in qn.decode(qn.bio_labels(p), p.max(-1).tolist(), offs)
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


def optimizer(model, lr: float, steps: int):  # type: ignore[no-untyped-def]
    """AdamW over the trainable weights; the rate rises over 10% of the steps, then falls to 0.

    The third value holds the step count the rate falls to 0 at: ``plan["steps"]`` may be
    lowered mid-run (``epochs_within``) so that a shortened run still ends at rate 0."""
    opt = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=0.01
    )
    warm = max(1, steps // 10)
    plan = {"steps": steps}
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt,
        lambda k: min((k + 1) / warm, max(0.0, (plan["steps"] - k) / max(1, plan["steps"] - warm))),
    )
    return opt, sched, plan


def epochs_within(budget_s: float, elapsed_s: float, done: int, epochs: int) -> int:
    """The epochs a run can finish inside its budget at its pace so far (never fewer than it
    has done): the GPU machine is lent by the minute, and a run cut short before its rate
    has fallen is worse than a shorter schedule run to its end."""
    if budget_s == float("inf"):
        return epochs
    return max(done, min(epochs, int(budget_s / (elapsed_s / done))))


def step(model, opt, sched, loss) -> None:  # type: ignore[no-untyped-def]
    """One update: gradients clipped to norm 1, then the optimizer and the schedule."""
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    opt.zero_grad()


def kept_best(model, early: list[dict], epoch: int, best: tuple, loss: str, t0: float):  # type: ignore[no-untyped-def]
    """After an epoch: its early-split F1, logged; the model's weights if they are the best
    so far (every epoch's, the last one kept, without an early split)."""
    f1 = content_f1(early, predict(model, early)) if early else 0.0
    log(f"  epoch {epoch}: {loss} early content F1 {f1:.4f} ({time.time() - t0:.1f}s)")
    if f1 > best[0] or not early:
        return (f1, epoch, {k: v.detach().clone() for k, v in model.state_dict().items()})
    return best


def fit(
    data: Path,
    train_rows: list[dict],
    early: list[dict],
    lr: float,
    epochs: int,
    seed: int = 13,
    budget_s: float = float("inf"),
):  # type: ignore[no-untyped-def]
    """Fine-tune the base model on gold labels; the best early-split epoch (else the last).

    Shortens its schedule to what fits ``budget_s`` seconds (``epochs_within``)."""
    t_start = time.time()
    random.seed(seed)
    torch.manual_seed(seed)
    model = new_model(data)
    wins = train_windows(train_rows)
    per_epoch = (len(wins) + BATCH - 1) // BATCH
    opt, sched, plan = optimizer(model, lr, epochs * per_epoch)
    best = (-1.0, 0, None)
    epoch = 0
    while epoch < epochs:
        epoch += 1
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
            step(model, opt, sched, loss)
            total += loss.item()
        best = kept_best(model, early, epoch, best, f"loss {total:.1f}", t0)
        epochs = replanned(budget_s, t_start, epoch, epochs, plan, per_epoch)
    model.load_state_dict(best[2])
    return model, best[0], best[1]


def replanned(  # type: ignore[no-untyped-def]
    budget_s: float, t_start: float, done: int, epochs: int, plan, per_epoch: int
) -> int:
    """After an epoch: the epoch count that fits the budget, the rate's schedule set to it."""
    fits = epochs_within(budget_s, time.time() - t_start, done, epochs)
    if fits < epochs:
        log(f"  {epochs} epochs do not fit {budget_s:.0f}s: {fits}, the rate falls to 0 by then")
        plan["steps"] = fits * per_epoch
    return fits


def export_int8(model, path: Path, sample: list[dict]) -> None:  # type: ignore[no-untyped-def]
    """ONNX (fp32) then dynamic int8 quantization; checks the int8 labels against torch's.

    Weights are quantised per output channel: one scale per column keeps the columns with
    small weights apart, where one scale per matrix rounded them together. On 60 holdout
    articles the three-layer student's probabilities drift from float32's by a mean KL of
    0.0021 per token instead of 0.0120 (argmax labels agree on 99.4% of tokens, not 98.4%),
    at the same size and speed (benchmarks/results/quotes.md, round 16).
    """
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
    quantize_dynamic(str(fp32), str(path), weight_type=QuantType.QInt8, per_channel=True)
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


def read_trained(weights: Path) -> dict[str, torch.Tensor]:
    """A weight file of ``trained_state`` (float16, no word embeddings), as float32."""
    from safetensors.torch import load_file

    return {k: v.float() for k, v in load_file(str(weights)).items()}


def put_trained(model, state: dict[str, torch.Tensor]) -> None:  # type: ignore[no-untyped-def]
    """Load ``read_trained`` weights: every weight but the (frozen, base) word embeddings."""
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert missing == [WORD_EMBEDDINGS], missing
    assert not unexpected, unexpected


def load_trained(data: Path, weights: Path):  # type: ignore[no-untyped-def]
    state = read_trained(weights)
    model = new_model(data, 1 + max(_layer_of(k) for k in state))
    put_trained(model, state)
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


# --- distillation: a smaller tagger that learns the six-layer one's reading -------------------
# Data from ``benchmarks/quote_transformer_distill_data.py`` (``--data .qx8``): gold PolNeAR,
# unlabelled news, a teacher's probabilities on both, and the teacher's weights to start from.

KD_ALPHA = 0.5  # on annotated tokens: this much gold cross-entropy, the rest the teacher's


def student_model(data: Path, teacher: str, layers: list[int]):  # type: ignore[no-untyped-def]
    """A tagger of ``len(layers)`` layers, started from those layers of the teacher."""
    from transformers import BertConfig, BertForTokenClassification

    config = BertConfig.from_json_file(str(data / "config.json"))
    config.num_labels = len(qn.LABELS)
    config.num_hidden_layers = len(layers)
    config._attn_implementation = "eager"
    model = BertForTokenClassification(config)
    init = np.load(data / f"init_{teacher}.npz")
    state = {}
    for key in init.files:
        if key.endswith(".scale"):
            continue
        name, value = key.removesuffix(".q8"), init[key].astype(np.float32)
        if key.endswith(".q8"):
            value = value * init[name + ".scale"].astype(np.float32)
        renamed = student_key(name, layers)
        if renamed is not None:
            state[renamed] = torch.from_numpy(value)
    words = np.load(data / "word_embeddings.npz")[WORD_EMBEDDINGS]
    state[WORD_EMBEDDINGS] = torch.from_numpy(words.astype(np.float32))
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not [k for k in missing if not k.endswith("position_ids")], missing
    assert not unexpected, unexpected
    model.bert.embeddings.word_embeddings.weight.requires_grad = False
    return model.to(DEVICE)


def window_tensors(rows: list[dict], soft, gold: bool):  # type: ignore[no-untyped-def]
    """Every window as fixed-width tensors: ids, gold labels (-100 where none), teacher uint8."""
    wins = [(row, s, e, ids) for row in rows for s, e, ids in qn.window_inputs(row["ids"])]
    ids_t = torch.full((len(wins), qn.WINDOW), qn.PAD_ID, dtype=torch.long)
    lab_t = torch.full((len(wins), qn.WINDOW), -100, dtype=torch.long)
    soft_t = torch.zeros((len(wins), qn.WINDOW, len(qn.LABELS)), dtype=torch.uint8)
    for i, (row, s, e, ids) in enumerate(wins):
        ids_t[i, : len(ids)] = torch.tensor(ids)
        if gold:
            lab_t[i, 1 : 1 + e - s] = torch.tensor(row["labels"][s:e])
        soft_t[i, 1 : 1 + e - s] = torch.from_numpy(soft[row["id"]][s:e])
    return ids_t, lab_t, soft_t


def distill_loss(logits, labels, soft):  # type: ignore[no-untyped-def]
    """Per token: KL to the teacher's probabilities, mixed with gold cross-entropy where gold is."""
    q = soft.float() / 255
    valid = q.sum(-1) > 0.5  # [CLS], [SEP] and padding have no teacher probabilities
    q = q.clamp_min(1e-8)
    q = q / q.sum(-1, keepdim=True)
    logp = torch.log_softmax(logits, -1)
    kd = (q * (q.log() - logp)).sum(-1)
    ce = torch.nn.functional.cross_entropy(
        logits.transpose(1, 2), labels.clamp_min(0), reduction="none"
    )
    per_token = torch.where(labels >= 0, KD_ALPHA * ce + (1 - KD_ALPHA) * kd, kd)
    return (per_token * valid).sum() / valid.sum().clamp_min(1)


def distill_fit(  # type: ignore[no-untyped-def]
    model,
    soft,
    gold_rows: list[dict],
    news_rows: list[dict],
    early: list[dict],
    lr: float,
    epochs: int,
    budget_s: float,
    batch: int = 64,
    seed: int = 13,
):
    """Train a student ``model`` on a teacher's ``soft`` probabilities (uint8, p * 255, by
    article id); each epoch sees every gold window and as many news windows, drawn anew.

    Keeps the epoch with the best early-split F1 (the last one without an early split);
    shortens its schedule to what fits ``budget_s`` seconds (``epochs_within``).
    """
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    t_start = time.time()
    parts = [window_tensors(gold_rows, soft, True), window_tensors(news_rows, soft, False)]
    ids, labels, probs = (torch.cat([a, b]).to(DEVICE) for a, b in zip(*parts, strict=True))
    n_gold, n_news = len(parts[0][0]), len(parts[1][0])
    per_epoch = n_gold + min(n_news, n_gold)
    log(f"  {n_gold} gold and {n_news} news windows; {per_epoch} a epoch")
    batches_per_epoch = (per_epoch + batch - 1) // batch
    opt, sched, plan = optimizer(model, lr, epochs * batches_per_epoch)
    best = (-1.0, 0, None)
    epoch = 0
    while epoch < epochs:
        epoch += 1
        model.train()
        t0 = time.time()
        news = n_gold + rng.choice(n_news, min(n_news, n_gold), replace=False)
        order = torch.from_numpy(rng.permutation(np.concatenate([np.arange(n_gold), news])))
        total = torch.zeros((), device=DEVICE)
        for b in range(0, len(order), batch):
            idx = order[b : b + batch].to(DEVICE)
            x = ids[idx]
            with torch.autocast(DEVICE, dtype=torch.bfloat16):  # CPUs with AVX512-BF16: 2.7x
                logits = model(input_ids=x, attention_mask=(x != qn.PAD_ID).long()).logits
            loss = distill_loss(logits.float(), labels[idx], probs[idx])
            step(model, opt, sched, loss)
            total += loss.detach()
        best = kept_best(model, early, epoch, best, f"loss {total.item():.1f}", t0)
        epochs = replanned(budget_s, t_start, epoch, epochs, plan, batches_per_epoch)
    model.load_state_dict(best[2])
    return model, best[0], best[1]


def distill_students(args: argparse.Namespace, by: dict, news: list[dict]) -> dict:
    """Train each of ``--students`` on split "train"; name -> (early F1, epoch, layers, spec)."""
    from safetensors.torch import save_file

    results = {}
    for spec in args.students.split(";"):
        name, layer_list = spec.split("=")
        layers = [int(x) for x in layer_list.split(",")]
        log(f"student {name}: teacher layers {layers}, lr {args.lr}, {args.epochs} epochs")
        t0 = time.time()
        model = student_model(args.data, "split", layers)
        if args.start is not None:  # go on from a student's weights (a run its budget stopped)
            put_trained(model, read_trained(args.start))
        model, f1, epoch = distill_fit(
            model,
            np.load(args.data / "soft_split.npz"),
            by["train"],
            news,
            by["early"],
            args.lr,
            args.epochs,
            args.budget,
            args.batch,
        )
        hold = content_f1(by["holdout"], predict(model, by["holdout"]))
        log(
            f"student {name}: best early F1 {f1:.4f} at epoch {epoch}, holdout {hold:.4f} "
            f"({time.time() - t0:.0f}s)"
        )
        meta = {"layers": layer_list, "epochs": str(epoch), "lr": str(args.lr), "teacher": "split"}
        save_file(trained_state(model), str(args.out / f"{name}_split.safetensors"), metadata=meta)
        results[name] = (f1, epoch, layers, layer_list)
        del model
    return results


def distill_main(args: argparse.Namespace) -> int:
    from safetensors.torch import save_file

    args.out.mkdir(parents=True, exist_ok=True)
    rows = load_rows(args.data)
    by = {s: [r for r in rows if r["split"] == s] for s in ("train", "early", "holdout")}
    news = read_news(args.data)
    log(DEVICE, {k: len(v) for k, v in by.items()}, "news", len(news))
    if args.final_only:  # the student's layers and epoch count were chosen in an earlier run
        name, layer_list = args.students.split(";")[0].split("=")
        results = {name: (0.0, args.epochs, [int(x) for x in layer_list.split(",")], layer_list)}
    else:
        results = distill_students(args, by, news)
    if args.final or args.final_only:
        best = max(results, key=lambda n: results[n][0])
        _, epoch, layers, layer_list = results[best]
        log(f"final: student {best}, {epoch} epochs, all of PolNeAR train, the shipped teacher")
        model, _, _ = distill_fit(
            student_model(args.data, "final", layers),
            np.load(args.data / "soft_final.npz"),
            by["train"] + by["early"] + by["holdout"],
            news,
            [],
            args.lr,
            epoch,
            args.final_budget,
            args.batch,
        )
        meta = {"layers": layer_list, "epochs": str(epoch), "lr": str(args.lr), "teacher": "final"}
        save_file(trained_state(model), str(args.out / f"{best}_final.safetensors"), metadata=meta)
    return 0


# --- ensemble distillation, all on the GPU machine: teachers, their mean reading, students --
# Needs only ``.qx`` with ``news.jsonl.gz`` (``quote_transformer_data.py --news-articles``):
# every teacher is trained, and reads PolNeAR and the news, where the GPU is, so no teacher
# has to be exported and run on a CPU first. The students learn the mean of several teachers'
# probabilities (round 9: three six-layer runs together, holdout 0.786 against 0.777 alone;
# round 13: the mean's token-level lead did not pass to a three-layer student beyond the
# spread between seeds, benchmarks/results/quotes.md).


def set_rows(rows: list[dict], which: str) -> tuple[list[dict], list[dict], dict]:
    """The gold articles a set trains on, its early-stopping articles, and all splits: "split"
    leaves out the holdout and early articles (its models can be scored on the holdout),
    "final" trains on all of PolNeAR train (its models are the ones to ship)."""
    by = {s: [r for r in rows if r["split"] == s] for s in ("train", "early", "holdout", "dev")}
    if which == "split":
        return by["train"], by["early"], by
    return by["train"] + by["early"] + by["holdout"], [], by


def read_news(data: Path) -> list[dict]:
    with gzip.open(data / "news.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def teacher_main(args: argparse.Namespace) -> int:
    """One six-layer teacher of a set; its weights and its probabilities on every article."""
    from safetensors.torch import save_file

    torch.set_num_threads(2)
    args.work.mkdir(parents=True, exist_ok=True)
    rows = load_rows(args.data)
    gold, early, by = set_rows(rows, args.set)
    news = read_news(args.data)
    name = f"{args.set}_{args.seed}"
    TAG[0] = f"[teacher {name}]"
    log(f"teacher {name}: {len(gold)} gold articles, lr {args.lr}, {args.epochs} epochs")
    t0 = time.time()
    model, f1, epoch = fit(args.data, gold, early, args.lr, args.epochs, args.seed, args.budget)
    log(f"teacher {name}: early F1 {f1:.4f} at epoch {epoch} ({time.time() - t0:.0f}s)")
    meta = {"set": args.set, "seed": str(args.seed), "epochs": str(epoch), "lr": str(args.lr)}
    save_file(trained_state(model), str(args.work / f"teacher_{name}.safetensors"), metadata=meta)
    probs = predict(model, rows + news)
    if args.set == "split":
        log(f"teacher {name}: holdout content F1 {content_f1(by['holdout'], probs):.4f}")
    np.savez(args.work / f"probs_{name}.npz", **{k: v.astype(np.float16) for k, v in probs.items()})
    log(f"teacher {name}: done ({time.time() - t0:.0f}s)")
    return 0


def mean_probs(paths: list[Path]) -> dict[str, np.ndarray]:
    """The teachers' probabilities averaged token by token (float32)."""
    total: dict[str, np.ndarray] = {}
    for path in paths:
        with np.load(path) as probs:
            for key in probs.files:
                value = probs[key].astype(np.float32)
                total[key] = total[key] + value if key in total else value
    return {k: v / len(paths) for k, v in total.items()}


def put_teacher_layers(model, teacher: dict[str, torch.Tensor], layers: list[int]) -> None:  # type: ignore[no-untyped-def]
    """A student's start: the teacher's embeddings and head, and its ``layers`` in order."""
    renamed = ((student_key(key, layers), value) for key, value in teacher.items())
    put_trained(model, {key: value for key, value in renamed if key is not None})


def student_main(args: argparse.Namespace) -> int:
    """A student of a set, taught by the mean of the set's teachers (``--seeds``)."""
    from safetensors.torch import save_file

    torch.set_num_threads(2)
    rows = load_rows(args.data)
    gold, early, by = set_rows(rows, args.set)
    news = read_news(args.data)
    seeds = args.seeds.split(",")
    mean = mean_probs([args.work / f"probs_{args.set}_{s}.npz" for s in seeds])
    name = f"{args.name}_{args.set}"
    TAG[0] = f"[student {name}]"
    if args.set == "split":
        f1 = content_f1(by["holdout"], mean)
        log(f"student {name}: teachers' mean, holdout content F1 {f1:.4f}")
    soft = {k: np.rint(v * 255).astype(np.uint8) for k, v in mean.items()}
    del mean
    layers = [int(x) for x in args.layers.split(",")]
    model = new_model(args.data, len(layers))
    put_teacher_layers(
        model, read_trained(args.work / f"teacher_{args.set}_{seeds[0]}.safetensors"), layers
    )
    log(f"student {name}: teacher layers {layers}, lr {args.lr}, {args.epochs} epochs")
    t0 = time.time()
    model, f1, epoch = distill_fit(
        model, soft, gold, news, early, args.lr, args.epochs, args.budget, args.batch, args.seed
    )
    log(f"student {name}: early F1 {f1:.4f} at epoch {epoch} ({time.time() - t0:.0f}s)")
    if args.set == "split":
        f1 = content_f1(by["holdout"], predict(model, by["holdout"]))
        log(f"student {name}: holdout content F1 {f1:.4f}")
    f1 = content_f1(by["dev"], predict(model, by["dev"]))
    log(f"student {name}: dev content F1 {f1:.4f} (to report, never to choose)")
    meta = {
        "layers": args.layers,
        "epochs": str(epoch),
        "lr": str(args.lr),
        "teacher": f"mean of {args.set} seeds {args.seeds}",
    }
    args.out.mkdir(parents=True, exist_ok=True)
    save_file(trained_state(model), str(args.out / f"{name}.safetensors"), metadata=meta)
    return 0


def ensemble_main(args: argparse.Namespace) -> int:
    """Every teacher of both sets at once, then every student at once: the GPU has room for
    several of these small models side by side, and the machine is lent by the minute."""
    import subprocess

    seeds = ",".join(str(s) for s in range(1, args.teachers + 1))
    common = ["--data", str(args.data), "--work", str(args.work)]
    t0 = time.time()

    def run_all(jobs: list[list[str]]) -> None:
        procs = [subprocess.Popen([sys.executable, __file__, *job, *common]) for job in jobs]
        codes = [p.wait() for p in procs]
        log(f"ensemble: {len(jobs)} runs, exit codes {codes} ({time.time() - t0:.0f}s)")
        if any(codes):
            raise SystemExit(1)

    teacher_jobs = [
        ["teacher", "--set", which, "--seed", str(seed), "--lr", str(args.teacher_lr),
         "--epochs", str(args.teacher_epochs), "--budget", str(args.teacher_budget)]
        for which in ("split", "final")
        for seed in range(1, args.teachers + 1)
    ]  # fmt: skip
    run_all(teacher_jobs)
    student_jobs = []
    for spec in args.students.split(";"):
        name, layers = spec.split("=")
        for k in range(1, args.student_seeds + 1):  # several: averaged below, kept in WORK
            label, to = (f"{name}_s{k}", args.work) if args.student_seeds > 1 else (name, args.out)
            student_jobs.extend(
                ["student", "--set", which, "--name", label, "--layers", layers, "--seeds",
                 seeds, "--lr", str(args.lr), "--epochs", str(args.epochs), "--budget",
                 str(args.budget), "--out", str(to), "--seed", str(12 + k)]
                for which in ("split", "final")
            )  # fmt: skip
    run_all(student_jobs)
    if args.student_seeds > 1:
        log("ensemble: each student's seeds averaged, weight by weight")
        run_all(
            [
                ["soup", "--name", name, "--seeds", str(args.student_seeds),
                 "--set", which, "--out", str(args.out)]
                for name in [spec.split("=")[0] for spec in args.students.split(";")]
                for which in ("split", "final")
            ]
        )  # fmt: skip
    return 0


def soup_main(args: argparse.Namespace) -> int:
    """The mean of a student's seeds (same start, same data, other draws), weight by weight:
    one model of the same size. Written to OUT with the first seed's student beside it (the
    "split" set's, scored on the holdout against the mean)."""
    import shutil

    from safetensors.torch import save_file

    TAG[0] = f"[soup {args.name}_{args.set}]"
    parts = [
        args.work / f"{args.name}_s{k}_{args.set}.safetensors" for k in range(1, args.seeds + 1)
    ]
    states = [read_trained(part) for part in parts]
    mean = {k: sum(state[k] for state in states) / len(states) for k in states[0]}
    args.out.mkdir(parents=True, exist_ok=True)
    save_file(
        {k: v.half().contiguous() for k, v in mean.items()},
        str(args.out / f"{args.name}_{args.set}_soup.safetensors"),
        metadata={"soup of": ",".join(p.name for p in parts)},
    )
    shutil.copy(parts[0], args.out / parts[0].name)
    if args.set == "split":
        _, _, by = set_rows(load_rows(args.data), "split")
        for label, state in [
            ("soup", mean),
            *[(f"seed {k + 1}", st) for k, st in enumerate(states)],
        ]:
            model = new_model(args.data, 1 + max(_layer_of(k) for k in state))
            put_trained(model, state)
            f1 = content_f1(by["holdout"], predict(model, by["holdout"]))
            log(f"{label}: holdout content F1 {f1:.4f}")
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
    di = sub.add_parser("distill")
    di.add_argument("--data", type=Path, default=Path(".qx8"))
    di.add_argument("--out", type=Path, required=True)
    di.add_argument("--students", default="b=0,1,2", help="NAME=teacher layers;NAME=...")
    di.add_argument("--lr", type=float, default=4e-4)
    di.add_argument("--batch", type=int, default=64)
    di.add_argument("--epochs", type=int, default=20)
    di.add_argument("--budget", type=float, default=100, help="seconds a student may train")
    di.add_argument("--final", action="store_true", help="then the best student on all of train")
    di.add_argument("--start", type=Path, help="a student's weights to go on from")
    di.add_argument("--final-budget", type=float, default=140)
    di.add_argument(
        "--final-only",
        action="store_true",
        help="only the final student: the first of --students, --epochs epochs (no selection)",
    )
    te = sub.add_parser("teacher", help="one teacher of an ensemble (run by ensemble)")
    te.add_argument("--data", type=Path, default=Path(".qx"))
    te.add_argument("--work", type=Path, required=True)
    te.add_argument("--set", choices=["split", "final"], required=True)
    te.add_argument("--seed", type=int, required=True)
    te.add_argument("--lr", type=float, default=4e-4)
    te.add_argument("--epochs", type=int, default=15)
    te.add_argument("--budget", type=float, default=float("inf"))
    st = sub.add_parser("student", help="one student of an ensemble (run by ensemble)")
    st.add_argument("--data", type=Path, default=Path(".qx"))
    st.add_argument("--work", type=Path, required=True)
    st.add_argument("--out", type=Path, required=True)
    st.add_argument("--set", choices=["split", "final"], required=True)
    st.add_argument("--name", required=True)
    st.add_argument("--layers", default="0,1,2")
    st.add_argument("--seeds", required=True)
    st.add_argument("--lr", type=float, default=4e-4)
    st.add_argument("--batch", type=int, default=64)
    st.add_argument("--epochs", type=int, default=20)
    st.add_argument("--budget", type=float, default=float("inf"))
    st.add_argument("--seed", type=int, default=13, help="the student's draws and dropout")
    so = sub.add_parser("soup", help="average a student's seeds (run by ensemble)")
    so.add_argument("--data", type=Path, default=Path(".qx"))
    so.add_argument("--work", type=Path, required=True)
    so.add_argument("--out", type=Path, required=True)
    so.add_argument("--name", required=True, help="the students WORK/NAME_sK_SET.safetensors")
    so.add_argument("--seeds", type=int, required=True)
    so.add_argument("--set", choices=["split", "final"], required=True)
    en = sub.add_parser("ensemble")
    en.add_argument("--data", type=Path, default=Path(".qx"))
    en.add_argument("--work", type=Path, required=True, help="teachers' weights and readings")
    en.add_argument("--out", type=Path, required=True, help="the students' weights")
    en.add_argument("--teachers", type=int, default=4, help="teachers a set")
    en.add_argument("--teacher-lr", type=float, default=4e-4)
    en.add_argument("--teacher-epochs", type=int, default=15)
    en.add_argument("--teacher-budget", type=float, default=200)
    en.add_argument("--students", default="b=0,1,2;u=0,2,4", help="NAME=teacher layers;...")
    en.add_argument("--lr", type=float, default=4e-4)
    en.add_argument("--epochs", type=int, default=20)
    en.add_argument("--budget", type=float, default=170)
    en.add_argument(
        "--student-seeds",
        type=int,
        default=1,
        help="students per set and layer choice; more than one: their weights averaged",
    )
    args = parser.parse_args()
    commands = {
        "train": train_main,
        "export": export_main,
        "distill": distill_main,
        "teacher": teacher_main,
        "student": student_main,
        "ensemble": ensemble_main,
        "soup": soup_main,
    }
    return commands[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
