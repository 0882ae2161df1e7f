"""``export_result`` and ``dateline export``: one file per table, counts kept, nested as JSON."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dateline.cli import app
from dateline.export import export_result, result_tables
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
    IngestError,
    Quote,
    Result,
    Story,
    SummarySentence,
    TimeExpr,
    TimelineEntry,
)
from dateline.store import SQLiteStore
from dateline.text import content_hash

TEXTS = {
    "a1": 'Minister Ana Duarte said "We stand together." Talks in Solvan ended on Friday.',
    "a2": "Velmar dockers, a union of 4,000, struck on Monday, the Velmar Post said.",
}
TABLES = {
    "articles",
    "stories",
    "entities",
    "timexes",
    "quotes",
    "events",
    "event_mentions",
    "figures",
    "framing_terms",
    "timeline",
    "summary",
    "errors",
}


def _span(article_id: str, text: str) -> tuple[int, int]:
    start = TEXTS[article_id].index(text)
    return start, start + len(text)


def build_db(path: Path) -> Result:
    """A two-article database written the way ``analyze`` writes it; the stored result."""
    store = SQLiteStore(path)
    articles = []
    for n, (aid, text) in enumerate(sorted(TEXTS.items())):
        article = Article(
            id=aid, source=f"{aid}.txt", text=text, content_hash=content_hash(text),
            title=text.split(",")[0], outlet=("Meridian Wire", "Velmar Post")[n],
            published=date(2031, 5, 4 + n), published_precision="day",
            published_source="metadata",
            published_range=(date(2031, 5, 4 + n), date(2031, 5, 4 + n)),
        )  # fmt: skip
        articles.append(article)
        mention = EntityMention(*_span("a1", "Ana Duarte"), "Ana Duarte", "PERSON", "e1")
        entities = (
            (
                ArticleEntity(
                    "e1",
                    "Ana Duarte",
                    "PERSON",
                    ("Ana Duarte", "Duarte"),
                    ("Minister",),
                    None,
                    (mention,),
                ),
            )
            if aid == "a1"
            else ()
        )
        store.save_analysis(ArticleAnalysis(article=article, entities=entities))
    store.save_errors([IngestError("broken.html", "no article text found")])
    q_start, q_end = _span("a1", "We stand together")
    f_start, f_end = _span("a2", "4,000")
    result = Result(
        articles=tuple(articles),
        stories=(Story("story_1", "Talks end", ("a1", "a2")),),
        entities=(
            Entity("ent_duarte", "Ana Duarte", "PERSON", ("Ana Duarte", "Duarte"), ("Minister",),
                   None, ("a1",)),
            Entity("ent_velmar", "Velmar", "GPE", ("Velmar",), (), "VEL", ("a2",)),
        ),
        timexes=(TimeExpr("a1", *_span("a1", "Friday"), "Friday", "DATE", "2031-05-02",
                          date(2031, 5, 2), date(2031, 5, 2), "day", date(2031, 5, 4)),
                 TimeExpr("a2", *_span("a2", "Monday"), "Monday", "DATE", "2031-05-05")),
        quotes=(Quote("a1:q1", "a1", q_start, q_end, "We stand together", "direct", "e1",
                      "Ana Duarte", "said", speaker="ent_duarte"),),
        events=(
            Event("ev1", "CONSULT", None, "040", "e1", None, "Ana Duarte", None, "VELGOV", None,
                  date(2031, 5, 2), "day", "Solvan", "Talks in Solvan ended on Friday.",
                  (EventMention("a1", 46, 78),), 0.8, actor="ent_duarte"),
            Event("ev2", "PROTEST", "strike", "141", None, None, "Velmar dockers", None, "VELLAB",
                  None, date(2031, 5, 5), "day", "Velmar", "Velmar dockers struck on Monday.",
                  (EventMention("a2", 0, 50), EventMention("a1", 0, 10)), 0.6),
        ),
        figures=(Figure("a2:f1", "a2", f_start, f_end, "4,000", 4000.0, None, "people"),),
        framing=(Framing("Velmar Post", "ent_velmar",
                         (FramingTerm("a2", "e9", "dockers", 7, 14, "role"),
                          FramingTerm("a2", "e9", "union", 18, 23, "role"))),),
        timeline=(TimelineEntry(date(2031, 5, 2), "day", "Talks ended", ("ev1",), ("a1",), 0.9),
                  TimelineEntry(date(2031, 5, 5), "day", "Dockers struck", ("ev2",), ("a2",),
                                0.7)),
        summary=(SummarySentence("Talks in Solvan ended on Friday.", ("a1",), "story_1"),),
        entity_mentions=(("a1", mention),),
    )  # fmt: skip
    store.save_corpus(result, {("a1", "e1"): "ent_duarte"})
    stored = store.load_result()
    store.close()
    return stored


@pytest.fixture
def db(tmp_path: Path) -> tuple[Path, Result]:
    path = tmp_path / "story.db"
    return path, build_db(path)


def expected_counts(result: Result) -> dict[str, int]:
    return {
        "articles": 2, "stories": 1, "entities": 2, "timexes": 2, "quotes": 1, "events": 2,
        "event_mentions": sum(len(e.mentions) for e in result.events), "figures": 1,
        "framing_terms": 2, "timeline": 2, "summary": 1, "errors": 1,
    }  # fmt: skip


def read_rows(path: Path) -> list[dict[str, object]]:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    import pandas as pd

    records: list[dict[str, object]] = pd.read_parquet(path).to_dict("records")
    return records


def test_result_tables_flattens_links(db: tuple[Path, Result]) -> None:
    _, result = db
    tables = result_tables(result)
    assert set(tables) == TABLES
    assert {k: len(v) for k, v in tables.items()} == expected_counts(result)
    assert {(m["event_id"], m["article_id"]) for m in tables["event_mentions"]} == {
        ("ev1", "a1"),
        ("ev2", "a2"),
        ("ev2", "a1"),
    }
    assert {t["term"] for t in tables["framing_terms"]} == {"dockers", "union"}
    assert all(t["outlet"] == "Velmar Post" for t in tables["framing_terms"])


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export_writes_one_file_per_table_with_all_rows(
    db: tuple[Path, Result], tmp_path: Path, fmt: str
) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    _, result = db
    out = tmp_path / "out"
    paths = list(export_result(result, out, fmt))  # type: ignore[arg-type]
    assert {p.name for p in paths} == {f"{t}.{fmt}" for t in TABLES}
    assert sorted(out.iterdir()) == sorted(paths)
    counts = {p.stem: len(read_rows(p)) for p in paths}
    assert counts == expected_counts(result)
    articles = {r["id"]: r for r in read_rows(out / f"articles.{fmt}")}
    assert articles["a2"]["text"] == TEXTS["a2"]  # commas and quotes survive
    assert articles["a1"]["text"] == TEXTS["a1"]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_nested_columns_are_json_strings(db: tuple[Path, Result], tmp_path: Path, fmt: str) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    _, result = db
    out = tmp_path / "out"
    list(export_result(result, out, fmt))  # type: ignore[arg-type]
    entities = {r["id"]: r for r in read_rows(out / f"entities.{fmt}")}
    aliases = entities["ent_duarte"]["aliases"]
    assert isinstance(aliases, str)
    assert json.loads(aliases) == ["Ana Duarte", "Duarte"]
    events = {r["id"]: r for r in read_rows(out / f"events.{fmt}")}
    mentions = json.loads(str(events["ev2"]["mentions"]))
    assert [m["article_id"] for m in mentions] == ["a2", "a1"]


def test_jsonl_keeps_nested_values(db: tuple[Path, Result], tmp_path: Path) -> None:
    _, result = db
    list(export_result(result, tmp_path, "jsonl"))
    entities = {r["id"]: r for r in read_rows(tmp_path / "entities.jsonl")}
    assert entities["ent_duarte"]["aliases"] == ["Ana Duarte", "Duarte"]
    (row,) = read_rows(tmp_path / "errors.jsonl")
    assert row == {"source": "broken.html", "reason": "no article text found"}


def test_parquet_keeps_numbers_numeric(db: tuple[Path, Result], tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    _, result = db
    list(export_result(result, tmp_path, "parquet"))
    figures = pd.read_parquet(tmp_path / "figures.parquet")
    assert figures["value"].tolist() == [4000.0]
    assert figures["start"].tolist() == [TEXTS["a2"].index("4,000")]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_empty_result_exports_empty_tables(tmp_path: Path, fmt: str) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    paths = list(export_result(Result(), tmp_path, fmt))  # type: ignore[arg-type]
    assert {p.stem for p in paths} == TABLES
    assert all(read_rows(p) == [] for p in paths)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_cli_export(db: tuple[Path, Result], tmp_path: Path, fmt: str) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    path, result = db
    out = tmp_path / "cli-out"
    run = CliRunner().invoke(app, ["export", "--db", str(path), "--format", fmt, "--out", str(out)])
    assert run.exit_code == 0, run.output
    assert {p.name for p in out.iterdir()} == {f"{t}.{fmt}" for t in TABLES}
    assert run.output.count("wrote ") == len(TABLES)
    assert len(read_rows(out / f"quotes.{fmt}")) == len(result.quotes)
    assert len(read_rows(out / f"event_mentions.{fmt}")) == 3


def test_cli_export_gdelt(db: tuple[Path, Result], tmp_path: Path) -> None:
    gdelt = pytest.importorskip(
        "dateline.export_gdelt", reason="dateline.export_gdelt (events engineer) not written yet"
    )
    path, result = db
    out = tmp_path / "gdelt"
    run = CliRunner().invoke(
        app, ["export", "--db", str(path), "--format", "gdelt", "--out", str(out)]
    )
    assert run.exit_code == 0, run.output
    target = out / "events.gdelt.tsv"
    with target.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    header = target.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert tuple(header) == tuple(gdelt.GDELT_COLUMNS)
    assert len(rows) == len(result.events)
    assert {r["EventCode"] for r in rows} == {"040", "141"}


def test_cli_export_gdelt_to_named_file(db: tuple[Path, Result], tmp_path: Path) -> None:
    pytest.importorskip(
        "dateline.export_gdelt", reason="dateline.export_gdelt (events engineer) not written yet"
    )
    path, _ = db
    target = tmp_path / "nested" / "my-events.tsv"
    run = CliRunner().invoke(app, ["export", "--db", str(path), "-f", "gdelt", "-o", str(target)])
    assert run.exit_code == 0, run.output
    assert target.exists()


def test_cli_export_missing_db_says_how_to_create(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    run = CliRunner().invoke(app, ["export", "--db", str(missing), "--out", str(tmp_path / "o")])
    assert run.exit_code == 3
    assert "dateline analyze" in run.output
    assert not (tmp_path / "o").exists()
