"""GDELT 2.0 event-table export."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from dateline.export_gdelt import GDELT_COLUMNS, write_gdelt
from dateline.models import Article, Entity, Event, EventMention


def _fixture() -> tuple[list[Event], list[Entity], list[Article]]:
    arts = [
        Article(id="a1", source="a1.txt", text="x" * 50, content_hash="h1", outlet="Wire One",
                url="https://example.org/a1", published=date(2021, 3, 4)),
        Article(id="a2", source="a2.txt", text="y" * 50, content_hash="h2", outlet="Paper Two",
                published=date(2021, 3, 5)),
    ]  # fmt: skip
    ents = [
        Entity(
            "ent_soto", "Ana Soto", "PERSON", ("Soto",), ("Foreign Minister",), "CHL", ("a1", "a2")
        ),
        Entity("ent_mwangi", "David Mwangi", "PERSON", ("Mwangi",), (), "KEN", ("a1",)),
    ]
    event = Event(
        id="evt_1", type="CONSULT", mode="meet", cameo="040", actor_key="e1", target_key="e2",
        actor_text="Ana Soto", target_text="David Mwangi", actor_code="CHLGOV", target_code="KEN",
        date=date(2021, 3, 3), date_precision="day", location="Nairobi", sentence="s",
        mentions=(EventMention("a1", 0, 10), EventMention("a2", 700, 720)), confidence=0.9,
        actor="ent_soto", target="ent_mwangi",
    )  # fmt: skip
    undated = Event(
        id="evt_2", type="ASSAULT", mode=None, cameo=None, actor_key=None, target_key=None,
        actor_text=None, target_text=None, actor_code=None, target_code=None, date=None,
        date_precision=None, location=None, sentence="s\tt", mentions=(EventMention("a2", 5, 9),),
        confidence=0.3,
    )  # fmt: skip
    return [event, undated], ents, arts


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_write_gdelt_columns_and_values(tmp_path: Path) -> None:
    events, ents, arts = _fixture()
    out = write_gdelt(events, ents, arts, tmp_path / "sub" / "events.tsv")
    header = out.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert tuple(header) == GDELT_COLUMNS
    assert len(GDELT_COLUMNS) == 61
    rows = _read(out)
    assert len(rows) == 2
    row = next(r for r in rows if r["EventCode"] == "040")
    assert row["SQLDATE"] == "20210303"
    assert row["MonthYear"] == "202103"
    assert row["Year"] == "2021"
    assert row["Actor1Code"] == "CHLGOV"
    assert row["Actor1CountryCode"] == "CHL"
    assert row["Actor1Type1Code"] == "GOV"
    assert row["Actor1Name"] == "ANA SOTO"
    assert row["Actor2CountryCode"] == "KEN"
    assert (row["EventBaseCode"], row["EventRootCode"], row["QuadClass"]) == ("040", "04", "1")
    assert row["GoldsteinScale"] == "1.0"
    assert (row["NumMentions"], row["NumSources"], row["NumArticles"]) == ("2", "2", "2")
    assert row["AvgTone"] == ""
    assert row["ActionGeo_FullName"] == "Nairobi"
    assert row["ActionGeo_CountryCode"] == "KEN"
    assert row["SOURCEURL"] == "https://example.org/a1"
    assert row["DATEADDED"] == "20210305000000"
    assert row["GLOBALEVENTID"].isdigit()


def test_write_gdelt_undated_event_uses_article_date_and_empty_codes(tmp_path: Path) -> None:
    events, ents, arts = _fixture()
    rows = _read(write_gdelt(events, ents, arts, tmp_path / "e.tsv"))
    row = next(r for r in rows if r["EventCode"] == "")
    assert row["SQLDATE"] == "20210305"
    assert row["Actor1Code"] == ""
    assert row["QuadClass"] == ""


def test_write_gdelt_is_deterministic(tmp_path: Path) -> None:
    events, ents, arts = _fixture()
    a = write_gdelt(events, ents, arts, tmp_path / "a.tsv").read_bytes()
    b = write_gdelt(events[::-1], ents, arts, tmp_path / "b.tsv").read_bytes()
    assert a == b
