"""Quotes: direct, indirect and mixed statements with speaker, cue and channel ("via").

Direct quotes come from quotation marks (``quotes_marks``); their cue is the nearest
reporting cue in the same sentence, after the closing mark first ("…," Lavrov said), then
before the opening mark (Lavrov said: "…"), then a previous sentence ending in a colon;
fragments of one quotation (split by the cue, or running over paragraphs) are separate
quotes with the same speaker. Indirect quotes come from reporting cues in the parse
(``quotes_cues``); when their content contains quoted words they are "mixed". Short quoted
words without a cue inside running text (scare quotes, titles) are not statements.
A second cue whose content holds the first ("Lavrov said …, said the ministry"; "…, Efe
reported"; "…, according to Reuters") becomes the first quote's ``via``.
Finally a CRF content tagger (``quotes_tagger``) stacked on these quotes redraws the
boundaries of indirect quotes and adds contents a learned cue candidate gives a speaker;
direct and mixed quotes are never changed by it.
Speakers are never guessed: the subject of a passive cue ("X is accused of …") is not its
speaker, nor is a wire credit ("MOSCOW, May 5 (Xinhua) --") or a headline line the parser
ran into a subject; statements with a capitalised cue (headlines, link lists) are dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from spacy.tokens import Doc, Token

from dateline.models import (
    Article,
    ArticleEntity,
    CueClass,
    Precision,
    Quote,
    QuoteKind,
    TimeExpr,
)
from dateline.settings import DEFAULT_SETTINGS, Settings
from dateline.stages import quotes_learned, quotes_tagger
from dateline.stages.quotes_cues import Cue, cue_class, find_cues, np_range
from dateline.stages.quotes_marks import QuotedSpan, find_quoted_spans
from dateline.stages.quotes_spans import Draft, plan
from dateline.stages.speakers import SpeakerResolver

VERSION = "quotes.v4"


def _date_for(
    doc: Doc, timexes: Sequence[TimeExpr], start: int, end: int, reference: date | None
) -> tuple[date | None, Precision | None]:
    try:
        from dateline.stages.dates import date_for_span
    except ImportError:
        return None, None
    try:
        found: tuple[date | None, Precision | None] = date_for_span(
            doc, timexes, start, end, reference=reference
        )
    except Exception:  # a neighbour stage's bug must not lose the quotes
        return None, None
    return found


def extract_quotes(
    article: Article,
    doc: Doc,
    *,
    entities: Sequence[ArticleEntity],
    timexes: Sequence[TimeExpr] = (),
    settings: Settings = DEFAULT_SETTINGS,
    tagger: bool = True,
) -> tuple[Quote, ...]:
    """Extract the quotes of one article, sorted by content start.

    Args:
        article: the article; ``doc`` was parsed from exactly ``article.text``.
        doc: its spaCy parse.
        entities: the article's entities (mentions and role mentions with keys).
        timexes: its temporal expressions, used to date each quote.
        settings: options (none used yet).
        tagger: apply the content tagger (``False``: the rules and cue model alone, which
            is what the tagger is trained to stack on).

    Returns:
        Quotes with ids ``f"{article.id}:q{n}"`` numbered in text order.
    """
    del settings
    text = article.text
    spans, _warnings = find_quoted_spans(text)
    cues = find_cues(doc)
    # scored once: the rules' plan and the tagger's features both read the candidates
    scored = quotes_learned.scored_candidates(doc)
    drafts = [d for d in plan(text, spans, cues, doc, scored) if not _shouted(doc, d)]
    credit_end = _credit_end(article)
    for d in drafts:
        reported = d.kind != "direct" and d.cue is not None
        cue_at = doc[d.cue.verb].idx if reported and d.cue is not None else None
        d.start, d.end = _trimmed(doc, text, credit_end, cue_at, d.start, d.end)
    drafts = [d for d in drafts if d.end > d.start]
    resolver = SpeakerResolver(text, doc, entities)
    chain_speaker: dict[int, tuple[str | None, str | None, int | None, int | None]] = {}
    order = sorted(drafts, key=lambda d: (_speaker_pos(doc, d), d.start))
    found = [
        _to_quote(article, doc, d, resolver, chain_speaker, timexes, credit_end) for d in order
    ]
    found.sort(key=lambda q: (q.start, q.end))
    out = [replace(q, id=f"{article.id}:q{n}") for n, q in enumerate(found, start=1)]
    model = quotes_tagger.load_tagger() if tagger else None
    if model is None:
        return tuple(out)
    tagged = quotes_tagger.tag(doc, text, out, scored, model)
    kept, new = quotes_tagger.combine(doc, text, out, tagged, scored)
    kept = [t for t in (_retrimmed(doc, text, credit_end, q) for q in kept) if t is not None]
    for frags, cand in new:
        if _shouted_token(doc[cand.cue]):
            continue
        cue = Cue(cand.cue, cand.cue, cand.cue + 1, cand.speaker, (frags[0][0], frags[-1][1]), None)
        for s, e in frags:
            s, e = _trimmed(doc, text, credit_end, doc[cand.cue].idx, s, e)
            if e <= s:
                continue
            kind: QuoteKind = "mixed" if _has_quotation(spans, s, e) else "indirect"
            d = Draft(s, e, kind, cue)
            kept.append(_to_quote(article, doc, d, resolver, chain_speaker, timexes, credit_end))
    kept.sort(key=lambda q: (q.start, q.end))
    return tuple(replace(q, id=f"{article.id}:q{n}") for n, q in enumerate(kept, start=1))


def _shouted_token(tok: Token) -> bool:
    """A word in capitals ("SAYS"), not a one-letter word or an acronym-like symbol."""
    return sum(ch.isalpha() for ch in tok.text) >= 2 and tok.text.isupper()


def _shouted(doc: Doc, d: Draft) -> bool:
    """A reported statement whose cue is in capitals sits in a headline or a link list
    ("PLURALITY OF DEMS BACK PLAN, POLL SAYS"), not in the article's prose."""
    return d.kind != "direct" and d.cue is not None and _shouted_token(doc[d.cue.verb])


