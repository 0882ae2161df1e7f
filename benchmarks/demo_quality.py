"""Prints the demo-corpus quality figures that tests/test_demo.py gates with floors.

Usage: .venv/bin/python benchmarks/demo_quality.py
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from demo_quality import DEMO, all_scores, load_expected, published_in_range  # noqa: E402

from dateline import analyze  # noqa: E402
from dateline.serialize import result_to_dict  # noqa: E402


def main() -> None:
    data = result_to_dict(analyze([DEMO]))
    expected = load_expected()
    print(f"demo corpus: {len(data['articles'])} articles, {len(data['errors'])} errors")
    for name, value in all_scores(data, expected).items():
        print(f"{name:32s} {value:.3f}")
    for article_id, ok in sorted(published_in_range(data, expected).items()):
        print(f"  published range holds the true date: {article_id:32s} {ok}")


if __name__ == "__main__":
    main()
