"""The I/O edge of ``analyze``: read inputs, analyse new articles, write the store.

Articles already stored with the same content hash are skipped, so re-running on the
same input changes nothing. Each article is written in its own transaction as soon as it
is analysed (a killed run loses at most the articles in flight); the corpus stages run at
the end over everything in the store.

Parallelism: worker processes each load the model once and analyse batches of articles;
``imap`` hands the results back in input order, so the store sees the same writes in the
same order whatever the number of workers. Only the main process touches the store.
"""

from __future__ import annotations

import json
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from dateline.compact import Compactor
from dateline.ingest import read_inputs
from dateline.models import Article, ArticleAnalysis, IngestError, Result
from dateline.pipeline import stage_versions
from dateline.settings import DEFAULT_SETTINGS, Settings

ProgressCallback = Callable[[int], None]

# Corpus rebuilds when another process keeps storing articles meanwhile (see run_analyze).
_CORPUS_ATTEMPTS = 5

# Batches per worker kept in flight: enough to keep every worker busy while the main
# process writes, few enough that memory stays flat on a corpus of any size.
_BATCHES_PER_WORKER = 4
# Analyses kept in memory from the analysis phase for the corpus stage; the rest are read
# back from the store (about 5 ms each against ~250 ms to analyse one). Unbounded, a
# 15,000-article run would hold them all next to the workers' models.
_FRESH_KEEP = 2_000
# Articles a worker process analyses before it is replaced by a fresh one (see iter_analyses).
_WORKER_LIFE = 1_000
# Smallest batch sent to a worker: below this the per-task overhead (a pipe round trip
# and a pickle) starts to show next to the ~0.1-0.5 s it takes to analyse one article.
_MIN_POOL_BATCH = 2


@dataclass(slots=True)
class RunReport:
    """What one ``analyze`` run did."""

    read: int = 0
    analysed: int = 0
    skipped: int = 0
    errors: list[IngestError] = field(default_factory=list)
    corpus_changed: bool = False


