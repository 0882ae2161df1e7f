"""The Jinja2 environment shared by the served pages and the single-file report.

Autoescaping is on for every template: article text, titles, quotes and summaries are
untrusted input and are only ever rendered as escaped text.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined

from dateline.serialize import iso_by_precision


def urlid(value: object) -> str:
    """An id as one URL path segment (``/`` and ``#`` in ids are percent-encoded)."""
    return quote(str(value), safe="")


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``3 articles``, ``1 article``: a count with its noun in the right number."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("dateline.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["urlid"] = urlid
    env.filters["isodate"] = iso_by_precision
    env.filters["counted"] = counted
    return env
