"""Timeline candidates: the dated sentences a timeline is built from.

Candidates come from dated events (already merged across outlets) and from sentences that
carry a day-precise DATE expression about the past ("elected on May 20, 2018"). Each keeps
what the clustering compares in compact form: its content words as an array of word ids
(one id per distinct word for the length of one call), and its merged event, participants,
proper names and story folded into "sure" blocking keys
(:mod:`dateline.corpus.timeline_blocks`), so a large corpus holds no per-candidate sets of
strings.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dateline.corpus.timeline_blocks import SureKeys
from dateline.models import ArticleAnalysis, Event, Precision
from dateline.stages.dates import SENT_END

# Same date + Jaccard of content words at or above this -> the same happening.
SAME_HAPPENING = 0.2
_MIN_WORDS = 6
STOP = frozenset(
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
_NAME = re.compile(r"\b[A-Z][a-z\u00e0-\u00ff]+(?:[-'][A-Z]?[a-z]+)?\b")
_CREDIT = re.compile(r"^[A-Z][A-Z .'-]+,\s[^\n]{0,40}?(?:--|\u2014|\.-|-)\s+")
QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb "


@dataclass(slots=True)
class Cand:
    """One dated sentence: ``words`` are word ids, ``keys`` its sure blocking keys."""

    date: date
    precision: Precision
    sentence: str
    article_ids: tuple[str, ...]  # sorted
    event_ids: tuple[str, ...]  # sorted
    words: array[int]
    keys: array[int]
    named_event: bool = False


class WordIds:
    """Content word -> id, for the length of one call (ids in order of first sight)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def __call__(self, text: str) -> array[int]:
        ids = self.ids
        found = {ids.setdefault(w, len(ids)) for w in words(text)}
        return array("i", sorted(found))


def words(text: str) -> frozenset[str]:
    """Lower-cased content words."""
    return frozenset(w for w in (w.lower() for w in _WORD.findall(text)) if w not in STOP)


def names(text: str) -> frozenset[str]:
    """Capitalised words past the first of the sentence (a cheap proper-name signature)."""
    found = [m.group(0) for m in _NAME.finditer(text)]
    skip = {m.group(0) for m in _NAME.finditer(text[:1] + text[1:2])}
    return frozenset(w for w in found[1:] if w.lower() not in STOP and w not in skip)


def clean(sentence: str) -> str:
    """The sentence without its wire credit and opening quote mark."""
    text = " ".join(sentence.split())
    text = _CREDIT.sub("", text, count=1)
    return text.lstrip(QUOTES) or text


class SentenceBounds:
    """``dates.sentence_bounds(text, None, start, end)`` for many spans of one text.

    The plain function rescans the text from its start for every span; here the sentence
    breaks of the whole text are found once, and only the stretch between the last break
    that ends before ``start`` and ``start`` is rescanned (a scan stopped at ``start`` finds
    the same breaks as the full scan up to there, so the bounds are identical).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._ends: list[int] | None = None

    def __call__(self, start: int, end: int) -> tuple[int, int]:
        text = self.text
        if self._ends is None:
            self._ends = [m.end() for m in SENT_END.finditer(text)]
        k = bisect_left(self._ends, start)
        left = self._ends[k - 1] if k else 0
        for m in SENT_END.finditer(text, left, start):
            left = m.end()
        m2 = SENT_END.search(text, max(end - 1, start))
        right = m2.start() if m2 else len(text)
        return left, max(right, end)


def candidates(analyses: Sequence[ArticleAnalysis], events: Sequence[Event]) -> list[Cand]:
    """Event candidates, then one per past day-precise DATE sentence not already an event."""
    cands: list[Cand] = []
    word_ids, sure = WordIds(), SureKeys()
    seen: set[tuple[str, int]] = set()
    story = {a.article.id: a.article.story_id for a in analyses}
    pubs = [a.article.published for a in analyses if a.article.published is not None]
    last = max(pubs) if pubs else None
    for e in events:
        if e.date is None or e.date_precision is None or e.status in {"negated", "hypothetical"}:
            continue
        if e.status == "planned" and last is not None and e.date > last:
            continue  # still to come when the last report was written
        ids = tuple(sorted({m.article_id for m in e.mentions}))
        for m in e.mentions:
            seen.add((m.article_id, m.start))
        parties = [p for p in (e.actor, e.target) if p]
        stories = {s for s in (story.get(i) for i in ids) if s}
        cands.append(
            Cand(
                e.date,
                e.date_precision,
                " ".join(e.sentence.split()),
                ids,
                (e.id,),
                word_ids(e.sentence),
                sure((e.id,), parties, names(e.sentence), ids, stories),
                bool(e.actor_text and e.target_text),
            )
        )
    for a in analyses:
        text, pub = a.article.text, a.article.published
        bounds = SentenceBounds(text)
        for t in a.timexes:
            if t.type != "DATE" or t.precision != "day" or t.earliest is None:
                continue
            if pub is not None and t.earliest > pub:
                continue  # planned, not (yet) a happening
            s0, e0 = bounds(t.start, t.end)
            if (a.article.id, s0) in seen:
                continue
            seen.add((a.article.id, s0))
            sent = " ".join(text[s0:e0].split())
            found = word_ids(sent)
            if len(found) < _MIN_WORDS:
                continue
            sid = a.article.story_id
            ids = (a.article.id,)
            cands.append(
                Cand(
                    t.earliest,
                    "day",
                    sent,
                    ids,
                    (),
                    found,
                    sure((), (), names(sent), ids, [sid] if sid else []),
                )
            )
    return cands
