"""Chains the stages: per-article analysis, then the cross-document corpus stages. No I/O.

``analyze_article`` is the per-article pure function (one spaCy parse in, records out);
``analyze_corpus`` turns all per-article analyses into one :class:`~dateline.models.Result`;
``process_batch`` is the DataFrame-in, DataFrame-out form the Spark job maps over.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from dateline.ingest.metadata import enrich_metadata
from dateline.models import (
    Article,
    ArticleAnalysis,
    EntityMention,
    IngestError,
    Quote,
    Result,
    Story,
)
from dateline.settings import DEFAULT_SETTINGS, Settings
from dateline.stages import dates, entities, events, figures, framing, pubdate, quotes

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)
T = TypeVar("T")
U = TypeVar("U")

# Stored analyses record these; an analysis made by other versions is redone (runner.py).
STAGE_VERSIONS = {
    stage.__name__.rsplit(".", 1)[-1]: stage.VERSION
    for stage in (entities, dates, quotes, events, figures, framing, pubdate)
}


def stage_versions(settings: Settings) -> dict[str, str]:
    """The versions an analysis under ``settings`` records (options that change a stage's
    output change its version, so that re-running with them redoes the stage)."""
    return {**STAGE_VERSIONS, "quotes": quotes.version(settings)}


def _guard(name: str, warnings: list[str], default: T, fn: Callable[[], T]) -> T:
    """Run one stage; a bug in it costs that stage's output for this article, not the batch."""
    try:
        return fn()
    except Exception as exc:  # a stage defect must not abort the article or the batch
        log.warning("stage %s failed: %r", name, exc, exc_info=True)
        warnings.append(f"stage-error:{name}:{type(exc).__name__}")
        return default


def _stage(name: str, warnings: list[str], fn: Callable[[], Iterable[U]]) -> tuple[U, ...]:
    """Run a stage that returns records; on a defect, no records and a warning."""
    return _guard(name, warnings, (), lambda: tuple(fn()))


def analyze_article(
    article: Article, doc: Doc, *, settings: Settings = DEFAULT_SETTINGS
) -> ArticleAnalysis:
    """Run every per-article stage on one article and its spaCy parse."""
    warnings: list[str] = []
    ents = _stage(
        "entities", warnings, lambda: entities.extract_entities(article, doc, settings=settings)
    )
    timexes = _stage(
        "dates",
        warnings,
        lambda: dates.extract_timexes(article, doc, reference=article.published, settings=settings),
    )
    if article.published is None:
        inferred = _guard(
            "pubdate", warnings, article, lambda: pubdate.infer_published(article, timexes)
        )
        if inferred.published is not None:
            article = inferred
            timexes = _guard(
                "dates",
                warnings,
                timexes,
                lambda: dates.extract_timexes(
                    article, doc, reference=article.published, settings=settings
                ),
            )
        else:
            article = inferred
    found_quotes = _stage(
        "quotes",
        warnings,
        lambda: quotes.extract_quotes(
            article, doc, entities=ents, timexes=timexes, settings=settings
        ),
    )
    found_events = _stage(
        "events",
        warnings,
        lambda: events.extract_events(
            article, doc, entities=ents, timexes=timexes, settings=settings
        ),
    )
    found_figures = _stage(
        "figures", warnings, lambda: figures.extract_figures(article, doc, settings=settings)
    )
    terms = _stage(
        "framing",
        warnings,
        lambda: framing.extract_framing(
            article, doc, entities=ents, quotes=found_quotes, settings=settings
        ),
    )
    return ArticleAnalysis(
        article=article,
        entities=tuple(ents),
        timexes=tuple(timexes),
        quotes=tuple(found_quotes),
        events=tuple(found_events),
        figures=tuple(found_figures),
        framing=tuple(terms),
        warnings=tuple(warnings),
        versions=stage_versions(settings),
    )


def analyze_articles(
    articles: Iterable[Article],
    *,
    settings: Settings = DEFAULT_SETTINGS,
    nlp: Language | None = None,
) -> Iterator[ArticleAnalysis]:
    """Parse articles in batches with ``nlp.pipe`` (one parse each) and analyse each one."""
    if nlp is None:
        from dateline.nlp import load_nlp

        nlp = load_nlp(settings.model)
    enriched = (enrich_metadata(a) for a in articles)
    pending: list[Article] = []

    def flush() -> Iterator[ArticleAnalysis]:
        assert nlp is not None
        for article, doc in zip(
            pending,
            nlp.pipe((a.text for a in pending), batch_size=settings.batch_size),
            strict=True,
        ):
            yield analyze_article(article, doc, settings=settings)
        pending.clear()

    for article in enriched:
        pending.append(article)
        if len(pending) >= settings.batch_size:
            yield from flush()
    if pending:
        yield from flush()


