"""Both store backends, SQLite and PostgreSQL, held to the same behaviour by the same tests.

The PostgreSQL half starts a throwaway server (tests/pg_server.py) and skips without one.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pg_server import pg_server, pg_url  # noqa: F401 - fixtures used by name
from store_samples import TEXT, make_analysis

from dateline.models import (
    Article,
    ArticleAnalysis,
    Entity,
    Event,
    EventMention,
    Figure,
    Framing,
    FramingTerm,
    IngestError,
    Quote,
    Result,
    Story,
    SummarySentence,
    TimeExpr,
    TimelineEntry,
)
from dateline.store import SearchSyntaxError, open_store

OTHER = "Harbour workers in Velmar walked out on Monday over unpaid wages."
Opener = Callable[..., Any]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def open_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """Open (and reopen) one fresh database of the parametrised backend."""
    target = (
        str(tmp_path / "t.db") if request.param == "sqlite" else request.getfixturevalue("pg_url")
    )
    opened: list[Any] = []

    def opener(*, read_only: bool = False) -> Any:
        opened.append(open_store(target, read_only=read_only))
        return opened[-1]

    yield opener
    for store in opened:
        store.close()


@pytest.fixture
def store(open_db: Opener) -> Any:
    return open_db()


def make_result(
    analysis: ArticleAnalysis, *, extra_entity: bool = False
) -> tuple[Result, dict[tuple[str, str], str]]:
    """A corpus result touching every corpus table, with an undated event to test NULL order."""
    aid = analysis.article.id
    links = {(aid, "e1"): "ent_duarte"}
    entities = [
        Entity("ent_duarte", "Ana Duarte", "PERSON", ("Ana Duarte",), ("Minister",), None, (aid,))
    ]
    if extra_entity:
        entities.append(Entity("ent_velmar", "Velmar", "GPE", ("Velmar",), (), "VEL", (aid,)))
    dated = Event(
        "ev1",
        "CONSULT",
        None,
        "040",
        "e1",
        None,
        "Ana Duarte",
        None,
        "VELGOV",
        None,
        date(2031, 5, 2),
        "day",
        "Solvan",
        "The talks ended on Friday.",
        (EventMention(aid, 46, 72),),
        0.8,
        actor="ent_duarte",
    )
    undated = Event(
        "ev2",
        "PROTEST",
        "strike",
        "141",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        "Officials counted grain.",
        (EventMention(aid, 73, 120),),
        0.35,
    )
    quote = analysis.quotes[0]
    start, friday = TEXT.index("1234567.891"), TEXT.index("Friday")
    result = Result(
        articles=(analysis.article,),
        stories=(Story("story_1", "Talks end", (aid,), ((aid,),)),),
        entities=tuple(sorted(entities, key=lambda e: (e.name, e.id))),
        timexes=(
            TimeExpr(
                aid,
                friday,
                friday + 6,
                "Friday",
                "DATE",
                "2031-05-02",
                date(2031, 5, 2),
                date(2031, 5, 2),
                "day",
                date(2031, 5, 4),
            ),
        ),
        quotes=(
            Quote(**{**{f: getattr(quote, f) for f in quote.__slots__}, "speaker": "ent_duarte"}),
        ),
        events=(undated, dated),
        figures=(
            Figure(
                f"{aid}:f1", aid, start, start + 11, "1234567.891", 1234567.891, "tonne", "grain"
            ),
        ),
        framing=(
            Framing(
                "Meridian Wire", "ent_duarte", (FramingTerm(aid, "e1", "Minister", 0, 8, "role"),)
            ),
        ),
        timeline=(TimelineEntry(date(2031, 5, 2), "day", "Talks ended", ("ev1",), (aid,), 0.9),),
        summary=(SummarySentence("The talks ended on Friday.", (aid,), "story_1"),),
        entity_mentions=tuple((aid, m) for m in analysis.entities[0].mentions),
    )
    return result, links


def test_open_store_picks_backend(store: Any) -> None:
    assert store.dialect in {"sqlite", "postgresql"}
    assert (
        type(store).__name__
        == {"sqlite": "SQLiteStore", "postgresql": "PostgresStore"}[store.dialect]
    )


def test_save_analysis_round_trips(store: Any) -> None:
    analysis = make_analysis()
    store.save_analysis(analysis)
    assert list(store.iter_analyses()) == [analysis]
    assert store.load_articles() == [analysis.article]
    assert store.known_hashes() == {"a1": analysis.article.content_hash}


def test_iter_analyses_pages_in_id_order(store: Any) -> None:
    ids = [f"a{n:03d}" for n in range(205)]  # more than one PostgreSQL page of 200
    for article_id in reversed(ids):
        store.save_analysis(make_analysis(article_id, text=f"Report {article_id}. {OTHER}"))
    assert [a.article.id for a in store.iter_analyses()] == ids


def test_save_analysis_upserts_by_id(store: Any) -> None:
    store.save_analysis(make_analysis())
    store.save_errors([IngestError("a1.txt", "was unreadable")])
    changed = make_analysis(text=TEXT + " More.")
    store.save_analysis(changed)
    assert store.counts()["articles"] == 1
    assert store.load_articles()[0].text.endswith("More.")
    assert store.known_hashes() == {"a1": changed.article.content_hash}
    assert store.load_errors() == []  # a successful analysis clears the file's old error


def test_save_errors_keeps_latest_reason(store: Any) -> None:
    store.save_errors([IngestError("b.txt", "empty file"), IngestError("a.txt", "not UTF-8")])
    store.save_errors([IngestError("b.txt", "too large")])
    assert store.load_errors() == [
        IngestError("a.txt", "not UTF-8"),
        IngestError("b.txt", "too large"),
    ]
    assert store.counts()["errors"] == 2


def test_save_corpus_round_trips_every_table(store: Any) -> None:
    analysis = make_analysis()
    store.save_analysis(analysis)
    result, links = make_result(analysis, extra_entity=True)
    assert store.save_corpus(result, links) is True
    loaded = store.load_result()
    for table in (
        "stories",
        "entities",
        "timexes",
        "quotes",
        "events",
        "figures",
        "framing",
        "timeline",
        "summary",
    ):
        assert getattr(loaded, table) == getattr(result, table), table
    assert [e.id for e in loaded.events] == ["ev2", "ev1"]  # undated first, like SQLite
    assert loaded.articles == (analysis.article,)
    assert store.entity_links() == links


def test_save_corpus_is_idempotent_and_replaces(store: Any) -> None:
    analysis = make_analysis()
    store.save_analysis(analysis)
    result, links = make_result(analysis, extra_entity=True)
    assert store.save_corpus(result, links) is True
    assert store.save_corpus(result, links) is False
    smaller, links = make_result(analysis)
    assert store.save_corpus(smaller, links) is True
    assert [e.id for e in store.load_result().entities] == ["ent_duarte"]
    assert store.counts()["entities"] == 1


def test_save_corpus_updates_article_columns(store: Any) -> None:
    analysis = make_analysis()
    store.save_analysis(analysis)
    result, links = make_result(analysis)
    moved = Article(
        **{
            **{f: getattr(analysis.article, f) for f in Article.__slots__},
            "story_id": "story_1",
            "outlet": "Velmar Post",
        }
    )
    store.save_corpus(
        Result(**{**{f: getattr(result, f) for f in Result.__slots__}, "articles": (moved,)}), links
    )
    assert store.load_articles() == [moved]
    row = store.conn.execute("SELECT story_id, outlet FROM articles").fetchall()
    assert [tuple(r) for r in row] == [("story_1", "Velmar Post")]


def test_counts(store: Any) -> None:
    analysis = make_analysis()
    store.save_analysis(analysis)
    store.save_analysis(make_analysis("a2", text=OTHER, title="Strike"))
    store.save_errors([IngestError("bad.txt", "empty file")])
    store.save_corpus(*make_result(analysis))
    assert store.counts() == {
        "articles": 2,
        "entities": 1,
        "quotes": 1,
        "events": 2,
        "timexes": 1,
        "figures": 1,
        "stories": 1,
        "timeline": 1,
        "errors": 1,
    }


def test_columns_keep_full_precision(store: Any) -> None:
    analysis = make_analysis()
    store.save_analysis(analysis)
    store.save_corpus(*make_result(analysis))
    (value,) = store.conn.execute("SELECT value FROM figures").fetchone()
    assert value == 1234567.891
    confidences = store.conn.execute("SELECT confidence FROM events ORDER BY id").fetchall()
    assert [c for (c,) in confidences] == [0.8, 0.35]


def test_views_join_names(store: Any) -> None:
    analysis = make_analysis()
    store.save_analysis(analysis)
    store.save_corpus(*make_result(analysis))
    quotes = store.conn.execute("SELECT speaker_name, outlet FROM quotes_with_speakers").fetchall()
    assert [tuple(r) for r in quotes] == [("Ana Duarte", "Meridian Wire")]
    events = store.conn.execute(
        "SELECT id, actor_name, mentions FROM events_with_actors ORDER BY id"
    ).fetchall()
    assert [tuple(r) for r in events] == [("ev1", "Ana Duarte", 1), ("ev2", None, 1)]


def test_search_finds_phrase_with_snippet(store: Any) -> None:
    store.save_analysis(make_analysis())
    store.save_analysis(make_analysis("a2", text=OTHER, title="Strike"))
    hits = store.search('"stand together"')
    assert [h["id"] for h in hits] == ["a1"]
    assert "[stand together]" in hits[0]["snippet"]
    assert set(hits[0]) == {"id", "title", "outlet", "published", "snippet", "rank"}
    assert hits[0]["outlet"] == "Meridian Wire"
    assert [h["id"] for h in store.search("Velmar")] == ["a2"]
    assert [h["id"] for h in store.search("Strike")] == ["a2"]  # titles are searched too
    assert store.search('"together stand"') == []


def test_search_pages(store: Any) -> None:
    for n in range(3):
        store.save_analysis(make_analysis(f"a{n}", text=f"Port story {n}. {OTHER}"))
    everything = [h["id"] for h in store.search("harbour")]
    assert sorted(everything) == ["a0", "a1", "a2"]
    assert [h["id"] for h in store.search("harbour", limit=2)] == everything[:2]
    assert [h["id"] for h in store.search("harbour", limit=2, offset=2)] == everything[2:]


@pytest.mark.parametrize("query", ["", "   ", '"', "("])
def test_search_rejects_bad_query(store: Any, query: str) -> None:
    store.save_analysis(make_analysis())
    with pytest.raises(SearchSyntaxError, match="double quotes"):
        store.search(query)


def test_migrations_apply_once(open_db: Opener) -> None:
    first = open_db()
    names = [r[0] for r in first.conn.execute("SELECT name FROM migrations ORDER BY name")]
    assert names == ["0001_initial", "0002_views", "0003_fts"]
    first.save_analysis(make_analysis())
    second = open_db()
    assert second.migrate() == []
    assert second.counts()["articles"] == 1


def test_read_only_store_reads_but_refuses_writes(open_db: Opener) -> None:
    writer = open_db()
    writer.save_analysis(make_analysis())
    reader = open_db(read_only=True)
    assert [a.id for a in reader.load_articles()] == ["a1"]
    refused: tuple[type[BaseException], ...] = (sqlite3.OperationalError,)
    if reader.dialect == "postgresql":
        import psycopg

        refused = (psycopg.Error,)
    with pytest.raises(refused):
        reader.save_errors([IngestError("x.txt", "nope")])


def test_nul_and_unicode_text_round_trip(store: Any) -> None:
    text = "Ciudad Ñandú\x00 report: «quoted» — 東京 officials met."
    analysis = make_analysis(text=text)
    store.save_analysis(analysis)
    assert store.load_articles()[0].text == text
    assert list(store.iter_analyses()) == [analysis]


def test_concurrent_writers_make_no_duplicates(open_db: Opener) -> None:
    stores = [open_db(), open_db()]
    analyses = [make_analysis(f"a{n}", text=f"Item {n}. {OTHER}") for n in range(6)]
    result, links = make_result(analyses[0])
    failures: list[BaseException] = []

    def work(store: Any) -> None:
        try:
            for analysis in analyses:
                store.save_analysis(analysis)
            store.save_corpus(result, links)
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    counts = stores[0].counts()
    assert counts["articles"] == 6
    assert counts["entities"] == 1
    assert counts["events"] == 2
    (mentions,) = stores[0].conn.execute("SELECT COUNT(*) FROM entity_mentions").fetchone()
    assert mentions == 1
