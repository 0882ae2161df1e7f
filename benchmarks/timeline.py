"""Date selection quality of dateline.corpus.timeline on Timeline17 (../shared/data/timeline17_dev).

Per topic: every article is analysed text-only (timexes resolved against its publication
date, no spaCy parse, no events), a timeline is built, dates are ranked by the summed score
of their entries, the top N (N = gold timeline length) are compared with the gold dates.
Date-F1 = F1 of the two date sets (with N equal, P = R = F1).
Run: .venv/bin/python benchmarks/timeline.py
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

from dateline.corpus.timeline import build_timeline
from dateline.models import Article, ArticleAnalysis
from dateline.stages.dates import extract_timexes

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "timeline17_dev"


def run_topic(folder: Path) -> tuple[int, int, float, float, int]:
    """(gold dates, hits in top N, Date-F1, seconds, entries) for one topic."""
    with gzip.open(folder / "articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        arts = [json.loads(line) for line in fh]
    gold_rows = json.loads((folder / "timeline.json").read_text(encoding="utf-8"))
    gold = {date.fromisoformat(g["date"]) for g in gold_rows}
    t0 = time.perf_counter()
    analyses = []
    for a in arts:
        pub = date.fromisoformat(a["date"])
        art = Article(
            id=a["id"],
            source=a["id"],
            text=a["text"],
            content_hash="",
            published=pub,
            published_source="metadata",
            published_precision="day",
        )
        analyses.append(
            ArticleAnalysis(article=art, timexes=extract_timexes(art, None, reference=pub))
        )
    entries = build_timeline(analyses, ())
    secs = time.perf_counter() - t0
    per_date: dict[date, float] = defaultdict(float)
    for e in entries:
        if e.date_precision == "day":
            per_date[e.date] += e.score
    ranked = sorted(per_date, key=lambda d: (-per_date[d], d))[: len(gold)]
    hits = len(set(ranked) & gold)
    p = hits / len(ranked) if ranked else 0.0
    r = hits / len(gold)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return len(gold), hits, f1, secs, len(entries)


def main() -> int:
    if not DATA.exists():
        print(f"missing {DATA}")
        return 1
    print("| topic | gold dates | hits@N | Date-F1 | entries | seconds |")
    print("|---|---|---|---|---|---|")
    scores = []
    for folder in sorted(p for p in DATA.iterdir() if p.is_dir()):
        n, hits, f1, secs, k = run_topic(folder)
        scores.append(f1)
        print(f"| {folder.name} | {n} | {hits} | {f1:.3f} | {k} | {secs:.1f} |")
    print(f"| mean | | | {sum(scores) / len(scores):.3f} | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