def _batches(
    items: Iterable[Article], size: int, *, total: int | None = None, workers: int = 1
) -> Iterator[list[Article]]:
    """Batches of at most ``size`` articles, in input order.

    With ``total`` known, batches shrink as the input runs out (guided scheduling): each
    is about a ``workers * _BATCHES_PER_WORKER``-th of what is left, so the last tasks are
    small and no worker sits idle while another finishes a full batch.
    """
    it = iter(items)
    remaining = total
    while True:
        if remaining is not None:
            share = -(-remaining // (workers * _BATCHES_PER_WORKER))
            size_now = max(_MIN_POOL_BATCH, min(size, share))
        else:
            size_now = size
        batch = list(islice(it, size_now))
        if not batch:
            return
        if remaining is not None:
            remaining -= len(batch)
        yield batch


_WORKER_SETTINGS: Settings = DEFAULT_SETTINGS


def _worker_init(settings: Settings) -> None:
    global _WORKER_SETTINGS
    _WORKER_SETTINGS = settings
    from dateline.nlp import load_nlp

    load_nlp(settings.model)


def _worker_run(batch: list[Article]) -> list[ArticleAnalysis]:
    """Analyse one batch; it goes back as one pickle (one pipe write per batch).

    Compacted first: pickle writes a shared object once, so equal offsets, dates and labels
    cross the pipe once per batch.
    """
    from dateline.pipeline import analyze_articles

    compact = Compactor()
    return [compact(a) for a in analyze_articles(batch, settings=_WORKER_SETTINGS)]


def pool_batch_size(n_articles: int | None, workers: int, settings: Settings) -> int:
    """Articles per task sent to a worker.

    Large batches let ``nlp.pipe`` batch well; but with few articles, batches of
    ``settings.batch_size`` would leave workers idle, so aim for several tasks per worker.
    """
    if n_articles is None:
        return settings.batch_size
    share = n_articles // (workers * _BATCHES_PER_WORKER)
    return max(1, min(settings.batch_size, max(_MIN_POOL_BATCH, share)))


def iter_analyses(
    articles: Iterable[Article], settings: Settings, workers: int
) -> Iterator[ArticleAnalysis]:
    """Analyse articles in order, in this process or in ``workers`` processes.

    ``articles`` may be any iterable (it is consumed lazily, a few batches ahead of the
    output). Each article's analysis depends on that article alone, so the output is the
    same whatever the number of workers or the batching.
    """
    n = len(articles) if hasattr(articles, "__len__") else None  # type: ignore[arg-type]
    if workers <= 1 or (n is not None and n <= _MIN_POOL_BATCH):
        from dateline.pipeline import analyze_articles

        yield from analyze_articles(articles, settings=settings)
        return
    import multiprocessing

    context = multiprocessing.get_context("spawn" if sys.platform == "darwin" else "fork")
    size = pool_batch_size(n, workers, settings)
    if n is not None:
        workers = min(workers, max(1, -(-n // size)))
    # A worker's memory grows with what its spaCy vocabulary has seen (~90 KB per news
    # article: 1.1 GB after 7,500); a fresh worker every _WORKER_LIFE articles keeps it flat
    # for about a model load (~3 s) per restart.
    tasks_per_life = max(1, _WORKER_LIFE // size)
    with context.Pool(
        workers,
        initializer=_worker_init,
        initargs=(settings,),
        maxtasksperchild=tasks_per_life,
    ) as pool:
        # imap would read the whole input ahead into its task queue; feeding a bounded
        # window of async tasks keeps memory flat and the output in input order.
        window: deque[Any] = deque()
        batches = _batches(articles, size, total=n, workers=workers)
        limit = workers * _BATCHES_PER_WORKER
        for batch in batches:
            window.append(pool.apply_async(_worker_run, (batch,)))
            if len(window) >= limit:
                yield from window.popleft().get()
        while window:
            yield from window.popleft().get()


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
    # An analysis made by older stage versions is redone, so a stage upgrade reaches old input.
    current_versions = json.dumps(stage_versions(settings), sort_keys=True)
    stale = {aid for aid, v in store.known_versions().items() if v != current_versions}
    todo: deque[Article] = deque()
    seen_ids: set[str] = set()
    for item in read_inputs(paths, settings):
        if isinstance(item, IngestError):
            report.errors.append(item)
            if on_error:
                on_error(item)
            continue
        report.read += 1
        if item.id in seen_ids:
            error = IngestError(
                item.source, f"duplicate article id {item.id!r} in this run; skipped"
            )
            report.errors.append(error)
            if on_error:
                on_error(error)
            continue
        seen_ids.add(item.id)
        if known.get(item.id) == item.content_hash and item.id not in stale:
            report.skipped += 1
            continue
        todo.append(item)
    del known, seen_ids
    if report.errors:
        store.save_errors(report.errors)
    tick = progress(len(todo)) if progress else None
    n_workers = workers if workers is not None else (os.cpu_count() or 1)
    n_todo = len(todo)

    def drain() -> Iterator[Article]:
        # Hand articles over as they are sent, so their text is freed once analysed.
        while todo:
            yield todo.popleft()

    # The analyses just made are kept for the corpus stage: decoding them back from the
    # store would cost as much JSON work as a tenth of the parse.
    fresh: dict[str, ArticleAnalysis] = {}
    compact = Compactor()
    for analysis in iter_analyses(_Sized(drain(), n_todo), settings, n_workers):
        store.save_analysis(analysis)
        if len(fresh) < _FRESH_KEEP:
            fresh[analysis.article.id] = compact(analysis)
        report.analysed += 1
        if tick:
            tick(1)
    # Another ``analyze`` on the same file may store articles while this corpus stage runs
    # and write its corpus first; ours would then overwrite it with a corpus missing those
    # articles. Rebuild until the stored analyses did not change under us, so the last
    # writer always describes every stored article (tests/test_concurrency.py).
    for _attempt in range(_CORPUS_ATTEMPTS):
        snapshot = store.known_hashes()
        # Load the stored stories first, so the whole stored result is freed before the
        # analyses are loaded: the corpus stage is the peak of memory on a large corpus.
        load_stories = getattr(store, "load_stories", None)
        existing = load_stories() if load_stories else store.load_result().stories
        analyses = [*fresh.values(), *map(compact, store.iter_analyses(skip=fresh))]
        fresh = {}  # a rebuild (another writer changed the store) reads everything anew
        result, links = analyze_corpus(
            analyses, errors=store.load_errors(), existing_stories=existing, settings=settings
        )
        del analyses
        compact = Compactor()  # its tables are only needed while analyses are loaded
        report.corpus_changed = store.save_corpus(result, links) or report.corpus_changed
        if store.known_hashes() == snapshot:
            break
    return report, result


class _Sized:
    """An iterable that knows its length ahead (for batch sizing) but is read lazily."""

    def __init__(self, items: Iterable[Article], n: int) -> None:
        self._items = items
        self._n = n

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[Article]:
        return iter(self._items)
