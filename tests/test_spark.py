"""The Spark job (local mode) gives the same per-article results as the local pipeline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.spark, pytest.mark.slow]

RECORDS = [
    {
        "id": "sp1",
        "outlet": "Meridian Wire",
        "published": "2031-06-03",
        "text": "PORT ELSIN, June 3 (Meridian Wire) -- Trade Minister Ola Brandt met her Teskan "
        'counterpart Ivo Karel on Tuesday. "We agreed to meet again in July," Brandt said. '
        "The two sides signed 4 agreements worth $20 million.",
    },
    {
        "id": "sp2",
        "outlet": "Copy Desk",
        "text": "PORT ELSIN, June 3 (Meridian Wire) -- Trade Minister Ola Brandt met her Teskan "
        'counterpart Ivo Karel on Tuesday. "We agreed to meet again in July," Brandt said. '
        "The two sides signed 4 agreements worth $20 million. Copy Desk adds a line.",
    },
    {
        "id": "sp3",
        "outlet": "Harbour Post",
        "published": "2031-06-05",
        "text": "Fishermen protested outside the Teskan embassy on Thursday, accusing the "
        "government of ignoring the quota dispute.",
    },
    {"id": "sp4", "text": "   "},
]


def local_analyses() -> dict[str, dict[str, object]]:
    import pandas as pd

    from dateline.pipeline import process_batch

    frame = pd.DataFrame(RECORDS)
    frame = frame.astype(object).where(frame.notna(), None)
    out = process_batch(frame)
    return {r.article_id: json.loads(r.analysis) for r in out.itertuples() if r.ok}


@pytest.fixture(scope="module")
def spark_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("java") is None:
        pytest.skip("Java is not installed; pyspark needs a JVM (Java 17)")
    from dateline.spark import run_spark_job

    folder = tmp_path_factory.mktemp("spark")
    source = folder / "in.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n", encoding="utf-8")
    counts = run_spark_job(str(source), str(folder / "out"), master="local[2]")
    assert counts["analyses"] == len(RECORDS)
    return folder / "out"


def test_spark_per_article_results_equal_local_run(spark_output: Path) -> None:
    import pandas as pd

    frame = pd.read_parquet(spark_output / "analyses")
    remote = {r.article_id: json.loads(r.analysis) for r in frame.itertuples() if r.ok}
    assert remote == local_analyses()
    assert set(remote) == {"sp1", "sp2", "sp3"}


def test_spark_reports_bad_records_as_errors(spark_output: Path) -> None:
    import pandas as pd

    errors = pd.read_parquet(spark_output / "errors")
    assert list(errors["article_id"]) == ["sp4"]
    assert errors["error"].iloc[0]


def test_spark_tables_are_flat_and_cited(spark_output: Path) -> None:
    import pandas as pd

    articles = pd.read_parquet(spark_output / "articles").set_index("id")
    quotes = pd.read_parquet(spark_output / "quotes")
    assert len(quotes) >= 2
    for row in quotes.itertuples():
        assert articles.loc[row.article_id, "text"][row.start : row.end] == row.text
        assert isinstance(json.loads(row.co_speaker_keys), list)  # a JSON list, as aliases are


def test_spark_finds_the_wire_copy_by_band_keys(spark_output: Path) -> None:
    import pandas as pd

    pairs = pd.read_parquet(spark_output / "near_duplicates")
    assert [tuple(p) for p in pairs[["a", "b"]].itertuples(index=False)] == [("sp1", "sp2")]
