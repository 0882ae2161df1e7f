"""Whole-corpus scale run: ``dateline analyze`` on 1k, 10k and all 15k news articles.

For machines with many cores (the per-article phase is spread over ``--workers``
processes; the corpus stage runs in the main process). Each run is sampled every 0.5 s:
wall time, CPU time of the whole process tree, and memory as proportional set size (PSS,
so pages that forked workers share with the main process count once): the main
process's peak in the analysis phase (workers alive) and in the corpus phase (after they
exit), the whole tree's peak, and the largest single worker.

    python benchmarks/scale_run.py NEWS.jsonl --workers 14 --out results.json

The 15k run reuses the 10k store (as a user adding 5,000 articles would): it analyses the
5,000 new articles and rebuilds the corpus stage over all 15,000.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import run_sampled


def sample_run(cmd: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run ``cmd`` and sample its process tree's memory (PSS) until it exits."""
    figures = {
        "analysis_main_mb": 0.0,
        "analysis_tree_mb": 0.0,
        "worker_mb": 0.0,
        "corpus_main_mb": 0.0,
        "workers_seen": 0,
        "analysis_end_s": 0.0,
    }

    def sample(root: psutil.Process, elapsed: float) -> None:
        # PSS, not RSS: forked workers share the parent's pages copy-on-write, and RSS
        # would count those once per process.
        try:
            children = root.children(recursive=True)
            main = root.memory_full_info().pss / 2**20
            workers = [c.memory_full_info().pss / 2**20 for c in children]
        except psutil.Error:  # a worker was replaced between listing and reading
            return
        if workers:
            figures["analysis_end_s"] = elapsed
            figures["workers_seen"] = max(figures["workers_seen"], len(workers))
            figures["analysis_main_mb"] = max(figures["analysis_main_mb"], main)
            figures["analysis_tree_mb"] = max(figures["analysis_tree_mb"], main + sum(workers))
            figures["worker_mb"] = max(figures["worker_mb"], *workers)
        else:
            figures["corpus_main_mb"] = max(figures["corpus_main_mb"], main)

    res = run_sampled(cmd, sample, interval=0.5, env=env)
    if res["returncode"] != 0:
        sys.stderr.write(res["stderr"][-3000:])
    return {
        **figures,
        "wall_s": res["wall_s"],
        "cpu_s": res["cpu_s"],
        "returncode": res["returncode"],
        "stdout_tail": res["stdout"][-400:],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("news", type=Path, help="news_corpus records as one JSONL file")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--sizes", default="1000,10000,15000")
    parser.add_argument("--work", type=Path, default=Path("/tmp/dateline-scale"))
    parser.add_argument("--out", type=Path, help="append each run's figures here (JSON lines)")
    parser.add_argument(
        "--fresh", action="store_true", help="every size from scratch (no store reuse)"
    )
    args = parser.parse_args()

    args.work.mkdir(parents=True, exist_ok=True)
    lines = args.news.read_text(encoding="utf-8").splitlines()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    sizes = [int(s) for s in args.sizes.split(",")]
    previous: int | None = None
    for size in sizes:
        sample = args.work / f"news{size}.jsonl"
        chunk = lines[:size]
        sample.write_text("\n".join(chunk) + "\n", encoding="utf-8")
        words = sum(len(json.loads(line)["text"].split()) for line in chunk)
        db = args.work / f"news{size}.db"
        if db.exists():  # a rerun: every article is skipped, the corpus stage rebuilt
            note = "reuses the existing store"
        elif size == max(sizes) and previous is not None and not args.fresh:
            shutil.copy(args.work / f"news{previous}.db", db)  # add the new articles to it
            note = f"adds {size - previous} articles to the news{previous} store"
        else:
            note = "from scratch"
        cmd = [sys.executable, "-m", "dateline", "analyze", str(sample), "--db", str(db)]
        # One JSONL file of 10,000 articles is over the default 50 MB per-file limit.
        cmd += ["--workers", str(args.workers), "--max-file-bytes", str(2**31), "--quiet"]
        row = {"articles": size, "words": words, "workers": args.workers, "note": note}
        row.update(sample_run(cmd, env))
        print(json.dumps(row), flush=True)
        if args.out:
            with args.out.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(row) + "\n")
        previous = size
    return 0


if __name__ == "__main__":
    sys.exit(main())
