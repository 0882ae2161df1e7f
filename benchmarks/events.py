"""Event-type and participant accuracy on the PLOVER gold-standard dev records.

Usage: .venv/bin/python benchmarks/events.py [--out benchmarks/results/events.md]

For each one-sentence record, runs ``extract_events`` (entities from ``extract_entities``),
takes the main event (highest confidence) and scores: event type (no event = wrong), and,
where the record names them, actor / recipient text (predicted text shares a content word
with a gold ``actorText``). Pure dictionary + parse rules: nothing is trained on these records.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from spacy.tokens import Doc

from dateline.models import Article, ArticleEntity, EntityMention
from dateline.nlp import load_nlp
from dateline.stages.event_lexicon import current_plover
from dateline.stages.events import extract_events

DATA = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "data"
    / "plover_dev"
    / "plover_dev.jsonl"
)
_STOP = {"the", "a", "an", "of", "and", "'s", "s"}


def _entities(article: Article, doc: Doc) -> tuple[ArticleEntity, ...]:
    try:
        from dateline.stages.entities import extract_entities

        return extract_entities(article, doc)
    except ImportError:
        out = []
        for n, ent in enumerate(doc.ents, start=1):
            key = f"e{n}"
            ment = EntityMention(ent.start_char, ent.end_char, ent.text, ent.label_, key)
            out.append(ArticleEntity(key, ent.text, ent.label_, (ent.text,), mentions=(ment,)))
        return tuple(out)


def _words(text: str | None) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", (text or "").lower()) if w not in _STOP}


def _overlaps(pred: str | None, gold: list[dict[str, str]]) -> bool:
    p = _words(pred)
    return any(p & _words(g.get("actorText")) for g in gold)


def _ratio(ok: int, n: int) -> str:
    return f"{ok / max(n, 1):.3f} ({ok}/{n})"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--errors", action="store_true", help="print each wrong record")
    args = ap.parse_args()
    if not args.data.exists():
        print(f"dev data not found: {args.data}")
        return 0
    records = [
        json.loads(line)
        for line in args.data.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    nlp = load_nlp()
    t0 = time.perf_counter()
    docs = list(nlp.pipe([r["text"] for r in records], batch_size=32))
    correct = 0
    act_n = act_ok = rec_n = rec_ok = 0
    confusion: Counter[tuple[str, str]] = Counter()
    per_type: Counter[str] = Counter()
    per_type_ok: Counter[str] = Counter()
    for rec, doc in zip(records, docs, strict=True):
        art = Article(id=rec["id"], source="plover_dev", text=rec["text"], content_hash=rec["id"])
        events = extract_events(art, doc, entities=_entities(art, doc))
        main_ev = max(events, key=lambda e: e.confidence, default=None)
        pred = main_ev.type if main_ev else "NONE"
        # The records use PLOVER 0.5 names; dateline outputs the current PLOVER types, so the
        # gold label is mapped the same documented way (lexicon/plover_names.csv).
        gold = current_plover(rec["event_type"], None)[0]
        per_type[gold] += 1
        confusion[(gold, pred)] += 1
        if pred == gold:
            correct += 1
            per_type_ok[gold] += 1
        elif args.errors:
            print(f"{gold:>11} -> {pred:<11} {rec['text'][:120]}")
        if rec.get("actor"):
            act_n += 1
            act_ok += main_ev is not None and _overlaps(main_ev.actor_text, rec["actor"])
        if rec.get("recipient"):
            rec_n += 1
            rec_ok += main_ev is not None and _overlaps(main_ev.target_text, rec["recipient"])
    elapsed = time.perf_counter() - t0
    n = len(records)
    lines = [
        "## events (PLOVER dev, main event per sentence)",
        "",
        "Command: `.venv/bin/python benchmarks/events.py --out benchmarks/results/events.md`",
        "",
        f"- records: {n}; dictionary + dependency rules only (no training on these records)",
        f"- event-type accuracy: **{correct / n:.3f}** ({correct}/{n}; no event = wrong)",
        f"- actor text accuracy (records with actors): {_ratio(act_ok, act_n)}",
        f"- recipient text accuracy (records with recipients): {_ratio(rec_ok, rec_n)}",
        f"- time (parse + extract): {elapsed:.1f} s",
        "",
        "| gold type | n | correct | acc | most common wrong predictions |",
        "| --- | --- | --- | --- | --- |",
    ]
    for gold in sorted(per_type, key=lambda g: -per_type[g]):
        wrong = Counter({p: c for (g, p), c in confusion.items() if g == gold and p != gold})
        top = ", ".join(f"{p} {c}" for p, c in wrong.most_common(3)) or "-"
        acc = per_type_ok[gold] / per_type[gold]
        lines.append(f"| {gold} | {per_type[gold]} | {per_type_ok[gold]} | {acc:.2f} | {top} |")
    report = "\n".join(lines) + "\n"
    print(report)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
