"""The corpus timeline: one cited entry per dated real-world happening.

Candidates come from dated events (already merged across outlets) and from sentences that
carry a day-precise DATE expression about the past ("elected on May 20, 2018"):
:mod:`dateline.corpus.timeline_cands`. Candidates on the same date (and precision) are one
happening when they share a merged event, an event participant, similar wording, or -- from
the same article or story -- a proper name (:mod:`dateline.corpus.timeline_blocks`); an
article that reports one meeting five times gives one entry. Near-identical wording on
different dates is the same happening reported with a date disagreement
(:mod:`dateline.corpus.timeline_fold`). The summary is the clearest sentence: a statement
with named participants rather than a quotation, without its wire credit or opening quote
mark. Planned events dated after every article are left out. The publication date is never
used as an event date: every date here was read from the text.
"""

from __future__ import annotations

from collections.abc import Sequence

from dateline.corpus import timeline_blocks as blocks
from dateline.corpus.timeline_cands import QUOTES, SAME_HAPPENING, Cand, candidates, clean
from dateline.corpus.timeline_fold import fold_coarse, fold_disagreements
from dateline.models import ArticleAnalysis, Event, TimelineEntry

VERSION = "timeline.v2"


def _summary(members: list[Cand]) -> str:
    """The clearest sentence: a statement with named participants, not a quotation.

    Preference: not opening with a quote mark and little quoted text; an event with both
    participants named; 8-45 words; then the shortest. Wire credits and quote marks go.
    """

    def quoted(c: Cand) -> int:
        text = c.sentence.strip()
        opens = text[:1] in QUOTES.strip()
        marks = sum(text.count(q) for q in '"\u201c\u201d')
        return 2 if opens else (1 if marks >= 2 else 0)

    def key(c: Cand) -> tuple[int, int, int, int, int, str]:
        n = len(c.sentence.split())
        return (
            quoted(c),
            0 if c.named_event else 1,
            0 if c.event_ids else 1,
            0 if 8 <= n <= 45 else 1,
            len(c.sentence),
            c.sentence,
        )

    return clean(min(members, key=key).sentence)


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
    cands = candidates(analyses, events)
    clusters = fold_coarse(blocks.cluster(cands, SAME_HAPPENING))
    del cands
    entries: list[TimelineEntry] = []
    for members, notes in fold_disagreements(clusters):
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
