"""Temporal expressions: detection, TIMEX3 normalisation and dating of clauses.

``extract_timexes`` finds expressions (:mod:`timex_detect`), decides the tense of the
clause each sits in (:mod:`timex_tense`, from the parse when a doc is given, from nearby
words otherwise) and anchors them to the publication date (:mod:`timex_resolve`); phrases
that point back ("the following month", "a year ago" in results news) are then re-anchored
to the expression in view (:mod:`timex_discourse`).
``reresolve`` re-anchors stored timexes to a new reference without a doc: the direction
an expression was resolved in (before/after its old anchor) is the stored tense hint.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from dateline.models import Article, Precision, TimeExpr
from dateline.settings import DEFAULT_SETTINGS, Settings
from dateline.stages.doctext import doc_text, sentence_chars
from dateline.stages.timex_detect import Candidate, detect
from dateline.stages.timex_discourse import anchor_in_discourse
from dateline.stages.timex_resolve import Resolved, resolve
from dateline.stages.timex_tense import Tense, tense_from_doc, tense_from_text

if TYPE_CHECKING:
    from spacy.tokens import Doc

VERSION = "dates.v2"

# Kinds whose reading depends on the clause's tense (the rest resolve the same either way).
_TENSED = frozenset({"mdy", "dmy", "m", "wd", "wd_pod", "season", "holiday"})


def _tense(article: Article, doc: Doc | None, c: Candidate) -> Tense | None:
    if c.kind not in _TENSED:
        return None
    if doc is not None:
        try:
            t = tense_from_doc(doc, c.start, c.end)
        except (ValueError, IndexError):
            t = None
        if t is not None:
            return t
    return tense_from_text(article.text, c.start, c.end)


_RANK: dict[str | None, int] = {"day": 0, "week": 1, "month": 2, "year": 3}
# A reference known only within more than this many days cannot anchor a weekday to a day.
_UNCERTAIN_DAYS = 7


def _period(d: date, precision: str) -> tuple[str, date, date]:
    """TIMEX3 value and bounds of the ``precision`` period holding ``d``."""
    if precision == "year":
        return f"{d.year:04d}", date(d.year, 1, 1), date(d.year, 12, 31)
    if precision == "week":
        iso = d.isocalendar()
        monday = d - timedelta(days=iso.weekday - 1)
        return f"{iso.year}-W{iso.week:02d}", monday, monday + timedelta(days=6)
    first = date(d.year, d.month, 1)
    last = date(d.year + (d.month == 12), d.month % 12 + 1, 1) - timedelta(days=1)
    return f"{d.year:04d}-{d.month:02d}", first, last


def _widen(
    article: Article, c: Candidate, reference: date, tense: Tense | None, r: Resolved
) -> Resolved:
    """An anchor-relative reading against an uncertain publication date keeps its doubt.

    "Wednesday" in an article known to be from some day in September 2019 is some day in
    that month: the value takes the article's precision and the bounds are the dates the
    expression can denote over the publication range (inside that period).
    """
    rng = article.published_range
    if rng is None or r.earliest is None or r.latest is None:
        return r
    lo, hi = rng
    if (hi - lo).days <= _UNCERTAIN_DAYS or not lo <= reference <= hi:
        return r
    readings = [x for x in (resolve(c, lo, tense), resolve(c, hi, tense)) if x is not None]
    if all(x.earliest == r.earliest and x.latest == r.latest for x in readings):
        return r  # absolute: the reference does not matter
    wide: Precision = article.published_precision or "month"
    if _RANK.get(wide, 0) <= _RANK["week"]:
        wide = "month"
    if _RANK.get(r.precision, 0) >= _RANK[wide]:
        return r
    value, p0, p1 = _period(reference, wide)
    firsts = [x.earliest for x in (r, *readings) if x.earliest is not None]
    lasts = [x.latest for x in (r, *readings) if x.latest is not None]
    earliest, latest = max(min(firsts), p0), min(max(lasts), p1)
    if earliest > latest:
        earliest, latest = p0, p1
    return Resolved(r.type, value, earliest, latest, wide)


def _build(
    article: Article, c: Candidate, reference: date | None, tense: Tense | None
) -> TimeExpr | None:
    r = resolve(c, reference, tense)
    if r is None:
        return None
    if reference is not None:
        r = _widen(article, c, reference, tense, r)
    return TimeExpr(
        article_id=article.id,
        start=c.start,
        end=c.end,
        text=article.text[c.start : c.end],
        type=r.type,
        value=r.value,
        earliest=r.earliest,
        latest=r.latest,
        precision=r.precision,
        anchor=reference,
    )


def extract_timexes(
    article: Article,
    doc: Doc | None,
    *,
    reference: date | None,
    settings: Settings = DEFAULT_SETTINGS,
) -> tuple[TimeExpr, ...]:
    """Every temporal expression in ``article.text``, normalised against ``reference``.

    Args:
        article: the article; offsets index ``article.text``.
        doc: its spaCy parse, or None to work from the text alone.
        reference: the publication date; None leaves relative expressions as X-values.
        settings: unused for now; kept for the stage signature.

    Returns:
        TimeExpr records sorted by start, non-overlapping.
    """
    del settings
    pairs: list[tuple[Candidate, TimeExpr]] = []
    for c in detect(article.text):
        t = _build(article, c, reference, _tense(article, doc, c))
        if t is not None:
            pairs.append((c, t))
    return _merge_clock_dates(article, list(anchor_in_discourse(pairs)))


_GAP = re.compile(r"\s*(?:,\s*|on\s+)?")


def _merge_clock_dates(article: Article, items: list[TimeExpr]) -> tuple[TimeExpr, ...]:
    """Join a clock time and the day after it ("4 a.m. EDT Thursday") into one TIME."""
    out: list[TimeExpr] = []
    i = 0
    while i < len(items):
        t = items[i]
        nxt = items[i + 1] if i + 1 < len(items) else None
        if (
            nxt is not None
            and t.type == "TIME"
            and "T" in t.value
            and t.value[:1] in "X0123456789"
            and nxt.type == "DATE"
            and (nxt.precision == "day" or nxt.value.startswith("XXXX-"))
            and _GAP.fullmatch(article.text, t.end, nxt.start)
        ):
            clock = t.value[t.value.index("T") :]
            out.append(
                replace(
                    nxt,
                    start=t.start,
                    text=article.text[t.start : nxt.end],
                    type="TIME",
                    value=nxt.value + clock,
                )
            )
            i += 2
            continue
        out.append(t)
        i += 1
    return tuple(out)


def _old_tense(t: TimeExpr) -> Tense | None:
    if t.earliest is None or t.anchor is None:
        return None
    if t.latest is not None and t.latest < t.anchor:
        return "past"
    if t.earliest > t.anchor:
        return "future"
    return "past"


def reresolve(
    article: Article, timexes: Sequence[TimeExpr], reference: date | None
) -> tuple[TimeExpr, ...]:
    """Re-anchor stored timexes to a new ``reference`` without a spaCy doc.

    The tense of each expression is taken from how it was resolved before (before or after
    its old anchor); expressions resolved without an anchor fall back to the text reading.
    Expressions that no longer parse are kept unchanged.
    """
    pairs: list[tuple[Candidate, TimeExpr]] = []
    for t in sorted(timexes, key=lambda x: (x.start, x.end)):
        cands = [c for c in detect(t.text, lenient=True) if c.start == 0 and c.end == len(t.text)]
        if not cands:
            pairs.append((Candidate(t.start, t.end, "kept"), t))
            continue
        c = Candidate(t.start, t.end, cands[0].kind, cands[0].fields)
        tense = _old_tense(t) if c.kind in _TENSED else None
        if tense is None and c.kind in _TENSED:
            tense = tense_from_text(article.text, t.start, t.end)
        new = _build(article, c, reference, tense)
        pairs.append((c, new if new is not None else replace(t, anchor=reference)))
    return anchor_in_discourse(pairs)


SENT_END = re.compile(r"(?<=[.!?\"\u201d])\s+(?=[\"\u201c(A-Z0-9])|\n+")


def sentence_bounds(text: str, doc: Doc | None, start: int, end: int) -> tuple[int, int]:
    """Character bounds of the sentence(s) covering ``[start, end)``."""
    if doc is not None:
        try:
            s0, e0 = start, end
            for s_start, s_end in sentence_chars(doc):
                if s_start <= start < s_end:
                    s0 = s_start
                if s_start < end <= s_end:
                    e0 = s_end
            return s0, e0
        except ValueError:
            pass
    left = 0
    for m in SENT_END.finditer(text, 0, start):
        left = m.end()
    m2 = SENT_END.search(text, max(end - 1, start))
    right = m2.start() if m2 else len(text)
    return left, max(right, end)


def _head_verb(doc: Doc, start: int, end: int) -> int | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    tok = span.root
    for _ in range(8):
        if tok.pos_ in {"VERB", "AUX"} or tok.head.i == tok.i:
            return tok.i
        tok = tok.head
    return tok.i


def date_for_span(
    doc: Doc | None,
    timexes: Sequence[TimeExpr],
    start: int,
    end: int,
    *,
    reference: date | None,
) -> tuple[date | None, Precision | None]:
    """The date of the clause or sentence containing ``[start, end)``.

    Prefers a resolved DATE/TIME expression inside the span, then one governed by the same
    verb, then the nearest one in the same sentence. Without a doc only expressions inside
    ``[start, end)`` are considered. Returns ``(None, None)`` when the
    sentence has none: the publication date is never used silently.
    """
    del reference  # the caller decides whether to fall back on it
    dated = [t for t in timexes if t.type in {"DATE", "TIME"} and t.earliest is not None]
    if not dated:
        return None, None
    if doc is None:
        # No doc means no sentence boundaries: only expressions inside the span count
        # (callers pass the sentence or clause span itself).
        s0, e0 = start, end
    else:
        s0, e0 = sentence_bounds(doc_text(doc), doc, start, end)
    near = [t for t in dated if t.start >= s0 and t.end <= e0]
    if not near:
        return None, None

    def rank(t: TimeExpr) -> tuple[int, int, int]:
        inside = 0 if t.start >= start and t.end <= end else 1
        same_verb = 1
        if doc is not None:
            v1, v2 = _head_verb(doc, start, end), _head_verb(doc, t.start, t.end)
            same_verb = 0 if v1 is not None and v1 == v2 else 1
        dist = min(abs(t.start - end), abs(start - t.end)) if inside else 0
        return (inside, same_verb, dist)

    best = min(near, key=rank)
    return best.earliest, best.precision
