"""Quote extraction on PolNeAR (attribution relations in 2016 US political news).

Usage: .venv/bin/python benchmarks/quotes.py [--split dev|train] [--limit N] [--docbin PATH]
       [--skip N] [--every N] [--model PATH] [--show N] [--no-quote-tagger]
       (tuning: --split train --every 6 --model M, M fit without those articles by
       benchmarks/train_quote_cues.py --every 6 --holdout-out M --holdout-only)

Scoring rules:
- Gold: every attribution with a content span; its characters are the union of its
  (possibly discontinuous) fragments. Prediction: quotes sharing a cue (the fragments of one
  split quotation) form one predicted attribution, characters = union of the fragments.
- Direct quotes are widened to their quotation marks and the comma/period just inside the
  closing mark (PolNeAR includes them; dateline's ``Quote.text`` excludes the marks by
  product choice): see ``dateline.stages.quotes_tagger.with_marks``, which the content
  tagger's features share. Scoring only.
- Content hit: overlap >= half of the longer of the two (in characters); one-to-one,
  greedily by overlap. Precision/recall/F1 over attributions.
- Source accuracy on hits with a gold source: correct when the predicted speaker span
  overlaps the gold source span, or the predicted speaker_key is the entity mentioned at the
  gold source span. A gold pronoun source counts as matched by the pronoun span itself (we
  report pronoun speakers at the pronoun, with speaker_key on the antecedent). Gold
  "no source" attributions are correct when no speaker is predicted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

from dateline.models import Article, Quote
from dateline.nlp import load_nlp
from dateline.settings import Settings
from dateline.stages.quotes import extract_quotes
from dateline.stages.quotes_confidence import statement_key
from dateline.stages.quotes_tagger import with_marks

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "polnear_dev"


_COMMON_CUES = {"said", "says", "according to", "told", ":", "added", "wrote", "asked"}


def _gold(article: dict) -> list[dict]:
    out = []
    for a in article["attributions"]:
        if not a.get("content"):
            continue
        chars: set[int] = set()
        for s, e in a["content"]["spans"]:
            chars.update(range(s, e))
        src: set[int] = set()
        if a.get("source"):
            for s, e in a["source"]["spans"]:
                src.update(range(s, e))
        cue = (a.get("cue") or {}).get("text", "").lower()
        out.append({"chars": chars, "src": src, "cue": cue, "text": a["content"]["text"]})
    return out


def _predicted(quotes: tuple, text: str = "") -> list[dict]:
    groups: dict[object, dict] = {}
    for q in quotes:
        g = groups.setdefault(statement_key(q), {"chars": set(), "q": q})
        s, e = with_marks(text, q.start, q.end) if q.kind == "direct" and text else (q.start, q.end)
        g["chars"].update(range(s, e))
    return list(groups.values())


def _entities(art: Article, doc: object) -> tuple:
    try:
        from dateline.stages.entities import extract_entities
    except ImportError:
        return ()
    return extract_entities(art, doc)


def _entity_key_at(entities: tuple, chars: set[int]) -> str | None:
    if not chars:
        return None
    lo, hi = min(chars), max(chars) + 1
    for e in entities:
        for m in e.mentions:
            if m.start < hi and m.end > lo:
                return e.key
    return None


def _source_ok(q: Quote, g: dict, entities: tuple) -> bool:
    """Whether a matched quote's speaker is the gold source (see the module docstring)."""
    if not g["src"]:
        return q.speaker_text is None
    start, end = q.speaker_start, q.speaker_end
    sp = set(range(start, end)) if start is not None and end is not None else set()
    return bool(sp & g["src"]) or (
        q.speaker_key is not None and q.speaker_key == _entity_key_at(entities, g["src"])
    )


