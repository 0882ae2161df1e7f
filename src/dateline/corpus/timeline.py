"""The corpus timeline: one cited entry per dated real-world happening.

Candidates come from dated events (already merged across outlets) and from sentences that
carry a day-precise DATE expression about the past ("elected on May 20, 2018"). Candidates
on the same date (and precision) are one happening when they share a merged event, an event
participant, similar wording, or -- from the same article or story -- a proper name; an
article that reports one meeting five times gives one entry. Near-identical wording on
different dates is the same happening reported with a date disagreement. The summary is the
clearest sentence: a statement with named participants rather than a quotation, without its
wire credit or opening quote mark. Planned events dated after every article are left out.
The publication date is never used as an event date: every date here was read from the text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from dateline.corpus import timeline_blocks as blocks
from dateline.models import ArticleAnalysis, Event, Precision, TimelineEntry
from dateline.stages.dates import sentence_bounds

VERSION = "timeline.v2"

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
    names: frozenset[str] = frozenset()
    parties: frozenset[str] = frozenset()
    stories: frozenset[str] = frozenset()
    named_event: bool = False
    keys: list[str] = field(default_factory=list)  # blocking keys (timeline_blocks)


def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    u = len(a | b)
    return len(a & b) / u if u else 0.0


_NAME = re.compile(r"\b[A-Z][a-z\u00e0-\u00ff]+(?:[-'][A-Z]?[a-z]+)?\b")
_CREDIT = re.compile(r"^[A-Z][A-Z .'-]+,\s[^\n]{0,40}?(?:--|\u2014|\.-|-)\s+")
_QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb "


def _names(text: str) -> frozenset[str]:
    """Capitalised words past the first of the sentence (a cheap proper-name signature)."""
    found = [m.group(0) for m in _NAME.finditer(text)]
    skip = {m.group(0) for m in _NAME.finditer(text[:1] + text[1:2])}
    return frozenset(w for w in found[1:] if w.lower() not in _STOP and w not in skip)


def _clean(sentence: str) -> str:
    text = " ".join(sentence.split())
    text = _CREDIT.sub("", text, count=1)
    return text.lstrip(_QUOTES) or text


def _candidates(analyses: Sequence[ArticleAnalysis], events: Sequence[Event]) -> list[_Cand]:
    cands: list[_Cand] = []
    seen: set[tuple[str, int]] = set()
    story = {a.article.id: a.article.story_id for a in analyses}
    pubs = [a.article.published for a in analyses if a.article.published is not None]
    last = max(pubs) if pubs else None
    for e in events:
        if e.date is None or e.date_precision is None or e.status in {"negated", "hypothetical"}:
            continue
        if e.status == "planned" and last is not None and e.date > last:
            continue  # still to come when the last report was written
        ids = {m.article_id for m in e.mentions}
        for m in e.mentions:
            seen.add((m.article_id, m.start))
        parties = frozenset(p for p in (e.actor, e.target) if p)
        cands.append(
            _Cand(
                e.date,
                e.date_precision,
                " ".join(e.sentence.split()),
                ids,
                {e.id},
                _words(e.sentence),
                _names(e.sentence),
                parties,
                frozenset(s for s in (story.get(i) for i in ids) if s),
                bool(e.actor_text and e.target_text),
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
            sid = a.article.story_id
            cands.append(
                _Cand(
                    t.earliest,
                    "day",
                    sent,
                    {a.article.id},
                    set(),
                    words,
                    _names(sent),
                    frozenset(),
                    frozenset({sid}) if sid else frozenset(),
                )
            )
    return cands


def _same_happening(a: _Cand, b: _Cand) -> bool:
    """Two candidates of the same date: one happening?"""
    if a.event_ids & b.event_ids or a.parties & b.parties:
        return True
    if _jaccard(a.words, b.words) >= _SAME_HAPPENING:
        return True
    close = bool(a.article_ids & b.article_ids or a.stories & b.stories)
    shared = len(a.names & b.names)
    return shared >= 2 or (close and shared >= 1)


def _cluster(cands: list[_Cand]) -> list[list[_Cand]]:
    """Single-link within each (date, precision): union-find over the "same happening" pairs.

    Only pairs sharing a blocking key are tested (:mod:`dateline.corpus.timeline_blocks`);
    the clusters are those of the all-pairs loop, ordered by their first sentence.
    """
    by_date: dict[tuple[date, str], list[_Cand]] = defaultdict(list)
    for c in sorted(cands, key=lambda c: (c.date, c.precision, c.sentence)):
        by_date[(c.date, c.precision)].append(c)
    clusters: list[list[_Cand]] = []
    for group in by_date.values():
        uf = blocks.UnionFind(len(group))
        if len(group) > 1:
            _link_group(group, blocks.postings(group), uf)
        members: dict[int, list[_Cand]] = defaultdict(list)
        for i, c in enumerate(group):
            members[uf.find(i)].append(c)
        clusters.extend(members[k] for k in sorted(members))
    return clusters


def _link_group(group: list[_Cand], index: dict[str, list[int]], uf: blocks.UnionFind) -> None:
    checked: set[tuple[int, int]] = set()
    for key, idx in index.items():
        if len(idx) < 2:
            continue
        if key.startswith(blocks.SURE):
            for j in idx[1:]:
                uf.union(idx[0], j)
            continue
        for x, i in enumerate(idx):
            for j in idx[x + 1 :]:
                if (i, j) in checked or uf.find(i) == uf.find(j):
                    continue
                checked.add((i, j))
                if _same_happening(group[i], group[j]):
                    uf.union(i, j)


_FINER = {"day": 0, "week": 1, "month": 2, "year": 3}


def _fold_coarse(clusters: list[list[_Cand]]) -> list[list[_Cand]]:
    """A week/month report of a happening that another cluster dates to the day joins it.

    Coarsest first; a coarse cluster joins the one finer cluster dated inside its interval
    that holds a "same happening" of one of its members (preferring hosts that share an
    article). Hosts are found through the blocking keys of every member, not by a scan.
    """
    from dateline.corpus.eventmerge import _interval

    out = list(clusters)
    if not any(cl[0].precision != "day" for cl in clusters):
        return out
    flat = [c for cl in clusters for c in cl]
    owner = [i for i, cl in enumerate(clusters) for _ in cl]
    ids: list[list[int]] = []  # cluster index -> its members' indices in ``flat``
    first = 0
    for cl in clusters:
        ids.append(list(range(first, first + len(cl))))
        first += len(cl)
    ids_orig = [list(x) for x in ids]
    # (key, year of the owning cluster's date) -> members: hosts lie inside a week, month
    # or year, so only one or two years of each key are read.
    index: dict[tuple[str, int], list[int]] = defaultdict(list)
    member_keys = [c.keys for c in flat]
    filed = [{clusters[owner[mb]][0].date.year} for mb in range(len(flat))]
    for mb, years_of in enumerate(filed):
        for key in member_keys[mb]:
            index[(key, next(iter(years_of)))].append(mb)
    for i, cl in sorted(enumerate(clusters), key=lambda p: -_FINER[p[1][0].precision]):
        head = cl[0]
        if head.precision == "day":
            continue
        lo, hi = _interval(head.date, head.precision)
        finer = _FINER[head.precision]
        found: set[int] = set()
        years = range(lo.year, hi.year + 1)
        for ma in ids_orig[i]:
            a = flat[ma]
            for key, year in ((k, y) for k in member_keys[ma] for y in years):
                sure = key.startswith(blocks.SURE)
                for mb in index.get((key, year), ()):
                    j = owner[mb]
                    if j == i or j in found or not out[j]:
                        continue
                    other = out[j][0]
                    if _FINER[other.precision] >= finer or not lo <= other.date <= hi:
                        continue
                    if sure or _same_happening(a, flat[mb]):
                        found.add(j)
        hosts = sorted(found)
        mine = {a for c in cl for a in c.article_ids}
        same_article = [j for j in hosts if mine & {a for c in out[j] for a in c.article_ids}]
        hosts = same_article if same_article else hosts

        if len(hosts) == 1:
            out[hosts[0]] = out[hosts[0]] + out[i]
            year = out[hosts[0]][0].date.year
            for mb in ids[i]:
                owner[mb] = hosts[0]
                if year not in filed[mb]:  # re-file under the host's year
                    filed[mb].add(year)
                    for key in member_keys[mb]:
                        index[(key, year)].append(mb)
            ids[hosts[0]] = ids[hosts[0]] + ids[i]
            out[i] = []
            ids[i] = []
    return [c for c in out if c]


def _summary(members: list[_Cand]) -> str:
    """The clearest sentence: a statement with named participants, not a quotation.

    Preference: not opening with a quote mark and little quoted text; an event with both
    participants named; 8-45 words; then the shortest. Wire credits and quote marks go.
    """

    def quoted(c: _Cand) -> int:
        text = c.sentence.strip()
        opens = text[:1] in _QUOTES.strip()
        marks = sum(text.count(q) for q in '"\u201c\u201d')
        return 2 if opens else (1 if marks >= 2 else 0)

    def key(c: _Cand) -> tuple[int, int, int, int, int, str]:
        n = len(c.sentence.split())
        return (
            quoted(c),
            0 if c.named_event else 1,
            0 if c.event_ids else 1,
            0 if 8 <= n <= 45 else 1,
            len(c.sentence),
            c.sentence,
        )

    return _clean(min(members, key=key).sentence)


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
    followers: dict[int, list[int]] = defaultdict(list)
    for j, o in owner.items():
        if j != o:
            followers[o].append(j)
    merged: list[tuple[list[_Cand], list[str]]] = []
    for i in order:
        if owner[i] != i:
            continue
        extra = [c for j in followers[i] for c in clusters[j]]
        merged.append((list(clusters[i]) + extra, notes[i]))
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
    cands = _candidates(analyses, events)
    rank = blocks.word_rank(cands)
    memo: dict[str, str] = {}
    for c in cands:
        c.keys = blocks.keys(c, rank, _SAME_HAPPENING, memo)
    del memo, rank
    clusters = _fold_coarse(_cluster(cands))
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