def _credit_end(article: Article) -> int:
    """Where the article's wire credit ("MOSCOW, May 5 (Xinhua) --") ends; 0 without one."""
    from dateline.ingest.dateline import find_dateline

    credit = article.dateline or find_dateline(article)
    return credit.end if credit is not None else 0


def _after_credit(text: str, credit_end: int, start: int, end: int) -> int:
    """A content that opens the article starts after its credit and the credit's dashes.

    "SAN ALBERO, 1 May (AAN).- At least 300 people were injured …, according to X": X
    reported the injuries, not the place and day of the wire.
    """
    if not start < credit_end < end:
        return start
    at = credit_end
    while at < end and (text[at].isspace() or text[at] in ".-\u2013\u2014:"):
        at += 1
    return at if at < end else start


def _trimmed(
    doc: Doc, text: str, credit_end: int, cue_at: int | None, start: int, end: int
) -> tuple[int, int]:
    """A content without the wire credit and, for reported speech (``cue_at`` given),
    inside its cue's paragraph and after the cue's day; empty (end <= start) if nothing
    is left."""
    start = _after_credit(text, credit_end, start, end)
    if cue_at is not None:
        start, end = _in_paragraph(text, cue_at, start, end)
        if end > start:
            start = _after_day(doc, start, end)
    return start, end


def _retrimmed(doc: Doc, text: str, credit_end: int, q: Quote) -> Quote | None:
    """``_trimmed`` again on a quote whose content the tagger redrew."""
    cue_at = q.cue_start if q.kind != "direct" else None
    start, end = _trimmed(doc, text, credit_end, cue_at, q.start, q.end)
    if end <= start:
        return None
    if (start, end) == (q.start, q.end):
        return q
    return replace(q, start=start, end=end, text=text[start:end])


