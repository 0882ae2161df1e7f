"""Extractive summaries: the most central sentences of each story, each cited.

Sentences are scored by TF-IDF cosine to their story's centroid plus a small lead bonus
(news puts the gist first). The same sentence carried by several articles (wire copy,
rewrites) is merged into one summary sentence citing every article that carries it, and
that cross-article support adds to its score. Where outlets disagree on a figure (see
:mod:`dateline.corpus.figures`), a contrast sentence ("Outlet A reports X; Outlet B
reports Y") cites both. Everything is deterministic: ties break on article order and
sentence position.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

from dateline.models import ArticleAnalysis, Figure, Quote, Story, SummarySentence
from dateline.text import fold

VERSION = "summary.v1"

_SENT_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])|\n+")
_WORD = re.compile(r"[^\W\d_]{3,}")
# Sentence length bounds in words: shorter are captions/boilerplate, longer run-ons.
_MIN_WORDS, _MAX_WORDS = 8, 70
# Jaccard of content words above which two sentences say the same thing.
_DUPLICATE = 0.6
_LEAD_BONUS = (0.15, 0.08, 0.04)
_SUPPORT_BONUS = 0.05
_QUOTE_PENALTY = 0.1
_MAX_CONTRASTS = 3


@dataclass(slots=True)
class _Sentence:
    article_id: str
    order: int  # article position in the story
    index: int  # sentence position in the article
    start: int  # bounds of the stripped sentence in ``source``
    end: int
    source: str  # the article text (shared, not a copy: the corpus-wide pass holds them all)
    words: frozenset[str]
    score: float = 0.0

    @property
    def text(self) -> str:
        return self.source[self.start : self.end]


def _split(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for match in _SENT_END.finditer(text):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _content(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold(text)) if w not in STOP_WORDS]


def _sentences(analyses: Sequence[ArticleAnalysis], quotes: Sequence[Quote]) -> list[_Sentence]:
    quoted: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for q in quotes:
        if q.kind == "direct":
            quoted[q.article_id].append((q.start, q.end))
    out: list[_Sentence] = []
    memo: dict[str, str] = {}  # one string per distinct word across all sentences
    for order, analysis in enumerate(analyses):
        text = analysis.article.text
        for index, (start, end) in enumerate(_split(text)):
            seg = text[start:end]
            raw = seg.strip()
            n_words = len(raw.split())
            if not _MIN_WORDS <= n_words <= _MAX_WORDS or raw.isupper():
                continue
            lead = len(seg) - len(seg.lstrip())
            words = frozenset(memo.setdefault(w, w) for w in _content(raw))
            sent = _Sentence(
                analysis.article.id,
                order,
                index,
                start + lead,
                start + lead + len(raw),
                text,
                words,
            )
            covered = sum(
                max(0, min(end, qe) - max(start, qs)) for qs, qe in quoted[sent.article_id]
            )
            if covered > 0.6 * (end - start):
                sent.score -= _QUOTE_PENALTY  # mostly a quotation: an opinion, not the gist
            out.append(sent)
    return out


def _score(sentences: list[_Sentence]) -> None:
    df: Counter[str] = Counter()
    for s in sentences:
        df.update(s.words)
    n = len(sentences) or 1
    idf = {w: math.log((1 + n) / (1 + c)) + 1 for w, c in df.items()}
    centroid: Counter[str] = Counter()

    def vector(s: _Sentence) -> dict[str, float]:
        tf = Counter(_content(s.text))
        return {w: c * idf[w] for w, c in tf.items() if w in idf}

    # Two passes (the vectors are made again rather than kept: the corpus-wide pass would
    # hold one dict per sentence of the corpus).
    for s in sentences:
        centroid.update(vector(s))
    c_norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
    for s in sentences:
        vec = vector(s)
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        cos = sum(v * centroid[w] for w, v in vec.items()) / (norm * c_norm)
        bonus = _LEAD_BONUS[s.index] if s.index < len(_LEAD_BONUS) else 0.0
        s.score += cos + bonus


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _merge(sentences: list[_Sentence]) -> list[tuple[_Sentence, tuple[str, ...], float]]:
    """Group near-duplicate sentences (blocked by rare words); best member represents."""
    df: Counter[str] = Counter()
    for s in sentences:
        df.update(s.words)
    parent = list(range(len(sentences)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    blocks: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sentences):
        for w in sorted(s.words, key=lambda w: (df[w], w))[:3]:
            blocks[w].append(i)
    for members in blocks.values():
        for x in range(len(members)):
            for y in range(x + 1, min(len(members), x + 50)):
                i, j = members[x], members[y]
                a, b = sentences[i], sentences[j]
                if a.article_id != b.article_id and _jaccard(a.words, b.words) >= _DUPLICATE:
                    parent[find(i)] = find(j)
    groups: dict[int, list[_Sentence]] = defaultdict(list)
    for i, s in enumerate(sentences):
        groups[find(i)].append(s)
    merged: list[tuple[_Sentence, tuple[str, ...], float]] = []
    for group in groups.values():
        best = max(group, key=lambda s: (s.score, -s.order, -s.index))
        ids = tuple(sorted({m.article_id for m in group}))
        merged.append((best, ids, best.score + _SUPPORT_BONUS * (len(ids) - 1)))
    return merged


def _pick(sentences: list[_Sentence], limit: int, story_id: str | None) -> list[SummarySentence]:
    _score(sentences)
    ranked = sorted(_merge(sentences), key=lambda m: (-m[2], m[0].order, m[0].index))
    chosen: list[tuple[_Sentence, tuple[str, ...]]] = []
    for best, ids, _ in ranked:
        if len(chosen) >= limit:
            break
        if any(_jaccard(best.words, c.words) >= 0.5 for c, _ in chosen):
            continue
        chosen.append((best, ids))
    return [
        SummarySentence(sentence=s.text, article_ids=ids, story_id=story_id) for s, ids in chosen
    ]


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
    by_id = {a.article.id: a for a in analyses}
    out: list[SummarySentence] = []
    groups: list[tuple[str | None, list[ArticleAnalysis]]] = [
        (story.id, [by_id[i] for i in story.article_ids if i in by_id]) for story in stories
    ]
    groups.append((None, list(analyses)))
    # Each story looks only at its own articles' figures and quotes: passing all of them to
    # every story would cost stories x figures, quadratic in the corpus size.
    figures_of: dict[str, list[Figure]] = defaultdict(list)
    for fig in figures:
        figures_of[fig.article_id].append(fig)
    quotes_of: dict[str, list[Quote]] = defaultdict(list)
    for quote in quotes:
        quotes_of[quote.article_id].append(quote)
    for story_id, members in groups:
        if not members:
            continue
        if story_id is None:
            own_figures, own_quotes = list(figures), list(quotes)
        else:
            own_figures = [f for a in members for f in figures_of.get(a.article.id, ())]
            own_quotes = [q for a in members for q in quotes_of.get(a.article.id, ())]
        contrasts = _contrasts(members, own_figures, story_id)[: max(0, max_sentences - 1)]
        picked = _pick(_sentences(members, own_quotes), max_sentences - len(contrasts), story_id)
        out.extend(picked + contrasts)
    return tuple(out)
