"""Content-span boundary conventions for reported (indirect/mixed) quotes.

Reported content is the proposition, not the sentence: a final period belongs to the
writer's sentence, not to what was reported ("He said the plan will fail." reports "the plan
will fail"), while a quotation closing inside the content keeps its closing mark so the
quoted words stay balanced ('called it “a disaster.”'). These conventions match the
attribution corpus the stage is measured on (PolNeAR) and read naturally in the UI.
Pure functions over text offsets.
"""

from __future__ import annotations

import re

_ABBREV_END = re.compile(r"(?:\b[A-Za-z]\.){2,}$|\b(?:Jr|Sr|Inc|Co|Corp|Ltd|St|etc)\.$")
_CLOSERS = '\u201d"\u2019'
_OPENERS = '\u201c"'
_INNER_PUNCT = ",.!?"


def drop_final_period(text: str, start: int, end: int) -> int:
    """End offset without a sentence-final period ("… will fail." -> "… will fail").

    Keeps the period of an abbreviation ("the U.S.", "Smith Jr.") and anything inside
    quotation marks.
    """
    if end - start < 2 or text[end - 1] != ".":
        return end
    if _ABBREV_END.search(text[max(start, end - 12) : end]):
        return end
    new_end = end - 1
    while new_end > start and text[new_end - 1].isspace():
        new_end -= 1
    return new_end


def close_inner_quote(text: str, start: int, end: int) -> int:
    """End offset that takes in a quotation closing right after the content.

    'called the show “the news show of record.”': the content stops at "record"; the
    punctuation and closing mark just after it belong to the quoted words. Only when the
    content holds an unclosed opening mark.
    """
    seg = text[start:end]
    opened = seg.count("\u201c") > seg.count("\u201d") or seg.count('"') % 2 == 1
    if not opened:
        return end
    j = end
    while j < len(text) and j - end < 2 and text[j] in _INNER_PUNCT:
        j += 1
    if j < len(text) and text[j] in _CLOSERS:
        return j + 1
    return end


def open_inner_quote(text: str, start: int, end: int) -> int:
    """Start offset that takes in the opening mark of a quotation the content closes.

    'warned Pryce against "any aggressive steps" towards Veloria': the content starts at
    "any", inside the marks; its opening mark belongs to it, so the quoted words stay
    balanced. Only when the content holds an unopened closing mark.
    """
    if start < 1 or text[start - 1] not in _OPENERS:
        return start
    seg = text[start:end]
    unopened = seg.count("\u201d") > seg.count("\u201c") or seg.count('"') % 2 == 1
    return start - 1 if unopened else start
