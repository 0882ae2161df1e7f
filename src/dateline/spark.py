"""The per-article analysis on Apache Spark, with near-duplicates found by LSH band keys.

The job maps :func:`dateline.pipeline.process_batch` over the input with ``mapInPandas``
(each executor loads the spaCy model once per Python worker), writes one Parquet table per
record kind, then finds near-duplicate articles with MinHash signatures grouped by LSH band
key: only articles sharing a band are compared, and only candidate pairs (never the corpus)
reach the driver.

To run on a cluster instead of local mode, pass ``--master spark://host:7077`` (or
``yarn``) and make the ``dateline`` package and its model package importable on every
executor (install the same wheel on each node, or ship a packed virtualenv with
``spark.archives``).
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from dateline.settings import DEFAULT_SETTINGS, Settings

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession

INPUT_COLUMNS = ("id", "text", "title", "url", "outlet", "published", "language")
ANALYSIS_SCHEMA = "article_id string, ok boolean, error string, analysis string"

# Per-article tables: name -> (Spark schema, function from one analysis dict to rows).
TABLE_SCHEMAS: dict[str, str] = {
    "articles": "id string, source string, content_hash string, title string, outlet string, "
    "url string, language string, published string, published_source string, text string",
    "entities": "article_id string, key string, name string, type string, country string, "
    "aliases string, roles string",
    "mentions": "article_id string, key string, start long, end long, text string, label string",
    "timexes": "article_id string, start long, end long, text string, type string, value string",
    "quotes": "id string, article_id string, start long, end long, text string, kind string, "
    "speaker_key string, speaker_text string, cue string, via string, co_speaker_keys string",
    "events": "id string, article_id string, type string, mode string, cameo string, "
    "actor_key string, target_key string, actor_code string, target_code string, date string, "
    "date_precision string, location string, status string, confidence double, sentence string",
    "figures": "id string, article_id string, start long, end long, text string, value double, "
    "unit string, measure string",
}


def _rows(table: str, analysis: dict[str, Any]) -> Iterator[dict[str, Any]]:
    article = analysis["article"]
    aid = article["id"]
    if table == "articles":
        yield {
            k: article.get(k)
            for k in (
                "id",
                "source",
                "content_hash",
                "title",
                "outlet",
                "url",
                "language",
                "published",
                "published_source",
                "text",
            )
        }
    elif table == "entities":
        for e in analysis["entities"]:
            yield {
                "article_id": aid,
                "key": e["key"],
                "name": e["name"],
                "type": e["type"],
                "country": e["country"],
                "aliases": json.dumps(e["aliases"]),
                "roles": json.dumps(e["roles"]),
            }
    elif table == "mentions":
        for e in analysis["entities"]:
            for m in e["mentions"]:
                yield {
                    "article_id": aid,
                    "key": m["key"],
                    "start": m["start"],
                    "end": m["end"],
                    "text": m["text"],
                    "label": m["label"],
                }
    elif table == "timexes":
        for t in analysis["timexes"]:
            yield {k: t[k] for k in ("article_id", "start", "end", "text", "type", "value")}
    elif table == "quotes":
        for q in analysis["quotes"]:
            yield {
                k: q[k]
                for k in (
                    "id",
                    "article_id",
                    "start",
                    "end",
                    "text",
                    "kind",
                    "speaker_key",
                    "speaker_text",
                    "cue",
                    "via",
                )
            } | {"co_speaker_keys": json.dumps(q.get("co_speaker_keys", []))}
    elif table == "events":
        for e in analysis["events"]:
            yield {
                "id": e["id"],
                "article_id": aid,
                **{
                    k: e[k]
                    for k in (
                        "type",
                        "mode",
                        "cameo",
                        "actor_key",
                        "target_key",
                        "actor_code",
                        "target_code",
                        "date",
                        "date_precision",
                        "location",
                        "status",
                        "confidence",
                        "sentence",
                    )
                },
            }
    elif table == "figures":
        for f in analysis["figures"]:
            yield {
                k: f[k]
                for k in ("id", "article_id", "start", "end", "text", "value", "unit", "measure")
            }


def table_rows(table: str, analyses: Iterator[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flatten analysis dicts (as ``to_jsonable`` writes them) into rows of one table."""
    return [row for analysis in analyses for row in _rows(table, analysis)]


