"""End-to-end ``dateline analyze`` through the CLI: contract, bad files, idempotence."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dateline.cli import app

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "demo"
CONTRACT = {
    "articles": {
        "id",
        "source",
        "content_hash",
        "title",
        "outlet",
        "url",
        "language",
        "text",
        "published",
        "published_source",
        "published_range",
        "dateline",
        "story_id",
    },
    "stories": {"id", "title", "article_ids"},
    "entities": {"id", "name", "type", "aliases", "roles", "country", "article_ids"},
    "timexes": {"article_id", "start", "end", "text", "type", "value"},
    "quotes": {
        "id",
        "article_id",
        "start",
        "end",
        "text",
        "kind",
        "speaker",
        "speaker_text",
        "cue",
        "via",
        "same_as",
    },
    "events": {
        "id",
        "type",
        "mode",
        "cameo",
        "actor",
        "target",
        "actor_code",
        "target_code",
        "date",
        "date_precision",
        "location",
        "sentence",
        "mentions",
        "confidence",
    },
    "figures": {
        "article_id",
        "start",
        "end",
        "text",
        "value",
        "unit",
        "measure",
        "agrees_with",
        "conflicts_with",
    },
    "framing": {"outlet", "entity", "terms"},
    "timeline": {
        "date",
        "date_precision",
        "summary",
        "event_ids",
        "article_ids",
        "score",
        "date_disagreement",
    },
    "summary": {"sentence", "article_ids"},
    "errors": {"source", "reason"},
}

GOOD_ONE = (
    "Harbour talks resume in Port Elsin\n\n"
    "PORT ELSIN, June 3 (Meridian Wire) -- Trade Minister Ola Brandt met her Teskan "
    "counterpart Ivo Karel on Tuesday to discuss fishing quotas.\n"
    '"We agreed to meet again in July," Brandt said after the talks.\n'
)
GOOD_TWO = (
    " date 2031-06-04 Teskan Trade Minister Ivo Karel said on Wednesday that the quota "
    "dispute could be settled by the end of the summer. Karel added that 40 trawlers "
    "had been idle since May.\n"
)


def dump(db: Path) -> list[tuple[str, list[tuple[object, ...]]]]:
    """Every table's rows, sorted, to compare database states."""
    conn = sqlite3.connect(db)
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'articles_fts%' "
            "ORDER BY name"
        )
    ]
    out = [(n, sorted(conn.execute(f"SELECT * FROM {n}").fetchall(), key=repr)) for n in names]
    conn.close()
    return out


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mixed")
    (folder / "good_one.txt").write_text(GOOD_ONE, encoding="utf-8")
    (folder / "nested").mkdir()
    (folder / "nested" / "good_two.txt").write_text(GOOD_TWO, encoding="utf-8")
    (folder / "latin1.txt").write_bytes(
        "Café owners in Süderholm said prices rose. Señor Núñez agreed.\n".encode("latin-1")
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    return folder


@pytest.fixture(scope="module")
def analysed(mixed_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out = tmp_path_factory.mktemp("out")
    db, js = out / "t.db", out / "t.json"
    result = CliRunner().invoke(
        app, ["analyze", str(mixed_folder), "--db", str(db), "--json", str(js), "--workers", "1"]
    )
    return {"result": result, "db": db, "json": json.loads(js.read_text(encoding="utf-8"))}


def test_analyze_reports_bad_files_and_keeps_the_rest(analysed: dict[str, object]) -> None:
    result = analysed["result"]
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    data = analysed["json"]
    ids = {a["id"] for a in data["articles"]}  # type: ignore[index]
    assert ids == {"good_one", "nested/good_two", "latin1"}
    reasons = {Path(e["source"]).name: e["reason"] for e in data["errors"]}  # type: ignore[index]
    assert set(reasons) == {"empty.txt", "picture.txt"}
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["picture.txt"]


def test_analyze_decodes_latin1(analysed: dict[str, object]) -> None:
    texts = {a["id"]: a["text"] for a in analysed["json"]["articles"]}  # type: ignore[index]
    assert "Café owners in Süderholm" in texts["latin1"]
    assert "Señor Núñez" in texts["latin1"]


def test_analyze_json_has_every_contract_section(analysed: dict[str, object]) -> None:
    data = analysed["json"]
    assert set(CONTRACT) <= set(data)  # type: ignore[arg-type]
    for section, fields in CONTRACT.items():
        for record in data[section]:  # type: ignore[index]
            assert fields <= set(record), (section, fields - set(record))


def test_analyze_offsets_slice_the_stored_text(analysed: dict[str, object]) -> None:
    data = analysed["json"]
    texts = {a["id"]: a["text"] for a in data["articles"]}  # type: ignore[index]
    for section in ("timexes", "quotes", "figures"):
        for item in data[section]:  # type: ignore[index]
            assert texts[item["article_id"]][item["start"] : item["end"]] == item["text"]


def test_analyze_twice_leaves_database_unchanged(
    mixed_folder: Path, analysed: dict[str, object]
) -> None:
    db = analysed["db"]
    before = dump(db)  # type: ignore[arg-type]
    again = CliRunner().invoke(
        app, ["analyze", str(mixed_folder), "--db", str(db), "--workers", "1"]
    )
    assert again.exit_code == 1
    assert dump(db) == before  # type: ignore[arg-type]


def test_analyze_missing_path_is_reported(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["analyze", str(tmp_path / "nope"), "--db", str(tmp_path / "x.db")]
    )
    assert result.exit_code == 1
    assert "no such file" in result.output


def test_help_teaches_with_examples() -> None:
    result = CliRunner().invoke(app, ["analyze", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "Exit codes" in result.output


def test_search_bad_syntax_is_a_usage_error(analysed: dict[str, object]) -> None:
    result = CliRunner().invoke(app, ["search", '"unbalanced', "--db", str(analysed["db"])])
    assert result.exit_code == 2
    assert "double quotes" in result.output


def test_search_finds_words(analysed: dict[str, object]) -> None:
    result = CliRunner().invoke(app, ["search", "trawlers", "--db", str(analysed["db"])])
    assert result.exit_code == 0, result.output
    assert "good_two" in result.output


def test_read_command_on_missing_db_says_how_to_create(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["search", "x", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 3
    assert "dateline analyze" in result.output
