"""The corpus timeline: one cited entry per dated real-world happening.

Candidates come from dated events (already merged across outlets) and from sentences that
carry a day-precise DATE expression about the past ("elected on May 20, 2018"). Candidates
on the same date with similar wording are one happening; near-identical wording on
different dates is the same happening reported with a date disagreement. The publication
date is never used as an event date: every date here was read from the text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from dateline.models import ArticleAnalysis, Event, Precision, TimelineEntry
from dateline.stages.dates import sentence_bounds

VERSION = "timeline.v1"

# Same date + Jaccard of content words at or above this -> the same happening.
_SAME_HAPPENING = 0.2
# Different dates + Jaccard at or above this (and dates within a month) -> the same
# happening with a date disagreement. Strict so that recurring events stay apart.
_DISAGREEMENT = 0.5
_MIN_WORDS = 6
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "from",
        "as",
        "that",
        "this",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "has",
        "have",
        "had",
        "it",
        "its",
        "he",
        "she",
        "they",
        "their",
        "his",
        "her",
        "said",
        "says",
        "will",
        "would",
        "not",
        "but",
        "after",
        "before",
        "about",
        "into",
        "over",
        "than",
        "also",
        "who",
        "which",
        "when",
    ]
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+|\d+")


@dataclass(slots=True)
class _Cand:
    date: date
    precision: Precision
    sentence: str
    article_ids: set[str]
    event_ids: set[str] = field(default_factory=set)
    words: frozenset[str] = frozenset()


def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    u = len(a | b)
    return len(a & b) / u if u else 0.0


def _candidates(analyses: Sequence[ArticleAnalysis], events: Sequence[Event]) -> list[_Cand]:
    cands: list[_Cand] = []
    seen: set[tuple[str, int]] = set()
    for e in events:
        if e.date is None or e.date_precision is None or e.status in {"negated", "hypothetical"}:
            continue
        ids = {m.article_id for m in e.mentions}
        for m in e.mentions:
            seen.add((m.article_id, m.start))
        cands.append(
            _Cand(
                e.date,
                e.date_precision,
                " ".join(e.sentence.split()),
                ids,
                {e.id},
                _words(e.sentence),
            )
        )
    for a in analyses:
        text, pub = a.article.text, a.article.published
        for t in a.timexes:
            if t.type != "DATE" or t.precision != "day" or t.earliest is None:
                continue
            if pub is not None and t.earliest > pub:
                continue  # planned, not (yet) a happening
            s0, e0 = sentence_bounds(text, None, t.start, t.end)
            if (a.article.id, s0) in seen:
                continue
            seen.add((a.article.id, s0))
            sent = " ".join(text[s0:e0].split())
            words = _words(sent)
            if len(words) < _MIN_WORDS:
                continue
            cands.append(_Cand(t.earliest, "day", sent, {a.article.id}, set(), words))
    return cands


def _cluster(cands: list[_Cand]) -> list[list[_Cand]]:
    by_date: dict[tuple[date, str], list[_Cand]] = defaultdict(list)
    for c in sorted(cands, key=lambda c: (c.date, c.precision, c.sentence)):
        by_date[(c.date, c.precision)].append(c)
    clusters: list[list[_Cand]] = []
    for group in by_date.values():
        local: list[tuple[set[str], list[_Cand]]] = []
        for c in group:
            for words, members in local:
                if _jaccard(c.words, frozenset(words)) >= _SAME_HAPPENING:
                    members.append(c)
                    words |= c.words
                    break
            else:
                local.append((set(c.words), [c]))
        clusters.extend(members for _, members in local)
    return clusters


def _summary(members: list[_Cand]) -> str:
    """The shortest clear sentence: event sentences first, then 8+ words, then shortest."""

    def key(c: _Cand) -> tuple[int, int, int, str]:
        n = len(c.sentence.split())
        return (0 if c.event_ids else 1, 0 if 8 <= n <= 45 else 1, len(c.sentence), c.sentence)

    return min(members, key=key).sentence


def _fold_disagreements(clusters: list[list[_Cand]]) -> list[tuple[list[_Cand], list[str]]]:
    """Merge clusters that tell the same happening on different dates into the majority."""
    sig = [frozenset().union(*(c.words for c in cl)) for cl in clusters]
    size = [len({i for c in cl for i in c.article_ids}) for cl in clusters]
    index: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sig):
        for w in s:
            index[w].append(i)
    order = sorted(range(len(clusters)), key=lambda i: (-size[i], clusters[i][0].date))
    owner: dict[int, int] = {}
    notes: dict[int, list[str]] = defaultdict(list)
    for i in order:
        if i in owner:
            continue
        owner[i] = i
        shared: dict[int, int] = defaultdict(int)
        for w in sig[i]:
            if len(index[w]) > 50:
                continue  # too common to signal the same happening
            for j in index[w]:
                shared[j] += 1
        for j, n in shared.items():
            if j in owner or n < 3 or clusters[j][0].date == clusters[i][0].date:
                continue
            if abs((clusters[j][0].date - clusters[i][0].date).days) > 31:
                continue
            if _jaccard(sig[i], sig[j]) >= _DISAGREEMENT:
                owner[j] = i
                ids = sorted({a for c in clusters[j] for a in c.article_ids})
                notes[i].append(f"{clusters[j][0].date.isoformat()}: {', '.join(ids)}")
    merged: list[tuple[list[_Cand], list[str]]] = []
    for i in order:
        if owner[i] != i:
            continue
        members = list(clusters[i])
        extra = [c for j, o in owner.items() if o == i and j != i for c in clusters[j]]
        merged.append((members + extra, notes[i]))
    return merged


def build_timeline(
    analyses: Sequence[ArticleAnalysis], events: Sequence[Event]
) -> tuple[TimelineEntry, ...]:
    """One entry per dated happening across the corpus, sorted by date then score.

    Args:
        analyses: per-article analyses (timexes resolved against publication dates).
        events: corpus events (merged ones carry several mentions).

    Returns:
        TimelineEntry records; ``score`` is the number of distinct articles reporting the
        happening plus a small bonus for coded events, ``date_disagreement`` lists other
        dates sources gave for it ("2019-04-29: a3, a7").
    """
    clusters = _cluster(_candidates(analyses, events))
    entries: list[TimelineEntry] = []
    for members, notes in _fold_disagreements(clusters):
        head = members[0]
        primary = [c for c in members if c.date == head.date]
        article_ids = sorted({i for c in members for i in c.article_ids})
        event_ids = sorted({i for c in members for i in c.event_ids})
        score = len(article_ids) + 0.25 * min(len(event_ids), 4)
        entries.append(
            TimelineEntry(
                date=head.date,
                date_precision=head.precision,
                summary=_summary(primary),
                event_ids=tuple(event_ids),
                article_ids=tuple(article_ids),
                score=round(score, 3),
                date_disagreement=tuple(sorted(notes)),
            )
        )
    entries.sort(key=lambda e: (e.date, -e.score, e.summary))
    return tuple(entries)
