"""A small hand-made corpus for the API, UI and report tests (no NLP involved).

Offsets are computed with ``str.find`` so every item satisfies
``article.text[start:end] == item.text``. One article carries HTML/script payloads to
check that article text is always rendered escaped.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dateline.models import (
    Article,
    ArticleAnalysis,
    ArticleEntity,
    Entity,
    EntityMention,
    Event,
    EventMention,
    Figure,
    Framing,
    FramingTerm,
    Quote,
    Result,
    Story,
    SummarySentence,
    TimeExpr,
    TimelineEntry,
)
from dateline.store import SQLiteStore
from dateline.text import content_hash

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = '"><img src=x onerror=alert(1)>'

TEXTS = {
    "wire/a1": (
        "Harbour Wire",
        "Talks open in Portvale",
        'Minister Lena Osk said "We will keep talking." The talks opened on Monday in Portvale. '
        "Officials said 120 people attended the harbour meeting.",
    ),
    "gazette-a2": (
        "Daily Gazette",
        "Portvale talks begin",
        'The stubborn minister Lena Osk said "We will keep talking." Talks began on Monday. '
        "Organisers counted 200 people at the meeting.",
    ),
    "x3": (
        "Daily Gazette",
        "Odd page " + XSS_SCRIPT,
        f"A reader wrote {XSS_SCRIPT} and {XSS_IMG} in a comment. Lena Osk did not reply.",
    ),
}


def _span(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    start = text.index(needle, after)
    return start, start + len(needle)


def build_corpus() -> tuple[list[ArticleAnalysis], Result, dict[tuple[str, str], str]]:
    """Analyses, corpus result and entity links of the hand-made corpus."""
    analyses: list[ArticleAnalysis] = []
    articles: list[Article] = []
    quotes: list[Quote] = []
    events: list[Event] = []
    figures: list[Figure] = []
    timexes: list[TimeExpr] = []
    framing_terms: dict[str, list[FramingTerm]] = {}
    links: dict[tuple[str, str], str] = {}
    for n, (article_id, (outlet, title, text)) in enumerate(TEXTS.items()):
        article = Article(
            id=article_id,
            source=f"{article_id}.txt",
            text=text,
            content_hash=content_hash(text),
            title=title,
            outlet=outlet,
            published=date(2031, 3, 4 + n),
            published_precision="day",
            published_source="metadata",
            story_id="story-1",
        )
        articles.append(article)
        s, e = _span(text, "Lena Osk")
        mention = EntityMention(s, e, "Lena Osk", "PERSON", "e1")
        entity = ArticleEntity(
            "e1", "Lena Osk", "PERSON", ("Lena Osk",), ("Minister",), None, (mention,)
        )
        links[(article_id, "e1")] = "ent-osk"
        a_quotes: tuple[Quote, ...] = ()
        if "We will keep talking." in text:
            qs, qe = _span(text, "We will keep talking.")
            a_quotes = (
                Quote(
                    f"{article_id}:q1",
                    article_id,
                    qs,
                    qe,
                    text[qs:qe],
                    "direct",
                    "e1",
                    "Lena Osk",
                    "said",
                    speaker="ent-osk",
                ),
            )
        a_timexes: tuple[TimeExpr, ...] = ()
        a_events: tuple[Event, ...] = ()
        if "Monday" in text:
            ts, te = _span(text, "Monday")
            a_timexes = (
                TimeExpr(
                    article_id,
                    ts,
                    te,
                    "Monday",
                    "DATE",
                    "2031-03-03",
                    date(2031, 3, 3),
                    date(2031, 3, 3),
                    "day",
                ),
            )
            sentence_start = text.index("The talks") if "The talks" in text else text.index("Talks")
            sentence_end = text.index(".", sentence_start) + 1
            a_events = (
                Event(
                    f"ev-{n}",
                    "CONSULT",
                    None,
                    "040",
                    "e1",
                    None,
                    "Lena Osk",
                    None,
                    None,
                    None,
                    date(2031, 3, 3),
                    "day",
                    "Portvale",
                    text[sentence_start:sentence_end],
                    (EventMention(article_id, sentence_start, sentence_end),),
                    0.9,
                ),
            )
        a_figures: tuple[Figure, ...] = ()
        for number in ("120", "200"):
            if f"{number} people" in text:
                fs, fe = _span(text, f"{number} people")
                a_figures = (
                    Figure(
                        f"fig-{n}",
                        article_id,
                        fs,
                        fe,
                        text[fs:fe],
                        float(number),
                        "people",
                        "attendance",
                    ),
                )
        if "stubborn minister" in text:
            fs, fe = _span(text, "stubborn minister")
            framing_terms.setdefault(outlet, []).append(
                FramingTerm(article_id, "e1", "stubborn minister", fs, fe, "evaluative")
            )
        if "Minister Lena" in text:
            fs, fe = _span(text, "Minister")
            framing_terms.setdefault(outlet, []).append(
                FramingTerm(article_id, "e1", "Minister", fs, fe, "role")
            )
        analyses.append(
            ArticleAnalysis(article, (entity,), a_timexes, a_quotes, a_events, a_figures)
        )
        quotes.extend(a_quotes)
        events.extend(a_events)
        figures.extend(a_figures)
        timexes.extend(a_timexes)
    quotes = [
        Quote(
            **{
                **{f: getattr(q, f) for f in Quote.__slots__},
                "same_as": tuple(o.id for o in quotes if o.id != q.id),
            }
        )
        for q in quotes
    ]
    figures = [
        Figure(
            **{
                **{f: getattr(x, f) for f in Figure.__slots__},
                "conflicts_with": tuple(o.id for o in figures if o.id != x.id),
            }
        )
        for x in figures
    ]
    merged = Event(
        **{
            **{f: getattr(events[0], f) for f in Event.__slots__},
            "id": "ev-merged",
            "actor": "ent-osk",
            "mentions": tuple(m for e in events for m in e.mentions),
        }
    )
    result = Result(
        articles=tuple(articles),
        stories=(Story("story-1", "Portvale talks", tuple(a.id for a in articles)),),
        entities=(
            Entity(
                "ent-osk",
                "Lena Osk",
                "PERSON",
                ("Lena Osk", "Osk"),
                ("Minister",),
                "PRT",
                tuple(a.id for a in articles),
            ),
            Entity("ent-xss", XSS_SCRIPT, "ORG", (XSS_IMG,), (), None, ("x3",)),
        ),
        timexes=tuple(timexes),
        quotes=tuple(quotes),
        events=(merged,),
        figures=tuple(figures),
        framing=tuple(Framing(o, "ent-osk", tuple(t)) for o, t in sorted(framing_terms.items())),
        timeline=(
            TimelineEntry(
                date(2031, 3, 3),
                "day",
                "Lena Osk opens talks in Portvale",
                ("ev-merged",),
                ("gazette-a2", "wire/a1"),
                2.0,
            ),
            TimelineEntry(
                date(2031, 3, 6), "day", f"Comment {XSS_SCRIPT} posted", (), ("x3",), 0.5
            ),
        ),
        summary=(SummarySentence(f"Talks opened in Portvale {XSS_IMG}", ("wire/a1",), "story-1"),),
    )
    return analyses, result, links


def write_db(path: Path) -> Path:
    """Write the hand-made corpus to an SQLite file through the store."""
    analyses, result, links = build_corpus()
    store = SQLiteStore(path)
    try:
        for analysis in analyses:
            store.save_analysis(analysis)
        store.save_corpus(result, links)
    finally:
        store.close()
    return path
