"""Experiment (not shipped): a CRF content-span tagger stacked on the quote extractor.

Usage (PolNeAR train only; dev is never read):
    .venv/bin/pip install python-crfsuite          # training only (the dev dependency group)
    .venv/bin/python benchmarks/quote_tagger_experiment.py --docbin /tmp/qtag/train.spacy \
        --work /tmp/qtag [--folds 5] [--c1 3.0] [--c2 0.001] [--iters 300] [--inner F]
        [--extra] [--no-stack]
    (the DocBin: ``DocBin(store_user_data=True)`` of ``load_nlp().pipe`` over the train texts,
    in file order, as benchmarks/quotes.py --docbin expects)

Model selection (c1/c2, feature sets, combination) used ``--inner 4`` only: CRF trained on
training folds 0-3, scored on training fold 4; the every-6th holdout was scored once per
reported configuration.

Steps (each cached under --work; delete a file to redo its step):
1. ``cuemodels/``: the learned cue model (benchmarks/train_quote_cues.py's ``_examples`` /
   ``_fit`` / ``_write``, threshold 0.25) fit k+1 times: once on all 700 training articles
   (i % 6 != 5; used for the holdout, as benchmarks/quotes.py --model e6.json) and once per
   fold f of the training articles without fold f (fold = index among training articles % k).
2. ``stack.pkl``: for every article, ``quotes.stack_base`` (the rules alone) and
   ``scored_candidates`` with the model that did NOT see it (cross-fitting): stacked
   features of a training article come from a cue model fit without its fold, those of a
   holdout article from the 700-article one.
3. CRF (python-crfsuite) over spaCy tokens, one sequence per paragraph, labels B (new
   content), C (a further fragment of the previous content, e.g. after "he said"), I, O.
   Trained on the 700 training articles, tagging the 140 holdout articles (i % 6 == 5).
4. Scoring with benchmarks/quotes.py's rules (its ``_gold``, ``_predicted``, ``_source_ok``;
   the greedy one-to-one matching is re-stated in ``score``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import pickle
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from spacy.tokens import DocBin

sys.path.insert(0, str(Path(__file__).resolve().parent))

import quotes as bench
import train_quote_cues as tqc

from dateline.models import Article
from dateline.nlp import load_nlp
from dateline.stages import quotes_learned
from dateline.stages.quotes import stack_base
from dateline.stages.quotes_cues import cue_class, reporting_verbs
from dateline.stages.quotes_marks import find_quoted_spans
from dateline.stages.quotes_tagger import window_features, with_marks

EVERY = 6
STACK = True  # the current system's output as features (--no-stack: ablation)
EXTRA = False  # nearest strong-cue features (--extra; did not help on the inner fold)
THRESHOLD = 0.25


def held(i: int) -> bool:
    return i % EVERY == EVERY - 1


def fold_of(i: int, k: int) -> int:
    """Fold of a training article: its index among training articles, modulo k."""
    return (i - i // EVERY) % k


# ---------------------------------------------------------------- step 1: cue models
def fit_cue_models(rows: list[dict], docs: list, work: Path, k: int) -> None:
    out = work / "cuemodels"
    if (out / "all.json").exists():
        return
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    feats, labels, article = tqc._examples(rows, docs)
    y = np.asarray(labels, dtype=float)
    art = np.asarray(article)
    print(f"cue candidates={len(y)} ({time.perf_counter() - t0:.0f}s)", flush=True)
    is_held = np.asarray([held(int(a)) for a in art])
    fold = np.asarray([fold_of(int(a), k) for a in art])
    for name, keep in [("all", ~is_held)] + [(f"f{f}", ~is_held & (fold != f)) for f in range(k)]:
        tr = [f for f, m in zip(feats, keep, strict=True) if m]
        vocab = tqc._vocab(tr)
        w = tqc._fit(tqc._matrix(tr, vocab), y[keep], 1.0)
        tqc._write(out / f"{name}.json", w, vocab, THRESHOLD)
        print(
            f"  {name}: {int(keep.sum())} candidates ({time.perf_counter() - t0:.0f}s)", flush=True
        )


# ---------------------------------------------------------------- step 2: stacked system output
def run_system(rows: list[dict], docs: list, work: Path, k: int) -> list[dict]:
    path = work / "stack.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    models = {
        name: quotes_learned.read_model((work / "cuemodels" / f"{name}.json").read_text("utf-8"))
        for name in ["all"] + [f"f{f}" for f in range(k)]
    }
    orig = quotes_learned.scored_candidates
    last: dict[str, object] = {}

    def cached(doc: object, model: object = None) -> list:
        if last.get("doc") is not doc:
            last["doc"], last["out"] = doc, orig(doc, model)  # type: ignore[arg-type]
        return last["out"]  # type: ignore[return-value]

    quotes_learned.scored_candidates = cached  # type: ignore[assignment]
    out: list[dict] = []
    t0 = time.perf_counter()
    for i, (row, doc) in enumerate(zip(rows, docs, strict=True)):
        model = models["all" if held(i) else f"f{fold_of(i, k)}"]
        quotes_learned.load_model = lambda m=model: m  # type: ignore[misc]
        art = Article(id=row["id"], source=row["id"], text=row["text"], content_hash="")
        entities = bench._entities(art, doc)
        quotes = stack_base(art, doc, entities=entities)
        scored = cached(doc)
        out.append(
            {
                "quotes": quotes,
                "cands": [(p, c.cue, c.content, c.speaker) for p, c in scored if p >= 0.02],
                "entities": entities if held(i) else (),
            }
        )
        if i % 100 == 0:
            print(f"  system {i} ({time.perf_counter() - t0:.0f}s)", flush=True)
    quotes_learned.scored_candidates = orig  # type: ignore[assignment]
    path.write_bytes(pickle.dumps(out))
    return out


# ---------------------------------------------------------------- step 3: token features
def _bucket(p: float) -> str:
    for t, name in [(0.02, "0"), (0.1, "1"), (0.25, "2"), (0.4, "3"), (0.6, "4"), (0.8, "5")]:
        if p < t:
            return name
    return "6"


_SKIP_ANC = {"be", "have", "do"}


def token_features(doc, text: str, sysout: dict) -> list[list[str]]:  # type: ignore[no-untyped-def]
    n = len(doc)
    rv = reporting_verbs()
    spans, _w = find_quoted_spans(text)
    inq = np.zeros(len(text) + 1, dtype=np.int8)
    for s in spans:
        inq[s.open_at : s.close_end] = 1
        inq[s.open_at : s.start] = 2
        inq[s.end : s.close_end] = 3
    # stacked: the current system's quotes (widened as scored) and candidate probabilities
    qkind = [""] * n
    qpos = [""] * n
    qrole = [""] * n
    char2tok = {t.idx: t.i for t in doc}
    tok_at = np.full(len(text) + 1, -1, dtype=np.int64)
    for t in doc:
        tok_at[t.idx : t.idx + len(t.text)] = t.i
    for q in sysout["quotes"]:
        s, e = with_marks(text, q.start, q.end) if q.kind == "direct" else (q.start, q.end)
        toks = sorted({int(x) for x in tok_at[s:e] if x >= 0})
        for j, ti in enumerate(toks):
            qkind[ti] = f"{q.kind}|{q.cue_class}|{'spk' if q.speaker_text else 'nospk'}"
            qpos[ti] = "B" if j == 0 else "E" if j == len(toks) - 1 else "I"
        for a, b, role in [
            (q.cue_start, q.cue_end, "cue"),
            (q.speaker_start, q.speaker_end, "spk"),
        ]:
            if a is not None and b is not None:
                for x in tok_at[a:b]:
                    if x >= 0:
                        qrole[int(x)] = role
    best_p = np.zeros(n)
    best_c: list[tuple | None] = [None] * n
    cue_p = np.zeros(n)
    for p, cue, (c0, c1), _sp in sysout["cands"]:
        for ti in range(c0, c1):
            if p > best_p[ti]:
                best_p[ti], best_c[ti] = p, (cue, c0, c1)
        cue_p[cue] = max(cue_p[cue], p)
    del char2tok
    # strong cue candidates (p >= the cue threshold): the nearest one in the sentence on each side
    strong = sorted({cue for p, cue, _c, _sp in sysout["cands"] if p >= THRESHOLD})
    sent_of = [0] * n
    for si, sent in enumerate(doc.sents):
        for t in sent:
            sent_of[t.i] = si
    base: list[dict[str, str]] = []
    for t in doc:
        f: dict[str, str] = {
            "w": t.lower_,
            "lem": t.lemma_.lower(),
            "shp": t.shape_[:4],
            "pos": t.pos_,
            "tag": t.tag_,
            "dep": t.dep_,
            "hl": t.head.lemma_.lower(),
            "hd": t.dep_ + "|" + t.head.pos_,
            "q": str(int(inq[t.idx])),
            "ss": "1" if t.is_sent_start else "0",
            "se": "1" if t.i + 1 == n or doc[t.i + 1].is_sent_start else "0",
            "Q": qkind[t.i] or "-",
            "QP": qpos[t.i] or "-",
            "QR": qrole[t.i] or "-",
            "P": _bucket(best_p[t.i]),
            "CP": _bucket(cue_p[t.i]),
        }
        bc = best_c[t.i]
        if bc is not None:
            cue, c0, c1 = bc
            f["PB"] = "B" if t.i == c0 else "E" if t.i == c1 - 1 else "I"
            f["PL"] = doc[cue].lemma_.lower() + "|" + ("L" if cue < c0 else "R")
        cls = cue_class(t) if t.pos_ in {"VERB", "NOUN", "ADJ"} else None
        if cls or t.lemma_.lower() in rv:
            f["cue"] = str(cls)
        # nearest cue ancestor (reporting verb or a cue class) and the path's last relation
        child = t
        for depth, a in enumerate(t.ancestors):
            lem = a.lemma_.lower()
            if lem not in _SKIP_ANC and (lem in rv or cue_class(a)):
                f["anc"] = lem
                f["ancd"] = child.dep_ + "|" + ("1" if depth == 0 else "2" if depth < 3 else "3")
                f["ancs"] = "L" if t.i < a.i else "R"
                break
            child = a
        if EXTRA:
            left = [c for c in strong if c < t.i and sent_of[c] == sent_of[t.i]]
            right = [c for c in strong if c > t.i and sent_of[c] == sent_of[t.i]]
            for side, cs in (("cl", left[-1:]), ("cr", right[:1])):
                if cs:
                    d = abs(cs[0] - t.i)
                    f[side] = doc[cs[0]].lemma_.lower()
                    f[side + "d"] = (
                        "1" if d == 1 else "2-3" if d <= 3 else "4-10" if d <= 10 else "far"
                    )
            if t.i in strong:
                f["scue"] = "1"
        if not STACK:
            for k in ("Q", "QP", "QR", "P", "CP", "PB", "PL"):
                f.pop(k, None)
        base.append(f)
    win = ["w", "pos", "q", "Q", "QP", "P", "cue", "scue"]
    return window_features(base, win, stacked=STACK)


def sequences(doc) -> list[list[int]]:  # type: ignore[no-untyped-def]
    """Token indices per paragraph (whitespace tokens with a newline split; dropped)."""
    seqs: list[list[int]] = [[]]
    for t in doc:
        if t.is_space:
            if "\n" in t.text and seqs[-1]:
                seqs.append([])
            continue
        seqs[-1].append(t.i)
    return [s for s in seqs if s]


def gold_labels(doc, row: dict) -> list[str]:  # type: ignore[no-untyped-def]
    owner: dict[int, int] = {}
    for gi, a in enumerate(row["attributions"]):
        if not a.get("content"):
            continue
        for s, e in a["content"]["spans"]:
            for c in range(s, e):
                owner[c] = gi
    labels = ["O"] * len(doc)
    seen: set[int] = set()
    prev = -1
    for t in doc:
        if t.is_space:
            continue
        a = owner.get(t.idx, owner.get(t.idx + len(t.text) - 1, -1))
        if a < 0:
            labels[t.i] = "O"
        elif a == prev:
            labels[t.i] = "I"
        else:
            labels[t.i] = "C" if a in seen else "B"
            seen.add(a)
        prev = a
    return labels


def decode(doc, labels: dict[int, str]) -> list[dict]:  # type: ignore[no-untyped-def]
    """Tagged spans -> predicted attributions (a C span joins the previous one)."""
    groups: list[dict] = []
    cur: dict | None = None
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
                cur["frags"].append([t.i, t.i + 1])
            else:
                cur = {"frags": [[t.i, t.i + 1]]}
                groups.append(cur)
        else:
            cur["frags"][-1][1] = t.i + 1
    out = []
    for g in groups:
        chars: set[int] = set()
        for a, b in g["frags"]:
            last = doc[b - 1]
            chars.update(range(doc[a].idx, last.idx + len(last.text)))
        out.append({"chars": chars, "frags": g["frags"], "q": None})
    return out


# ---------------------------------------------------------------- step 4: scoring
def score(gold: list[dict], pred: list[dict], entities: tuple, tally: Counter) -> None:
    """benchmarks/quotes.py's matching (``match``) and source accuracy, into ``tally``."""
    hits, _partial = bench.match(gold, pred)
    for gi, pi in hits:
        q, g = pred[pi]["q"], gold[gi]
        spk = pred[pi].get("spk")
        tally["src_n"] += 1
        if q is not None:
            good = bench._source_ok(q, g, entities)
        else:
            good = bool(spk & g["src"]) if (spk and g["src"]) else (not spk and not g["src"])
        tally["src_ok"] += good
    tally["tp"] += len(hits)
    tally["fn"] += len(gold) - len(hits)
    tally["fp"] += len(pred) - len(hits)