def match(gold: list[dict], pred: list[dict]) -> tuple[list[tuple[int, int]], set[int]]:
    """Hits as (gold index, predicted index): one-to-one, greedily by overlap, each covering
    half of the longer of the two; and the gold attributions some prediction overlapped
    without a hit (boundary errors)."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ov = len(g["chars"] & p["chars"])
            if ov:
                pairs.append((ov, gi, pi))
    pairs.sort(reverse=True)
    hits: list[tuple[int, int]] = []
    g_used: set[int] = set()
    p_used: set[int] = set()
    partial: set[int] = set()
    for ov, gi, pi in pairs:
        if gi in g_used or pi in p_used:
            continue
        if ov >= 0.5 * max(len(gold[gi]["chars"]), len(pred[pi]["chars"])):
            g_used.add(gi)
            p_used.add(pi)
            hits.append((gi, pi))
        else:
            partial.add(gi)
    return hits, partial


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="dev", choices=["dev", "train"])
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--show", type=int, default=0, help="print N example errors")
    parser.add_argument("--docbin", default="", help="cached spaCy DocBin of the split's texts")
    parser.add_argument("--skip", type=int, default=0, help="score from article N on (holdout)")
    parser.add_argument(
        "--every", type=int, default=0, help="score only articles i with i %% N == N-1 (holdout)"
    )
    parser.add_argument("--model", default="", help="cue model JSON instead of the shipped one")
    parser.add_argument(
        "--quote-tagger",
        action=argparse.BooleanOptionalAction,
        default=Settings().quote_tagger,
        help="the learned attribution tagger on (the default) or off (the rules alone)",
    )
    args = parser.parse_args()
    settings = Settings(quote_tagger=args.quote_tagger)
    if args.model:
        from dateline.stages import quotes_learned

        model = quotes_learned.read_model(Path(args.model).read_text(encoding="utf-8"))
        quotes_learned.load_model = lambda: model  # type: ignore[assignment]
    path = DATA / f"polnear_{args.split}.jsonl.gz"
    if not path.exists():
        print(f"missing {path}; nothing to score")
        return 0
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    if args.limit:
        rows = rows[: args.limit]
    first = args.skip
    nlp = load_nlp()
    t0 = time.perf_counter()
    tp = fp = fn = 0
    src_ok = src_n = 0
    kinds: Counter[str] = Counter()
    missed_cues: Counter[str] = Counter()
    examples: list[str] = []
    texts = [r["text"] for r in rows]
    if args.docbin:
        from spacy.tokens import DocBin

        docs = list(DocBin().from_disk(args.docbin).get_docs(nlp.vocab))[first : len(rows)]
    else:
        docs = nlp.pipe(texts[first:], batch_size=16)
    rows = rows[first:]
    if args.every:  # a holdout across publishers (the train file is sorted by publisher)
        keep = [i for i in range(len(rows)) if (first + i) % args.every == args.every - 1]
        rows = [rows[i] for i in keep]
        docs = [d for i, d in enumerate(docs) if i in set(keep)]
    by_class: Counter[str] = Counter()
    for row, doc in zip(rows, docs, strict=True):
        art = Article(id=row["id"], source=row["id"], text=row["text"], content_hash="")
        entities = _entities(art, doc)
        quotes = extract_quotes(art, doc, entities=entities, settings=settings)
        gold = _gold(row)
        pred = _predicted(quotes, row["text"])
        hits, partial = match(gold, pred)
        g_used = {gi for gi, _ in hits}
        p_used = {pi for _, pi in hits}
        for gi, pi in hits:
            q = pred[pi]["q"]
            src_n += 1
            by_class[q.cue_class + ":hit"] += 1
            good = _source_ok(q, gold[gi], entities)
            src_ok += good
            if not good:
                kinds["wrong-source:" + ("none" if q.speaker_text is None else q.kind)] += 1
        tp += len(g_used)
        for gi, g in enumerate(gold):
            if gi in g_used:
                continue
            fn += 1
            cue = g["cue"] if g["cue"] in _COMMON_CUES else "other-cue"
            missed_cues[g["cue"]] += 1
            why = "boundary" if gi in partial else "missed"
            quoted = "quoted" if g["text"].lstrip()[:1] in '"\u201c' else "reported"
            kinds[f"{why}:{quoted}:{cue}"] += 1
            if len(examples) < args.show:
                examples.append(f"MISS[{why}] cue={g['cue']!r}: {g['text'][:120]!r}")
        for pi, p in enumerate(pred):
            if pi in p_used:
                continue
            fp += 1
            q = p["q"]
            by_class[q.cue_class + ":false"] += 1
            kinds[f"false-positive:{q.kind}:{(q.cue or 'no-cue').split()[-1].lower()}"] += 1
            if len(examples) < args.show:
                examples.append(f"FP cue={q.cue!r} spk={q.speaker_text!r}: {q.text[:120]!r}")
    secs = time.perf_counter() - t0
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    print(
        f"split={args.split} articles={len(rows)} gold={tp + fn} predicted={tp + fp} ({secs:.1f}s)"
    )
    print(f"content P={prec:.3f} R={rec:.3f} F1={f1:.3f}")
    print(f"source accuracy on matched = {src_ok / src_n if src_n else 0:.3f} ({src_ok}/{src_n})")
    print("cue classes (hit/false positive):", dict(sorted(by_class.items())))
    print("top failure kinds:")
    for kind, n in kinds.most_common(10):
        print(f"  {n:5d}  {kind}")
    print("most missed cues:", ", ".join(f"{c!r}:{n}" for c, n in missed_cues.most_common(15)))
    for ex in examples:
        print(ex)
    return 0


if __name__ == "__main__":
    sys.exit(main())
