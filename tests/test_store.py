"""The SQLite store: round-trips, idempotent writes, FTS search errors, migrations."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from store_samples import TEXT, make_analysis

from dateline.models import (
    ArticleAnalysis,
    Entity,
    Event,
    EventMention,
    IngestError,
    Quote,
    Result,
    Story,
)
from dateline.store import SearchSyntaxError, SQLiteStore, open_store


def make_result(analysis: ArticleAnalysis) -> tuple[Result, dict[tuple[str, str], str]]:
    links = {(analysis.article.id, "e1"): "ent_duarte"}
    entity = Entity(
        "ent_duarte",
        "Ana Duarte",
        "PERSON",
        ("Ana Duarte",),
        ("Minister",),
        None,
        (analysis.article.id,),
    )
    event = Event(
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
        (EventMention(analysis.article.id, 46, 72),),
        0.8,
        actor="ent_duarte",
    )
    quote = analysis.quotes[0]
    result = Result(
        articles=(analysis.article,),
        stories=(Story("story_1", "Talks end", (analysis.article.id,)),),
        entities=(entity,),
        quotes=(
            Quote(**{**{f: getattr(quote, f) for f in quote.__slots__}, "speaker": "ent_duarte"}),
        ),
        events=(event,),
        errors=(IngestError("bad.txt", "empty file"),),
        entity_mentions=tuple((analysis.article.id, m) for m in analysis.entities[0].mentions),
    )
    return result, links


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    return SQLiteStore(tmp_path / "t.db")


def test_save_analysis_round_trips(store: SQLiteStore) -> None:
    analysis = make_analysis()
    store.save_analysis(analysis)
    assert list(store.iter_analyses()) == [analysis]
    assert store.known_hashes() == {"a1": analysis.article.content_hash}


def test_save_analysis_upserts_by_id(store: SQLiteStore) -> None:
    store.save_analysis(make_analysis())
    store.save_analysis(make_analysis(text=TEXT + " More."))
    assert store.counts()["articles"] == 1
    assert store.load_articles()[0].text.endswith("More.")


def test_save_corpus_round_trips_and_is_idempotent(store: SQLiteStore) -> None:
    analysis = make_analysis()
    store.save_analysis(analysis)
    result, links = make_result(analysis)
    assert store.save_corpus(result, links) is True
    loaded = store.load_result()
    assert loaded.entities == result.entities
    assert loaded.events == result.events
    assert loaded.quotes[0].speaker == "ent_duarte"
    assert store.entity_links() == links
    assert store.save_corpus(result, links) is False


def test_views_join_names(store: SQLiteStore) -> None:
    analysis = make_analysis()
    store.save_analysis(analysis)
    store.save_corpus(*make_result(analysis))
    rows = store.conn.execute("SELECT speaker_name, outlet FROM quotes_with_speakers").fetchall()
    assert rows == [("Ana Duarte", "Meridian Wire")]
    events = store.conn.execute("SELECT actor_name, mentions FROM events_with_actors").fetchall()
    assert events == [("Ana Duarte", 1)]


def test_search_finds_phrase_and_rejects_bad_syntax(store: SQLiteStore) -> None:
    store.save_analysis(make_analysis())
    hits = store.search('"stand together"')
    assert [h["id"] for h in hits] == ["a1"]
    assert "[stand together]" in hits[0]["snippet"]
    with pytest.raises(SearchSyntaxError, match="double quotes"):
        store.search('"unbalanced')


def test_migrations_apply_once(tmp_path: Path) -> None:
    first = SQLiteStore(tmp_path / "m.db")
    names = [r[0] for r in first.conn.execute("SELECT name FROM migrations")]
    assert names == ["0001_initial", "0002_views", "0003_fts"]
    first.close()
    second = SQLiteStore(tmp_path / "m.db")
    assert second.migrate() == []


def test_database_is_readable_by_plain_sqlite_and_uses_wal(tmp_path: Path) -> None:
    store = open_store(tmp_path / "plain.db")
    store.save_analysis(make_analysis())
    store.close()
    conn = sqlite3.connect(tmp_path / "plain.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT outlet FROM articles").fetchone()[0] == "Meridian Wire"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_open_store_read_only_missing_file_says_how_to_create(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="dateline analyze"):
        open_store(tmp_path / "missing.db", read_only=True)