_WEEKDAYS = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
)
_DAY_PARTS = frozenset({"morning", "afternoon", "evening", "night"})


def _after_day(doc: Doc, start: int, end: int) -> int:
    """A content that opens with the cue's day starts after it.

    "Mattis said on Tuesday he was awaiting a plan": the parser hangs "on Tuesday" on the
    reported clause, but it dates the saying; "said Tuesday was the deadline" keeps it.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) < 3:
        return start
    i = 1 if span[0].lower_ == "on" else 0
    if span[i].lower_ not in _WEEKDAYS:
        return start
    i += 1
    if i < len(span) and span[i].lower_ in _DAY_PARTS:
        i += 1
    if i < len(span) - 1 and span[i].text == ",":
        i += 1
    if i >= len(span) - 1 or span[i].pos_ not in {"PRON", "DET", "PROPN", "NOUN", "NUM", "ADJ"}:
        return start  # "Tuesday was the deadline": the day is the subject
    return max(start, span[i].idx)


def _in_paragraph(text: str, cue_at: int, start: int, end: int) -> tuple[int, int]:
    """A reported content clipped to its cue's paragraph (the parser can run a sentence
    into the next headline or link line); empty when none of it is there."""
    lo = text.rfind("\n", 0, cue_at) + 1
    hi = text.find("\n", cue_at)
    hi = len(text) if hi < 0 else hi
    s, e = max(start, lo), min(end, hi)
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else (start, start)


def _outside_credit(
    doc: Doc, speaker: tuple[int, int] | None, credit_end: int
) -> tuple[int, int] | None:
    """A speaker phrase the parser ran into the wire credit loses the credit's tokens.

    "SOLVAN, May 4 (Meridian Wire) - Karsk's foreign minister Arkadi Zhelvin pledged …": the
    speaker is the minister, not "May 4 (Meridian Wire"; a phrase inside the credit is none.
    """
    if speaker is None or not credit_end:
        return speaker
    s0, s1 = speaker
    while s0 < s1 and (doc[s0].idx < credit_end or doc[s0].is_punct or doc[s0].is_space):
        s0 += 1
    return (s0, s1) if s0 < s1 else None


def _in_cue_paragraph(
    doc: Doc, speaker: tuple[int, int] | None, verb: int
) -> tuple[int, int] | None:
    """The part of a speaker phrase in the cue's paragraph (the parser may run a headline
    line into the next sentence's subject: "… THE BUDGET\nNASA said")."""
    if speaker is None:
        return None
    s0, s1 = speaker
    for i in range(s0, s1):
        if "\n" in doc[i].text or "\n" in doc[i].whitespace_:
            if i < verb:
                s0 = i + 1
            else:
                s1 = min(s1, i + (0 if "\n" in doc[i].text else 1))
                break
    while s0 < s1 and (doc[s0].is_space or doc[s0].is_punct):
        s0 += 1  # also a stray closing mark the parser took into the phrase
    while s1 > s0 and (doc[s1 - 1].is_space or doc[s1 - 1].is_punct):
        s1 -= 1
    if s0 >= s1:
        return None
    lo, hi = (s1, verb) if s1 <= verb else (verb + 1, s0)
    if any("\n" in t.text_with_ws for t in doc[max(lo - 1, 0) : hi]):
        return None  # the whole phrase is in another paragraph ("(Also on X: A B C)\n\nD say")
    return s0, s1


def _has_quotation(spans: Sequence[QuotedSpan], start: int, end: int) -> bool:
    """Quoted words inside a content make it a mixed quote."""
    return any(start <= s.open_at and s.close_end <= end for s in spans)


def _speaker_pos(doc: Doc, d: Draft) -> int:
    if d.cue is not None and d.cue.speaker is not None:
        return doc[d.cue.speaker[0]].idx
    return d.start


