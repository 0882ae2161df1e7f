"""One place that turns extracted text and metadata into an ``Article`` (or an error).

Every reader goes through :func:`build_article`, so normalisation, hashing, the size limit
and metadata dates are handled the same way for text, HTML, JSONL and feeds.
"""

from __future__ import annotations

import re
from typing import Any

from dateline.ingest.published import parse_published, published_range
from dateline.models import Article, IngestError
from dateline.settings import DEFAULT_SETTINGS, Settings
from dateline.text import content_hash, normalise_text

_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub_surrogates(value: str) -> str:
    """Replace lone UTF-16 surrogates with U+FFFD.

    Why: a JSON escape such as ``"\\ud800"`` or an undecodable file name gives a ``str`` that
    cannot be encoded as UTF-8, so hashing or storing it would crash the whole batch.
    """
    return _SURROGATE.sub("\ufffd", value)


def clean_field(value: Any) -> str | None:
    """A metadata string, normalised and stripped; None for empty or non-string values."""
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    value = " ".join(normalise_text(scrub_surrogates(value)).split())
    return value or None


def build_article(
    *,
    article_id: str,
    source: str,
    text: str,
    settings: Settings = DEFAULT_SETTINGS,
    title: Any = None,
    url: Any = None,
    outlet: Any = None,
    author: Any = None,
    language: Any = None,
    published: Any = None,
) -> Article | IngestError:
    """Normalise ``text`` (NFC, newlines, outer whitespace), check its size, attach metadata.

    An unparseable ``published`` value is dropped rather than failing the article: the
    publication-date stages can still infer a date from the text.
    """
    article_id, source = scrub_surrogates(article_id), scrub_surrogates(source)
    text = normalise_text(scrub_surrogates(text)).strip()
    if not text:
        return IngestError(source, "no text: the input is empty after extraction")
    if len(text) > settings.max_article_chars:
        return IngestError(
            source,
            f"article has {len(text):,} characters, over the max_article_chars limit "
            f"({settings.max_article_chars:,}); raise max_article_chars or split the article",
        )
    outlet_name = clean_field(outlet)
    parsed = parse_published(published)
    lang = clean_field(language)
    return Article(
        id=article_id,
        source=source,
        text=text,
        content_hash=content_hash(text),
        title=clean_field(title),
        outlet=outlet_name,
        outlet_source="metadata" if outlet_name else None,
        url=clean_field(url),
        author=clean_field(author),
        language=lang.lower().replace("_", "-").split("-")[0] if lang else None,
        published=parsed[0] if parsed else None,
        published_precision=parsed[1] if parsed else None,
        published_source="metadata" if parsed else None,
        published_range=published_range(*parsed) if parsed else None,
    )
