"""Write every result table as CSV, JSON Lines or Parquet files that other tools load.

One file per table. Nested values (lists, objects) become JSON strings in CSV and Parquet
so every column has one simple type; JSONL keeps them nested.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from dateline.models import Result
from dateline.serialize import result_to_dict

ExportFormat = Literal["csv", "jsonl", "parquet"]


def result_tables(result: Result) -> dict[str, list[dict[str, Any]]]:
    """The result as flat tables: the contract sections plus link tables for nested lists."""
    data = result_to_dict(result)
    tables: dict[str, list[dict[str, Any]]] = {
        name: list(data[name])
        for name in (
            "articles",
            "stories",
            "entities",
            "timexes",
            "quotes",
            "events",
            "figures",
            "timeline",
            "summary",
            "errors",
        )
    }
    tables["event_mentions"] = [
        {"event_id": e["id"], **m} for e in data["events"] for m in e["mentions"]
    ]
    tables["framing_terms"] = [
        {"outlet": f["outlet"], "entity": f["entity"], **t}
        for f in data["framing"]
        for t in f["terms"]
    ]
    return tables


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    return {
        k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
        for k, v in row.items()
    }


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


def export_result(result: Result, out_dir: Path, fmt: ExportFormat) -> Iterator[Path]:
    """Write one file per table into ``out_dir``; yield each path written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, rows in result_tables(result).items():
        path = out_dir / f"{name}.{fmt}"
        if fmt == "jsonl":
            with path.open("w", encoding="utf-8") as fh:
                for row in rows:
                    fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        elif fmt == "csv":
            with path.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=_columns(rows))
                writer.writeheader()
                writer.writerows(_flat(r) for r in rows)
        else:
            import pandas as pd

            frame = pd.DataFrame([_flat(r) for r in rows], columns=_columns(rows) or None)
            frame.to_parquet(path, index=False)
        yield path