def _active_speaker(doc: Doc, cue: Cue) -> tuple[int, int] | None:
    """The cue's speaker span, unless it is the subject of a passive cue.

    "Marquez is accused of plotting …", "Respondents were asked to pick …", "Asked about
    the dam, the mayor …": the passive subject is who the words are about, not who said them.
    The speaker is then the agent ("was criticised by the mayor") or nobody.
    """
    if cue.speaker is None:
        return None
    verb = doc[cue.verb]
    if (
        verb.tag_ == "VBN"
        and verb.dep_ == "advcl"
        and not any(c.dep_ in {"nsubj", "nsubjpass", "aux", "auxpass"} for c in verb.children)
    ):
        return None  # "Asked about the dam, the mayor said …": the mayor did not ask
    for child in verb.children:
        if child.dep_ == "nsubjpass" and np_range(child) == cue.speaker:
            agents = [g for a in verb.children if a.dep_ == "agent" for g in a.children]
            objs = [g for g in agents if g.dep_ == "pobj"]
            return np_range(objs[0]) if objs else None
    return cue.speaker


def _to_quote(
    article: Article,
    doc: Doc,
    d: Draft,
    resolver: SpeakerResolver,
    chain_speaker: dict[int, tuple[str | None, str | None, int | None, int | None]],
    timexes: Sequence[TimeExpr],
    credit_end: int = 0,
) -> Quote:
    text = article.text
    key = s_text = None
    s_start = s_end = None
    cue_text = None
    cue_start = cue_end = None
    via = None
    if d.cue is not None:
        c = d.cue
        cue_start = doc[c.cue_start].idx
        last = doc[c.cue_end - 1]
        cue_end = last.idx + len(last.text)
        cue_text = text[cue_start:cue_end]
        speaker = _outside_credit(doc, _active_speaker(doc, c), credit_end)
        speaker = _in_cue_paragraph(doc, speaker, c.verb)
        if speaker is not None:
            sp = resolver.resolve(*speaker)
            if sp is not None:
                key, s_text, s_start, s_end = sp.key, sp.text, sp.start, sp.end
                resolver.remember(sp.start, sp.key)
        if c.via is not None:
            via = doc[c.via[0] : c.via[1]].text
    if d.via_cue is not None and d.via_cue.speaker is not None:
        via = doc[d.via_cue.speaker[0] : d.via_cue.speaker[1]].text
    if s_text is None and d.speaker_chain in chain_speaker:
        key, s_text, s_start, s_end = chain_speaker[d.speaker_chain]
    if d.chain is not None:
        if s_text is None and d.chain in chain_speaker:
            key, s_text, s_start, s_end = chain_speaker[d.chain]
        elif s_text is not None:
            chain_speaker.setdefault(d.chain, (key, s_text, s_start, s_end))
    # A quote's date is when it was said: the cue's clause, never a date inside the words
    # quoted ("the president elected on May 20" is not when the statement was made).
    outside = [t for t in timexes if t.end <= d.start or t.start >= d.end]
    if d.cue is not None:
        verb = doc[d.cue.verb]
        when, precision = _date_for(doc, outside, verb.idx, verb.idx + len(verb), article.published)
    else:
        when, precision = _date_for(doc, outside, d.start, d.end, article.published)
    cls: CueClass = "speech"
    if d.kind != "direct" and d.cue is not None:  # quotation marks: the words were said
        cls = d.cue.cue_class or cue_class(doc[d.cue.verb]) or "speech"
    return Quote(
        id="",
        article_id=article.id,
        start=d.start,
        end=d.end,
        text=text[d.start : d.end],
        kind=d.kind,
        speaker_key=key,
        speaker_text=s_text,
        cue=cue_text,
        via=via,
        speaker_start=s_start,
        speaker_end=s_end,
        cue_start=cue_start,
        cue_end=cue_end,
        date=when,
        date_precision=precision,
        cue_class=cls,
    )
