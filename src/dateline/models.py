"""The data model: frozen dataclasses shared by every stage.

Per-article stages produce records whose entity references are *article-local keys*
(``ArticleEntity.key``, e.g. ``"e3"``); the corpus stages map those keys to corpus-wide
``Entity.id`` values. Every extracted item carries ``start``/``end`` character offsets
into ``Article.text`` and its surface ``text``, so ``article.text[start:end] == item.text``.
Dates are ``datetime.date`` objects plus a precision; they become ISO strings only in
:mod:`dateline.serialize`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Precision = Literal["day", "week", "month", "year"]
PublishedSource = Literal["metadata", "dateline", "text", "inferred"]
QuoteKind = Literal["direct", "indirect", "mixed"]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
EventStatus = Literal["happened", "planned", "negated", "hypothetical"]
# speech: a statement (said, told, according to); stance: a position or belief attributed to
# the source (wants, believes, rejected the claim), as PolNeAR annotates attributions.
CueClass = Literal["speech", "stance"]
# A quote's class adds "action": an act the tagger read as an attribution (signed eleven
# agreements, struck down a proposal), as PolNeAR annotates some acts; no statement.
QuoteClass = Literal["speech", "stance", "action"]


@dataclass(frozen=True, slots=True)
class DatelineCredit:
    """A wire-style credit opening an article: ``MOSCOW, May 5 (Xinhua) --``."""

    start: int
    end: int
    text: str
    place: str | None
    date: dt.date | None
    agency: str | None


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as stored: the text is the published text, Unicode-normalised.

    ``published`` is the best single date; ``published_range`` the honest bounds around it
    (equal to ``(published, published)`` when the date is given to the day).
    """

    id: str
    source: str
    text: str
    content_hash: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    author: str | None = None
    language: str | None = None
    published: dt.date | None = None
    published_precision: Precision | None = None
    published_source: PublishedSource | None = None
    published_range: tuple[dt.date, dt.date] | None = None
    published_evidence: tuple[str, ...] = ()
    dateline: DatelineCredit | None = None
    outlet_source: str | None = None
    story_id: str | None = None