def analyze_corpus(
    analyses: Sequence[ArticleAnalysis],
    *,
    errors: Sequence[IngestError] = (),
    existing_stories: Sequence[Story] = (),
    settings: Settings = DEFAULT_SETTINGS,
    on_stage: Callable[[str], None] | None = None,
) -> tuple[Result, dict[tuple[str, str], str]]:
    """Run the cross-document stages over all per-article analyses.

    ``on_stage`` (for profiling, see ``benchmarks/corpus_stages.py``) is called with each
    stage's name as it starts, and with ``"done"`` at the end.

    Returns the result and the map ``(article_id, local entity key) -> corpus entity id``.
    """
    import gc

    try:
        return _analyze_corpus(
            analyses,
            errors=errors,
            existing_stories=existing_stories,
            settings=settings,
            mark=lambda name: _freeze_then(on_stage, name),
        )
    finally:
        gc.unfreeze()


def _co_speakers(
    quote: Quote, speaker: str | None, links: dict[tuple[str, str], str]
) -> tuple[str, ...]:
    """The corpus entities of a quote's coordinated speakers, less the speaker itself (two
    article entities can be one corpus entity)."""
    found: list[str] = []
    for key in quote.co_speaker_keys:
        entity = links.get((quote.article_id, key))
        if entity is not None and entity != speaker and entity not in found:
            found.append(entity)
    return tuple(found)


def _freeze_then(on_stage: Callable[[str], None] | None, name: str) -> None:
    """At each step boundary, freeze what exists: the loaded analyses and earlier steps'
    outputs are millions of long-lived objects, and frozen, the cyclic collector stops
    rescanning them on every full collection (which made this stage super-linear)."""
    import gc

    gc.freeze()
    if on_stage is not None:
        on_stage(name)


def _analyze_corpus(
    analyses: Sequence[ArticleAnalysis],
    *,
    errors: Sequence[IngestError],
    existing_stories: Sequence[Story],
    settings: Settings,
    mark: Callable[[str], None],
) -> tuple[Result, dict[tuple[str, str], str]]:
    from dateline.corpus import (
        entities as corpus_entities,
    )
    from dateline.corpus import (
        eventmerge,
        quotematch,
        stories,
        summary,
        timeline,
    )
    from dateline.corpus import (
        figures as corpus_figures,
    )
    from dateline.corpus import (
        framing as corpus_framing,
    )
    from dateline.corpus import (
        pubdate as corpus_pubdate,
    )

    mark("pubdate")
    analyses = sorted(analyses, key=lambda a: a.article.id)
    analyses = list(corpus_pubdate.refine_publication_dates(analyses))
    mark("entities")
    canonical, links = corpus_entities.canonicalise(analyses)

    # Story similarity uses words, names, numbers and dates only: on ECB+ dev adding entity
    # features lowered B-cubed F1 (0.953 -> 0.943, benchmarks/results/stories.md), and in small
    # corpora the ubiquitous entities (the countries every article names) drown the signal.
    mark("stories")
    found_stories = stories.cluster_stories(
        [a.article for a in analyses],
        entity_ids=None,
        existing=existing_stories,
        settings=settings,
    )
    story_of = {aid: s.id for s in found_stories for aid in s.article_ids}
    articles = tuple(
        dataclasses.replace(a.article, story_id=story_of.get(a.article.id)) for a in analyses
    )
    article_by_id = {a.id: a for a in articles}
    outlet_of = {a.id: a.outlet for a in articles}

    mark("quotes")
    all_quotes: list[Quote] = []
    for analysis in analyses:
        for quote in analysis.quotes:
            speaker = (
                links.get((quote.article_id, quote.speaker_key)) if quote.speaker_key else None
            )
            co_speakers = _co_speakers(quote, speaker, links)
            if quote.speaker != speaker or quote.co_speakers != co_speakers:
                quote = dataclasses.replace(quote, speaker=speaker, co_speakers=co_speakers)
            all_quotes.append(quote)
    speaker_of = {q.id: q.speaker for q in all_quotes}
    article_dates = {a.id: a.published for a in articles}
    matched_quotes = quotematch.match_quotes(
        all_quotes,
        speaker_of=speaker_of,
        article_dates=article_dates,
        story_of=story_of,
        settings=settings,
    )
    mark("events")
    merged_events = eventmerge.merge_events(
        [e for a in analyses for e in a.events],
        entity_of=links,
        article_dates=article_dates,
        story_of=story_of,
    )
    mark("figures")
    reconciled = corpus_figures.reconcile_figures(
        [f for a in analyses for f in a.figures], article_outlets=outlet_of, story_of=story_of
    )
    mark("framing")
    framing_records = corpus_framing.aggregate_framing(
        [t for a in analyses for t in a.framing], article_outlets=outlet_of, entity_of=links
    )
    refined = [dataclasses.replace(a, article=article_by_id[a.article.id]) for a in analyses]
    mark("timeline")
    found_timeline = timeline.build_timeline(refined, merged_events)
    mark("summary")
    found_summary = summary.summarise(
        refined, found_stories, figures=reconciled, quotes=matched_quotes
    )
    mark("result")
    mentions: list[tuple[str, EntityMention]] = [
        (a.article.id, m) for a in analyses for e in a.entities for m in e.mentions
    ]
    result = Result(
        articles=articles,
        stories=tuple(found_stories),
        entities=tuple(canonical),
        timexes=tuple(t for a in analyses for t in a.timexes),
        quotes=tuple(sorted(matched_quotes, key=lambda q: (q.article_id, q.start))),
        events=tuple(merged_events),
        figures=tuple(sorted(reconciled, key=lambda f: (f.article_id, f.start))),
        framing=tuple(framing_records),
        timeline=tuple(found_timeline),
        summary=tuple(found_summary),
        errors=tuple(errors),
        entity_mentions=tuple(sorted(mentions, key=lambda m: (m[0], m[1].start))),
    )
    mark("done")
    return result, links


