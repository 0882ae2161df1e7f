"""``dateline analyze --workers N``: the same store and JSON whatever the number of workers."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dateline.cli import app
from dateline.models import Article
from dateline.runner import _batches, pool_batch_size
from dateline.settings import Settings

# Eight short fictional wire stories: two outlets, quotes, dates, figures, events.
ARTICLES = [
    (
        "w1",
        "Harbour Wire",
        "2031-06-03",
        "Quota talks resume",
        "PORT ELSIN, June 3 (Harbour Wire) -- Trade Minister Ola Brandt met her Teskan "
        "counterpart Ivo Karel on Tuesday to discuss fishing quotas.\n\n"
        '"We agreed to meet again in July," Brandt said after the talks.',
    ),
    (
        "w2",
        "Coast Daily",
        "2031-06-04",
        "Karel hopeful on quotas",
        "Teskan Trade Minister Ivo Karel said on Wednesday that the quota dispute could be "
        "settled by the end of the summer. Karel added that 40 trawlers had been idle since May.",
    ),
    (
        "w3",
        "Harbour Wire",
        "2031-06-05",
        "Protest at the port",
        "About 300 fishermen protested outside the port authority in Port Elsin on Thursday, "
        "demanding compensation. Police said the protest was peaceful.",
    ),
    (
        "w4",
        "Coast Daily",
        "2031-06-05",
        "Fishermen rally",
        'Hundreds of fishermen rallied in Port Elsin on Thursday. "We cannot wait another '
        'season," said union leader Mara Voss. The union wants 12 million crowns in aid.',
    ),
    (
        "w5",
        "Harbour Wire",
        "2031-06-08",
        "Brandt pledges aid",
        "Ola Brandt pledged 10 million crowns in aid to the fishing towns on Sunday, "
        "a week after the talks began. Opposition leader Tomas Reil criticised the plan.",
    ),
    (
        "w6",
        "Coast Daily",
        "2031-06-09",
        "Reil attacks aid plan",
        "Opposition leader Tomas Reil accused the government of ignoring the fishermen. "
        '"Ten million is not enough," Reil told reporters in Veldt on Monday.',
    ),
    (
        "w7",
        "Harbour Wire",
        None,
        "Teska sends envoy",
        "Teska will send an envoy to Port Elsin next week, the foreign ministry said. "
        "The envoy is expected to meet Ola Brandt on June 15.",
    ),
    (
        "w8",
        "Coast Daily",
        "2031-06-12",
        "Talks end without deal",
        "The quota talks ended without a deal on Friday. Brandt and Karel said they would "
        "meet again in September, while 40 trawlers remain in port.",
    ),
]

runner = CliRunner()


def dump(db: Path) -> list[tuple[str, list[tuple[object, ...]]]]:
    """Every table's rows, sorted (the migration log, which has timestamps, left out)."""
    conn = sqlite3.connect(db)
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'articles_fts%' "
            "AND name != 'migrations' ORDER BY name"
        )
    ]
    out = [(n, sorted(conn.execute(f"SELECT * FROM {n}").fetchall(), key=repr)) for n in names]
    conn.close()
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "wire.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for aid, outlet, published, title, text in ARTICLES:
            record = {
                "id": aid,
                "outlet": outlet,
                "published": published,
                "title": title,
                "text": text,
            }
            fh.write(json.dumps(record) + "\n")
    return path


