"""Finds temporal expressions in text with regular expressions built from the time lexicon.

Detection only: each match becomes a :class:`Candidate` (span, kind, parsed fields); anchoring
to a reference date happens in :mod:`timex_resolve`. Spans follow TIMEX3 conventions: the
preposition is not part of the span ("on *Tuesday*", "since *January*"), modifiers are
("*early November*", "*last week*").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from dateline.stages.timex_lexicon import time_words


@dataclass(frozen=True, slots=True)
class Candidate:
    """A detected expression before anchoring."""

    start: int
    end: int
    kind: str
    fields: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


def _alt(words: list[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    tw = time_words()
    full_months = [m for m in tw["months"] if len(m) > 4 or m in ("may", "june", "july")]
    abbr_months = [m for m in tw["months"] if m not in full_months]
    month = (
        r"(?P<month>(?:"
        + _alt([m.title() for m in full_months] + [m.upper() for m in full_months])
        + r")|(?:"
        + _alt([m.title() for m in abbr_months])
        + r")\.|(?:"
        + _alt([m.title() for m in abbr_months])
        + r")(?=\s+\d))"
    )
    full_wd = [w for w in tw["weekdays"] if w.endswith("day")]
    wd = r"(?P<wd>" + _alt([w.title() for w in full_wd]) + r")"
    wd_opt = r"(?:(?P<wdp>" + _alt([w.title() for w in full_wd]) + r"),?\s+)?"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    year = r"(?P<year>(?:1[6-9]|20)\d\d)"
    unit_words = [u for u in tw["units"] if u != "quarter"]
    units = r"(?P<unit>" + _alt(unit_words) + r")s?"
    tens = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    ones = "one|two|three|four|five|six|seven|eight|nine"
    num = (
        r"(?P<num>\d+(?:\.\d+)?|(?:"
        + tens
        + r")(?:[\s-](?:"
        + ones
        + r"))?|"
        + ones
        + r"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
        + r"|a\s+few|a\s+couple\s+of|several|a|an|few|many)"
    )
    pod = r"(?P<pod>morning|afternoon|evening|night|overnight)"
    mod = (
        r"(?:(?P<mod>early|late|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+middle\s+of)[\s-]+)?"
    )
    cent = _alt(list(tw["year_centuries"]))
    yw = (
        r"(?P<yw>(?:" + cent + r")[\s-]+(?:(?:" + tens + r")(?:[\s-](?:" + ones + r"))?|"
        r"(?:oh|o)[\s-](?:" + ones + r")|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
        r"seventeen|eighteen|nineteen)|two\s+thousand(?:\s+and)?\s+(?:" + ones + r"|ten|eleven|"
        r"twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen))"
    )
    year2 = r"(?P<qyear>(?:1[6-9]|20)\d\d)"
    ordq = r"first|second|third|fourth|1st|2nd|3rd|4th"
    season = r"(?P<season>" + _alt(list(tw["seasons"])) + r")"
    hols = [" ".join(w[:1].upper() + w[1:] for w in h.split()) for h in tw["holidays"]]
    holiday = r"(?P<hol>" + _alt([h for h in hols if not h.startswith("The ")]) + r")"
    fuzzy = _alt(list(tw["fuzzy"]))
    sets = _alt(list(tw["sets"]))
    b = r"(?<![\w/-])"
    e = r"(?![\w/])"
    raw: list[tuple[str, str]] = [
        ("iso", b + r"(?P<year>\d{4})-(?P<mon>[01]\d)-(?P<day>[0-3]\d)" + e),
        ("slash", b + r"(?P<mon>[01]?\d)/(?P<day>[0-3]?\d)/(?P<year>\d{4}|\d\d)" + e),
        ("mdy", b + wd_opt + month + r"\s+" + day + r"(?:,?\s+" + year + r")?(?!\d|:\d)"),
        ("dmy", b + wd_opt + day + r"(?:\s+of)?\s+" + month + r"(?:,?\s+" + year + r")?" + e),
        ("my", b + mod + month + r",?\s+(?:of\s+)?" + year + e),
        (
            "m",
            b
            + r"(?:(?P<rel>last|next|this|past)\s+)?"
            + mod
            + month
            + r"(?:\s+(?P<yrel>this|next|last)\s+year)?"
            + e,
        ),
        ("decade", r"\b(?:the\s+)?(?P<dec>(?:1[6-9]|20)\d0)'?s\b"),
        ("myw", b + mod + month + r",?\s+(?:of\s+)?" + yw + e),
        ("yearw", r"\b" + yw + e),
        (
            "season",
            b + r"(?:(?P<rel>this\s+past|this\s+coming|this|last|next|past|coming|the|early|late|"
            r"mid)[\s-]+)?" + season + r"(?:\s+(?:of\s+)?" + year + r")?" + e,
        ),
        (
            "holiday",
            b + r"(?:the\s+Fourth\s+of\s+July|" + holiday + r")(?:,?\s+" + year + r")?" + e,
        ),
        ("year", b + mod + r"(?:(?P<fy>fiscal|calendar)\s+)?" + year + e),
        ("wd_pod", b + r"(?:(?P<rel>last|next|this|early|late)\s+)?" + wd + r"\s+" + pod + r"\b"),
        ("wd", b + r"(?:(?P<rel>last|next|this|coming|past|early|late)\s+)?" + wd + r"\b"),
        (
            "reld",
            r"\b(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|"
            r"yesterday|tomorrow|tonight|last\s+night|this\s+(?:morning|afternoon|evening))\b",
        ),
        ("relpod", r"\b(?P<w>yesterday|tomorrow)\s+" + pod + r"\b"),
        (
            "dur_the",
            r"\b(?P<w>the\s+(?:past|last|previous)\s+(?P<unit>week|month|year|decade|century))\b",
        ),
        ("dur_recent", r"\b(?:in\s+)?(?P<w>recent\s+(?P<unit>day|week|month|year)s)\b"),
        (
            "ana",
            r"\b(?P<w>(?:the\s+(?:following|previous|preceding|same)|that)\s+"
            r"(?P<unit>day|week|month|year)|the\s+next\s+(?P<unit2>day))\b",
        ),
        (
            "qana",
            r"\b(?P<w>(?:[Tt]he|[Tt]hat|[Ii]ts)\s+(?:(?P<qmod>latest|most\s+recent|recent|same|"
            r"comparable|year-earlier|year-ago|comparable\s+year-(?:ago|earlier))\s+)?quarter|"
            r"(?:[Tt]he|[Ii]ts)\s+(?P<pmod>latest|most\s+recent|year-earlier|year-ago|comparable|"
            r"comparable\s+year-(?:ago|earlier))\s+period)(?P<ago>\s+a\s+year\s+(?:ago|earlier))?"
            r"(?![\w-])",
        ),
        (
            "relunit",
            r"\b(?:(?P<mod2>earlier|later|early|late)\s+)?(?P<rel>this|last|next|past|previous|"
            r"coming|the\s+past|the\s+previous|the\s+coming|the\s+next|the\s+same|the(?=\s+weekend)|"
            r"(?:the\s+)?current(?:\s+fiscal)?|the\s+full|(?:this|last|next)\s+fiscal)\s+"
            r"(?P<unit>week|month|year|weekend|quarter|decade|century)\b",
        ),
        (
            "ago",
            r"\b"
            + num
            + r"\s+(?:more\s+)?"
            + units
            + r"(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|later|before|"
            r"after|from\s+now|hence)\b",
        ),
        (
            "quarter",
            r"\b(?:(?:(?:the|its|their|this|last|next)\s+)?(?:" + year + r"\s+)?(?:fiscal\s+)?"
            r"(?P<ord>" + ordq + r")\s+quarter(?:\s+of\s+(?:fiscal\s+)?" + year2 + r")?|"
            r"(?P<ord2>" + ordq + r")-quarter)\b",
        ),
        (
            "set_times",
            r"\b(?:once|twice|(?:\d+|three|four|five)\s+times)\s+(?:a|an|per|each|every)\s+"
            + units
            + r"\b",
        ),
        ("set_wd", r"\b(?:every|each)\s+" + wd + r"\b"),
        ("set", r"\b(?P<w>" + sets + r")\b"),
        (
            "dur",
            r"\b(?:(?:the|a|an)\s+)?(?:(?P<rel>last|past|next|first|coming|previous|recent|"
            r"following|final)\s+)?"
            + num
            + r"(?:\s+more)?[\s-]+"
            + units
            + r"(?:-long)?\b(?!-old|\s+old)",
        ),
        ("dur_q", r"\b(?P<num>several|a\s+few|few|many)\s+(?P<unit>quarter)s\b"),
        ("dur_bare", r"\b(?P<w>(?P<unit>day|week|month|year|decade)s)\s+(?:of|that\s+followed)\b"),
        (
            "dur_vague",
            r"\b(?:for|over)\s+(?P<w>(?:many\s+)?(?P<unit>minute|hour|day|week|month|year|"
            r"decade)s)\b",
        ),
        (
            "time",
            r"(?<![\w.:])(?P<hour>[01]?\d)(?::(?P<min>[0-5]\d))?\s*(?P<ampm>[ap]\.?m\.?|[AP]\.?M\.?)"
            r"(?:\s+(?P<tz>[A-Z]{2,4}))?(?![\w])",
        ),
        (
            "time24",
            r"(?<![\w.:])(?P<hour>[0-2]?\d):(?P<min>[0-5]\d)\s*(?P<tz>GMT|UTC|[A-Z]{2,3}T)\b",
        ),
        ("fixtime", r"\b(?P<w>midnight|noon|midday)\b"),
        ("fuzzy", r"\b(?P<w>" + fuzzy + r")\b"),
    ]
    case = {"mdy", "dmy", "my", "myw", "m", "wd", "wd_pod", "set_wd", "time", "qana", "holiday"}
    flags = {k: (0 if k in case else re.I) for k, _ in raw}
    return tuple((k, re.compile(p, flags[k])) for k, p in raw)


_ABSOLUTE = frozenset({"iso", "slash", "mdy", "dmy"})
_MAY_TRIGGERS = frozenset(
    [
        "in",
        "since",
        "by",
        "until",
        "till",
        "from",
        "of",
        "early",
        "late",
        "mid",
        "last",
        "next",
        "this",
        "between",
        "through",
        "before",
        "after",
        "during",
        "and",
        "to",
        "or",
        "end",
        "beginning",
        "middle",
    ]
)


def _year_ok(text: str, start: int, end: int) -> bool:
    """Reject numbers that only look like years ("2000 people", "$1999", "1,2000")."""
    before = text[max(0, start - 2) : start]
    after = text[end : end + 12]
    if "$" in before or re.search(r"[\d.,]$", before):
        return False
    if re.match(r"(?:%|\s*per\s*cent|\s*percent|[.,]\d|-\d\d\d)", after):
        return False
    nxt = re.match(r"\s+([a-z]+)", after)
    if nxt is None:
        return True
    word = nxt.group(1)
    return word in time_words()["after_year_ok"] or not (
        word.endswith("s") or word in time_words()["count_nouns"]
    )


_SEASON_TRIGGERS = frozenset(
    {"in", "into", "during", "since", "by", "until", "till", "through", "over"}
    | {"throughout", "before", "after", "last", "this"}
)


def _season_ok(m: re.Match[str], text: str) -> bool:
    """ "this fall", "in spring", "the summer of 1998" - not "prices fall", "the fall of Rome"."""
    if m.group("year"):
        return True
    word = m.group("season")
    if word[0].isupper() and re.match(r"\s+[A-Z]", text[m.end() : m.end() + 2]):
        return False  # "Summer Olympics", "Winter Palace"
    if re.match(r"\s+of\b", text[m.end() : m.end() + 4]):
        return False
    rel = (m.group("rel") or "").lower()
    if rel and rel != "the":
        return True
    if word.lower() == "fall" and not rel:
        return False
    prev = re.search(r"([A-Za-z]+)\s*$", text[max(0, m.start() - 20) : m.start()])
    return prev is not None and prev.group(1).lower() in _SEASON_TRIGGERS


def _keep(kind: str, m: re.Match[str], text: str, lenient: bool) -> bool:
    if kind == "season":
        return lenient or _season_ok(m, text)
    if kind == "year" and m.group("fy"):
        return True
    if kind in {"year", "my"} and not _year_ok(text, m.start("year"), m.end("year")):
        return False
    if kind == "m" and not lenient and m.group("month").lower() in {"may", "march"}:
        prev = re.search(r"([A-Za-z]+)[\s-]*$", text[max(0, m.start() - 20) : m.start()])
        if (
            m.group("mod") is None
            and m.group("yrel") is None
            and (prev is None or prev.group(1).lower() not in _MAY_TRIGGERS)
        ):
            return False
    if (
        kind in {"dur", "ago"}
        and m.group("num").lower() in {"a", "an"}
        and m.group("unit") in {"second", "minute"}
    ):
        return False
    if kind == "ago" and m.group("num").lower().split()[-1] in {"few", "several", "many", "of"}:
        return False
    if kind == "dur" and m.group("num").lower() in {"a", "an"} and _RATE.search(text, 0, m.start()):
        return False  # "$1.76 a year", "24 hours a day": a rate, not a duration
    return not (kind == "dur" and m.group("num").lower() == "many")


_RATE = re.compile(r"(?:\d%?|\b(?:times|hours|days|cents|dollars|percent|once|twice))\s*$")


def detect(text: str, *, lenient: bool = False) -> tuple[Candidate, ...]:
    """All temporal expressions in ``text``, sorted by start, without overlaps.

    Overlaps are resolved longest-first (ties: pattern order), so "Monday, May 20, 2018"
    beats "Monday" and "May 20". ``lenient`` drops context filters (used when re-reading the
    text of an already accepted expression).
    """
    found: list[tuple[int, int, int, str, dict[str, str]]] = []
    for order, (kind, pat) in enumerate(_patterns()):
        for m in pat.finditer(text):
            if m.end() <= m.start() or not _keep(kind, m, text, lenient):
                continue
            s, e = m.span("w") if kind in {"dur_vague", "dur_recent", "dur_bare"} else m.span()
            while s < e and text[s].isspace():
                s += 1
            fields = {k: v for k, v in m.groupdict().items() if v is not None}
            found.append((s, e, order, kind, fields))
    # Calendar dates written out in full win over any overlapping reading ("last Oct. 23"
    # is the date Oct. 23, not "last October"); otherwise the longest match wins.
    found.sort(key=lambda f: (f[3] not in _ABSOLUTE, -(f[1] - f[0]), f[2], f[0]))
    taken: list[Candidate] = []
    for s, e, _, kind, fields in found:
        if any(s < c.end and c.start < e for c in taken):
            continue
        taken.append(Candidate(s, e, kind, fields))
    taken.sort(key=lambda c: c.start)
    return tuple(taken)
