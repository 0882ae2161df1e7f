"""Dataclasses to JSON-able values and back, and the ``--json`` output contract.

``to_jsonable``/``from_jsonable`` round-trip any model in :mod:`dateline.models` (the store
keeps full records this way). ``result_to_dict`` writes the stable output contract of
DESIGN.md: dates as ISO strings cut to their precision, entity references as corpus ids.
"""

from __future__ import annotations

import dataclasses
import sys
import types
import typing
from datetime import date
from functools import cache
from typing import Any, TypeVar, Union, get_args, get_origin

from dateline import models
from dateline.models import Article, Precision, Result

T = TypeVar("T")
_INTERN_MAX = 64


def to_jsonable(value: Any) -> Any:
    """Turn dataclasses, dates and tuples into dicts, ISO strings and lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(models))


def from_jsonable(cls: type[T], data: Any) -> T:
    """Rebuild an instance of the dataclass ``cls`` from :func:`to_jsonable` output."""
    return typing.cast(T, _convert(cls, data))


def _convert(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(tp) if a is not type(None)]
        if len(options) == 1:
            return _convert(options[0], data)
        for option in options:
            try:
                return _convert(option, data)
            except (TypeError, ValueError):
                continue
        return data
    if origin is typing.Literal or tp is Any:
        return data
    if origin is tuple:
        args = get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], item) for item in data)
        return tuple(_convert(a, item) for a, item in zip(args, data, strict=False))
    if origin is dict:
        key_type, value_type = get_args(tp)
        return {_convert(key_type, k): _convert(value_type, v) for k, v in data.items()}
    if tp is date:
        return date.fromisoformat(data) if isinstance(data, str) else data
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = _hints(tp)
        kwargs = {
            f.name: _convert(hints[f.name], data[f.name])
            for f in dataclasses.fields(tp)
            if f.name in data
        }
        return tp(**kwargs)
    if tp is float and isinstance(data, int):
        return float(data)
    if isinstance(data, str) and len(data) <= _INTERN_MAX:
        # Ids, keys, labels and short mention texts repeat across thousands of records; one
        # shared copy each keeps a loaded corpus small.
        return sys.intern(data)
    return data


def iso_by_precision(value: date | None, precision: Precision | str | None) -> str | None:
    """Format a date as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` according to its precision."""
    if value is None:
        return None
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def date_label(value: date | None, precision: Precision | str | None) -> str:
    """A date for a reader, as precise as it is known: "2019", "2019-01", "week of
    2019-01-07" or a day ("" when unknown). "In January" must not read as January 1st in a
    table a reader copies from."""
    if value is None:
        return ""
    text = iso_by_precision(value, precision) or ""
    return f"week of {text}" if precision == "week" else text


def article_to_dict(article: Article) -> dict[str, Any]:
    """One article in the output contract's shape (extra fields kept, never renamed)."""
    out = to_jsonable(article)
    out["published"] = iso_by_precision(article.published, article.published_precision)
    out["dateline"] = (
        None
        if article.dateline is None
        else {
            "place": article.dateline.place,
            "date": article.dateline.date.isoformat() if article.dateline.date else None,
            "agency": article.dateline.agency,
            "text": article.dateline.text,
            "start": article.dateline.start,
            "end": article.dateline.end,
        }
    )
    return typing.cast(dict[str, Any], out)


def result_to_dict(result: Result) -> dict[str, Any]:
    """The whole result as the stable JSON output contract of DESIGN.md."""
    events = []
    for event in result.events:
        item = to_jsonable(event)
        item["date"] = iso_by_precision(event.date, event.date_precision)
        events.append(item)
    quotes = []
    for quote in result.quotes:
        item = to_jsonable(quote)
        item["date"] = iso_by_precision(quote.date, quote.date_precision)
        quotes.append(item)
    timeline = []
    for entry in result.timeline:
        item = to_jsonable(entry)
        item["date"] = iso_by_precision(entry.date, entry.date_precision)
        timeline.append(item)
    return {
        "articles": [article_to_dict(a) for a in result.articles],
        "stories": to_jsonable(result.stories),
        "entities": to_jsonable(result.entities),
        "timexes": to_jsonable(result.timexes),
        "quotes": quotes,
        "events": events,
        "figures": to_jsonable(result.figures),
        "framing": to_jsonable(result.framing),
        "timeline": timeline,
        "summary": to_jsonable(result.summary),
        "errors": to_jsonable(result.errors),
    }
