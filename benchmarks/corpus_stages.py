"""Profile the corpus stage (``analyze_corpus``) step by step: CPU, memory, output digests.

Loads the analyses stored in a dateline store, optionally copies them ``--factor`` times
(fresh ids, letter-shifted texts: ``throughput.replicate``), runs ``analyze_corpus`` and
prints, for each step, its CPU seconds, the resident memory when it starts and the peak
reached while it runs (Linux: ``/proc/self/clear_refs`` resets the high-water mark). The
digest of each output section lets a change to one step be checked for identical output:

    .venv/bin/python benchmarks/corpus_stages.py STORE.db --factor 10 --json after.json
    .venv/bin/python benchmarks/corpus_stages.py STORE.db --factor 10 --compare before.json
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import hashlib
import itertools
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    # Not Linux, or not allowed: the peaks are then cumulative.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


class StageClock:
    """The ``on_stage`` callback: closes the running step's figures, opens the next."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self._name: str | None = None
        self._cpu = 0.0
        self._wall = 0.0
        self._rss = 0

    def __call__(self, name: str) -> None:
        now_cpu, now_wall = time.process_time(), time.perf_counter()
        if self._name is not None:
            self.rows.append(
                {
                    "stage": self._name,
                    "cpu_s": now_cpu - self._cpu,
                    "wall_s": now_wall - self._wall,
                    "rss_start_mb": self._rss / 1024,
                    "peak_mb": _status_kib("VmHWM") / 1024,
                    "rss_end_mb": _status_kib("VmRSS") / 1024,
                }
            )
        self._name = None if name == "done" else name
        self._rss = _status_kib("VmRSS")
        _reset_peak()
        self._cpu, self._wall = time.process_time(), time.perf_counter()


def digests(result: Any, links: dict[tuple[str, str], str]) -> dict[str, str]:
    """A short hash of each section of the result (and of the entity links)."""
    from dateline.serialize import to_jsonable

    out = {}
    for name in result.__slots__:
        payload = json.dumps(to_jsonable(getattr(result, name)), sort_keys=True, default=str)
        out[name] = hashlib.sha1(payload.encode()).hexdigest()[:12]
    out["links"] = hashlib.sha1(json.dumps(sorted(links.items())).encode()).hexdigest()[:12]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", help="a dateline store (SQLite path or postgresql:// URL)")
    parser.add_argument("--factor", type=int, default=1, help="copies of each analysis")
    parser.add_argument("--limit", type=int, help="only the first N stored analyses")
    parser.add_argument("--json", type=Path, help="write figures and digests here")
    parser.add_argument("--compare", type=Path, help="a --json file to compare digests with")
    args = parser.parse_args()

    from throughput import replicate

    from dateline.compact import Compactor
    from dateline.pipeline import analyze_corpus
    from dateline.store import open_store

    store = open_store(args.db, read_only=True)
    compact = Compactor()  # as the runner loads them
    loaded = store.iter_analyses()  # in article id order: the first N are a random sample
    analyses = [compact(a) for a in itertools.islice(loaded, args.limit)]
    store.close()
    if args.factor > 1:
        analyses = [compact(a) for a in replicate(analyses, args.factor)]
    del compact
    gc.collect()
    loaded_mb = _status_kib("VmRSS") / 1024
    clock = StageClock()
    cpu0 = time.process_time()
    result, links = analyze_corpus(analyses, on_stage=clock)
    total_cpu = time.process_time() - cpu0

    print(f"{len(analyses)} analyses, RSS after loading {loaded_mb:.0f} MB, CPU {total_cpu:.1f} s")
    print("| step | CPU s | RSS at start MB | peak MB | RSS at end MB |")
    print("|---|---|---|---|---|")
    for row in clock.rows:
        print(
            f"| {row['stage']} | {row['cpu_s']:.2f} | {row['rss_start_mb']:.0f} | "
            f"{row['peak_mb']:.0f} | {row['rss_end_mb']:.0f} |"
        )
    found = digests(result, links)
    report = {
        "articles": len(analyses),
        "loaded_mb": loaded_mb,
        "cpu_s": total_cpu,
        "stages": clock.rows,
        "digests": found,
    }
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    if args.compare:
        before = json.loads(args.compare.read_text())["digests"]
        changed = sorted(k for k in found if before.get(k) != found[k])
        print("identical output" if not changed else f"CHANGED sections: {', '.join(changed)}")
        return 1 if changed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
