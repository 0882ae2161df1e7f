"""Ingest: files, folders, feeds and records in; normalised ``Article`` records out."""

from __future__ import annotations

from dateline.ingest.files import read_file, read_inputs
from dateline.ingest.records import read_records

VERSION = "ingest.v1"

__all__ = ["VERSION", "read_file", "read_inputs", "read_records"]
