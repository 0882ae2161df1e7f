"""Scores dateline.stages.dates on TimeML newswire (../shared/data/timex_dev).

Strict span: system span == gold span. Relaxed: the spans overlap (one-to-one, greedy by
document order). Value F1 (TempEval-3 style): a match counts only when the normalised value
is identical; P = correct / system timexes, R = correct / gold timexes. The DCT is the
reference date. Run: .venv/bin/python benchmarks/timex.py [--doc] [--errors N [--context]]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from dateline.models import Article
from dateline.stages.dates import extract_timexes

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DATA = SHARED / "data" / "timex_dev" / "timex_dev.jsonl.gz"


def _prf(tp: int, n_sys: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _ctx(text: str, start: int, end: int) -> str:
    """The expression in a window of its sentence, for error listings."""
    left = text[max(0, start - 50) : start].replace("\n", " ")
    right = text[end : end + 30].replace("\n", " ")
    return f"...{left}[{text[start:end]}]{right}..."


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--doc", action="store_true", help="parse with spaCy (tense from the parse)")
    ap.add_argument("--errors", type=int, default=0, help="print N value errors / misses")
    ap.add_argument(
        "--context", action="store_true", help="with --errors: misses/spurious in context"
    )
    args = ap.parse_args()
    if not DATA.exists():
        print(f"missing {DATA}")
        return 1
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh]
    nlp = None
    if args.doc:
        from dateline.nlp import load_nlp

        nlp = load_nlp()
    n_sys = n_gold = strict = relaxed = strict_val = relaxed_val = 0
    errors: list[str] = []
    missed: list[str] = []
    extra: list[str] = []
    misses: Counter[str] = Counter()
    spurious: Counter[str] = Counter()
    for d in docs:
        ref = date.fromisoformat(d["dct"]["value"][:10])
        art = Article(id=d["id"], source=d["id"], text=d["text"], content_hash="")
        doc = nlp(d["text"]) if nlp is not None else None
        sys_t = extract_timexes(art, doc, reference=ref)
        gold = d["timexes"]
        n_sys += len(sys_t)
        n_gold += len(gold)
        used: set[int] = set()
        for g in gold:
            match = None
            for i, s in enumerate(sys_t):
                if i not in used and s.start < g["end"] and g["start"] < s.end:
                    match = i
                    break
            if match is None:
                misses[g["text"].lower()] += 1
                where = _ctx(d["text"], g["start"], g["end"])
                missed.append(f"{ref} {g['text']!r} {g['type']} {g['value']} | {where}")
                continue
            used.add(match)
            s = sys_t[match]
            ok = s.value == g["value"]
            relaxed += 1
            relaxed_val += ok
            if (s.start, s.end) == (g["start"], g["end"]):
                strict += 1
                strict_val += ok
            if not ok:
                errors.append(
                    f"{ref} {g['text']!r} gold={g['type']} {g['value']} sys={s.text!r} "
                    f"{s.type} {s.value} | {_ctx(d['text'], g['start'], g['end'])}"
                )
        for i, s in enumerate(sys_t):
            if i not in used:
                spurious[s.text.lower()] += 1
                extra.append(f"{ref} {s.text!r} {s.value} | {_ctx(d['text'], s.start, s.end)}")
    rows = [
        ("span strict", strict),
        ("span relaxed", relaxed),
        ("value (strict spans)", strict_val),
        ("value (relaxed spans)", relaxed_val),
    ]
    print(f"docs={len(docs)} gold={n_gold} system={n_sys} mode={'doc' if nlp else 'text-only'}")
    print("| measure | P | R | F1 |\n|---|---|---|---|")
    for name, tp in rows:
        p, r, f = _prf(tp, n_sys, n_gold)
        print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} |")
    if args.errors:
        print("\nvalue errors:", *errors[: args.errors], sep="\n  ")
        print("\nmissed:", misses.most_common(args.errors))
        print("\nspurious:", spurious.most_common(args.errors))
        if args.context:
            print("\nmissed in context:", *missed[: args.errors], sep="\n  ")
            print("\nspurious in context:", *extra[: args.errors], sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
