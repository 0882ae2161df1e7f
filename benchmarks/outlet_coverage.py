"""How much of the shared news corpus the outlet registry can describe (name, else URL host).

Reads only the ``outlet`` and ``url`` fields of ../shared/data/news_corpus (no labels).
Usage: .venv/bin/python benchmarks/outlet_coverage.py
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import Counter
from pathlib import Path

from dateline.outlets import load_registry

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news_corpus"


def main() -> None:
    files = sorted(CORPUS.glob("news_corpus-*.jsonl.gz"))
    if not files:
        sys.exit(f"no corpus at {CORPUS}")
    registry = load_registry()
    how: Counter[str] = Counter()
    outlets: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                outlets[row["outlet"]] += 1
                if registry.lookup(row["outlet"]):
                    how["name"] += 1
                elif registry.profile_for(row["outlet"], row["url"]):
                    how["url"] += 1
                else:
                    how["none"] += 1
                    unknown[row["outlet"]] += 1
    total = sum(how.values())
    print(
        f"registry: {len(registry)} outlets; corpus: {total} articles, {len(outlets)} outlet names"
    )
    for key in ("name", "url", "none"):
        print(f"  profile by {key:4s}: {how[key]:6d} ({how[key] / total:.1%})")
    top = [o for o, _ in outlets.most_common(50)]
    named = sum(1 for o in top if registry.lookup(o))
    print(f"  top-50 outlet names found by name: {named}/50")
    print(
        "  most frequent without a profile:",
        ", ".join(f"{o} ({n})" for o, n in unknown.most_common(5)),
    )


if __name__ == "__main__":
    main()
