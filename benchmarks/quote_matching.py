"""Cross-outlet quote matching: lexical only vs lexical + sentence embeddings.

Precision/recall of ``same_as`` links on three sets:

* fixtures: tests/fixtures/quote_pairs.json (fictional; paraphrase/translation/trim pairs and
  hard negatives by the same speaker), each pair matched on its own;
* demo: examples/demo through ``dateline.analyze``; gold = ``same_statement_pairs`` of
  examples/demo_expected.json, spread over its ``near_duplicates`` articles, plus the verbatim
  copies (of at least MIN_CONTENT_WORDS content words) between near-duplicate articles; any
  other link counts against precision (listed);
* seeds: /work/shared/seeds 000 and 001 (skipped when absent); gold = the May 5 statement
  reported in both, located by character offset (no seed text in the repo).

Configurations: ``lexical`` (the default path), ``lexical+polarity`` (the default links
minus those :func:`polarity_differs` refuses; benchmark-only, to show what the veto alone
does) and ``lexical+embeddings`` (``DATELINE_EMBEDDINGS=1``). Then a cosine sweep on the
fixtures and the encoder's speed on one thread.

    .venv/bin/python benchmarks/quote_matching.py
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz

from dateline.corpus import quotematch
from dateline.models import Quote, Result
from dateline.text import fold

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "quote_pairs.json"
DEMO = ROOT / "examples" / "demo"
DEMO_EXPECTED = ROOT / "examples" / "demo_expected.json"
SEEDS = ROOT.parent / "shared" / "seeds"
# (article file prefix, a character offset inside the quote) for each report of the seeds'
# May 5 statement: indirect summary and direct quote, in 000 and in 001.
SEED_INDIRECT = (("000_", 130), ("001_", 860))
SEED_DIRECT = (("000_", 350), ("001_", 1050))

Pair = frozenset[str]
Dates = Mapping[str, date | None]
Stories = Mapping[str, str | None]
Config = Callable[[Sequence[Quote], Dates, Stories], set[Pair]]


def _links(quotes: Iterable[Quote]) -> set[Pair]:
    return {frozenset((q.id, m)) for q in quotes for m in q.same_as}


def _match(quotes: Sequence[Quote], dates: Dates, story: Stories, on: bool) -> set[Pair]:
    old = os.environ.pop(quotematch.EMBEDDINGS_ENV, None)
    if on:
        os.environ[quotematch.EMBEDDINGS_ENV] = "1"
    try:
        out = quotematch.match_quotes(
            quotes,
            speaker_of={q.id: q.speaker for q in quotes},
            article_dates=dates,
            story_of=story,
        )
    finally:
        os.environ.pop(quotematch.EMBEDDINGS_ENV, None)
        if old is not None:
            os.environ[quotematch.EMBEDDINGS_ENV] = old
    return _links(out)


def _lexical(quotes: Sequence[Quote], dates: Dates, story: Stories) -> set[Pair]:
    return _match(quotes, dates, story, on=False)


def _lexical_polarity(quotes: Sequence[Quote], dates: Dates, story: Stories) -> set[Pair]:
    text = {q.id: q.text for q in quotes}
    return {
        p
        for p in _match(quotes, dates, story, on=False)
        if not quotematch.polarity_differs(*(text[i] for i in sorted(p)))
    }


def _embeddings(quotes: Sequence[Quote], dates: Dates, story: Stories) -> set[Pair]:
    return _match(quotes, dates, story, on=True)


def _prf(pred: set[Pair], gold: set[Pair], neutral: set[Pair] | None = None) -> str:
    pred = pred - (neutral or set())
    tp = len(pred & gold)
    p = tp / len(pred) if pred else 1.0
    r = tp / len(gold) if gold else 1.0
    return f"P={p:.2f} R={r:.2f} (tp={tp} fp={len(pred) - tp} fn={len(gold) - tp})"


def _quote(qid: str, article: str, text: str) -> Quote:
    return Quote(qid, article, 0, len(text), text, "direct", None, None, None, speaker="E1")


def fixtures(configs: dict[str, Config]) -> None:
    pairs = json.loads(FIXTURES.read_text(encoding="utf-8"))["pairs"]
    print(
        f"## Fixtures ({sum(p['same'] for p in pairs)} same, "
        f"{sum(not p['same'] for p in pairs)} hard negatives)"
    )
    day: Dates = {"a": date(2031, 5, 1), "b": date(2031, 5, 2)}
    for name, run in configs.items():
        pred, gold, misses = set(), set(), []
        for n, p in enumerate(pairs):
            key = frozenset((f"a:{n}", f"b:{n}"))
            qs = [_quote(f"a:{n}", "a", p["a"]), _quote(f"b:{n}", "b", p["b"])]
            got = key in run(qs, day, {})
            pred |= {key} if got else set()
            gold |= {key} if p["same"] else set()
            if got != p["same"]:
                misses.append(f"{'FP' if got else 'FN'} {p['kind']}: {p['b'][:60]}")
        print(f"- {name}: {_prf(pred, gold)}")
        for m in misses:
            print(f"    {m}")


def _sweep() -> None:
    from dateline.embeddings import load_encoder

    pairs = json.loads(FIXTURES.read_text(encoding="utf-8"))["pairs"]
    enc = load_encoder(1)
    rows = []
    for p in pairs:
        v = enc.encode([p["a"], p["b"]])
        wa, wb = quotematch.content_words(p["a"]), quotematch.content_words(p["b"])
        lex = quotematch.lexical_link(p["a"], p["b"], wa, wb, 0.55, quotematch.name_words)
        rows.append((float(v[0] @ v[1]), lex, quotematch.polarity_differs(p["a"], p["b"]), p))
    print("\n## Cosine sweep on the fixtures (rule: (lexical or cos >= t) and same polarity)")
    for t in (0.70, 0.74, 0.78, 0.80, 0.82, 0.84, 0.86, 0.90):
        tp = sum((lx or c >= t) and not pol and p["same"] for c, lx, pol, p in rows)
        fp = sum((lx or c >= t) and not pol and not p["same"] for c, lx, pol, p in rows)
        fn = sum(p["same"] for *_x, p in rows) - tp
        print(f"- t={t:.2f}: tp={tp} fp={fp} fn={fn}")
    pos = sorted(c for c, _l, _p, p in rows if p["same"])
    neg = sorted(c for c, _l, _p, p in rows if not p["same"])
    print(
        f"- cosine same: min {pos[0]:.3f} median {pos[len(pos) // 2]:.3f}; "
        f"negatives: max {neg[-1]:.3f} median {neg[len(neg) // 2]:.3f}"
    )


def _setup(result: Result) -> tuple[dict[str, date | None], dict[str, str | None]]:
    return (
        {a.id: a.published for a in result.articles},
        {a.id: a.story_id for a in result.articles},
    )


def _find(quotes: Sequence[Quote], article: str, snippet: str) -> str | None:
    best = max(
        (q for q in quotes if q.article_id == article),
        key=lambda q: fuzz.partial_ratio(fold(snippet), fold(q.text)),
        default=None,
    )
    return best.id if best is not None else None


def demo(configs: dict[str, Config]) -> None:
    import dateline

    expected = json.loads(DEMO_EXPECTED.read_text(encoding="utf-8"))
    result = dateline.analyze([DEMO])
    dates, story = _setup(result)
    quotes = result.quotes
    twins: dict[str, set[str]] = {}
    for a, b in expected["near_duplicates"]:
        twins.setdefault(a, set()).add(b)
        twins.setdefault(b, set()).add(a)
    gold: set[Pair] = set()
    for (art_a, snip_a), (art_b, snip_b) in expected["same_statement_pairs"]:
        for x in {art_a} | twins.get(art_a, set()):
            for y in {art_b} | twins.get(art_b, set()):
                qa, qb = _find(quotes, x, snip_a), _find(quotes, y, snip_b)
                if qa and qb and qa != qb:
                    gold.add(frozenset((qa, qb)))
    for a, others in twins.items():  # verbatim copies between near-duplicate articles
        for xa in (q for q in quotes if q.article_id == a):
            for xb in (q for q in quotes if q.article_id in others):
                short = len(quotematch.content_words(xa.text)) < quotematch.MIN_CONTENT_WORDS
                if not short and fuzz.ratio(fold(xa.text), fold(xb.text)) >= 95:
                    gold.add(frozenset((xa.id, xb.id)))
    text = {q.id: q.text for q in quotes}
    print(f"\n## Demo corpus ({len(quotes)} quotes, {len(gold)} gold links)")
    for name, run in configs.items():
        pred = run(quotes, dates, story)
        print(f"- {name}: {_prf(pred, gold)}")
        for p in sorted(pred - gold, key=sorted):
            a, b = sorted(p)
            print(f"    outside gold: {a} ~ {b}: {text[a][:50]!r} ~ {text[b][:50]!r}")
        for p in sorted(gold - pred, key=sorted):
            a, b = sorted(p)
            print(f"    missed: {a} ~ {b}: {text[a][:50]!r} ~ {text[b][:50]!r}")


def seeds(configs: dict[str, Config]) -> None:
    import dateline

    files = sorted(SEEDS.glob("00[01]_*.txt")) if SEEDS.is_dir() else []
    if len(files) != 2:
        print("\n## Seeds: skipped (/work/shared/seeds 000/001 absent)")
        return
    result = dateline.analyze(files)
    dates, story = _setup(result)
    quotes = result.quotes

    def at(prefix: str, pos: int) -> str | None:
        hits = [q.id for q in quotes if q.article_id.startswith(prefix) and q.start <= pos < q.end]
        return hits[0] if hits else None

    ind = [at(*x) for x in SEED_INDIRECT]
    dirs = [at(*x) for x in SEED_DIRECT]
    gold: set[Pair] = {frozenset(str(x) for x in p) for p in (ind, dirs) if None not in p}
    # direct ~ indirect of the same statement: right either way, not counted
    neutral: set[Pair] = {
        frozenset((a, b)) for a in (ind[0], dirs[0]) for b in (ind[1], dirs[1]) if a and b
    }
    neutral -= gold
    print(f"\n## Seeds 000+001 ({len(quotes)} quotes, {len(gold)} gold links)")
    for name, run in configs.items():
        print(f"- {name}: {_prf(run(quotes, dates, story), gold, neutral)}")
    if "lexical+embeddings" not in configs:
        return
    every = dateline.analyze(sorted(SEEDS.glob("*.txt")))
    dates, story = _setup(every)
    text = {q.id: q.text for q in every.quotes}
    lex, emb = _lexical(every.quotes, dates, story), _embeddings(every.quotes, dates, story)
    print(
        f"- all {len(list(SEEDS.glob('*.txt')))} seeds: lexical {len(lex)} links, "
        f"+embeddings {len(emb)}; added {len(emb - lex)}, removed {len(lex - emb)}"
    )
    for tag, diff in (("added", emb - lex), ("removed", lex - emb)):
        for pair in sorted(diff, key=sorted):
            a, b = sorted(pair)
            print(f"    {tag}: {a} ~ {b}: {text[a][:45]!r} ~ {text[b][:45]!r}")


def speed() -> None:
    import dateline
    from dateline import embeddings

    embeddings.load_encoder.cache_clear()
    t0 = time.perf_counter()
    enc = embeddings.load_encoder(1)
    load_s = time.perf_counter() - t0
    model = embeddings.model_file()
    size = model.stat().st_size / 1e6 if model else 0.0
    print(f"\n## Encoder: {embeddings.MODEL_ID}, 1 thread")
    print(f"- load {load_s:.2f} s; model file {size:.1f} MB")
    pairs = json.loads(FIXTURES.read_text(encoding="utf-8"))["pairs"]
    demo_quotes = [q.text for q in dateline.analyze([DEMO]).quotes]
    for label, sents in (
        ("fixture sentences", [s for p in pairs for s in (p["a"], p["b"])]),
        ("demo quotes", demo_quotes),
    ):
        batch = (sents * (1 + 256 // len(sents)))[:256]
        enc.encode(batch[:8])  # warm-up
        t0 = time.perf_counter()
        enc.encode(batch)
        took = time.perf_counter() - t0
        chars = sum(map(len, batch)) / len(batch)
        print(
            f"- {label} (mean {chars:.0f} chars): {len(batch)} in {took:.2f} s = "
            f"{len(batch) / took:.0f} sentences/s"
        )


def main() -> int:
    from dateline import embeddings

    configs: dict[str, Config] = {"lexical": _lexical, "lexical+polarity": _lexical_polarity}
    if embeddings.available():
        configs["lexical+embeddings"] = _embeddings
    else:
        print(f"(embeddings extra not installed: {embeddings.INSTALL_HINT})")
    os.environ.setdefault(embeddings.THREADS_ENV, "1")
    fixtures(configs)
    if embeddings.available():
        _sweep()
    demo(configs)
    seeds(configs)
    if embeddings.available():
        speed()
    return 0


if __name__ == "__main__":
    sys.exit(main())
