"""Files and folders to articles: walking, size limits, gzip, decoding, format dispatch.

Every problem with one file becomes an ``IngestError`` with a reason a person can act on;
the batch goes on. Nothing here raises for bad input.
"""

from __future__ import annotations

import codecs
import gzip
import io
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from dateline.ingest.article import build_article, scrub_surrogates
from dateline.ingest.decode import bom_encoding, declared_charset, decode_bytes, sniff_binary
from dateline.ingest.feed import looks_like_feed, read_feed_text
from dateline.ingest.html import extract_html
from dateline.ingest.plaintext import parse_plain_text
from dateline.ingest.records import read_jsonl_lines, read_jsonl_text
from dateline.models import Article, IngestError
from dateline.settings import DEFAULT_SETTINGS, Settings

TEXT_EXTENSIONS = frozenset({".txt", ".text", ".md"})
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})
JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson"})
FEED_EXTENSIONS = frozenset({".xml", ".rss", ".atom"})

_HTML_SNIFF = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]", re.IGNORECASE)


class _Ids:
    """Deterministic article ids from paths: the stem, made unique within one run."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def claim(self, base: str, fallback: str) -> str:
        candidate = base
        if candidate in self.used:
            candidate = fallback
        number = 2
        while candidate in self.used:
            candidate = f"{fallback}~{number}"
            number += 1
        self.used.add(candidate)
        return candidate


def _inner_name(path: Path) -> tuple[str, str]:
    """(name without .gz, inner extension): ``a.html.gz`` -> (``a.html``, ``.html``)."""
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    return name, Path(name).suffix.lower()


def _id_base(path: Path, root: Path | None) -> tuple[str, str]:
    """(id, id with extension) for ``path``: relative to ``root`` when walked from a folder."""
    name, suffix = _inner_name(path)
    rel_parent = path.parent.relative_to(root).as_posix() if root else ""
    prefix = "" if rel_parent in ("", ".") else rel_parent + "/"
    stem = name[: -len(suffix)] if suffix else name
    return prefix + stem, prefix + name


def _walk(path: Path, seen: set[Path] | None = None) -> Iterator[Path | IngestError]:
    """Files under a folder, sorted, skipping hidden files and folders.

    A folder reached twice through symlinks (a loop, or two links to one folder) is walked
    once, and an unreadable folder becomes an error instead of ending the batch.
    """
    seen = set() if seen is None else seen
    real = path.resolve()
    if real in seen:
        return
    seen.add(real)
    try:
        children = sorted(path.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        yield IngestError(scrub_surrogates(str(path)), f"cannot read folder: {exc.strerror or exc}")
        return
    for child in children:
        if child.name.startswith("."):
            continue
        if child.is_dir():
            yield from _walk(child, seen)
        elif child.is_file():
            yield child


def _read_bytes(path: Path, source: str, settings: Settings) -> bytes | IngestError:
    limit = settings.max_file_bytes
    too_big = (
        f"over the max_file_bytes limit ({limit:,} bytes); raise max_file_bytes or split the file"
    )
    try:
        size = path.stat().st_size
        if size > limit:
            return IngestError(source, f"file is {size:,} bytes, {too_big}")
        data = path.read_bytes()
    except OSError as exc:
        return IngestError(source, f"cannot read file: {exc.strerror or exc}")
    if path.name.lower().endswith(".gz"):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
                data = handle.read(limit + 1)
        except (EOFError, OSError, zlib.error):
            return IngestError(
                source, "truncated or corrupt gzip file; re-download or re-compress it"
            )
        if len(data) > limit:
            return IngestError(source, f"decompressed file is {too_big}")
    return data


def _kind(suffix: str, text: str) -> str:
    if suffix in TEXT_EXTENSIONS:
        return "text"
    if suffix in HTML_EXTENSIONS:
        return "html"
    if suffix in JSONL_EXTENSIONS:
        return "jsonl"
    if suffix in FEED_EXTENSIONS:
        return "feed"
    if looks_like_feed(text):
        return "feed"
    if _HTML_SNIFF.search(text[:4096]):
        return "html"
    return "text"


# JSON lines are read one line at a time, so a JSONL file of any size streams through in
# little memory; ``max_file_bytes`` then bounds one line (one record), not the whole file.
_HEAD_BYTES = 1 << 16


def _open(path: Path) -> BinaryIO:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _jsonl_head(path: Path, source: str) -> bytes | IngestError | None:
    """The first bytes of a JSONL file when it can stream as UTF-8; None: read it whole."""
    try:
        with _open(path) as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError as exc:  # also gzip.BadGzipFile
        return IngestError(source, f"cannot read file: {exc.strerror or exc}")
    except (EOFError, zlib.error):
        return None  # the whole-file reader reports the corrupt gzip
    if bom_encoding(head) not in (None, "utf-8-sig"):
        return None
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return None  # another encoding: detected on the whole file
    return head


def _utf8_lines(path: Path, source: str, limit: int) -> Iterator[str | IngestError]:
    """The file's lines decoded as UTF-8, one item per line (an error for a bad line)."""
    too_long = f"line is over the max_file_bytes limit ({limit:,} bytes); split the record"
    number = 0
    try:
        with _open(path) as handle:
            while raw := handle.readline(limit + 1):
                number += 1
                if len(raw) > limit and not raw.endswith(b"\n"):
                    while (rest := handle.readline(limit)) and not rest.endswith(b"\n"):
                        pass
                    yield IngestError(f"{source}:{number}", too_long)
                    continue
                try:
                    yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError:
                    yield IngestError(
                        f"{source}:{number}", "line is not UTF-8; save the file as UTF-8"
                    )
    except (EOFError, OSError, zlib.error):
        yield IngestError(
            f"{source}:{number + 1}",
            "truncated or corrupt gzip data from this line on (the lines before it were read); "
            "re-download or re-compress the file",
        )