@dataclass(frozen=True, slots=True)
class IngestError:
    """A file or record that could not be read; the batch goes on without it."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class EntityMention:
    """One named mention in an article, linked to an article-local entity ``key``."""

    start: int
    end: int
    text: str
    label: str
    key: str


@dataclass(frozen=True, slots=True)
class RoleMention:
    """A title or role attached to an entity in the text ("Russian Foreign Minister")."""

    start: int
    end: int
    text: str
    key: str


@dataclass(frozen=True, slots=True)
class ArticleEntity:
    """An entity as one article knows it: its mentions clustered by name and role."""

    key: str
    name: str
    type: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...] = ()
    country: str | None = None
    mentions: tuple[EntityMention, ...] = ()
    role_mentions: tuple[RoleMention, ...] = ()


@dataclass(frozen=True, slots=True)
class Entity:
    """A corpus-wide canonical entity: all spellings and roles across articles."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...]
    country: str | None
    article_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A temporal expression normalised against the article's reference date.

    ``value`` is a TIMEX3-style value ("2019-04-30", "2019-W18", "P8M", "XXXX-WXX-2").
    ``earliest``/``latest`` bound the calendar interval the expression denotes (None for
    durations, sets and unresolvable expressions); ``anchor`` is the date it was resolved
    against.
    """

    article_id: str
    start: int
    end: int
    text: str
    type: TimexType
    value: str
    earliest: dt.date | None = None
    latest: dt.date | None = None
    precision: Precision | None = None
    anchor: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """A statement and who made it (textacy's speaker/cue/content triple, made explicit).

    ``start``/``end``/``text`` are the content span. ``speaker_key`` is article-local;
    ``speaker`` is the corpus entity id filled in by the corpus stage. A coordinated speaker
    ("Lavrov and Rodriguez said") is its first name; ``co_speaker_keys``/``co_speakers``
    hold the others, so that a search for any of them finds the statement.
    """

    id: str
    article_id: str
    start: int
    end: int
    text: str
    kind: QuoteKind
    speaker_key: str | None
    speaker_text: str | None
    cue: str | None
    via: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    date: dt.date | None = None
    date_precision: Precision | None = None
    speaker: str | None = None
    same_as: tuple[str, ...] = ()
    cue_class: QuoteClass = "speech"
    co_speaker_keys: tuple[str, ...] = ()
    co_speakers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EventMention:
    """Where an event is reported: an article and the sentence span."""

    article_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Event:
    """Who did what to whom, coded in PLOVER with the CAMEO code alongside.

    A per-article event has one mention; corpus merging folds reports of the same real
    event into one ``Event`` with several mentions.
    """

    id: str
    type: str
    mode: str | None
    cameo: str | None
    actor_key: str | None
    target_key: str | None
    actor_text: str | None
    target_text: str | None
    actor_code: str | None
    target_code: str | None
    date: dt.date | None
    date_precision: Precision | None
    location: str | None
    sentence: str
    mentions: tuple[EventMention, ...]
    confidence: float
    status: EventStatus = "happened"
    trigger: str | None = None
    actor: str | None = None
    target: str | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    """A number the article reports: value, unit and what it measures."""

    id: str
    article_id: str
    start: int
    end: int
    text: str
    value: float
    unit: str | None
    measure: str | None
    agrees_with: tuple[str, ...] = ()
    conflicts_with: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FramingTerm:
    """A word or phrase an article uses for an entity ("socialist dictator")."""

    article_id: str
    entity_key: str
    term: str
    start: int
    end: int
    kind: str
    # True when the words stand inside a quoted statement: the outlet chose to quote them,
    # but they are the speaker's words, not the outlet's own voice.
    quoted: bool = False


@dataclass(frozen=True, slots=True)
class Framing:
    """All the terms one outlet uses for one corpus entity."""

    outlet: str
    entity: str
    terms: tuple[FramingTerm, ...]


@dataclass(frozen=True, slots=True)
class Story:
    """Articles about the same happening; ``duplicate_groups`` lists near-verbatim copies."""

    id: str
    title: str
    article_ids: tuple[str, ...]
    duplicate_groups: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One dated real-world happening, with the sources that report it."""

    date: dt.date
    date_precision: Precision
    summary: str
    event_ids: tuple[str, ...]
    article_ids: tuple[str, ...]
    score: float
    date_disagreement: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """An extractive summary sentence with the articles that support it."""

    sentence: str
    article_ids: tuple[str, ...]
    story_id: str | None = None
    contrast: bool = False


@dataclass(frozen=True, slots=True)
class ArticleAnalysis:
    """Everything the per-article stages extract from one article."""

    article: Article
    entities: tuple[ArticleEntity, ...] = ()
    timexes: tuple[TimeExpr, ...] = ()
    quotes: tuple[Quote, ...] = ()
    events: tuple[Event, ...] = ()
    figures: tuple[Figure, ...] = ()
    framing: tuple[FramingTerm, ...] = ()
    warnings: tuple[str, ...] = ()
    versions: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class Result:
    """The whole corpus analysis: the data behind the ``--json`` output contract."""

    articles: tuple[Article, ...] = ()
    stories: tuple[Story, ...] = ()
    entities: tuple[Entity, ...] = ()
    timexes: tuple[TimeExpr, ...] = ()
    quotes: tuple[Quote, ...] = ()
    events: tuple[Event, ...] = ()
    figures: tuple[Figure, ...] = ()
    framing: tuple[Framing, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    summary: tuple[SummarySentence, ...] = ()
    errors: tuple[IngestError, ...] = ()
    entity_mentions: tuple[tuple[str, EntityMention], ...] = ()
