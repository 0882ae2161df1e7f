"""Article-body extraction benchmark: bare trafilatura vs dateline's HTML reader.

Data: ``shared/data/extraction_dev`` (90 pages of the Scrapinghub article-extraction
benchmark, see its README). Metric as upstream: per-item precision/recall over 4-token
shingles of ``\\w+`` tokens (counts normalised per item), P and R averaged over items, F1 from
mean P and mean R.

Usage: python benchmarks/extraction.py [DATA_DIR]
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura

from dateline.ingest import read_inputs
from dateline.models import Article

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "extraction_dev"
_TOKEN = re.compile(r"\w+")
_N = 4

Counts = tuple[float, float, float]


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    grams = (tuple(tokens[i : i + _N]) for i in range(max(1, len(tokens) - _N + 1)))
    return Counter(g for g in grams if g)


def shingle_counts(true: str, pred: str) -> Counts:
    """TP/FP/FN over shingles, normalised to sum 1 so that long pages weigh no more."""
    gold, guess = _shingles(true), _shingles(pred)
    tp = float(sum((gold & guess).values()))
    fp = float(sum((guess - gold).values()))
    fn = float(sum((gold - guess).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def summarise(rows: list[Counts]) -> tuple[float, float, float]:
    """(precision, recall, F1) as upstream: means over items, F1 of the means."""

    def precision(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def recall(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    p = statistics.mean(precision(*r) for r in rows if r[0] + r[1] > 0)
    r = statistics.mean(recall(*r) for r in rows if r[0] + r[2] > 0)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _bare(html: str) -> str:
    return trafilatura.extract(html) or ""


def _dateline_texts(html_dir: Path) -> dict[str, str]:
    """The full reader path: ``read_inputs`` on the ``.html.gz`` files (gzip, decode, extract)."""
    return {item.id: item.text for item in read_inputs([html_dir]) if isinstance(item, Article)}


def main(argv: list[str]) -> int:
    data = Path(argv[1]) if len(argv) > 1 else DEFAULT_DATA
    truth_path = data / "ground-truth.json"
    if not truth_path.is_file():
        print(f"extraction benchmark: no data at {data} (need ground-truth.json); skipped")
        return 0
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    pages: dict[str, str] = {}
    for item_id in sorted(truth):
        raw = gzip.decompress((data / "html" / f"{item_id}.html.gz").read_bytes())
        pages[item_id] = raw.decode("utf-8", errors="replace")
    systems: dict[str, Callable[[], dict[str, str]]] = {
        "trafilatura.extract (defaults)": lambda: {k: _bare(v) for k, v in pages.items()},
        "dateline ingest HTML reader": lambda: _dateline_texts(data / "html"),
    }
    print(f"extraction_dev: {len(pages)} pages\n")
    print(f"| {'system':<32} | precision | recall |   F1   | seconds |")
    print(f"|{'-' * 34}|-----------|--------|--------|---------|")
    scores: dict[str, float] = {}
    for name, run in systems.items():
        start = time.perf_counter()
        texts = run()
        rows = [shingle_counts(truth[k]["articleBody"], texts.get(k, "")) for k in sorted(pages)]
        elapsed = time.perf_counter() - start
        p, r, f1 = summarise(rows)
        scores[name] = f1
        print(f"| {name:<32} |   {p:.4f}  | {r:.4f} | {f1:.4f} | {elapsed:7.1f} |")
    ours, bare = scores["dateline ingest HTML reader"], scores["trafilatura.extract (defaults)"]
    print(f"\ndateline F1 - bare trafilatura F1 = {ours - bare:+.4f}")
    return 0 if ours >= bare else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