def _stream_jsonl(
    path: Path, source: str, settings: Settings
) -> Iterator[Article | IngestError] | None:
    """Articles from a UTF-8 JSONL file read line by line; None when it must be read whole."""
    head = _jsonl_head(path, source)
    if head is None:
        return None
    if isinstance(head, IngestError):
        return iter([head])
    if not head.strip():
        return iter([IngestError(source, "empty file")])
    binary = sniff_binary(head)
    if binary:
        reason = f"binary file (looks like {binary}), not text; convert it first"
        return iter([IngestError(source, reason)])
    return read_jsonl_lines(_utf8_lines(path, source, settings.max_file_bytes), source, settings)


def read_file(
    path: Path, article_id: str, settings: Settings = DEFAULT_SETTINGS
) -> Iterator[Article | IngestError]:
    """Read one file (any supported format, optionally gzipped) into articles or errors."""
    source = scrub_surrogates(str(path))  # an undecodable file name must still be storable
    if _inner_name(path)[1] in JSONL_EXTENSIONS:
        streamed = _stream_jsonl(path, source, settings)
        if streamed is not None:
            yield from streamed
            return
    data = _read_bytes(path, source, settings)
    if isinstance(data, IngestError):
        yield data
        return
    if not data.strip():
        yield IngestError(source, "empty file")
        return
    binary = sniff_binary(data)
    if binary:
        yield IngestError(source, f"binary file (looks like {binary}), not text; convert it first")
        return
    text = decode_bytes(data, declared_charset(data))
    if text is None:
        yield IngestError(source, "cannot decode the file as text; save it as UTF-8")
        return
    kind = _kind(_inner_name(path)[1], text)
    if kind == "jsonl":
        yield from read_jsonl_text(text, source, settings)
    elif kind == "feed":
        yield from read_feed_text(text, source, article_id, settings)
    elif kind == "html":
        fields = extract_html(text)
        if fields is None:
            yield IngestError(source, "no article text found in the HTML page")
            return
        yield build_article(
            article_id=article_id,
            source=source,
            text=fields["text"] or "",
            settings=settings,
            title=fields["title"],
            url=fields["url"],
            outlet=fields["sitename"],
            author=fields["author"],
            published=fields["date"],
        )
    else:
        parts = parse_plain_text(text)
        yield build_article(
            article_id=article_id,
            source=source,
            text=parts.text,
            settings=settings,
            title=parts.title,
            url=parts.meta.get("url"),
            outlet=parts.meta.get("outlet"),
            author=parts.meta.get("author"),
            language=parts.meta.get("language"),
            published=parts.meta.get("date"),
        )


def read_inputs(
    paths: Iterable[str | Path], settings: Settings = DEFAULT_SETTINGS
) -> Iterator[Article | IngestError]:
    """Read files and folders (recursively, sorted, hidden files skipped) into articles.

    Args:
        paths: files or folders; ``.txt/.md``, ``.html``, ``.jsonl``, ``.xml/.rss/.atom``, any
            of them ``.gz``-compressed; other extensions are sniffed.
        settings: limits (``max_file_bytes``, ``max_article_chars``).

    Returns:
        An iterator of ``Article`` or ``IngestError`` (one per bad file, line or entry); it
        never raises for bad input.
    """
    ids = _Ids()
    for given in paths:
        root = Path(given)
        if root.is_dir():
            files: Iterable[tuple[Path | IngestError, Path | None]] = (
                (f, root) for f in _walk(root)
            )
        elif root.is_file():
            files = [(root, None)]
        else:
            yield IngestError(scrub_surrogates(str(given)), "no such file or folder")
            continue
        for path, base in files:
            if isinstance(path, IngestError):
                yield path
                continue
            stem_id, full_id = _id_base(path, base)
            yield from read_file(path, ids.claim(stem_id, full_id), settings)
