"""Event extraction: who did what to whom, when and where, coded in PLOVER with CAMEO alongside.

Dictionary triggers (``lexicon/events.json``) are found on lemmas, frames absorb their
complements ("threatened to cut off" is THREATEN), and the dependency parse gives the actor
(subject / ``by`` agent), the target (object / ``with``/``to`` phrase / the other conjunct
of "X and Y met" or "talks between X and Y"), the place (``in``/``at`` a GPE) and the
modality (negated, hypothetical, planned). Dates come from the time stage.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from dateline.models import (
    Article,
    ArticleEntity,
    Event,
    EventMention,
    EventStatus,
    TimeExpr,
)
from dateline.settings import DEFAULT_SETTINGS, Settings
from dateline.stages.actors import actor_code
from dateline.stages.doctext import doc_text
from dateline.stages.entities import sector_of
from dateline.stages.event_dates import (
    event_date,
    inherit_dates,
    lead_statement,
    statement_date,
)
from dateline.stages.event_lexicon import (
    EventLexicon,
    Trigger,
    actor_lexicon,
    cameo_for,
    current_plover,
    event_lexicon,
)
from dateline.stages.event_patterns import (
    TriggerMatch,
    absorb_frames,
    clause_depth_penalty,
    event_status,
    find_triggers,
    in_quotation,
    is_negated,
    must_demands,
)
from dateline.stages.event_roles import Participant, location, participant, roles

VERSION = "events.v2"

# Confidence weights, set by hand from the PLOVER dev records (type accuracy of the highest-
# confidence event per sentence): a resolved actor matters more than a resolved target.
_ACTOR_BONUS = 0.12
_TARGET_BONUS = 0.06
_QUOTE_PENALTY = 0.15
_ABSORBED_BONUS = 0.05

_DEMAND = Trigger(("say",), "VERB", "DEMAND", None, None, 0.7, True, frozenset(), frozenset())


@lru_cache(maxsize=1)
def _sector_words() -> frozenset[str]:
    words: set[str] = set()
    for items in actor_lexicon()["sectors"].values():
        words.update(w.lower() for w in items if " " not in w)
    words.update(event_lexicon().military_heads)
    return frozenset(words)


def _code(part: Participant | None) -> str | None:
    if part is None:
        return None
    code = actor_code(part.text, part.entity)
    if part.entity is not None and code and len(code) == 3:
        try:
            sector = sector_of(part.entity)
        except Exception:
            sector = None
        if sector and sector != code:
            code = code + sector if not code.startswith("IGO") else code
    return code


def _mode_and_cameo(match: TriggerMatch, doc: Doc) -> tuple[str, str | None, str | None]:
    """Event type, mode and CAMEO code for a (possibly frame) trigger."""
    entry = match.entry
    etype, mode = entry.type, entry.mode
    if etype == "AID" and mode is None:
        words = {t.lemma_.lower() for t in match.token.subtree}
        for kind in ("military", "humanitarian", "economic"):
            if kind in words:
                mode = kind
                break
    row = cameo_for(etype, mode)
    cameo = entry.cameo or (row.cameo if row else None)
    return etype, mode, cameo


def _cameo(etype: str, mode: str | None) -> str | None:
    row = cameo_for(etype, mode)
    return row.cameo if row else None


def _words(text: str) -> set[str]:
    """Lower-cased words with a plural -s stripped too ("tanks" -> "tank")."""
    words = {w.lower().strip(".,") for w in text.split()}
    return words | {w[:-1] for w in words if w.endswith("s")}


def _sentence_bounds(sent: Span) -> tuple[int, int]:
    text = doc_text(sent.doc)
    start, end = sent.start_char, sent.end_char
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _sentence_events(
    article: Article,
    doc: Doc,
    sent: Span,
    entities: Sequence[ArticleEntity],
    timexes: Sequence[TimeExpr],
    lex: EventLexicon,
    lead: tuple[int, date] | None = None,
) -> list[tuple[int, Event]]:
    matches = find_triggers(sent, lex)
    demand_frames = must_demands(sent, lex, _DEMAND)
    matches = absorb_frames(sorted(matches + demand_frames, key=lambda m: m.start))
    sector_words = _sector_words()
    s_start, s_end = _sentence_bounds(sent)
    blocked: set[int] = set()
    if article.dateline is not None:  # "MOSCOW, May 5 (Xinhua) --" is no participant
        blocked = {t.i for t in sent if article.dateline.start <= t.idx < article.dateline.end}
    out: list[tuple[int, Event]] = []
    for m in matches:
        trig = m.token
        skip = set(range(m.start, m.end)) | blocked
        symmetric = m.entry.type == "CONSULT"
        actor_tok, target_tok = roles(trig, entities, sector_words, skip, symmetric=symmetric)
        for inner in m.absorbed:  # the complement knows the target of "threatened to shell X"
            if target_tok is not None and actor_tok is not None:
                break
            a2, t2 = roles(
                inner.token, entities, sector_words, skip | set(range(inner.start, inner.end))
            )
            if actor_tok is None and a2 is not None:
                actor_tok = a2
            if target_tok is None and t2 is not None and (actor_tok is None or t2.i != actor_tok.i):
                target_tok = t2
        actor = participant(actor_tok, entities) if actor_tok is not None else None
        target = participant(target_tok, entities) if target_tok is not None else None
        etype, mode, cameo = _mode_and_cameo(m, doc)
        status: EventStatus = event_status(trig, lex)
        negated_yield = trig.pos_ in {"VERB", "AUX"} and is_negated(trig) and not m.entry.frame
        if negated_yield and etype in lex.negation_frames:
            etype, mode, status = lex.negation_frames[etype], "yield", "happened"
            row = cameo_for(etype, mode)
            cameo = row.cameo if row else None
        if etype == "REJECT" and m.absorbed and m.absorbed[0].entry.type == "CONSULT":
            mode = "meet"
            row = cameo_for(etype, mode)
            cameo = row.cameo if row else cameo
        inner_type = m.absorbed[0].entry.type if m.absorbed else None
        if (status in {"planned", "hypothetical"} and etype in lex.intent_to_threaten) or (
            etype == "AGREE" and inner_type in lex.intent_to_threaten and inner_type != "SANCTION"
        ):
            # PLOVER/CAMEO code a stated future coercion ("will impose", "is prepared to
            # impose", "plans to impose") as a THREATEN event that has happened.
            etype, mode, status = "THREATEN", None, "happened"
            cameo = _cameo(etype, mode)
        elif status == "planned" and etype in lex.intent_to_agree:
            # ... and a stated future concession or aid as AGREE (CAMEO 03, intent to cooperate).
            etype, mode, status = "AGREE", None, "happened"
            cameo = _cameo(etype, mode)
        if (
            etype == "CONSULT"
            and m.entry.mode == "visit"
            and actor is not None
            and (_words(actor.text) & lex.military_heads)
        ):
            continue  # troops "arriving" is a deployment, not a diplomatic visit
        if etype == "ASSAULT" and actor is not None and _words(actor.text) & lex.military_heads:
            etype, mode = "FIGHT", None  # conventional military force (CAMEO 19), not assault
            row = cameo_for(etype, mode)
            cameo = row.cameo if row else None
        exclude = {t.i for t in (actor_tok, target_tok) if t is not None}
        place = location(trig, sent, exclude)
        conf = m.entry.weight - clause_depth_penalty(trig, lex)
        conf += _ACTOR_BONUS if actor is not None else 0.0
        conf += _ACTOR_BONUS / 2 if actor is not None and actor.key else 0.0
        conf += _TARGET_BONUS if target is not None else 0.0
        conf += _ABSORBED_BONUS if m.absorbed else 0.0
        if in_quotation(trig):
            conf -= _QUOTE_PENALTY
        t_start = doc[m.start].idx
        t_end = doc[m.end - 1].idx + len(doc[m.end - 1].text)
        when, precision = event_date(article, doc, timexes, trig, t_start, t_end)
        if when is None and status == "happened":
            when = statement_date(trig, lead, lambda t: _key_of(t, entities), lex.transparent)
            precision = "day" if when is not None else None
        pub = article.published
        if status == "happened" and when is not None and pub is not None and when > pub:
            status = "planned"  # a happening dated after the report is still to come
        out_type, out_mode = current_plover(etype, mode)
        event = Event(
            id="",
            type=out_type,
            mode=out_mode,
            cameo=cameo,
            actor_key=actor.key if actor else None,
            target_key=target.key if target else None,
            actor_text=actor.text if actor else None,
            target_text=target.text if target else None,
            actor_code=_code(actor),
            target_code=_code(target),
            date=when,
            date_precision=precision,
            location=place,
            sentence=article.text[s_start:s_end],
            mentions=(EventMention(article.id, s_start, s_end),),
            confidence=round(min(0.99, max(0.05, conf)), 3),
            status=status,
            trigger=article.text[t_start:t_end],
        )
        out.append((t_start, event))
    return _dedupe(out)


def _key_of(tok: Token, entities: Sequence[ArticleEntity]) -> str | None:
    try:
        return participant(tok, entities).key
    except Exception:
        return None


def _dedupe(events: list[tuple[int, Event]]) -> list[tuple[int, Event]]:
    """One event per (type, participants) in a sentence: "talks ... the meeting" is one CONSULT.

    A report that lacks a participant folds into one of the same type that has it
    ("discuss X with Y at their upcoming meeting").
    """

    def parts(ev: Event) -> frozenset[str]:
        return frozenset(
            p for p in (ev.actor_key or ev.actor_text, ev.target_key or ev.target_text) if p
        )

    kept: list[tuple[int, Event]] = []
    for pos, ev in sorted(events, key=lambda p: (-len(parts(p[1])), -p[1].confidence, p[0])):
        mine = parts(ev)
        dup = any(
            other.type == ev.type and other.status == ev.status and mine and mine <= parts(other)
            for _, other in kept
        )
        if not dup:
            kept.append((pos, ev))
    return sorted(kept, key=lambda p: p[0])


def extract_events(
    article: Article,
    doc: Doc,
    *,
    entities: Sequence[ArticleEntity],
    timexes: Sequence[TimeExpr] = (),
    settings: Settings = DEFAULT_SETTINGS,
) -> tuple[Event, ...]:
    """Events reported in one article, each with one sentence mention.

    Args:
        article: the article; ``doc`` must have been made from ``article.text``.
        doc: its spaCy parse (tagger, parser, NER).
        entities: the article's entities (keys, mentions, roles, country).
        timexes: the article's normalised time expressions, for event dates.
        settings: unused for now; kept for the stage signature.

    Returns:
        Events sorted by trigger offset, ids ``f"{article.id}:ev{n}"``.
    """
    del settings
    if not article.text.strip() or doc_text(doc) != article.text:
        return ()
    lex = event_lexicon()
    try:
        lead = lead_statement(article, doc, timexes, lex.transparent)
    except Exception:
        lead = None
    found: list[tuple[int, Event]] = []
    for sent in doc.sents:
        try:
            found.extend(_sentence_events(article, doc, sent, entities, timexes, lex, lead))
        except Exception:
            continue
    found.sort(key=lambda p: p[0])
    out = []
    for n, (_, ev) in enumerate(found, start=1):
        out.append(_with_id(ev, f"{article.id}:ev{n}"))
    return inherit_dates(out, article)


def _with_id(ev: Event, new_id: str) -> Event:
    from dataclasses import replace

    return replace(ev, id=new_id)
