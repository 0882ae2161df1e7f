"""read_inputs / read_records: formats, ids, metadata and per-file errors."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest

from dateline.ingest import read_inputs, read_records
from dateline.models import Article, IngestError
from dateline.settings import Settings
from dateline.text import content_hash

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def _read(*paths: str | Path, settings: Settings | None = None) -> list[Article | IngestError]:
    if settings is None:
        return list(read_inputs(paths))
    return list(read_inputs(paths, settings))


def _one_article(path: Path) -> Article:
    items = _read(path)
    assert len(items) == 1
    item = items[0]
    assert isinstance(item, Article), item
    return item


def _one_error(path: Path) -> IngestError:
    items = _read(path)
    assert len(items) == 1
    item = items[0]
    assert isinstance(item, IngestError), item
    return item


def test_read_inputs_metadata_line_is_parsed_and_cut():
    article = _one_article(FIXTURES / "metadata_line.txt")
    assert article.text.startswith("Officials in the port town")
    assert article.published == date(2021, 3, 14)
    assert article.published_source == "metadata"
    assert article.published_precision == "day"
    assert article.published_range == (date(2021, 3, 14), date(2021, 3, 14))
    assert article.id == "metadata_line"
    assert article.content_hash == content_hash(article.text)


def test_read_inputs_headline_becomes_title_and_stays_in_text():
    article = _one_article(FIXTURES / "headline.txt")
    assert article.title == "Harbour Council Approves New Ferry Schedule"
    assert article.text.startswith(article.title + "\n\nThe harbour council")


def test_read_inputs_key_value_headers():
    article = _one_article(FIXTURES / "headers.txt")
    assert article.title == "Ferry strike ends after three days"
    assert article.published == date(2020, 7, 2)
    assert article.outlet == "Lindmark Gazette"
    assert article.outlet_source == "metadata"
    assert article.url == "https://www.lindmark-gazette.example/news/ferry-strike"
    assert article.text.startswith("The ferry strike")


def test_read_inputs_html_uses_trafilatura_metadata():
    article = _one_article(FIXTURES / "page.html")
    assert article.title == "Lindmark opens new library"
    assert article.author == "Mara Quill"
    assert article.outlet == "Northshore Courier"
    assert article.published == date(2022, 9, 18)
    assert "children's wing would open in November" in article.text
    assert "Privacy" not in article.text
    assert "Weather" not in article.text


def test_read_inputs_jsonl_broken_line_reported_rest_goes_on():
    items = _read(FIXTURES / "articles.jsonl")
    assert [getattr(i, "id", None) for i in items] == ["j1", "j2", None, None, "7"]
    broken, missing = items[2], items[3]
    assert isinstance(broken, IngestError)
    assert broken.source.endswith("articles.jsonl:3")
    assert "invalid JSON" in broken.reason
    assert isinstance(missing, IngestError)
    assert "'id'" in missing.reason
    first, second = items[0], items[1]
    assert isinstance(first, Article)
    assert (first.title, first.outlet, first.language) == ("Third ferry", "Lindmark Gazette", "en")
    assert isinstance(second, Article)
    assert second.published_precision == "month"
    assert second.published_range == (date(2021, 5, 1), date(2021, 5, 31))


def test_read_inputs_rss_entries():
    items = _read(FIXTURES / "feed.rss")
    assert all(isinstance(i, Article) for i in items)
    first, second = items
    assert isinstance(first, Article)
    assert isinstance(second, Article)
    assert first.id == "gazette-0001"
    assert second.id == "https://lindmark-gazette.example/news/market-day"
    assert (
        first.text
        == "The northern pier of Lindmark reopened on Monday.\n\nBoats lined up early to moor."
    )
    assert first.outlet == "Lindmark Gazette"
    assert first.published == date(2021, 3, 15)
    assert first.language == "en"
    assert first.title == "Pier reopens"


def test_read_inputs_atom_entry():
    article = _one_article(FIXTURES / "feed.atom")
    assert article.id == "urn:northshore-courier:entry-42"
    assert article.url == "https://www.northshore-courier.example/2022/09/19/bridge"
    assert article.outlet == "Northshore Courier"
    assert "<p>" not in article.text
    assert article.text.endswith("Traffic will be diverted for six weeks.")


def test_read_inputs_directory_sorted_recursive_relative_ids(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.txt").write_text("Second file text here.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("First file text here.", encoding="utf-8")
    (tmp_path / ".secret.txt").write_text("Hidden text.", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "c.txt").write_text("Hidden folder.", encoding="utf-8")
    items = _read(tmp_path)
    assert [getattr(i, "id", None) for i in items] == ["a", "b/x"]
    assert items[1].source == str(tmp_path / "b" / "x.txt")


def test_read_inputs_same_stem_disambiguated(tmp_path):
    (tmp_path / "story.txt").write_text("Plain story text.", encoding="utf-8")
    (tmp_path / "story.md").write_text("Markdown story text.", encoding="utf-8")
    ids = [getattr(i, "id", None) for i in _read(tmp_path)]
    assert ids == ["story", "story.txt"]
    assert [getattr(i, "id", None) for i in _read(tmp_path)] == ids  # deterministic


def test_read_inputs_gz_dispatches_on_inner_extension(tmp_path):
    html = (FIXTURES / "page.html").read_bytes()
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(html))
    article = _one_article(tmp_path / "page.html.gz")
    assert article.id == "page"
    assert article.title == "Lindmark opens new library"


def test_read_inputs_truncated_gz(tmp_path):
    data = gzip.compress(("Some news text. " * 200).encode())
    (tmp_path / "cut.txt.gz").write_bytes(data[: len(data) // 2])
    assert "truncated" in _one_error(tmp_path / "cut.txt.gz").reason


def test_read_inputs_latin1_file_decoded(tmp_path):
    text = "Le café du port a rouvert lundi, a déclaré la mairie de Saint-Étienne. Très bien."
    (tmp_path / "fr.txt").write_bytes(text.encode("latin-1"))
    assert _one_article(tmp_path / "fr.txt").text == text


def test_read_inputs_cp1252_quotes_decoded(tmp_path):
    text = "The mayor said: \u201cWe are ready\u201d \u2013 and nobody disagreed."
    (tmp_path / "q.txt").write_bytes(text.encode("cp1252"))
    assert _one_article(tmp_path / "q.txt").text == text


def test_read_inputs_utf16_bom_decoded(tmp_path):
    (tmp_path / "u.txt").write_bytes("Ferry news in UTF-16.".encode("utf-16"))
    assert _one_article(tmp_path / "u.txt").text == "Ferry news in UTF-16."


def test_read_inputs_crlf_and_nfc_normalised(tmp_path):
    (tmp_path / "n.txt").write_bytes("Cafe\u0301 one.\r\nLine two.\r\n".encode())
    assert _one_article(tmp_path / "n.txt").text == "Caf\u00e9 one.\nLine two."


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "empty file"),
        ("doc.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "looks like PDF"),
        ("img.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like PNG"),
        ("photo.html", b"\xff\xd8\xff\xe0\x00\x10JFIF", "looks like JPEG"),
        ("arch.txt", b"PK\x03\x04\x14\x00\x00\x00", "looks like ZIP"),
        ("packed.txt", gzip.compress(b"hello"), "looks like gzip"),
        ("noise.dat", bytes(range(256)) * 4, "binary file"),
    ],
)
def test_read_inputs_bad_files(tmp_path, name, data, needle):
    (tmp_path / name).write_bytes(data)
    assert needle in _one_error(tmp_path / name).reason


def test_read_inputs_file_over_size_limit(tmp_path):
    (tmp_path / "big.txt").write_text("word " * 100, encoding="utf-8")
    items = _read(tmp_path / "big.txt", settings=Settings(max_file_bytes=100))
    assert isinstance(items[0], IngestError)
    assert "max_file_bytes" in items[0].reason
    assert "100" in items[0].reason


def test_read_inputs_article_over_char_limit(tmp_path):
    (tmp_path / "long.txt").write_text("word " * 100, encoding="utf-8")
    items = _read(tmp_path / "long.txt", settings=Settings(max_article_chars=50))
    assert isinstance(items[0], IngestError)
    assert "max_article_chars" in items[0].reason


def test_read_inputs_missing_path_and_batch_goes_on(tmp_path):
    (tmp_path / "ok.txt").write_text("A fine article.", encoding="utf-8")
    items = _read(tmp_path / "nope.txt", tmp_path / "ok.txt")
    assert isinstance(items[0], IngestError)
    assert isinstance(items[1], Article)


@pytest.mark.parametrize(
    ("name", "content", "expected_id"),
    [
        (
            "feedfile",
            (FIXTURES / "feed.atom").read_text(encoding="utf-8"),
            "urn:northshore-courier:entry-42",
        ),
        ("pagefile", (FIXTURES / "page.html").read_text(encoding="utf-8"), "pagefile"),
        ("notes", "Just some plain notes about the harbour.", "notes"),
    ],
)
def test_read_inputs_unknown_extension_is_sniffed(tmp_path, name, content, expected_id):
    (tmp_path / name).write_text(content, encoding="utf-8")
    article = _one_article(tmp_path / name)
    assert article.id == expected_id
    assert "<" not in article.text


@pytest.mark.parametrize(
    ("record", "needle"),
    [
        ({"text": "No id here."}, "'id'"),
        ({"id": "", "text": "Empty id."}, "'id'"),
        ({"id": "r1"}, "'text'"),
        ({"id": "r1", "text": 42}, "'text'"),
        ({"id": "r1", "text": "   "}, "no text"),
        ({"id": ["x"], "text": "List id."}, "'id'"),
    ],
)
def test_read_records_errors(record, needle):
    (item,) = read_records([record], source="batch")
    assert isinstance(item, IngestError)
    assert item.source == "batch:1"
    assert needle in item.reason


def test_read_records_fields_and_bad_date_ignored():
    records = [
        {"id": "a", "text": "Text one.", "published": "2019-05-05T10:00:00Z", "language": "EN"},
        {"id": "b", "text": "Text two.", "published": "not a date", "outlet": "Gazette"},
    ]
    first, second = read_records(records)
    assert isinstance(first, Article)
    assert (first.published, first.language, first.source) == (
        date(2019, 5, 5),
        "en",
        "<records>:1",
    )
    assert isinstance(second, Article)
    assert second.published is None
    assert (second.outlet, second.outlet_source) == ("Gazette", "metadata")


def _records(n: int) -> list[str]:
    return [f'{{"id": "r{i}", "text": "Record number {i} says the dam held."}}' for i in range(n)]


def test_jsonl_streams_past_the_file_size_limit(tmp_path):
    # JSONL is read a line at a time: the byte limit bounds one record, not the file.
    lines = _records(20)
    (tmp_path / "many.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _read(tmp_path / "many.jsonl", settings=Settings(max_file_bytes=100))
    assert [a.id for a in items if isinstance(a, Article)] == [f"r{i}" for i in range(20)]


def test_jsonl_overlong_and_non_utf8_lines_are_reported_the_rest_read(tmp_path):
    # A bad byte past the first 64 KB: the file streams as UTF-8 and only that line fails.
    lines = [line.encode() for line in _records(2000)]
    lines[1] = b'{"id": "big", "text": "' + b"x" * 300 + b'"}'
    lines[1500] = b'{"id": "bad", "text": "caf\xe9 au lait"}'
    (tmp_path / "mixed.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    items = _read(tmp_path / "mixed.jsonl", settings=Settings(max_file_bytes=200))
    read = [a.id for a in items if isinstance(a, Article)]
    assert len(read) == 1998
    assert "big" not in read
    assert "bad" not in read
    assert read[-1] == "r1999"
    errors = {e.source.rsplit(":", 1)[1]: e.reason for e in items if isinstance(e, IngestError)}
    assert set(errors) == {"2", "1501"}
    assert "max_file_bytes" in errors["2"]
    assert "UTF-8" in errors["1501"]


def test_jsonl_truncated_gzip_keeps_the_lines_before_the_damage(tmp_path):
    whole = gzip.compress(("\n".join(_records(2000)) + "\n").encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(whole[: len(whole) * 2 // 3])
    items = _read(tmp_path / "cut.jsonl.gz")
    read = [a for a in items if isinstance(a, Article)]
    assert 100 < len(read) < 2000
    assert [a.id for a in read] == [f"r{i}" for i in range(len(read))]
    assert isinstance(items[-1], IngestError)
    assert "corrupt gzip" in items[-1].reason


def test_jsonl_in_another_encoding_is_still_decoded_whole(tmp_path):
    data = '{"id": "l1", "text": "Le café de la gare a rouvert ses portes."}\n'
    (tmp_path / "latin.jsonl").write_bytes(data.encode("cp1252"))
    (article,) = _read(tmp_path / "latin.jsonl")
    assert isinstance(article, Article)
    assert "café" in article.text
