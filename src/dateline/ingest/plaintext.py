"""Plain-text articles: scraped-corpus metadata prefixes, ``Key: value`` headers, headlines.

Scraped corpora often glue metadata onto the first line (`` date 2019-05-05 Following the
failed coup...``). That prefix is not published text, so it is parsed and cut off; the stored
text starts at the real first word. A headline line, on the other hand, *is* published text:
it becomes ``title`` and stays in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dateline.text import normalise_text

# A leading-space metadata prefix: " date 2019-05-05 " (key and one-token value), repeatable.
_PREFIX_KEYS = "date|published|pubdate|url|link|source|outlet|lang|language"
_PREFIX_ITEM = re.compile(rf"[ \t]*({_PREFIX_KEYS})[ \t]+(\S+)[ \t]+", re.IGNORECASE)
_PREFIX_START = re.compile(rf"^[ \t]+(?:{_PREFIX_KEYS})[ \t]", re.IGNORECASE)
_DATE_VALUE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?(?:T\S*)?$")

_HEADER = re.compile(
    r"^(title|headline|date|published|source|outlet|url|link|author|byline|language|lang)"
    r"[ \t]*:[ \t]*(.*?)[ \t]*$",
    re.IGNORECASE,
)
_KEY_ALIASES = {
    "headline": "title",
    "published": "date",
    "pubdate": "date",
    "source": "outlet",
    "link": "url",
    "byline": "author",
    "lang": "language",
}

# Headlines in news are short: up to ~20 words and 200 characters in every outlet we have seen.
_HEADLINE_MAX_CHARS = 200
_HEADLINE_MAX_WORDS = 25
_SMALL_WORD_LIST = "a an and as at but by for from in into of on or over the to under vs via with"
_SMALL_WORDS = frozenset(_SMALL_WORD_LIST.split())


@dataclass(slots=True)
class TextParts:
    """What the plain-text reader found: the published text and the metadata around it."""

    text: str
    meta: dict[str, str] = field(default_factory=dict)
    title: str | None = None


def _value_ok(key: str, value: str) -> bool:
    if key == "date":
        return bool(_DATE_VALUE.match(value))
    if key == "url":
        return value.startswith(("http://", "https://", "www."))
    return True


def strip_prefix(text: str, meta: dict[str, str]) -> str:
    """Cut a leading-space ``key value`` metadata prefix off the first line, filling ``meta``.

    Only a line that starts with whitespace then a known lowercase-ish key counts, and every
    value must look right (a date must be ISO): ordinary prose never starts that way.
    """
    if not _PREFIX_START.match(text):
        return text
    pos = 0
    found: dict[str, str] = {}
    while True:
        match = _PREFIX_ITEM.match(text, pos)
        if not match:
            break
        key = _KEY_ALIASES.get(match.group(1).lower(), match.group(1).lower())
        value = match.group(2)
        if not _value_ok(key, value):
            break
        found[key] = value
        pos = match.end()
    if not found:
        return text
    meta.update(found)
    return text[pos:]


def strip_headers(text: str, meta: dict[str, str]) -> str:
    """Cut ``Key: value`` header lines (Title:, Date:, Source:, URL:) off the top of ``text``."""
    lines = text.split("\n")
    found: dict[str, str] = {}
    index = 0
    while index < len(lines):
        match = _HEADER.match(lines[index])
        if not match:
            break
        key = match.group(1).lower()
        found[_KEY_ALIASES.get(key, key)] = match.group(2)
        index += 1
    if not found:
        return text
    meta.update({k: v for k, v in found.items() if v})
    return "\n".join(lines[index:]).lstrip("\n")


def _is_title_case(line: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w'\u2019-]*", line) if w.lower() not in _SMALL_WORDS]
    if len(words) < 2:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised / len(words) >= 0.7


def find_headline(text: str) -> str | None:
    """Return the first line when it looks like a headline, else None.

    A headline is short, has no final period, and is followed by a blank line or is written in
    Title Case; a lone line (the whole article) is never a headline.
    """
    first, sep, rest = text.partition("\n")
    line = first.strip()
    if not sep or not rest.strip() or not line:
        return None
    if len(line) > _HEADLINE_MAX_CHARS or len(line.split()) > _HEADLINE_MAX_WORDS:
        return None
    if line[-1] in ".,;:" or len(line.split()) < 2:
        return None
    if rest.startswith("\n") or _is_title_case(line):
        return line
    return None


def parse_plain_text(raw: str) -> TextParts:
    """Split a plain-text file into published text, metadata and headline."""
    text = normalise_text(raw)
    meta: dict[str, str] = {}
    text = strip_prefix(text, meta)
    text = strip_headers(text.lstrip("\n"), meta)
    text = text.strip()
    title = meta.get("title") or find_headline(text)
    return TextParts(text=text, meta=meta, title=title)
