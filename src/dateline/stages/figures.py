"""Figures: money, counts and percentages an article reports, with what they measure.

A number is only useful for cross-outlet comparison when we know what it counts, so each
figure gets a short ``measure`` phrase read off the dependency parse: the noun it counts
("cooperation agreements"), the nominalised verb that governs it ("invested $4 billion in
X" -> "investment in X"), or the subject a valuation is about ("contracts ... are worth
$11 billion" -> "contracts between ..."). Qualifiers ("about", "at least", "up to") stay in
the figure's ``text`` span, so :func:`qualifier_of` can recover them for reconciliation.

Numbers are found by a regular expression over the text (robust to tokenisation of "US$",
"4bn", "€300m") and mapped onto the spaCy doc for syntax; numbers inside DATE/TIME/ORDINAL
entities, durations ("18 years") and counts without a counted noun are skipped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from dateline.models import Article, Figure
from dateline.settings import DEFAULT_SETTINGS, Settings
from dateline.stages.doctext import doc_text
from dateline.stages.figures_measure import amount_measure, count_measure, lexicon_rows

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

VERSION = "figures.v1"

_SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "trn": 1e12,
}  # fmt: skip
_WORD_NUMBERS = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "half a": 0.5,
}  # fmt: skip
# Nouns that make a count a duration or an age, not a reported figure.
_TIME_NOUNS = frozenset(
    [
        "second",
        "minute",
        "hour",
        "day",
        "night",
        "week",
        "weekend",
        "month",
        "year",
        "decade",
        "century",
        "time",
        "am",
        "pm",
        "a.m.",
        "p.m.",
        "o'clock",
    ]
)
# Modifiers that add nothing to what is measured ("some 50 other countries").
_EXCLUDED_ENTS = frozenset({"DATE", "TIME", "ORDINAL"})


@lru_cache(maxsize=1)
def currencies() -> dict[str, str]:
    """Currency surface form (symbol, code or word) -> ISO 4217 code."""
    return {r["surface"]: r["code"] for r in lexicon_rows("figures_currencies.csv")}


@lru_cache(maxsize=1)
def qualifiers() -> dict[str, str]:
    """Qualifier phrase -> kind: ``approx``, ``min`` (a lower bound) or ``max``."""
    return {r["phrase"]: r["kind"] for r in lexicon_rows("figures_qualifiers.csv")}


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    cur = currencies()
    symbols = sorted((s for s in cur if not s.isalpha()), key=len, reverse=True)
    codes = sorted((s for s in cur if s.isupper() and s.isalpha()), key=len, reverse=True)
    words = sorted((s for s in cur if s.isalpha() and not s.isupper()), key=len, reverse=True)
    quals = sorted(qualifiers(), key=len, reverse=True)
    qual = r"(?:(?P<qual>" + "|".join(re.escape(q) for q in quals) + r")\s+)?"
    pre = (
        r"(?P<pre>"
        + "|".join(re.escape(s) for s in symbols)
        + "|"
        + "|".join(re.escape(c) + r"(?=\s?\d)" for c in codes)
        + r")?\s?"
    )
    wordnum = "|".join(re.escape(w) for w in sorted(_WORD_NUMBERS, key=len, reverse=True))
    scale_words = "thousand|million|billion|trillion"
    num = (
        r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
        r"|(?P<wnum>" + wordnum + r")(?=\s(?:" + scale_words + r")\b))"
    )
    scale = r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|mn|mln|tn|trn|k|m|b)\b)?"
    post = (
        r"(?:\s?(?P<pct>%|percent\b|per\s?cent\b)"
        r"|\s(?P<post>" + "|".join(re.escape(c) for c in codes + words) + r")\b)?"
    )
    return re.compile(
        r"(?<![\w$€£¥₽₹.,:/-])"
        + qual
        + pre
        + num
        + r"(?![\d:/-]|\.\d|,\d{3})"
        + scale
        + post
        + r"(?![^\W_])",
        re.IGNORECASE,
    )


def qualifier_of(text: str) -> str | None:
    """The qualifier kind (``approx``/``min``/``max``) a figure's text starts with, if any."""
    low = text.casefold()
    for phrase in sorted(qualifiers(), key=len, reverse=True):
        if low.startswith(phrase + " "):
            return qualifiers()[phrase]
    return None


def _syntactic_head(span: Span) -> Token:
    """The span token attached outside it; a misparsed scale word ("bn" as advmod) loses."""
    outside = [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i]
    good = [t for t in outside if t.dep_ not in {"advmod", "punct", "cc", "intj"}]
    return (good or outside or [span[-1]])[-1]