def analyze_into(
    corpus: Path, folder: Path, workers: int, *extra: str
) -> tuple[Path, dict[str, Any]]:
    """``dateline analyze`` of ``corpus`` into ``folder``: the store and the JSON output."""
    db, js = folder / "story.db", folder / "story.json"
    args = ["analyze", str(corpus), "--db", str(db), "--json", str(js)]
    res = runner.invoke(app, [*args, "--workers", str(workers), *extra, "--quiet"])
    assert res.exit_code == 0, res.output
    return db, json.loads(js.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def runs(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[Path, dict]]:
    return {
        workers: analyze_into(
            corpus, tmp_path_factory.mktemp(f"w{workers}"), workers, "--batch-size", "2"
        )
        for workers in (1, 2)
    }


def test_workers_same_json(runs: dict[int, tuple[Path, dict]]) -> None:
    one, two = runs[1][1], runs[2][1]
    assert [a["id"] for a in one["articles"]] == [a for a, *_ in ARTICLES]
    for table in ("quotes", "events", "timexes"):  # a real analysis, not an empty one
        assert one[table], table
    assert one == two


def test_workers_same_database(runs: dict[int, tuple[Path, dict]]) -> None:
    one, two = dump(runs[1][0]), dump(runs[2][0])
    assert dict(one)["analyses"]
    assert one == two


def test_workers_rerun_skips_everything(corpus: Path, runs: dict[int, tuple[Path, dict]]) -> None:
    db = runs[2][0]
    before = dump(db)
    res = runner.invoke(app, ["analyze", str(corpus), "--db", str(db), "--workers", "2", "--quiet"])
    assert res.exit_code == 0, res.output
    assert dump(db) == before


@pytest.mark.parametrize(
    ("n", "workers", "batch", "expected"),
    [
        (8, 2, 32, 2),  # few articles: small batches so both workers get work
        (100, 2, 32, 12),  # 100 // (2 workers * 4 batches each)
        (100_000, 2, 32, 32),  # many articles: the spaCy batch size
        (None, 2, 32, 32),  # unknown length: the spaCy batch size
        (1, 4, 32, 2),  # never below the minimum batch
        (100, 2, 1, 1),  # never above the configured batch size
    ],
)
def test_pool_batch_size(n: int | None, workers: int, batch: int, expected: int) -> None:
    assert pool_batch_size(n, workers, Settings(batch_size=batch)) == expected


@pytest.mark.parametrize(("n", "size", "lengths"), [(0, 3, []), (7, 3, [3, 3, 1]), (3, 3, [3])])
def test_batches_cover_input_in_order(n: int, size: int, lengths: list[int]) -> None:
    items = [Article(id=str(i), source="s", text="t", content_hash=str(i)) for i in range(n)]
    batches = list(_batches(iter(items), size))
    assert [len(b) for b in batches] == lengths
    assert [a for b in batches for a in b] == items


@pytest.mark.parametrize(
    ("n", "size", "workers", "lengths"),
    [
        (0, 32, 2, []),
        (20, 32, 1, [5, 4, 3, 2, 2, 2, 2]),  # shares of what is left: 20/4, 15/4, ...
        (100, 8, 2, [8] * 6 + [7, 6, 5, 5, 4, 4, 3, 3] + [2] * 7 + [1]),
    ],
)
def test_guided_batches_shrink_towards_the_end(
    n: int, size: int, workers: int, lengths: list[int]
) -> None:
    items = [Article(id=str(i), source="s", text="t", content_hash=str(i)) for i in range(n)]
    batches = list(_batches(iter(items), size, total=n, workers=workers))
    assert [len(b) for b in batches] == lengths
    assert [a for b in batches for a in b] == items


def test_corpus_stage_reads_back_what_it_does_not_keep(
    corpus: Path,
    runs: dict[int, tuple[Path, dict]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Beyond ``_FRESH_KEEP`` analyses the corpus stage reads them from the store: same output."""
    import dateline.runner

    monkeypatch.setattr(dateline.runner, "_FRESH_KEEP", 3)
    db, output = analyze_into(corpus, tmp_path, 1)
    assert output == runs[1][1]
    assert dump(db) == dump(runs[1][0])


def test_recycled_workers_give_the_same_output(
    corpus: Path,
    runs: dict[int, tuple[Path, dict]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Workers replaced after every task (to keep their memory flat): same store and JSON."""
    import dateline.runner

    monkeypatch.setattr(dateline.runner, "_WORKER_LIFE", 1)
    db, output = analyze_into(corpus, tmp_path, 2, "--batch-size", "2")
    assert output == runs[2][1]
    assert dump(db) == dump(runs[2][0])
