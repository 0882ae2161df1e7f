"""Extractive summaries: the most central sentences of each story, each cited.

Sentences are scored by TF-IDF cosine to their story's centroid plus a small lead bonus
(news puts the gist first). The same sentence carried by several articles (wire copy,
rewrites) is merged into one summary sentence citing every article that carries it, and
that cross-article support adds to its score. Where outlets disagree on a figure (see
:mod:`dateline.corpus.figures`), a contrast sentence ("Outlet A reports X; Outlet B
reports Y") cites both. Everything is deterministic: ties break on article order and
sentence position.

Every article is split and tokenised once (:mod:`dateline.corpus.summary_sentences`) for
both its story summary and the corpus summary; scoring, merging and picking run on those
flat arrays (:mod:`dateline.corpus.summary_rank`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from dateline.corpus import summary_rank, summary_sentences
from dateline.models import ArticleAnalysis, Figure, Quote, Story, SummarySentence

VERSION = "summary.v1"

_MAX_CONTRASTS = 3


def _contrasts(
    analyses: Sequence[ArticleAnalysis], figures: Sequence[Figure], story_id: str | None
) -> list[SummarySentence]:
    by_id = {f.id: f for f in figures}
    articles = {a.article.id: a.article for a in analyses}
    out: list[SummarySentence] = []
    seen: set[tuple[str, str]] = set()
    for fig in sorted(figures, key=lambda f: f.id):
        if fig.article_id not in articles:
            continue
        for other_id in fig.conflicts_with:
            other = by_id.get(other_id)
            if other is None or other.article_id not in articles or other_id < fig.id:
                continue
            pair = (min(fig.article_id, other.article_id), max(fig.article_id, other.article_id))
            if pair in seen or len(out) >= _MAX_CONTRASTS:
                continue
            seen.add(pair)
            a_art, b_art = articles[fig.article_id], articles[other.article_id]
            name_a, name_b = a_art.outlet or a_art.id, b_art.outlet or b_art.id
            lead = f"Figures differ on {fig.measure}: " if fig.measure else "Figures differ: "
            out.append(
                SummarySentence(
                    sentence=f"{lead}{name_a} reports {fig.text}; {name_b} reports {other.text}.",
                    article_ids=tuple(sorted({fig.article_id, other.article_id})),
                    story_id=story_id,
                    contrast=True,
                )
            )
    return out


def summarise(
    analyses: Sequence[ArticleAnalysis],
    stories: Sequence[Story],
    *,
    figures: Sequence[Figure] = (),
    quotes: Sequence[Quote] = (),
    max_sentences: int = 8,
) -> tuple[SummarySentence, ...]:
    """Extractive summaries per story and for the whole corpus (``story_id=None``).

    Args:
        analyses: all articles' analyses.
        stories: story clusters; each gets up to ``max_sentences`` sentences.
        figures: reconciled figures; their conflicts become contrast sentences.
        quotes: quotes; sentences that are mostly a direct quotation score a little lower.
        max_sentences: summary length per story and for the corpus, contrasts included.

    Returns:
        Story summaries in story order, then the corpus summary.
    """
    if max_sentences <= 0 or not analyses:
        return ()
    table = summary_sentences.build(analyses, quotes)
    position = {a.article.id: k for k, a in enumerate(analyses)}
    out: list[SummarySentence] = []
    groups: list[tuple[str | None, list[int]]] = [
        (story.id, [position[i] for i in story.article_ids if i in position]) for story in stories
    ]
    groups.append((None, list(range(len(analyses)))))
    # Each story looks only at its own articles' figures: passing all of them to every story
    # would cost stories x figures, quadratic in the corpus size.
    figures_of: dict[str, list[Figure]] = defaultdict(list)
    for fig in figures:
        figures_of[fig.article_id].append(fig)
    for story_id, members in groups:
        if not members:
            continue
        member_analyses = [analyses[k] for k in members]
        if story_id is None:
            own_figures = list(figures)
        else:
            own_figures = [f for a in member_analyses for f in figures_of.get(a.article.id, ())]
        contrasts = _contrasts(member_analyses, own_figures, story_id)[: max(0, max_sentences - 1)]
        picked = summary_rank.pick(
            table,
            members,
            max_sentences - len(contrasts),
            story_id,
            repeats=story_id is not None,
        )
        out.extend(picked + contrasts)
    return tuple(out)
