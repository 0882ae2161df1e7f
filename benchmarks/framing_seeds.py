"""Cross-outlet check on the shared seed articles: figures, framing, summary (prints only).

Run: .venv/bin/python benchmarks/framing_seeds.py
"""

from __future__ import annotations

import time
from pathlib import Path

from dateline.corpus.figures import reconcile_figures
from dateline.corpus.framing import aggregate_framing, compare_framing, unique_terms
from dateline.corpus.summary import summarise
from dateline.models import Article, ArticleAnalysis, Story
from dateline.nlp import load_nlp
from dateline.stages.entities import extract_entities
from dateline.stages.figures import extract_figures
from dateline.stages.framing import extract_framing
from dateline.stages.quotes import extract_quotes

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def main() -> None:
    nlp = load_nlp()
    analyses, links = [], {}
    t0 = time.perf_counter()
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        art = Article(
            id=path.stem[:3],
            source=str(path),
            text=text,
            content_hash=path.stem,
            outlet=f"outlet-{path.stem[:3]}",
        )
        doc = nlp(text)
        ents = extract_entities(art, doc)
        quotes = extract_quotes(art, doc, entities=ents)
        figs = extract_figures(art, doc)
        terms = extract_framing(art, doc, entities=ents, quotes=quotes)
        analyses.append(ArticleAnalysis(art, ents, quotes=quotes, figures=figs, framing=terms))
        for e in ents:  # crude canonical id: last word of the name, folded
            links[(art.id, e.key)] = e.name.split()[-1].casefold().replace("\u00f3", "o")
    elapsed = time.perf_counter() - t0
    outlets = {a.article.id: a.article.outlet for a in analyses}
    figures = reconcile_figures([f for a in analyses for f in a.figures], article_outlets=outlets)
    for f in figures:
        print(f"{f.id:7} {f.text!r:28} {f.value:>10g} {f.unit!s:10} {f.measure}")
    framing = aggregate_framing(
        [t for a in analyses for t in a.framing], article_outlets=outlets, entity_of=links
    )
    for who in ("maduro", "guaido"):
        comparison = compare_framing(framing, who)
        print(f"\n{who}:")
        for outlet, terms in comparison.items():
            print(f"  {outlet}: {terms}  unique={unique_terms(comparison)[outlet]}")
    story = Story("s1", "Russia-Venezuela", tuple(a.article.id for a in analyses))
    print("\nsummary:")
    for s in summarise(analyses, [story], figures=figures, max_sentences=4):
        if s.story_id:
            print(f"  {s.article_ids} {s.sentence[:110]}")
    n_chars = sum(len(a.article.text) for a in analyses)
    print(f"\n{len(analyses)} articles, {n_chars} chars, per-article stages {elapsed:.2f}s")


if __name__ == "__main__":
    main()
