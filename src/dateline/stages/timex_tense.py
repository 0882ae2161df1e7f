"""Decides whether a temporal expression sits in a past, present or future clause.

Weekdays, month names and bare "May 5" are resolved backwards or forwards from the
reference date depending on the tense of the verb that governs them. With a spaCy doc the
governing verb's tag and auxiliaries decide; without one (or when re-resolving stored
timexes) a small lexical window around the expression is read instead.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from dateline.stages.timex_lexicon import time_words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

Tense = Literal["past", "present", "future"]

_FUTURE_AUX = {"will", "'ll", "shall", "wo"}
_FUTURE_WORDS = {
    "scheduled",
    "upcoming",
    "due",
    "planned",
    "planning",
    "expected",
    "set",
    "plans",
    "plan",
    "intends",
    "aims",
    "expects",
}
_MODALS = {"must", "should", "could", "may", "might", "can", "would"}
_FUTURE_CUES = frozenset(
    {
        "will",
        "'ll",
        "shall",
        "upcoming",
        "scheduled",
        "tomorrow",
        "next",
        "planned",
        "planning",
        "plans",
        "must",
        "should",
        "expected",
        "expects",
    }
)
_TO_HEADS = frozenset({"is", "are", "set", "due", "scheduled", "expected", "planned", "plans"})
_WORD = re.compile(r"[A-Za-z']+")


def _verb_of(token: Token) -> Token | None:
    cur: Token | None = token
    for _ in range(8):
        if cur is None:
            return None
        if cur.pos_ in {"VERB", "AUX"}:
            return cur
        if cur.head.i == cur.i:
            return cur if cur.pos_ in {"VERB", "AUX"} else None
        cur = cur.head
    return None


def tense_from_doc(doc: Doc, start: int, end: int) -> Tense | None:
    """Tense of the verb governing the expression at ``[start, end)``; None if undecidable."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    verb = _verb_of(span.root)
    if verb is None:
        return None
    aux = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    aux_words = {a.lower_ for a in aux}
    if aux_words & _FUTURE_AUX or verb.lower_ in _FUTURE_WORDS:
        return "future"
    if aux_words & _MODALS and "have" not in aux_words:
        return "future"
    # "is to meet", "scheduled to visit", "plans to travel": the head of the xcomp decides.
    head = verb.head
    if verb.dep_ == "xcomp" and head.i != verb.i:
        if head.lemma_ in {"be", "schedule", "plan", "expect", "set", "due", "intend", "aim"} and (
            head.tag_ != "VBD" or head.lemma_ != "be"
        ):
            return "future"
        verb = head
        aux = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
        aux_words = {a.lower_ for a in aux}
        if aux_words & _FUTURE_AUX:
            return "future"
    if any(a.tag_ in {"VBD"} for a in aux) or verb.tag_ == "VBD":
        return "past"
    if verb.tag_ == "VBN" and not aux_words & {"is", "are", "am", "be", "'s", "'re"}:
        return "past"
    if verb.tag_ == "VBN" and aux_words & {"has", "have", "'ve"}:
        return "past"
    if verb.tag_ == "VBG" and aux_words & {"is", "are", "am", "'re", "'s"}:
        return "present"
    if verb.tag_ in {"VBZ", "VBP", "VB"}:
        return "present"
    return None


def _future_to(side: str, w: str, words: list[str], i: int) -> bool:
    """ "is to meet" / "due to open": a "to" right after a future-leaning head."""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if side == "r":
        return w in {"is", "are"} and nxt == "to"
    return w in {"to", "due"} and nxt in _TO_HEADS


def tense_from_text(text: str, start: int, end: int) -> Tense | None:
    """Tense read from the words around ``[start, end)`` in the same clause (no parser)."""
    tw = time_words()
    irregular = set(tw["irregular_past"]) - {"ago", "earlier", "previously", "last"}
    not_ed = set(tw["not_past_ed"])
    left_bound = max(text.rfind(c, 0, start) for c in ".;\n?!")
    right_cands = [i for i in (text.find(c, end) for c in ".;\n?!") if i != -1]
    right_bound = min(right_cands) if right_cands else len(text)
    left = text[left_bound + 1 : start]
    right = text[end:right_bound]
    # (distance in words, tense): the nearest cue wins; left cues get a small bonus because
    # English puts the verb before its time adjunct less often than after the subject.
    cues: list[tuple[float, Tense]] = []
    lw = [w.lower() for w in _WORD.findall(left)]
    rw = [w.lower() for w in _WORD.findall(right)]
    for side, words in (("l", lw[::-1]), ("r", rw)):
        for i, w in enumerate(words[:12]):
            dist = i + (0.0 if side == "l" else 0.5)
            if w in _FUTURE_CUES or _future_to(side, w, words, i):
                cues.append((dist, "future"))
            elif w in irregular or (w.endswith("ed") and len(w) > 4 and w not in not_ed):
                cues.append((dist, "past"))
            elif w in {"says", "is", "are", "has", "have"}:
                cues.append((dist + 1.5, "present"))
    if not cues:
        return None
    cues.sort(key=lambda c: c[0])
    return cues[0][1]