def _to_float(raw: str) -> float | None:
    try:
        return float(raw.replace(",", ""))
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _lemma_fixes() -> dict[str, str]:
    return {r["form"]: r["lemma"] for r in lexicon_rows("figures_lemmas.csv")}


def _unit_lemma(noun: Token) -> str:
    """The counted noun's lemma; en_core_web_sm gets a few plurals wrong ("doses" -> "dos")."""
    return _lemma_fixes().get(noun.lower_, noun.lemma_.lower())


def extract_figures(
    article: Article, doc: Doc, *, settings: Settings = DEFAULT_SETTINGS
) -> tuple[Figure, ...]:
    """Money, counts and percentages in ``article`` with value, unit and measure.

    Args:
        article: the article; ``doc`` was parsed from exactly ``article.text``.
        doc: its spaCy parse (dependency parse and NER are used).
        settings: pipeline settings (no figure-specific options yet).

    Returns:
        Figures sorted by start offset, ids ``f"{article.id}:f{n}"``; vague amounts
        ("billions of dollars"), dates, ages and durations are left out.
    """
    del settings  # no tunable options yet; kept for the uniform stage signature
    text = article.text
    found: list[tuple[int, int, float, str | None, str | None]] = []
    cur = currencies()
    for match in _pattern().finditer(text):
        try:
            item = _one_figure(match, doc, cur)
        except (IndexError, ValueError):  # messy input never raises
            item = None
        if item is not None:
            found.append(item)
    found.sort(key=lambda f: (f[0], f[1]))
    figures: list[Figure] = []
    last_end = -1
    for start, end, value, unit, measure in found:
        if start < last_end:
            continue
        last_end = end
        figures.append(
            Figure(
                id=f"{article.id}:f{len(figures) + 1}",
                article_id=article.id,
                start=start,
                end=end,
                text=text[start:end],
                value=value,
                unit=unit,
                measure=measure,
            )
        )
    return tuple(figures)


def _one_figure(
    match: re.Match[str], doc: Doc, cur: dict[str, str]
) -> tuple[int, int, float, str | None, str | None] | None:
    num_start, num_end = match.span("num")
    number = _WORD_NUMBERS.get(match.group("wnum").lower()) if match.group("wnum") else None
    value = float(number) if number is not None else _to_float(match.group("num"))
    if value is None:
        return None
    scale = (match.group("scale") or "").lower()
    pre, post, pct = match.group("pre"), match.group("post"), match.group("pct")
    currency = None
    if pre:
        currency = cur.get(pre.strip()) or cur.get(pre.strip().upper())
    elif post:
        currency = cur.get(post) or cur.get(post.lower()) or cur.get(post.upper())
    if scale in {"k", "m", "b"} and currency is None:
        return None  # "5m" is five metres unless money
    if scale:
        value *= _SCALES[scale]
    span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    num_tokens = [t for t in span if t.idx < num_end and t.idx + len(t) > num_start]
    if any(t.ent_type_ in _EXCLUDED_ENTS for t in num_tokens) and not (currency or pct):
        return None
    start, end = match.start(), match.end()
    if match.group("qual") is None:
        start = _qualifier_left(doc, span, start)
    head = _syntactic_head(span)
    if currency or pct:
        unit = currency or "percent"
        return start, end, value, unit, amount_measure(head)
    noun = head.head if head.dep_ in {"nummod", "quantmod", "compound"} else None
    if noun is None or noun.pos_ not in {"NOUN", "PROPN"} or noun.i < head.i:
        return None
    if noun.lemma_.lower() in _TIME_NOUNS or noun.lower_ in _TIME_NOUNS:
        return None
    if noun.ent_type_ in _EXCLUDED_ENTS or noun.pos_ == "PROPN":
        return None
    if noun.i - span[-1].i <= 3:  # "260 cooperation agreements": the noun is part of the text
        end = noun.idx + len(noun)
    return start, end, value, _unit_lemma(noun), count_measure(noun)


def _qualifier_left(doc: Doc, span: Span, start: int) -> int:
    """Extend ``start`` over a qualifier the regex missed (e.g. across a line break)."""
    before = doc_text(doc)[max(0, start - 20) : start].casefold()
    for phrase in sorted(qualifiers(), key=len, reverse=True):
        if re.search(r"(?:^|\W)" + re.escape(phrase) + r"\s+$", before):
            return start - len(before) + before.rfind(phrase)
    del span
    return start
