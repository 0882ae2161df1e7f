"""Article metadata from the text itself: dateline credit, outlet, publication date, language.

Pure and text-only (no spaCy). The outlet is the *publisher*: metadata first, then the URL's
domain, then the agency in the dateline credit, then self-reference boilerplate ("Follow
Sputnik's live feed"). An agency the text merely cites ("Efe news reported", "according to
the Russian agency Interfax") is a source of the story, never its publisher, so no rule here
looks at citations.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import py3langid

from dateline.ingest.dateline import dateline_year, find_dateline
from dateline.ingest.lexicon_loader import canonical_outlet, outlet_domains
from dateline.models import Article, DatelineCredit

VERSION = "metadata.v1"

_NAME = r"(?P<name>(?:The\s+)?[A-Z][\w&\-]*(?:[ \t]+[A-Z][\w&\-]*){0,3})"
_POSSESSIVE = r"(?:'s|\u2019s)"
# Phrases in which a publication names itself. "X reported" or "told X" are citations, not these.
# "Follow X on Twitter" is left out: it names journalists far more often than outlets. A
# copyright notice must carry a year, which photo credits ("Photo: (c) Jane Doe") do not.
_SELF_REFERENCE = (
    re.compile(rf"\bFollow\s+{_NAME}{_POSSESSIVE}?\s+live\s+(?:feed|blog|coverage|updates)"),
    re.compile(rf"\bSubscribe\s+to\s+{_NAME}{_POSSESSIVE}?(?=[\s.,!]|$)"),
    re.compile(rf"\bSign\s+up\s+for\s+{_NAME}{_POSSESSIVE}\s+(?:newsletter|daily|weekly)"),
    re.compile(rf"\bDownload\s+(?:the\s+)?{_NAME}\s+app\b"),
    re.compile(
        r"(?:(?:\u00a9|\([cC]\)|\bCopyright\b)\s*)+"
        rf"\d{{4}}(?:\s*[-\u2013]\s*\d{{4}})?\s*,?\s*{_NAME}(?=[\s.,;|]|$)"
    ),
)
_NOT_NAMES = frozenset(
    {"The", "All", "Our", "This", "Us", "More", "Follow", "Subscribe", "Getty", "Copyright"}
)
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "gob", "go", "or", "ne"})
# Language identification is reliable on a couple of paragraphs; more only costs time.
_LANGUAGE_SAMPLE_CHARS = 2000
_MIN_LANGUAGE_LETTERS = 20


def registered_domain(url: str) -> str | None:
    """The registered domain of ``url`` (``https://www.bbc.co.uk/x`` -> ``bbc.co.uk``)."""
    candidate = url if "//" in url else "//" + url
    try:
        host = (urlsplit(candidate).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2 or all(label.isdigit() for label in labels):
        return None
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def outlet_from_url(url: str) -> str | None:
    """The outlet a URL belongs to: a known domain's name, else its registered domain."""
    candidate = url if "//" in url else "//" + url
    try:
        host = (urlsplit(candidate).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    domains = outlet_domains()
    labels = host.split(".")
    for index in range(len(labels) - 1):
        suffix = ".".join(labels[index:])
        if suffix in domains:
            return domains[suffix]
    return registered_domain(url)


def _clean_name(raw: str) -> str | None:
    name = " ".join(raw.split()).rstrip(".")
    if name.startswith("The "):
        known = canonical_outlet(name[4:])
        if known:
            return known
    if not name or (name.split()[0] in _NOT_NAMES and len(name.split()) == 1):
        return None
    return canonical_outlet(name) or name


def outlet_from_boilerplate(text: str) -> str | None:
    """The outlet a text names in self-reference boilerplate ("Follow X's live feed", "© X").

    When several names appear, the most frequent wins, then the earliest.
    """
    found: list[tuple[int, str]] = []
    for pattern in _SELF_REFERENCE:
        for match in pattern.finditer(text):
            name = _clean_name(match.group("name"))
            if name:
                found.append((match.start(), name))
    if not found:
        return None
    counts = Counter(name for _, name in found)
    first = {name: pos for pos, name in sorted(found, reverse=True)}
    return min(counts, key=lambda name: (-counts[name], first[name]))


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text`` from its first ~2000 characters; None for too little text."""
    sample = text[:_LANGUAGE_SAMPLE_CHARS]
    if sum(1 for c in sample if c.isalpha()) < _MIN_LANGUAGE_LETTERS:
        return None
    lang, _score = py3langid.classify(sample)
    return str(lang)


def _outlet(article: Article, credit: DatelineCredit | None) -> tuple[str | None, str | None]:
    if article.outlet:
        return article.outlet, article.outlet_source or "metadata"
    if article.url:
        from_url = outlet_from_url(article.url)
        if from_url:
            return from_url, "url"
    if credit is not None and credit.agency:
        return credit.agency, "dateline"
    from_text = outlet_from_boilerplate(article.text)
    if from_text:
        return from_text, "boilerplate"
    return None, None


def enrich_metadata(article: Article) -> Article:
    """Fill dateline, outlet, a dateline publication date and language; returns a new Article.

    Metadata already present is kept. A publication date comes from the dateline only when the
    credit writes the full date (with year); a bare "May 5" is resolved against the metadata
    year but never sets the publication date by itself.
    """
    credit = article.dateline or find_dateline(article)
    outlet, outlet_source = _outlet(article, credit)
    changes: dict[str, Any] = {
        "dateline": credit,
        "outlet": outlet,
        "outlet_source": outlet_source,
    }
    full_date = credit is not None and credit.date is not None and dateline_year(credit)
    if article.published is None and credit is not None and credit.date and full_date:
        changes.update(
            published=credit.date,
            published_precision="day",
            published_source="dateline",
            published_range=(credit.date, credit.date),
            published_evidence=(credit.text,),
        )
    if article.language is None:
        changes["language"] = detect_language(article.text)
    return replace(article, **changes)