def analyze(
    inputs: Iterable[Any],
    *,
    settings: Settings = DEFAULT_SETTINGS,
) -> Result:
    """Analyse paths or JSONL-style records in memory and return the full result.

    Args:
        inputs: file/folder paths (``str``/``Path``) or mappings with ``id`` and ``text``.
        settings: options; see :class:`dateline.settings.Settings`.

    Returns:
        The same data as ``dateline analyze --json``.
    """
    from pathlib import Path

    from dateline.ingest import read_inputs, read_records

    items = list(inputs)
    paths = [i for i in items if isinstance(i, str | Path)]
    records = [i for i in items if not isinstance(i, str | Path)]
    articles: list[Article] = []
    errors: list[IngestError] = []
    for item in (*read_inputs(paths, settings), *read_records(records)):
        (errors if isinstance(item, IngestError) else articles).append(item)  # type: ignore[arg-type]
    analyses = list(analyze_articles(articles, settings=settings))
    result, _links = analyze_corpus(analyses, errors=errors, settings=settings)
    return result


def process_batch(frame: Any, settings: Settings = DEFAULT_SETTINGS) -> Any:
    """Per-article analysis of a pandas DataFrame of JSONL-style records (Spark's unit).

    Input columns: ``id``, ``text`` and optionally ``title``, ``url``, ``outlet``,
    ``published``, ``language``. Output: one row per input row with ``article_id``,
    ``ok``, ``error`` and ``analysis`` (the ArticleAnalysis as JSON).
    """
    import json

    import pandas as pd

    from dateline.ingest import read_records
    from dateline.serialize import to_jsonable

    records = frame.to_dict(orient="records")
    out: list[dict[str, Any]] = []
    articles: list[Article] = []
    for record, item in zip(records, read_records(records), strict=True):
        if isinstance(item, IngestError):
            out.append(
                {
                    "article_id": str(record.get("id")),
                    "ok": False,
                    "error": item.reason,
                    "analysis": None,
                }
            )
        else:
            articles.append(item)
    for analysis in analyze_articles(articles, settings=settings):
        out.append(
            {
                "article_id": analysis.article.id,
                "ok": True,
                "error": None,
                "analysis": json.dumps(to_jsonable(analysis), sort_keys=True, ensure_ascii=False),
            }
        )
    return pd.DataFrame(out, columns=["article_id", "ok", "error", "analysis"])
