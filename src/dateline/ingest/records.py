"""Records (JSONL lines, Python mappings, Spark rows) to articles.

Fields: ``id`` and ``text`` required; ``title``, ``url``, ``outlet``, ``published``,
``language`` (and ``author``) optional. A bad record is reported with its position and the
rest of the batch goes on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from dateline.ingest.article import build_article
from dateline.models import Article, IngestError
from dateline.settings import DEFAULT_SETTINGS, Settings

OPTIONAL_FIELDS = ("title", "url", "outlet", "published", "language", "author")


def record_to_article(
    record: Any, source: str, settings: Settings = DEFAULT_SETTINGS
) -> Article | IngestError:
    """One mapping to an Article, or an IngestError saying which field is wrong."""
    if not isinstance(record, Mapping):
        return IngestError(source, f"record is a JSON {type(record).__name__}, not an object")
    raw_id = record.get("id")
    if raw_id is None or (isinstance(raw_id, str) and not raw_id.strip()):
        return IngestError(source, "missing required field 'id'")
    if not isinstance(raw_id, str | int) or isinstance(raw_id, bool):
        return IngestError(source, "field 'id' must be a string or an integer")
    text = record.get("text")
    if not isinstance(text, str):
        return IngestError(source, "missing required field 'text' (a string)")
    meta = {name: record.get(name) for name in OPTIONAL_FIELDS}
    return build_article(
        article_id=str(raw_id).strip(),
        source=source,
        text=text,
        settings=settings,
        **meta,
    )


def read_records(
    records: Iterable[Mapping[str, Any]],
    source: str = "<records>",
    settings: Settings = DEFAULT_SETTINGS,
) -> Iterator[Article | IngestError]:
    """Yield an Article or IngestError per record; ``source`` gets ``:N`` (1-based) appended.

    Args:
        records: mappings with ``id`` and ``text`` and the optional fields.
        source: a name for where the records came from.
        settings: limits (``max_article_chars``).

    Returns:
        An iterator in input order.
    """
    for number, record in enumerate(records, start=1):
        yield record_to_article(record, f"{source}:{number}", settings)


def read_jsonl_text(
    text: str, source: str, settings: Settings = DEFAULT_SETTINGS
) -> Iterator[Article | IngestError]:
    """Yield one Article per JSON line; a broken line becomes an IngestError ``source:LINE``."""
    yield from read_jsonl_lines(text.split("\n"), source, settings)


def read_jsonl_lines(
    lines: Iterable[str | IngestError], source: str, settings: Settings = DEFAULT_SETTINGS
) -> Iterator[Article | IngestError]:
    """:func:`read_jsonl_text` over lines read one at a time (a stream of any length).

    A line the reader could not take (an ``IngestError`` in ``lines``) is passed on as it is.
    """
    for number, line in enumerate(lines, start=1):
        if isinstance(line, IngestError):
            yield line
            continue
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            record = json.loads(line)
        except ValueError as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            yield IngestError(where, f"invalid JSON ({reason}); fix or remove this line")
            continue
        yield record_to_article(record, where, settings)
