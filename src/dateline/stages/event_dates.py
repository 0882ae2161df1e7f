"""When an event happened: the date its own clause gives, else the date the article implies.

The time stage dates expressions; this module decides which of them dates an event:

- an expression that only dates a *governing* report ("told Sputnik a day earlier that the
  talks will ...") or a relative clause on a participant ("the president elected on
  20 May 2018") does not date the event;
- an event with no date of its own takes the date of another report of the same happening
  in the article: the same type with the same participants ("talks with Y ... talks between
  X and Y on Friday"), or a definite nominal ("the talks", "their meeting") naming the last
  dated event of that type;
- a statement reported in the article's lead with a day ("X on Sunday reiterated ...") dates
  the undated events the same speaker's later sentences report ("..., X said following talks
  with Y"): the article is the report of that day's statement.

The publication date is never used silently: only a present progressive with "today"/"now"
("are meeting today") takes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from dateline.models import Article, Event, Precision, TimeExpr
from dateline.stages.dates import date_for_span
from dateline.stages.doctext import doc_text
from dateline.stages.event_lexicon import event_lexicon

# Words before an expression that make it a bound of a state, not the date of a happening.
_BOUND_WORDS = frozenset({"until", "till", "til", "through", "throughout"})
_DISPLACING_AUX = frozenset({"will", "would", "shall", "'ll", "wo", "had", "'d"})
_NOW_WORDS = frozenset({"today", "now", "currently"})
_DEFINITE = re.compile(r"(?:\bthe|\bthat|\bthis|\btheir|\bthese|\bthose|'s|\u2019s)\s+$", re.I)


def _clause_verb(tok: Token) -> Token:
    for _ in range(10):
        if tok.pos_ in {"VERB", "AUX"} or tok.head.i == tok.i:
            return tok
        tok = tok.head
    return tok


def _ancestors(tok: Token) -> list[Token]:
    out = []
    for _ in range(40):
        if tok.head.i == tok.i:
            break
        tok = tok.head
        out.append(tok)
    return out


def _in_modifier_clause(t_tok: Token, trig: Token) -> bool:
    """The expression sits in a relative/participial clause that does not hold the trigger."""
    tok = t_tok
    for _ in range(12):
        if tok.i == trig.i or tok.head.i == tok.i:
            return False
        if tok.dep_ in {"relcl", "acl"}:
            # "their meeting scheduled for Monday" dates the meeting; "the president elected
            # on 20 May" dates the election, not the event the president takes part in.
            if tok.head.lemma_.lower() in event_lexicon().by_first_lemma:
                return False
            return trig not in list(tok.subtree)
        tok = tok.head
    return False


def _displaced(verb: Token) -> bool:
    """The event's clause is future or pluperfect relative to the report that governs it."""
    return any(c.dep_ in {"aux", "auxpass"} and c.lower_ in _DISPLACING_AUX for c in verb.children)