def prf(t: Counter) -> str:
    p = t["tp"] / max(1, t["tp"] + t["fp"])
    r = t["tp"] / max(1, t["tp"] + t["fn"])
    f = 2 * p * r / (p + r) if p + r else 0.0
    src = t["src_ok"] / max(1, t["src_n"])
    return (
        f"P={p:.3f} R={r:.3f} F1={f:.3f} src={src:.3f} ({t['src_ok']}/{t['src_n']}) "
        f"pred={t['tp'] + t['fp']} gold={t['tp'] + t['fn']}"
    )


def _speaker_chars(doc, cands: list, chars: set[int]) -> set[int]:  # type: ignore[no-untyped-def]
    """Speaker of the most probable candidate (p >= 0.1) whose content matches the span."""
    best = (0.0, set())
    for p, _cue, (c0, c1), sp in cands:
        if p < 0.1 or sp is None:
            continue
        last = doc[c1 - 1]
        cc = set(range(doc[c0].idx, last.idx + len(last.text)))
        if len(cc & chars) >= 0.5 * max(len(cc), len(chars)) and p > best[0]:
            s0, s1 = sp
            best = (p, set(range(doc[s0].idx, doc[s1 - 1].idx + len(doc[s1 - 1].text))))
    return best[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docbin", required=True)
    ap.add_argument("--work", default="/tmp/qtag")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--c1", type=float, default=3.0)
    ap.add_argument("--c2", type=float, default=0.001)
    ap.add_argument("--iters", type=int, default=300)
    ap.add_argument(
        "--inner",
        type=int,
        default=-1,
        help="model selection: train without training fold F, score fold F (holdout unused)",
    )
    ap.add_argument("--extra", action="store_true", help="add the nearest-strong-cue features")
    ap.add_argument("--no-stack", action="store_true", help="ablation: no stacked features")
    args = ap.parse_args()
    global EXTRA, STACK
    EXTRA = args.extra
    STACK = not args.no_stack
    import pycrfsuite

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    with gzip.open(bench.DATA / "polnear_train.jsonl.gz", "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    nlp = load_nlp()
    docs = list(DocBin().from_disk(args.docbin).get_docs(nlp.vocab))
    fit_cue_models(rows, docs, work, args.folds)
    sysout = run_system(rows, docs, work, args.folds)

    inner = args.inner >= 0

    def in_train(i: int) -> bool:
        return not held(i) and not (inner and fold_of(i, args.folds) == args.inner)

    def in_eval(i: int) -> bool:
        return (not held(i) and fold_of(i, args.folds) == args.inner) if inner else held(i)

    tag_path = work / (
        f"tagger_c1{args.c1}_c2{args.c2}_i{args.iters}"
        + (f"_inner{args.inner}" if inner else "")
        + ("_extra" if EXTRA else "")
        + ("" if STACK else "_nostack")
        + ".crfsuite"
    )
    if not tag_path.exists():
        trainer = pycrfsuite.Trainer(verbose=False)
        t0 = time.perf_counter()
        for i, (row, doc) in enumerate(zip(rows, docs, strict=True)):
            if not in_train(i):
                continue
            feats = token_features(doc, row["text"], sysout[i])
            labels = gold_labels(doc, row)
            for seq in sequences(doc):
                trainer.append([feats[j] for j in seq], [labels[j] for j in seq])
        print(f"features built ({time.perf_counter() - t0:.0f}s)", flush=True)
        trainer.set_params(
            {
                "c1": args.c1,
                "c2": args.c2,
                "max_iterations": args.iters,
                "feature.possible_transitions": True,
            }
        )
        trainer.train(str(tag_path))
        print(f"trained {tag_path} ({time.perf_counter() - t0:.0f}s)", flush=True)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(tag_path))
    print(f"model size {tag_path.stat().st_size / 1e6:.1f} MB")
    print(
        "evaluating on",
        f"inner fold {args.inner} of the training articles" if inner else "the every-6th holdout",
    )

    tallies: dict[str, Counter] = {}

    def tally(name: str) -> Counter:
        return tallies.setdefault(name, Counter())

    errors: Counter[str] = Counter()
    t_feat = t_tag = 0.0
    n_eval = 0
    for i, (row, doc) in enumerate(zip(rows, docs, strict=True)):
        if not in_eval(i):
            continue
        n_eval += 1
        text = row["text"]
        so = sysout[i]
        t0 = time.perf_counter()
        feats = token_features(doc, text, so)
        t1 = time.perf_counter()
        labels: dict[int, str] = {}
        conf: dict[int, float] = {}
        for seq in sequences(doc):
            out = tagger.tag([feats[j] for j in seq])
            for k, (j, lab) in enumerate(zip(seq, out, strict=True)):
                labels[j] = lab
                conf[j] = 1.0 - tagger.marginal("O", k)
        t2 = time.perf_counter()
        t_feat += t1 - t0
        t_tag += t2 - t1
        gold = bench._gold(row)
        sys_pred = bench._predicted(so["quotes"], text)
        tag_pred = decode(doc, labels)
        for p in tag_pred:
            p["spk"] = _speaker_chars(doc, so["cands"], p["chars"])
            toks = [j for a, b in p["frags"] for j in range(a, b) if j in conf]
            p["conf"] = sum(conf[j] for j in toks) / len(toks)
        ents = so["entities"]
        score(gold, sys_pred, ents, tally("system"))
        score(gold, [dict(p, spk=None) for p in tag_pred], ents, tally("tagger"))
        score(gold, tag_pred, ents, tally("tagger+cand-speaker"))
        _why(gold, tag_pred, errors, "tagger")
        _why(gold, sys_pred, errors, "system")
        sys_chars = set().union(*(p["chars"] for p in sys_pred)) if sys_pred else set()
        new = [p for p in tag_pred if not (p["chars"] & sys_chars)]
        score(gold, sys_pred + new, ents, tally("A: system + new tagger spans"))
        score(
            gold,
            sys_pred + [p for p in new if p["spk"]],
            ents,
            tally("A': + only those with a candidate speaker"),
        )
        for th in (0.5, 0.6, 0.7, 0.8):
            score(
                gold,
                sys_pred + [p for p in new if p["conf"] >= th],
                ents,
                tally(f"A{th}: new spans with confidence >= {th}"),
            )
        tagged = set().union(*(p["chars"] for p in tag_pred)) if tag_pred else set()
        kept = [p for p in sys_pred if len(p["chars"] & tagged) > 0]
        score(gold, kept + new, ents, tally("B: A, minus system quotes tagged O"))
        reb = []
        for p in kept:
            best = max(tag_pred, key=lambda t: len(t["chars"] & p["chars"]), default=None)
            if best is not None:
                ov = len(best["chars"] & p["chars"])
                if ov >= 0.5 * max(len(best["chars"]), len(p["chars"])):
                    reb.append({"chars": best["chars"], "q": p["q"]})
                    continue
            reb.append(p)
        score(gold, reb + new, ents, tally("C: B + tagger boundaries"))
        # D: the tagger's spans first (speaker from the system quote overlapping most,
        # else the candidate's), plus the system attributions no tagger span touches
        d_pred = []
        for t in tag_pred:
            best = max(sys_pred, key=lambda p: len(t["chars"] & p["chars"]), default=None)
            if best is not None and best["chars"] & t["chars"]:
                d_pred.append({"chars": t["chars"], "q": best["q"]})
            else:
                d_pred.append(t)
        d_pred += [p for p in sys_pred if not (p["chars"] & tagged)]
        score(gold, d_pred, ents, tally("D: tagger spans (system speakers) + untouched system"))
    for k, t in tallies.items():
        print(f"{k:55s} {prf(t)}")
    print("misses (missed = no overlapping prediction, boundary = overlap below half):")
    for k, n in sorted(errors.items()):
        print(f"  {k:30s} {n}")
    print(
        f"tagger inference per article: features {1000 * t_feat / n_eval:.1f} ms + "
        f"tagging {1000 * t_tag / n_eval:.1f} ms ({n_eval} articles)"
    )
    return 0


def _why(gold: list[dict], pred: list[dict], errors: Counter, name: str) -> None:
    c: Counter = Counter()
    score(gold, pred, (), c)
    pc = set().union(*(p["chars"] for p in pred)) if pred else set()
    hit_gold = c["tp"]
    touched = sum(1 for g in gold if g["chars"] & pc)
    errors[name + ":hit"] += hit_gold
    errors[name + ":boundary/conflict"] += touched - hit_gold
    errors[name + ":missed"] += len(gold) - touched
    errors[name + ":false-pos"] += c["fp"]


if __name__ == "__main__":
    raise SystemExit(main())
