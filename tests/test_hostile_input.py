"""Hostile input: a folder of broken, binary, oversized and adversarial files.

Every bad file must become one clear ``IngestError`` (or be read safely), the batch must go
on, and every good article must come out. Checked through ``read_inputs`` (fast) and once
end to end through the CLI (``dateline analyze`` on the whole folder, real spaCy model).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sqlite3
import time
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dateline.cli import app
from dateline.ingest import read_inputs
from dateline.models import Article, IngestError
from dateline.settings import DEFAULT_SETTINGS, SETTINGS_HELP, Settings

REPO = Path(__file__).resolve().parents[1]
SMALL_LIMIT = 1_000_000  # the test limit: the "huge" file is 3 MB

GOOD = (
    "Officials in the capital said on Monday that talks with the neighbouring delegation "
    "would resume next week, according to a short statement from the ministry."
)

# Entity-expansion bomb: ten levels of ten references, 10^9 "lol"s if a parser expanded it.
_BOMB_ENTITIES = "".join(
    f'<!ENTITY lol{i} "' + (f"&lol{i - 1};" if i > 1 else "&lol;") * 10 + '">\n'
    for i in range(1, 10)
)
BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + _BOMB_ENTITIES
    + ']>\n<rss version="2.0"><channel><title>Bomb Wire</title>'
    + "<item><guid>bomb-1</guid><title>t</title><description>&lol9;</description></item>"
    + "</channel></rss>"
)


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("story.txt", GOOD)
    return buffer.getvalue()


def _nested_html(depth: int) -> str:
    return (
        "<html><head><title>Deep</title></head><body>"
        + "<div>" * depth
        + f"<p>{GOOD} {GOOD} {GOOD}</p>"
        + "</div>" * depth
        + "</body></html>"
    )


# name -> (bytes, expected: "error:<substring of reason>" or the article id(s) it must yield)
def _hostile_files() -> dict[str, tuple[bytes, tuple[str, ...]]]:
    gz = gzip.compress((GOOD + "\n").encode() * 40)
    sparse_nuls = (GOOD + " ") * 20
    sparse_nuls = sparse_nuls[:500] + "\x00" + sparse_nuls[500:1500] + "\x00" + sparse_nuls[1500:]
    return {
        "empty.txt": (b"", ("error:empty file",)),
        "blank.txt": (b"  \n\n\t \n", ("error:empty file",)),
        "image.txt": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, ("error:PNG",)),
        "paper.txt": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", ("error:PDF",)),
        "bundle.txt": (_zip_bytes(), ("error:ZIP",)),
        "noise.txt": (bytes((i * 37) % 32 for i in range(2048)), ("error:binary",)),
        "truncated.txt.gz": (gz[: len(gz) // 2], ("error:truncated or corrupt gzip",)),
        "notgzip.txt.gz": (GOOD.encode(), ("error:gzip",)),
        "good_gz.txt.gz": (gzip.compress(f"Gzipped wire\n\n{GOOD}".encode()), ("good_gz",)),
        "invalid_utf8.txt": (
            GOOD.encode() + b"\n\xff\xfe\xc3\x28 caf\xe9 na\xefve " + "Zürich".encode(),
            ("invalid_utf8",),
        ),
        "latin1.txt": (("Café owners in Montréal said " + GOOD).encode("latin-1"), ("latin1",)),
        "utf16.txt": (("Ünïcode sixteen. " + GOOD).encode("utf-16"), ("utf16",)),
        "records.jsonl": (
            "\n".join(
                [
                    json.dumps({"id": "jl-1", "text": GOOD}),
                    '{"id": "jl-2", "text": "unterminated',
                    "[1, 2, 3]",
                    json.dumps({"id": "jl-4", "text": GOOD + " Later."}),
                    json.dumps({"text": "no id"}),
                ]
            ).encode(),
            ("jl-1", "jl-4", "error:invalid JSON", "error:not an object", "error:'id'"),
        ),
        "deep.html": (_nested_html(5000).encode(), ("error:no article text",)),
        "malformed.html": (
            (
                "<html><body><p>" + GOOD + " " + GOOD + "<div><span><b><i></p></div>"
                "< / > <<<>>> &bogus; <a href='x' <p>" + GOOD + "</body>"
            ).encode(),
            ("malformed",),
        ),
        "bomb.rss": (BOMB.encode(), ("bomb-1",)),
        "broken_feed.xml": (
            (
                '<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title>'
                f"<item><guid>bf-1</guid><title>A</title><description>{GOOD}</description></item>"
                "<item><title>B<description>unclosed"
            ).encode(),
            ("bf-1",),
        ),
        "garbage_feed.rss": (b"<rss><<<&&&", ("error:",)),
        "sparse_nul.txt": (sparse_nuls.encode(), ("sparse_nul",)),
        "dense_nul.txt": (GOOD.encode().replace(b" ", b" \x00"), ("error:binary",)),
        # 60,000 characters, no newline: 12,000 tokens (spaCy: ~3k tokens/s on 2 busy cores).
        "long_line.txt": ((GOOD + " " + "word " * 12_000).encode(), ("long_line",)),
        "long_word.txt": ((GOOD + "\n" + "a" * 100_000 + "\n" + GOOD).encode(), ("long_word",)),
        "rtl_zw.txt": (
            (
                "\u202eReversed\u202c text and \u200bzero\u200dwidth\u2060 joiners; "
                "قال المتحدث باسم الوزارة " + GOOD + "\u200f"
            ).encode(),
            ("rtl_zw",),
        ),
        "surrogates.jsonl": (
            (
                '{"id": "sur-\\udc80", "title": "T \\ud800", "text": "Lone \\ud800 surrogate. '
                + GOOD
                + '"}\n'
            ).encode(),
            ("sur-\ufffd",),
        ),
        "control_only.txt": (b"\x01\x02\x03\x04\x05\x06\x07\x08" * 64, ("error:binary",)),
        "ok_one.txt": (f"Border talks\n\n{GOOD}".encode(), ("ok_one",)),
        "ok_two.md": (f"Second story\n\n{GOOD} Another detail.".encode(), ("ok_two",)),
    }


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, (data, _expected) in _hostile_files().items():
        (folder / name).write_bytes(data)
    # A 3 MB file written sparsely (truncate: no 3 MB of writes), over the 1 MB test limit.
    with (folder / "huge.txt").open("wb") as handle:
        handle.truncate(3 * SMALL_LIMIT)
    return folder


def _by_source(items: list[Article | IngestError]) -> dict[str, list[Article | IngestError]]:
    out: dict[str, list[Article | IngestError]] = {}
    for item in items:
        name = Path(item.source.split("#")[0].rsplit(":", 1)[0]).name
        out.setdefault(name, []).append(item)
    return out


@pytest.fixture(scope="module")
def ingested(hostile_folder: Path) -> list[Article | IngestError]:
    started = time.monotonic()
    items = list(read_inputs([hostile_folder], Settings(max_file_bytes=SMALL_LIMIT)))
    assert time.monotonic() - started < 20, "hostile folder took too long to read"
    return items


@pytest.mark.parametrize("name", sorted(_hostile_files()))
def test_read_inputs_hostile_file_gives_clear_result(
    name: str, ingested: list[Article | IngestError]
) -> None:
    expected = _hostile_files()[name][1]
    got = _by_source(ingested).get(name, [])
    assert got, f"{name} produced nothing at all"
    errors = [i for i in got if isinstance(i, IngestError)]
    ids = {i.id for i in got if isinstance(i, Article)}
    for want in expected:
        if want.startswith("error:"):
            needle = want.removeprefix("error:")
            assert any(needle in e.reason for e in errors), (name, errors)
        else:
            assert want in ids, (name, got)
    for error in errors:
        assert error.reason, error
        assert len(error.reason) < 300, error


def test_read_inputs_undecodable_file_name_is_storable(tmp_path: Path) -> None:
    """A file name that is not UTF-8 gives a U+FFFD id, not a crash when it is stored."""
    folder = os.fsencode(tmp_path)
    fd = os.open(folder + b"/bad\xffname.txt", os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, GOOD.encode())
    os.close(fd)
    os.close(os.open(folder + b"/empty\xfe.txt", os.O_WRONLY | os.O_CREAT, 0o644))
    items = list(read_inputs([tmp_path]))
    assert {i.id for i in items if isinstance(i, Article)} == {"bad\ufffdname"}
    for item in items:
        item.source.encode("utf-8")  # storable: no lone surrogates left


def test_read_inputs_symlink_loop_walked_once(tmp_path: Path) -> None:
    """A link back to a parent folder neither loops nor stores the same file 40 times."""
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to("..")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    items = list(read_inputs([tmp_path]))
    assert [i.id for i in items if isinstance(i, Article)] == ["a"]


def test_read_inputs_unreadable_folder_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text(GOOD, encoding="utf-8")
    real_iterdir = Path.iterdir

    def iterdir(self: Path) -> Any:
        if self.name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    items = list(read_inputs([tmp_path]))
    assert [i.id for i in items if isinstance(i, Article)] == ["a"]
    (error,) = [i for i in items if isinstance(i, IngestError)]
    assert error.source.endswith("locked")
    assert "cannot read folder: Permission denied" in error.reason


def test_read_inputs_huge_file_rejected_with_limit(ingested: list[Article | IngestError]) -> None:
    (error,) = _by_source(ingested)["huge.txt"]
    assert isinstance(error, IngestError)
    assert "3,000,000 bytes" in error.reason
    assert "max_file_bytes" in error.reason


def test_read_inputs_keeps_every_good_article(ingested: list[Article | IngestError]) -> None:
    wanted = {w for _, exp in _hostile_files().values() for w in exp if not w.startswith("error:")}
    got = {i.id for i in ingested if isinstance(i, Article)}
    assert wanted <= got
    for article in ingested:
        if isinstance(article, Article):
            assert "\x00" not in article.text
            assert article.text.strip()


def test_read_inputs_bomb_is_not_expanded(ingested: list[Article | IngestError]) -> None:
    (bomb,) = _by_source(ingested)["bomb.rss"]
    assert isinstance(bomb, Article)
    assert len(bomb.text) < 1000  # a billion "lol"s would be ~3 GB
    assert "lollollol" not in bomb.text


def test_read_inputs_long_word_kept_whole(ingested: list[Article | IngestError]) -> None:
    (article,) = _by_source(ingested)["long_word.txt"]
    assert isinstance(article, Article)
    assert "a" * 100_000 in article.text


def test_read_inputs_rtl_and_zero_width_preserved(ingested: list[Article | IngestError]) -> None:
    (article,) = _by_source(ingested)["rtl_zw.txt"]
    assert isinstance(article, Article)
    assert "\u202e" in article.text
    assert "\u200b" in article.text


def test_max_article_chars_rejects_long_article(hostile_folder: Path) -> None:
    long_line = hostile_folder / "long_line.txt"
    items = list(read_inputs([long_line], Settings(max_article_chars=10_000)))
    (error,) = items
    assert isinstance(error, IngestError)
    assert "max_article_chars" in error.reason


def test_default_limits_are_documented() -> None:
    assert DEFAULT_SETTINGS.max_file_bytes == 50_000_000
    assert "max_file_bytes" in SETTINGS_HELP
    assert "max_article_chars" in SETTINGS_HELP
    doc = (REPO / "docs" / "RELIABILITY.md").read_text(encoding="utf-8")
    assert "max_file_bytes" in doc
    assert "50,000,000" in doc
    assert "max_article_chars" in doc
    assert "1,000,000" in doc
    result = CliRunner().invoke(app, ["analyze", "--help"], env={"COLUMNS": "200"})
    assert "--max-file-bytes" in result.output


def test_gzip_bomb_stops_at_the_limit(tmp_path: Path) -> None:
    """A small .gz that inflates to 20 MB is cut off at max_file_bytes, not inflated whole."""
    bomb = tmp_path / "zip_bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a" * 20_000_000, compresslevel=9))
    assert bomb.stat().st_size < 100_000
    tracemalloc.start()
    try:
        (error,) = list(read_inputs([bomb], Settings(max_file_bytes=SMALL_LIMIT)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(error, IngestError)
    assert "decompressed" in error.reason
    assert peak < 10 * SMALL_LIMIT


def test_cli_analyze_hostile_folder_end_to_end(hostile_folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "hostile.db"
    result = CliRunner().invoke(
        app,
        [
            "analyze",
            str(hostile_folder),
            "--db",
            str(db),
            "--workers",
            "1",
            "-q",
            "--max-file-bytes",
            str(SMALL_LIMIT),
        ],
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output  # 1 = some inputs unreadable, rest analysed
    wanted = {w for _, exp in _hostile_files().values() for w in exp if not w.startswith("error:")}
    with sqlite3.connect(db) as conn:
        stored = {r[0] for r in conn.execute("SELECT id FROM articles")}
        analysed = {r[0] for r in conn.execute("SELECT article_id FROM analyses")}
        sources = [r[0] for r in conn.execute("SELECT source FROM errors")]
        errors = {Path(s.rsplit(":", 1)[0]).name for s in sources}
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert wanted <= stored
    assert stored == analysed
    assert {"empty.txt", "image.txt", "huge.txt", "truncated.txt.gz", "deep.html"} <= errors


@pytest.mark.slow
def test_read_inputs_real_200mb_file_rejected_without_reading(tmp_path: Path) -> None:
    """A real (non-sparse) 200 MB file over the default limit: rejected from its size alone."""
    huge = tmp_path / "huge.txt"
    block = (GOOD + "\n").encode() * 6_000  # ~1 MB
    with huge.open("wb") as handle:
        while handle.tell() < 200_000_000:
            handle.write(block)
    tracemalloc.start()
    started = time.monotonic()
    try:
        (error,) = list(read_inputs([huge]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(error, IngestError)
    assert "max_file_bytes" in error.reason
    assert peak < 5_000_000
    assert time.monotonic() - started < 5
