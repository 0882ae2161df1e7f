"""Benchmark story clustering: ECB+ B-cubed quality and near-linear scaling on news_corpus.

Usage (from the repository root):
    .venv/bin/python benchmarks/stories.py quality [--ner] [--threshold X]
    .venv/bin/python benchmarks/stories.py scale [--sizes 1000,10000]

Reads ../shared/data (never copied into the repo); exits 0 with a message when absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from dateline.corpus.stories import cluster_stories
from dateline.models import Article
from dateline.settings import DEFAULT_SETTINGS
from dateline.text import content_hash, fold

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ECB = SHARED / "data" / "ecbplus_dev" / "ecbplus_dev.jsonl.gz"
NEWS = SHARED / "data" / "news_corpus"


def bcubed(pred: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of cluster labels ``pred`` against ``gold``."""
    pc: dict[str, set[str]] = defaultdict(set)
    gc: dict[str, set[str]] = defaultdict(set)
    for i in gold:
        pc[pred[i]].add(i)
        gc[gold[i]].add(i)
    p = r = 0.0
    for i in gold:
        both = len(pc[pred[i]] & gc[gold[i]])
        p += both / len(pc[pred[i]])
        r += both / len(gc[gold[i]])
    p, r = p / len(gold), r / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _ecb_docs() -> list[dict[str, str]]:
    with gzip.open(ECB, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _ner_entities(articles: Sequence[Article]) -> dict[str, list[str]]:
    """Entity ids from spaCy NER, canonicalised simply as label + folded text."""
    from dateline.nlp import load_nlp

    nlp = load_nlp()
    keep = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT"}
    out: dict[str, list[str]] = {}
    for art, doc in zip(articles, nlp.pipe([a.text for a in articles], batch_size=32), strict=True):
        out[art.id] = sorted({f"{e.label_}:{fold(e.text)}" for e in doc.ents if e.label_ in keep})
    return out


def quality(ner: bool, threshold: float | None) -> None:
    docs = _ecb_docs()
    arts = [
        Article(
            id=d["id"],
            source="ecbplus",
            text=d["text"],
            title=d["title"],
            content_hash=content_hash(d["text"]),
        )
        for d in docs
    ]
    gold = {d["id"]: d["subtopic"] for d in docs}
    topic = {d["id"]: d["topic"] for d in docs}
    settings = (
        DEFAULT_SETTINGS
        if threshold is None
        else replace(DEFAULT_SETTINGS, story_threshold=threshold)
    )
    ents = _ner_entities(arts) if ner else None
    t0 = time.perf_counter()
    stories = cluster_stories(arts, entity_ids=ents, settings=settings)
    elapsed = time.perf_counter() - t0
    pred = {i: s.id for s in stories for i in s.article_ids}
    p, r, f = bcubed(pred, gold)
    tp, tr, tf = bcubed(topic, gold)
    print(
        f"ECB+ dev: {len(arts)} docs, {len(set(gold.values()))} gold stories, "
        f"entity_ids={'spaCy NER (label+folded text)' if ner else 'none'}, "
        f"story_threshold={settings.story_threshold}"
    )
    print(
        f"  cluster_stories: {len(stories)} stories  B3 P={p:.3f} R={r:.3f} F1={f:.3f} "
        f"({elapsed:.2f} s)"
    )
    print(f"  topic-only baseline: B3 P={tp:.3f} R={tr:.3f} F1={tf:.3f}")
    singles = {i: i for i in gold}
    sp, sr, sf = bcubed(singles, gold)
    print(f"  all-singletons baseline: B3 P={sp:.3f} R={sr:.3f} F1={sf:.3f}")


def _news(limit: int) -> Iterator[Article]:
    n = 0
    for path in sorted(NEWS.glob("news_corpus-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                if n >= limit:
                    return
                rec = json.loads(line)
                pub = date.fromisoformat(rec["published"]) if rec.get("published") else None
                yield Article(
                    id=rec["id"],
                    source=rec.get("url") or rec["id"],
                    text=rec["text"],
                    title=rec.get("title"),
                    outlet=rec.get("outlet"),
                    published=pub,
                    content_hash=content_hash(rec["text"]),
                )
                n += 1


def scale(sizes: Sequence[int]) -> None:
    """Time cluster_stories on growing prefixes; memory is the process's peak RSS so far
    (articles loaded included), read after each run, so tracing does not slow the timing."""
    times: dict[int, float] = {}
    cpu: dict[int, float] = {}
    for size in sizes:
        arts = list(_news(size))
        t0, c0 = time.perf_counter(), time.process_time()
        stories = cluster_stories(arts)
        times[size] = time.perf_counter() - t0
        cpu[size] = time.process_time() - c0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        multi = [s for s in stories if len(s.article_ids) > 1]
        dups = sum(len(s.duplicate_groups) for s in stories)
        print(
            f"news_corpus first {len(arts)}: {times[size]:.2f} s wall, {cpu[size]:.2f} s CPU, "
            f"peak RSS {peak:.0f} MiB, "
            f"{len(stories)} stories ({len(multi)} with >1 article, "
            f"largest {max(len(s.article_ids) for s in stories)}), {dups} duplicate groups"
        )
    if len(sizes) == 2:
        a, b = sizes
        print(
            f"time ratio {b}/{a}: wall {times[b] / times[a]:.2f}x, CPU {cpu[b] / cpu[a]:.2f}x "
            f"for {b / a:.0f}x articles"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=["quality", "scale", "all"], nargs="?", default="all")
    parser.add_argument("--ner", action="store_true", help="entity_ids from spaCy NER")
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--sizes", default="1000,10000")
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        print(f"shared data not found at {SHARED}; nothing to benchmark")
        return 0
    if args.what in ("quality", "all"):
        quality(args.ner, args.threshold)
    if args.what in ("scale", "all"):
        scale([int(s) for s in args.sizes.split(",")])
    return 0


if __name__ == "__main__":
    sys.exit(main())
