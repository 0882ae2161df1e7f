"""The I/O edge of ``analyze``: read inputs, analyse new articles, write the store.

Articles already stored with the same content hash are skipped, so re-running on the
same input changes nothing. Each article is written in its own transaction as soon as it
is analysed; the corpus stages run at the end over everything in the store.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dateline.ingest import read_inputs
from dateline.models import Article, ArticleAnalysis, IngestError, Result
from dateline.settings import DEFAULT_SETTINGS, Settings

ProgressCallback = Callable[[int], None]

# Corpus rebuilds when another process keeps storing articles meanwhile (see run_analyze).
_CORPUS_ATTEMPTS = 5


@dataclass(slots=True)
class RunReport:
    """What one ``analyze`` run did."""

    read: int = 0
    analysed: int = 0
    skipped: int = 0
    errors: list[IngestError] = field(default_factory=list)
    corpus_changed: bool = False


def _batches(items: Sequence[Article], size: int) -> Iterator[list[Article]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


_WORKER_SETTINGS: Settings = DEFAULT_SETTINGS


def _worker_init(settings: Settings) -> None:
    global _WORKER_SETTINGS
    _WORKER_SETTINGS = settings
    from dateline.nlp import load_nlp

    load_nlp(settings.model)


def _worker_run(batch: list[Article]) -> list[ArticleAnalysis]:
    from dateline.pipeline import analyze_articles

    return list(analyze_articles(batch, settings=_WORKER_SETTINGS))


def iter_analyses(
    articles: Sequence[Article], settings: Settings, workers: int
) -> Iterator[ArticleAnalysis]:
    """Analyse articles in order, in this process or in ``workers`` processes.

    Batches are independent, so the output is the same whatever the number of workers.
    """
    if workers <= 1 or len(articles) <= settings.batch_size:
        from dateline.pipeline import analyze_articles

        yield from analyze_articles(articles, settings=settings)
        return
    import multiprocessing

    context = multiprocessing.get_context("spawn" if sys.platform == "darwin" else "fork")
    size = max(1, min(settings.batch_size, len(articles) // (workers * 4) or 1))
    with context.Pool(workers, initializer=_worker_init, initargs=(settings,)) as pool:
        for analyses in pool.imap(_worker_run, _batches(articles, size)):
            yield from analyses


def run_analyze(
    paths: Iterable[str | Path],
    store: Any,
    *,
    settings: Settings = DEFAULT_SETTINGS,
    workers: int | None = None,
    on_error: Callable[[IngestError], None] | None = None,
    progress: Callable[[int], Any] | None = None,
) -> tuple[RunReport, Result]:
    """Ingest ``paths`` into ``store``, analyse what is new, rebuild the corpus tables.

    ``progress`` is called once with the number of articles to analyse and returns a
    per-article callback (or None).
    """
    from dateline.pipeline import analyze_corpus

    report = RunReport()
    known = store.known_hashes()
    todo: list[Article] = []
    seen_ids: set[str] = set()
    for item in read_inputs(paths, settings):
        if isinstance(item, IngestError):
            report.errors.append(item)
            if on_error:
                on_error(item)
            continue
        report.read += 1
        if item.id in seen_ids:
            error = IngestError(item.source, f"duplicate article id {item.id!r} in this run; skipped")
            report.errors.append(error)
            if on_error:
                on_error(error)
            continue
        seen_ids.add(item.id)
        if known.get(item.id) == item.content_hash:
            report.skipped += 1
            continue
        todo.append(item)
    if report.errors:
        store.save_errors(report.errors)
    tick = progress(len(todo)) if progress else None
    n_workers = workers if workers is not None else (os.cpu_count() or 1)
    for analysis in iter_analyses(todo, settings, n_workers):
        store.save_analysis(analysis)
        report.analysed += 1
        if tick:
            tick(1)
    # Another ``analyze`` on the same file may store articles while this corpus stage runs and
    # write its corpus first; then ours would overwrite it with a corpus missing those
    # articles. Rebuild until the stored analyses did not change under us (the last writer
    # then always describes every stored article).
    for _attempt in range(_CORPUS_ATTEMPTS):
        snapshot = store.known_hashes()
        analyses = list(store.iter_analyses())
        existing = store.load_result().stories
        result, links = analyze_corpus(
            analyses, errors=store.load_errors(), existing_stories=existing, settings=settings
        )
        report.corpus_changed = store.save_corpus(result, links) or report.corpus_changed
        if store.known_hashes() == snapshot:
            break
    return report, result