def _analyse_partition(settings: Settings) -> Any:
    def run(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from dateline.pipeline import process_batch

        for frame in frames:
            yield process_batch(frame, settings)

    return run


def _explode_partition(table: str) -> Any:
    def run(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import pandas as pd

        columns = [c.strip().split(" ")[0] for c in TABLE_SCHEMAS[table].split(",")]
        for frame in frames:
            analyses = (json.loads(a) for a in frame["analysis"] if isinstance(a, str))
            yield pd.DataFrame(table_rows(table, analyses), columns=columns)

    return run


def _signature_partition(num_perm: int, bands: int) -> Any:
    def run(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import pandas as pd

        from dateline.corpus.minhash import minhash, words

        rows_per_band = num_perm // bands
        for frame in frames:
            out: list[dict[str, Any]] = []
            for aid, text in zip(frame["id"], frame["text"], strict=True):
                signature = [int(v) for v in minhash(words(text or "")).hashvalues]
                for band in range(bands):
                    chunk = signature[band * rows_per_band : (band + 1) * rows_per_band]
                    out.append(
                        {
                            "band_key": f"{band}:" + ",".join(map(str, chunk)),
                            "article_id": aid,
                            "signature": json.dumps([int(x) for x in signature]),
                        }
                    )
            yield pd.DataFrame(out, columns=["band_key", "article_id", "signature"])

    return run


def make_session(master: str = "local[*]", app_name: str = "dateline") -> SparkSession:
    """A Spark session; local mode binds to 127.0.0.1 with the UI off."""
    from pyspark.sql import SparkSession

    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        # Local workers must run this interpreter (the one with dateline and its model).
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    return (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )


def read_input(spark: SparkSession, path: str) -> DataFrame:
    """JSONL (optionally .gz) or Parquet input with the JSONL article fields."""
    from pyspark.sql import functions as F

    frame = spark.read.parquet(path) if path.endswith(".parquet") else spark.read.json(path)
    for column in INPUT_COLUMNS:
        if column not in frame.columns:
            frame = frame.withColumn(column, F.lit(None).cast("string"))
    return frame.select(*[F.col(c).cast("string").alias(c) for c in INPUT_COLUMNS])


def run_spark_job(
    input_path: str,
    output_path: str,
    *,
    master: str = "local[*]",
    settings: Settings = DEFAULT_SETTINGS,
    near_duplicate_threshold: float | None = None,
) -> dict[str, int]:
    """Analyse ``input_path`` on Spark and write Parquet tables under ``output_path``.

    Returns row counts per table written.
    """
    spark = make_session(master)
    counts: dict[str, int] = {}
    try:
        articles = read_input(spark, input_path)
        analysed = articles.mapInPandas(_analyse_partition(settings), ANALYSIS_SCHEMA).cache()
        analysed.write.mode("overwrite").parquet(f"{output_path}/analyses")
        counts["analyses"] = analysed.count()
        errors = analysed.filter("NOT ok").select("article_id", "error")
        errors.write.mode("overwrite").parquet(f"{output_path}/errors")
        counts["errors"] = errors.count()
        good = analysed.filter("ok").select("analysis")
        for table, schema in TABLE_SCHEMAS.items():
            frame = good.mapInPandas(_explode_partition(table), schema)
            frame.write.mode("overwrite").parquet(f"{output_path}/{table}")
            counts[table] = spark.read.parquet(f"{output_path}/{table}").count()
        counts["near_duplicate_pairs"] = _near_duplicates(
            spark,
            articles,
            output_path,
            near_duplicate_threshold or settings.near_duplicate_threshold,
        )
    finally:
        spark.stop()
    return counts


def _near_duplicates(
    spark: SparkSession, articles: DataFrame, output_path: str, threshold: float
) -> int:
    """Candidate pairs from shared LSH band keys, verified by estimated Jaccard."""
    from pyspark.sql import functions as F

    from dateline.corpus.minhash import NUM_PERM

    num_perm, bands = NUM_PERM, 32
    keyed = articles.select("id", "text").mapInPandas(
        _signature_partition(num_perm, bands),
        "band_key string, article_id string, signature string",
    )
    left = keyed.alias("l")
    right = keyed.alias("r")
    pairs = (
        left.join(right, on=F.col("l.band_key") == F.col("r.band_key"))
        .where(F.col("l.article_id") < F.col("r.article_id"))
        .select(
            F.col("l.article_id").alias("a"),
            F.col("r.article_id").alias("b"),
            F.col("l.signature").alias("sa"),
            F.col("r.signature").alias("sb"),
        )
        .dropDuplicates(["a", "b"])
    )

    def estimate(sa: str, sb: str) -> float:
        a: list[int] = json.loads(sa)
        b: list[int] = json.loads(sb)
        return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)

    with warnings.catch_warnings():
        # pyspark reads the type hints to guess a pandas UDF, warns, then makes a plain UDF.
        warnings.simplefilter("ignore", UserWarning)
        jaccard = F.udf(estimate, "double")

    verified = pairs.select("a", "b", jaccard("sa", "sb").alias("jaccard")).where(
        F.col("jaccard") >= threshold
    )
    verified.write.mode("overwrite").parquet(f"{output_path}/near_duplicates")
    return int(spark.read.parquet(f"{output_path}/near_duplicates").count())