def _usable(doc: Doc, t: TimeExpr, trig: Token) -> bool:
    before = doc_text(doc)[max(0, t.start - 12) : t.start].lower().split()
    if before and before[-1] in _BOUND_WORDS:
        return False
    span = doc.char_span(t.start, t.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return True
    t_tok = span.root
    if _in_modifier_clause(t_tok, trig):
        return False
    v_event, v_time = _clause_verb(trig), _clause_verb(t_tok)
    if v_event.i == v_time.i:
        return True
    if v_time in _ancestors(v_event):
        # The expression dates a governing clause: fine for "reiterated Wednesday that Russia
        # supports", not for "told a day earlier that the talks will ...".
        path = [v_event, *_ancestors(v_event)]
        path = path[: path.index(v_time)]
        if all(v.dep_ == "conj" for v in path):
            return True
        return not any(_displaced(v) for v in path)
    return True


def _now(sent: Span, trig: Token) -> bool:
    verb = _clause_verb(trig)
    progressive = verb.tag_ == "VBG" and any(
        c.dep_ == "aux" and c.lower_ in {"is", "are", "'re", "'s"} for c in verb.children
    )
    return progressive and any(t.lower_ in _NOW_WORDS for t in sent)


def event_date(
    article: Article,
    doc: Doc,
    timexes: Sequence[TimeExpr],
    trig: Token,
    start: int,
    end: int,
) -> tuple[date | None, Precision | None]:
    """The date the event's own clause gives (see the module docstring), or (None, None)."""
    try:
        usable = [t for t in timexes if _usable(doc, t, trig)]
        when, precision = date_for_span(doc, usable, start, end, reference=article.published)
    except Exception:  # a bug in the time stage must not lose the event
        return None, None
    dated_today = article.published is not None and article.published_precision == "day"
    if when is None and dated_today and _now(trig.sent, trig):
        return article.published, "day"
    return when, precision


def _parts(ev: Event) -> frozenset[str]:
    def norm(key: str | None, text: str | None) -> str | None:
        if key:
            return key
        return " ".join(text.lower().split()) if text else None

    return frozenset(
        p for p in (norm(ev.actor_key, ev.actor_text), norm(ev.target_key, ev.target_text)) if p
    )


def _definite_nominal(ev: Event, article: Article) -> bool:
    """The trigger is a noun phrase pointing back: "the talks", "their meeting"."""
    if not ev.trigger or not ev.mentions:
        return False
    m = ev.mentions[0]
    sent = article.text[m.start : m.end]
    pos = sent.find(ev.trigger)
    if pos < 0 or (ev.trigger[:1].isupper() and pos > 0):
        return False
    return bool(_DEFINITE.search(sent[:pos])) and ev.trigger.split()[-1].endswith(
        ("s", "ing", "call", "visit", "summit", "conversation")
    )


def inherit_dates(events: Sequence[Event], article: Article | None) -> tuple[Event, ...]:
    """Undated events take the date of another dated report of the same happening.

    Works from the events alone (no parse), so corpus stages can re-apply it after
    re-anchoring an article's dates; without the article only the same-participants rule
    applies. Order and ids are kept.
    """
    out = list(events)
    dated = [e for e in events if e.date is not None and e.status in {"happened", "planned"}]
    for i, ev in enumerate(events):
        if ev.date is not None or ev.status not in {"happened", "planned"}:
            continue
        mine = _parts(ev)
        same = [
            f
            for f in dated
            if f.type == ev.type and f.status == ev.status and mine and mine <= _parts(f)
        ]
        if same and len({(f.date, f.date_precision) for f in same}) == 1:
            out[i] = replace(ev, date=same[0].date, date_precision=same[0].date_precision)
            continue
        if article is not None and _definite_nominal(ev, article):
            start = ev.mentions[0].start if ev.mentions else 0
            prior = [
                f
                for f in dated
                if f.type == ev.type
                and f.mentions
                and f.mentions[0].start < start
                and (not mine or mine <= _parts(f))
            ]
            if prior:
                f = max(prior, key=lambda f: f.mentions[0].start)
                out[i] = replace(ev, date=f.date, date_precision=f.date_precision)
    return tuple(out)


def lead_statement(
    article: Article, doc: Doc, timexes: Sequence[TimeExpr], reporting: frozenset[str]
) -> tuple[int, date] | None:
    """(speaker token index, day) when the first sentence reports a dated statement.

    "X on Sunday reiterated ...": the lead's main verb has a named subject and a day-precise
    past date within a week of publication governed by that verb.
    """
    pub = article.published
    if pub is None or article.published_precision != "day":
        return None
    sents = list(doc.sents)
    if not sents:
        return None
    lead = sents[0]
    # "X on Sunday reiterated ..., said the ministry": the reported clause is the statement.
    verbs = [lead.root, *(c for c in lead.root.children if c.dep_ == "ccomp")]
    for t in timexes:
        if not (lead.start_char <= t.start < lead.end_char) or t.precision != "day":
            continue
        credit = article.dateline
        if credit is not None and t.start < credit.end:
            continue  # the wire credit dates the report, not the happening
        if t.earliest is None or t.earliest > pub or (pub - t.earliest).days > 7:
            continue
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None:
            continue
        verb = _clause_verb(span.root)
        if all(verb.i != v.i for v in verbs):
            continue
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None and credit is not None and subj.idx < credit.end:
            # "MOSCOW, May 5 (Xinhua) -- Minister X ...": the parse may hang X on the credit.
            subj = next(
                (w for w in subj.subtree if w.idx >= credit.end and w.ent_type_ == "PERSON"),
                None,
            )
        if subj is not None and (subj.pos_ == "PROPN" or subj.ent_type_ == "PERSON"):
            return subj.i, t.earliest
    return None


def statement_date(
    trig: Token,
    lead: tuple[int, date] | None,
    key_of: Callable[[Token], str | None],
    reporting: frozenset[str],
) -> date | None:
    """The lead's day for an event in a later sentence reporting the lead speaker's words."""
    if lead is None:
        return None
    doc = trig.doc
    speaker = key_of(doc[lead[0]])
    root = trig.sent.root
    if speaker is None or root.lemma_.lower() not in reporting or trig.sent.start == 0:
        return None
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return None
    return lead[1] if key_of(subj) == speaker else None
