"""Find quoted spans by their quotation marks, tolerating the mess of real news text.

Curly, straight, single and guillemet marks are paired per paragraph, and so are the
two-character marks of text converted from typesetting sources (two backticks or two
apostrophes to open, two apostrophes to close: the LDC New York Times and Penn Treebank
conventions). A paragraph that
opens a quote without closing it, followed by a paragraph that opens again, is the
newspaper convention for a quotation running over several paragraphs: the fragments are
returned as one *chain* so they can share a speaker. Unpaired marks never discard the
other quotes (textacy drops all quotes of a document on one stray mark); they only add a
warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOUBLE_OPEN = {"\u201c": "\u201d", "\u201e": "\u201d", "\u00ab": "\u00bb"}
_DOUBLE_CLOSE = {"\u201d", "\u00bb"}
_SINGLE_OPEN = "\u2018"
_SINGLE_CLOSE = "\u2019"
_TEX_OPEN = "``"
_TEX_CLOSE = "''"
# every mark, scanned by one regex (the paragraph loop is hot: twice per article); two
# apostrophes are a mark unless a third follows (then the last two are)
_MARK = re.compile("``|''(?!')|[\u201c\u201e\u00ab\u201d\u00bb\"\u2018\u2019]")
_PARA = re.compile(r"[^\n]+")
_TRIM = " \t\u00a0,;"


@dataclass(frozen=True, slots=True)
class QuotedSpan:
    """One quoted stretch: ``start``/``end`` is the content, ``open_at``/``close_end`` the marks."""

    open_at: int
    start: int
    end: int
    close_end: int
    chain: int
    closed: bool
    single: bool = False
    mark: int = 1  # length of each quotation mark (2 for the typesetting pairs)


def _is_open_straight(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    return prev.isspace() or prev in "([{\u2014\u2013-/:"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _marks(text: str, p_start: int, p_end: int) -> list[tuple[int, str, bool, int]]:
    """Quote marks in one paragraph as (offset, family, is_opener, length).

    Family 'd' (double), 's' (single) or 'sd' (a straight double mark, '"' or two
    apostrophes: the same mark opens and closes, so ``is_opener`` is a guess from context).
    """
    out: list[tuple[int, str, bool, int]] = []
    for m in _MARK.finditer(text, p_start, p_end):
        i, mark = m.start(), m.group()
        if mark in _DOUBLE_OPEN:
            out.append((i, "d", True, 1))
        elif mark in _DOUBLE_CLOSE:
            out.append((i, "d", False, 1))
        elif mark == '"':
            out.append((i, "sd", _is_open_straight(text, i), 1))
        elif mark == _TEX_OPEN:
            out.append((i, "d", True, 2))
        elif mark == _TEX_CLOSE:
            out.append((i, "sd", _is_open_straight(text, i), 2))
        elif mark == _SINGLE_OPEN:
            prev = text[i - 1] if i > 0 else " "
            if not prev.isalnum():
                out.append((i, "s", True, 1))
        else:  # _SINGLE_CLOSE
            nxt = text[i + 1] if i + 1 < len(text) else " "
            prev = text[i - 1] if i > 0 else " "
            # "Russia\u2019s" is an apostrophe; a closer is followed by space or punctuation.
            if not nxt.isalnum() and not prev.isspace():
                out.append((i, "s", False, 1))
    return out


def find_quoted_spans(text: str) -> tuple[tuple[QuotedSpan, ...], tuple[str, ...]]:
    """Return the quoted spans of ``text`` (sorted) and warning codes.

    Single quotes count only outside double quotes (inside, they are quotes within a
    quote) and only when both marks are found in the same paragraph.
    """
    spans: list[QuotedSpan] = []
    warnings: set[str] = set()
    chain = 0
    carry_chain: int | None = None  # a quote left open by the previous paragraph
    for para in _PARA.finditer(text):
        p_start, p_end = para.span()
        marks = _marks(text, p_start, p_end)
        open_at: int | None = None
        open_single: int | None = None
        this_chain: int | None = None
        first_mark = marks[0] if marks else None
        continues = (
            carry_chain is not None
            and first_mark is not None
            and first_mark[1] != "s"
            and first_mark[2]
            and not text[p_start : first_mark[0]].strip()
        )
        if carry_chain is not None and not continues:
            carry_chain = None
        open_len = 1
        for pos, family, is_open, length in marks:
            if family != "s":
                straight = family == "sd"
                if open_at is None:
                    if is_open or (straight and length == 1):  # not the '' of "a 12'' pipe"
                        open_at = pos
                        open_len = length
                        open_single = None
                        if continues and this_chain is None:
                            this_chain = carry_chain
                        else:
                            chain += 1
                            this_chain = chain
                    else:
                        warnings.add("unbalanced-quote")
                elif not is_open or straight:
                    s, e = _trimmed(text, open_at + open_len, pos)
                    if e > s:
                        spans.append(
                            QuotedSpan(
                                open_at, s, e, pos + length, this_chain or 0, True, False, length
                            )
                        )
                    open_at = None
                else:  # a second opener before a closer: the first one was never closed
                    warnings.add("unbalanced-quote")
                    chain += 1
                    this_chain = chain
                    open_at = pos
                    open_len = length
            elif open_at is None:
                if is_open:
                    open_single = pos
                elif open_single is not None:
                    s, e = _trimmed(text, open_single + 1, pos)
                    if e > s:
                        chain += 1
                        spans.append(QuotedSpan(open_single, s, e, pos + 1, chain, True, True))
                    open_single = None
        carry_chain = None
        if open_at is not None:
            s, e = _trimmed(text, open_at + open_len, p_end)
            if e > s:
                spans.append(
                    QuotedSpan(open_at, s, e, p_end, this_chain or 0, False, False, open_len)
                )
            carry_chain = this_chain
            warnings.add("unclosed-quote")
    spans.sort(key=lambda q: q.start)
    return tuple(spans), tuple(sorted(warnings))
