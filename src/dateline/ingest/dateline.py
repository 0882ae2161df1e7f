"""Wire-style dateline credits at the start of an article.

``MOSCOW, May 5 (Xinhua) --``, ``WASHINGTON (AP) —``, ``LONDON, 5 May (Reuters) -`` and the
bare ``Moscow, Russian President ...`` opening. The credit names the place, often the day, and
the agency that *wrote* the story; that is why it can stand for the outlet, while an agency
cited later in the text ("Efe news reported") cannot.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateline.ingest.lexicon_loader import canonical_outlet, dateline_places
from dateline.models import Article, DatelineCredit
from dateline.text import fold

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}\s+{_MONTH}(?:,?\s+\d{{4}})?"
    r"|\d{4}-\d{2}-\d{2})"
)
_CAPS_WORD = r"[A-Z][A-Z'\u2019.\-]*[A-Z.]"
_TITLE_WORD = r"[A-Z][a-zà-ÿ'\u2019.\-]+"
_LINK = r"(?:de|del|da|do|dos|la|el|al|es|sur|upon|on)"
_PLACE = (
    rf"(?P<place>{_CAPS_WORD}(?:\s+(?:{_CAPS_WORD}|{_LINK.upper()}))*"
    rf"|{_TITLE_WORD}(?:\s+(?:{_LINK}\s+)?{_TITLE_WORD}){{0,2}})"
)
_REGION = rf"(?:,\s+(?P<region>(?!{_MONTH}\s)(?:{_TITLE_WORD}|[A-Z]{{2}})(?:\s+{_TITLE_WORD})?))"
_CREDIT = re.compile(
    rf"{_PLACE}{_REGION}?"
    rf"(?:,?\s+(?P<date>{_DATE}))?"
    r"(?:\s*\((?P<agency>[A-Z][^()\n\d]{0,40})\))?"
    r"(?:\s*(?P<dash>--|\u2014|\u2013|-|:)(?=\s))?"
)
_BARE = re.compile(
    rf"(?P<place>{_TITLE_WORD}(?:\s+(?:{_LINK}\s+)?{_TITLE_WORD}){{0,2}}),(?=\s+[A-Z])"
)
_DATE_PARTS = re.compile(
    rf"(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH})(?:,?\s+(?P<y2>\d{{4}}))?"
    r"|(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})"
)
# A dateline and the publication date differ by at most a day or two (time zones, late wires).
_MAX_AHEAD = timedelta(days=2)
_MAX_AGENCY_WORDS = 5


def _date_parts(text: str) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) of the date inside a credit, if it is a valid date."""
    match = _DATE_PARTS.search(text)
    if not match:
        return None
    groups = match.groupdict()
    if groups["y3"]:
        year, month, day = int(groups["y3"]), int(groups["m3"]), int(groups["d3"])
        return (year, month, day) if 1 <= month <= 12 and 1 <= day <= 31 else None
    month_name = groups["m1"] or groups["m2"] or ""
    month = _MONTHS.get(month_name.rstrip(".").lower()[:3], 0)
    day = int(groups["d1"] or groups["d2"] or 0)
    raw_year = groups["y1"] or groups["y2"]
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return (int(raw_year) if raw_year else None, month, day)


def dateline_month_day(credit: DatelineCredit) -> tuple[int, int] | None:
    """The (month, day) a credit names, even when its year is unknown; None without a date."""
    parts = _date_parts(credit.text)
    return (parts[1], parts[2]) if parts else None


def dateline_year(credit: DatelineCredit) -> int | None:
    """The year written in the credit itself ("May 5, 2019"), or None."""
    parts = _date_parts(credit.text)
    return parts[0] if parts else None


def _resolve(parts: tuple[int | None, int, int] | None, published: date | None) -> date | None:
    if parts is None:
        return None
    year, month, day = parts
    try:
        if year is not None:
            return date(year, month, day)
        if published is None:
            return None
        resolved = date(published.year, month, day)
        if resolved - published > _MAX_AHEAD:  # a late-December dateline on a January article
            resolved = date(published.year - 1, month, day)
        return resolved
    except ValueError:
        return None


def _agency_ok(raw: str) -> bool:
    words = raw.split()
    return 0 < len(words) <= _MAX_AGENCY_WORDS and all(w[0].isupper() or w in "-&" for w in words)


def _credit_at(text: str, offset: int, published: date | None) -> DatelineCredit | None:
    match = _CREDIT.match(text, offset)
    if match:
        place = match.group("place")
        is_caps = place.upper() == place
        agency_raw = match.group("agency")
        agency_ok = bool(agency_raw) and _agency_ok(agency_raw or "")
        has_date = bool(match.group("date"))
        has_dash = bool(match.group("dash")) and match.group("dash") != ":"
        known_place = fold(place) in dateline_places()
        has_region = bool(match.group("region"))
        accept = (
            (agency_ok and (is_caps or has_dash or has_date or known_place or has_region))
            or (is_caps and has_date and has_dash)
            or (is_caps and has_dash and (known_place or has_region))
            or (known_place and has_dash)
        )
        if accept and (agency_ok or has_date or has_dash):
            end = match.end()
            if not agency_ok:  # the parenthesis was something else: stop before it
                end = match.end("date") if has_date else match.end("place")
                if match.group("region"):
                    end = max(end, match.end("region"))
                if has_dash:
                    end = match.end("dash")
            date_text = match.group("date") if has_date else None
            agency = None
            if agency_ok and agency_raw:
                agency = canonical_outlet(agency_raw) or " ".join(agency_raw.split())
            return DatelineCredit(
                start=offset,
                end=end,
                text=text[offset:end],
                place=place.title() if is_caps else place,
                date=_resolve(_date_parts(date_text) if date_text else None, published),
                agency=agency,
            )
    bare = _BARE.match(text, offset)
    if bare and fold(bare.group("place")) in dateline_places():
        follower = text[bare.end() :].lstrip().split(" ", 1)[0]
        if follower.endswith(("'s", "\u2019s")) or "." in follower:  # "Washington, D.C. Mayor"
            return None
        return DatelineCredit(
            start=offset,
            end=bare.end(),
            text=text[offset : bare.end()],
            place=bare.group("place"),
            date=None,
            agency=None,
        )
    return None


def _candidate_offsets(article: Article) -> list[int]:
    """Where a credit may start: the text start, or the first paragraph after a headline."""
    text = article.text
    offsets = [len(text) - len(text.lstrip())]
    if article.title and text.startswith(article.title):
        rest = text[len(article.title) :]
        stripped = rest.lstrip()
        if rest[: len(rest) - len(stripped)].count("\n") >= 1:
            offsets.append(len(text) - len(stripped))
    return offsets


def find_dateline(article: Article) -> DatelineCredit | None:
    """The dateline credit opening ``article.text`` (after a headline line), or None."""
    for offset in _candidate_offsets(article):
        credit = _credit_at(article.text, offset, article.published)
        if credit is not None:
            return credit
    return None
