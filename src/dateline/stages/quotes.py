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
ran into a subject, nor a photo caption's labels ("Image copyright X Image caption");
statements with a cue in capitals or in a title-case line (other stories' headlines, link
lists), contents that are a bare pronoun ("most agree that") and news boilerplate about a
statement nobody made ("did not respond to a request for comment", "declined to say
whether …") are dropped, and no reported content runs over its own speaker and cue
(``quotes_trim``).
With ``Settings.quote_tagger`` on (the default; ``dateline analyze --no-quote-tagger`` for
the rules alone) a small transformer trained on PolNeAR (``quotes_neural``,
``quotes_tagged``) reads the article too: it finds the reported speech the rules miss and
bounds contents the way PolNeAR's annotators do. Its drafts pass the rules' placement
filters (``_trimmed``, headline cues, caption labels) and refusals
(``quotes_tagged.ruled_out``: sightings, adverbial clauses), and ``quotes_merge``
reconciles the two readings statement by statement: where the rules read the same
statement, their speaker, ``via`` and cue stand. Last, ``quotes_confidence`` weighs how the
tagger reads each statement without quoted words, whoever drew it, and drops the unlikely
ones ("Schilling pitched seven innings"). Fragments of one reported statement that touch
(only whitespace between) are then one quote (``quotes_merge.touching_joined``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from spacy.tokens import Doc

from dateline.models import (
    Article,
    ArticleEntity,
    Precision,
    Quote,
    QuoteClass,
    QuoteKind,
    TimeExpr,
)
from dateline.settings import DEFAULT_SETTINGS, Settings
from dateline.stages import quotes_confidence, quotes_learned, quotes_neural, quotes_tagger
from dateline.stages.quotes_cues import Cue, cue_class, find_cues, is_action
from dateline.stages.quotes_marks import QuotedSpan, find_quoted_spans
from dateline.stages.quotes_merge import merged, touching_joined
from dateline.stages.quotes_spans import Draft, plan
from dateline.stages.quotes_tagged import ruled_out, tagged_drafts
from dateline.stages.quotes_trim import (
    active_speaker,
    beside_cue,
    caption_label_end,
    credit_end_of,
    empty_statement,
    headline_cue,
    retrim_quote,
    shouted,
    speaker_in_cue_paragraph,
    speaker_outside_credit,
    trim_content,
    without_own_speaker,
)
from dateline.stages.speakers import SpeakerResolver

# A quote chain's speaker, for the chain's later parts: key, phrase, its start and end, and
# the keys coordinated with it
ChainSpeaker = tuple[str | None, str | None, int | None, int | None, tuple[str, ...]]

VERSION = "quotes.v15"
# the stage's version when the attribution tagger is on (``Settings.quote_tagger``)
TAGGER_VERSION = VERSION + "+tagger.v17"


def version(settings: Settings) -> str:
    """The version of what this stage gives under ``settings``: the tagger, when it can
    run here, changes it."""
    on = settings.quote_tagger and quotes_neural.unavailable_reason() is None
    return TAGGER_VERSION if on else VERSION


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
        tagger: apply the CRF content tagger (``quotes_tagger``). The attribution tagger
            follows ``settings.quote_tagger``; with both off the result is the rules and cue
            model alone (``stack_base``).

    Returns:
        Quotes with ids ``f"{article.id}:q{n}"`` numbered in text order.
    """
    text = article.text
    spans, _warnings = find_quoted_spans(text)
    cues = find_cues(doc)
    # scored once: the rules' plan and the tagger's features both read the candidates
    scored = quotes_learned.scored_candidates(doc)
    credit_end = credit_end_of(article)
    drafts = _trimmed(doc, text, credit_end, plan(text, spans, cues, doc, scored))
    resolver = SpeakerResolver(text, doc, entities)
    chain_speaker: dict[int, ChainSpeaker] = {}

    def quotes_of(drafts: Sequence[Draft]) -> list[Quote]:
        """Quotes made in speaker order, so that the fragments of one quotation (``chain``)
        take the speaker of the first fragment that names one."""
        order = sorted(drafts, key=lambda d: (_speaker_pos(doc, d), d.start))
        return [
            _to_quote(article, doc, d, resolver, chain_speaker, timexes, credit_end) for d in order
        ]

    out = list(_numbered(article, quotes_of(drafts)))
    model = quotes_tagger.load_tagger() if tagger else None
    attribution_tagger = quotes_neural.load() if settings.quote_tagger else None
    if model is None and attribution_tagger is None:
        return tuple(out)
    kept = out
    if model is not None:
        tagged = quotes_tagger.tag(doc, text, out, scored, model)
        kept, new = quotes_tagger.combine(doc, text, out, tagged, scored)
        kept = [t for t in (retrim_quote(doc, text, credit_end, q) for q in kept) if t is not None]
        for frags, cand in new:
            if headline_cue(doc, doc[cand.cue]):
                continue
            cue = Cue(
                cand.cue, cand.cue, cand.cue + 1, cand.speaker, (frags[0][0], frags[-1][1]), None
            )
            for s, e in frags:
                s, e = beside_cue(doc, cand, s, e)
                s, e = trim_content(doc, text, credit_end, doc[cand.cue].idx, s, e)
                if e <= s:
                    continue
                kind: QuoteKind = "mixed" if _has_quotation(spans, s, e) else "indirect"
                d = Draft(s, e, kind, cue)
                kept.append(
                    _to_quote(article, doc, d, resolver, chain_speaker, timexes, credit_end)
                )
    reading = None
    ruled: set[tuple[int, int]] = set()
    if attribution_tagger is not None:
        reading = attribution_tagger.read(text)
        # a photo caption's labels ("Image copyright X Image caption") are page furniture
        neural_spans = [s for s in reading.spans if s.start >= caption_label_end(text, s.start)]
        grouped = quotes_neural.attributions(text, neural_spans)
        drafts = [
            d
            for d in _trimmed(doc, text, credit_end, tagged_drafts(doc, text, spans, grouped))
            if not (d.cue and headline_cue(doc, doc[d.cue.verb])) and not ruled_out(doc, d)
        ]
        ruled = {(q.start, q.end) for q in _own_speaker_cleared(text, kept)}
        kept = merged(kept, quotes_of(drafts))
    kept = _own_speaker_cleared(text, kept)
    # only now: the tagger may widen a bare pronoun ("proclaimed himself") to its content
    kept = [q for q in kept if not empty_statement(doc, q)]
    if reading is not None:
        kept = quotes_confidence.confident(kept, reading, ruled)
    return _numbered(article, touching_joined(text, kept))


def stack_base(
    article: Article, doc: Doc, *, entities: Sequence[ArticleEntity]
) -> tuple[Quote, ...]:
    """What the CRF content tagger stacks on: the rules and cue model alone, bare-pronoun
    contents included, as ``extract_quotes`` has them before either tagger reads the article.

    Training data must come from here. ``extract_quotes(..., tagger=False)`` alone still runs
    the attribution tagger (``Settings.quote_tagger`` is on by default), whose reading of
    its own training articles is near the gold: a CRF trained on it learns to trust quotes
    it never sees at run time (the round-13 holdout CRF did; benchmarks/results/quotes.md,
    round 15).
    """
    rules_only = replace(DEFAULT_SETTINGS, quote_tagger=False)
    return extract_quotes(article, doc, entities=entities, settings=rules_only, tagger=False)


def _own_speaker_cleared(text: str, quotes: Sequence[Quote]) -> list[Quote]:
    """The quotes with no content running over its own speaker (``without_own_speaker``)."""
    return [t for t in (without_own_speaker(text, q) for q in quotes) if t is not None]


def _trimmed(doc: Doc, text: str, credit_end: int, drafts: Sequence[Draft]) -> list[Draft]:
    """Drafts without a shouted cue, trimmed (``quotes_trim.trim_content``): quotations keep
    their words; reported contents their cue's paragraph, clear of a wire credit."""
    out = [d for d in drafts if not shouted(doc, d)]
    for d in out:
        cue_at = doc[d.cue.verb].idx if d.kind != "direct" and d.cue is not None else None
        d.start, d.end = trim_content(doc, text, credit_end, cue_at, d.start, d.end)
    return [d for d in out if d.end > d.start]


def _numbered(article: Article, quotes: list[Quote]) -> tuple[Quote, ...]:
    quotes.sort(key=lambda q: (q.start, q.end))
    return tuple(replace(q, id=f"{article.id}:q{n}") for n, q in enumerate(quotes, start=1))


def _has_quotation(spans: Sequence[QuotedSpan], start: int, end: int) -> bool:
    """Quoted words inside a content make it a mixed quote."""
    return any(start <= s.open_at and s.close_end <= end for s in spans)


def _speaker_pos(doc: Doc, d: Draft) -> int:
    if d.cue is not None and d.cue.speaker is not None:
        return doc[d.cue.speaker[0]].idx
    return d.start


def _to_quote(
    article: Article,
    doc: Doc,
    d: Draft,
    resolver: SpeakerResolver,
    chain_speaker: dict[int, ChainSpeaker],
    timexes: Sequence[TimeExpr],
    credit_end: int = 0,
) -> Quote:
    text = article.text
    key = s_text = None
    s_start = s_end = None
    others: tuple[str, ...] = ()
    cue_text = None
    cue_start = cue_end = None
    via = None
    if d.cue is not None:
        c = d.cue
        cue_start = doc[c.cue_start].idx
        last = doc[c.cue_end - 1]
        cue_end = last.idx + len(last.text)
        cue_text = text[cue_start:cue_end]
        speaker = speaker_outside_credit(doc, active_speaker(doc, c), credit_end)
        speaker = speaker_in_cue_paragraph(doc, speaker, c.verb)
        if speaker is not None:
            sp = resolver.resolve(*speaker)
            if sp is not None:
                key, s_text, s_start, s_end = sp.key, sp.text, sp.start, sp.end
                others = sp.others
                resolver.remember(sp.start, sp.key)
        if c.via is not None:
            via = doc[c.via[0] : c.via[1]].text
    if d.via_cue is not None and d.via_cue.speaker is not None:
        via = doc[d.via_cue.speaker[0] : d.via_cue.speaker[1]].text
    if s_text is None and d.speaker_chain in chain_speaker:
        key, s_text, s_start, s_end, others = chain_speaker[d.speaker_chain]
    if d.chain is not None:
        if s_text is None and d.chain in chain_speaker:
            key, s_text, s_start, s_end, others = chain_speaker[d.chain]
        elif s_text is not None:
            chain_speaker.setdefault(d.chain, (key, s_text, s_start, s_end, others))
    # A quote's date is when it was said: the cue's clause, never a date inside the words
    # quoted ("the president elected on May 20" is not when the statement was made).
    outside = [t for t in timexes if t.end <= d.start or t.start >= d.end]
    if d.cue is not None:
        verb = doc[d.cue.verb]
        when, precision = _date_for(doc, outside, verb.idx, verb.idx + len(verb), article.published)
    else:
        when, precision = _date_for(doc, outside, d.start, d.end, article.published)
    cls: QuoteClass = "speech"
    if d.kind != "direct" and d.cue is not None:  # quotation marks: the words were said
        cls = d.cue.cue_class or cue_class(verb) or ("action" if is_action(verb) else "speech")
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
        co_speaker_keys=others,
    )
