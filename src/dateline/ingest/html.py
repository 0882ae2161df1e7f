"""HTML pages: main text and metadata through trafilatura, plus a small HTML-to-text helper.

Settings are tuned on ``shared/data/extraction_dev`` (90 pages, benchmarks/extraction.py):
``favor_precision`` and no comments raise F1 from 0.955 (trafilatura defaults) to ~0.97, because
the stages downstream suffer more from boilerplate (related links, comments) than from a
missing paragraph.
"""

from __future__ import annotations

import re
from typing import Any

import trafilatura
from lxml import html as lxml_html
from lxml.etree import ParserError

# Tuned on extraction_dev: see the module docstring and benchmarks/results/extraction.md.
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "favor_precision": True,
    "include_comments": False,
    # htmldate's default max_date is today, which drops explicit metadata dates on pages
    # dated later than the machine's clock (archives replayed with a wrong clock, test
    # corpora set in the future). The page's own metadata is the evidence, so trust it.
    "date_extraction_params": {
        "extensive_search": True,
        "original_date": True,
        "max_date": "2099-12-31",
    },
}

_BLOCK_END = re.compile(
    r"(?i)(<br\s*/?>|</(?:p|div|li|h[1-6]|blockquote|tr|section|article|pre)\s*>)"
)


def extract_html(markup: str, url: str | None = None) -> dict[str, str | None] | None:
    """Extract text, title, date, author, sitename and url from an HTML page, or None.

    Returns None when trafilatura finds no main text (an index page, a login wall).
    """
    try:
        doc = trafilatura.bare_extraction(
            markup, url=url, with_metadata=True, **TRAFILATURA_OPTIONS
        )
    except Exception:
        return None
    if doc is None:
        return None
    fields = doc if isinstance(doc, dict) else doc.as_dict()
    text = fields.get("text")
    if not text:
        return None
    return {
        "text": text,
        "title": fields.get("title"),
        "date": fields.get("date"),
        "author": fields.get("author"),
        "sitename": fields.get("sitename"),
        "url": fields.get("url") or url,
    }


def html_fragment_to_text(fragment: str) -> str:
    """Plain text of an HTML snippet (a feed summary), with block elements as line breaks."""
    if "<" not in fragment:
        return fragment
    marked = _BLOCK_END.sub(lambda m: m.group(1) + "\n\n", fragment)
    try:
        root = lxml_html.fromstring(marked)
    except (ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", fragment)
    text = root.text_content()
    lines = [" ".join(line.split()) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
