"""Entity stage figures on the shared seed articles, and canonicalisation scaling.

Usage: .venv/bin/python benchmarks/entities.py

Prints, for the seeds: entities per type, people with their aliases, role-only references
linked, and whether every person's name variants (accent-folded surname) form one corpus
entity; then the time of ``canonicalise`` on the seed analyses copied 1x..200x under new
article ids, to show the cost grows near-linearly.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from dateline.corpus.entities import canonicalise
from dateline.models import Article, ArticleAnalysis
from dateline.nlp import load_nlp
from dateline.stages.entities import extract_entities
from dateline.text import fold

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def main() -> int:
    files = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not files:
        print("no seeds under", SEEDS)
        return 0
    nlp = load_nlp()
    analyses = []
    spent = 0.0
    for path in files:
        text = path.read_text(encoding="utf-8")
        article = Article(id=path.stem, source=str(path), text=text, content_hash=path.stem)
        doc = nlp(text)
        t0 = time.perf_counter()
        ents = extract_entities(article, doc)
        spent += time.perf_counter() - t0
        analyses.append(ArticleAnalysis(article, ents))
    per_article = [e for a in analyses for e in a.entities]
    roles = sum(1 for e in per_article for m in e.mentions if m.label == "ROLE")
    print(
        f"articles: {len(files)}; article entities: {len(per_article)}; "
        f"extract_entities: {1000 * spent / len(files):.1f} ms/article (after spaCy)"
    )
    print("article entities by type:", dict(sorted(Counter(e.type for e in per_article).items())))
    print(f"role-only references linked: {roles}")
    entities, _ = canonicalise(analyses)
    print(
        f"corpus entities: {len(entities)}; by type:",
        dict(sorted(Counter(e.type for e in entities).items())),
    )
    surnames: dict[str, set[str]] = {}
    for e in entities:
        if e.type != "PERSON":
            continue
        print(f"  {e.name!r:22} {e.country}  aliases={list(e.aliases)}  roles={len(e.roles)}")
        for alias in e.aliases:
            surnames.setdefault(fold(alias.split()[-1]), set()).add(e.id)
    split = {s: ids for s, ids in surnames.items() if len(ids) > 1}
    print(f"surnames split over several person entities: {len(split)} {sorted(split)}")
    for n in (1, 10, 50, 200):
        copies = [
            replace(a, article=replace(a.article, id=f"{a.article.id}#{i}"))
            for i in range(n)
            for a in analyses
        ]
        t0 = time.perf_counter()
        canonicalise(copies)
        dt = time.perf_counter() - t0
        count = sum(len(a.entities) for a in copies)
        print(
            f"canonicalise x{n:<4} {count:6d} article entities: {dt * 1000:8.1f} ms "
            f"({1e6 * dt / count:.1f} us/entity)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
