"""Concurrency: two ``dateline analyze`` processes on one SQLite file, and reads during writes.

The store takes the write lock up front (``BEGIN IMMEDIATE``) with a 60 s busy timeout and runs
in WAL mode, so two writers queue instead of failing with "database is locked", and readers
never block on the writer. Overlapping inputs (same ids, same text) must be stored once.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_crash_safety import (
    RUN_TIMEOUT_S,
    analyze_cmd,
    check_consistent,
    check_corpus_consistent,
    write_corpus,
)

from dateline.store.sqlite import SQLiteStore


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, set[str]]:
    """Two input folders: 0-9 and 5-14 (ids 5-9 in both, byte-identical)."""
    root = tmp_path_factory.mktemp("concurrent")
    all_ids = set(write_corpus(root / "all", n=15))
    first, second = root / "first", root / "second"
    first.mkdir()
    second.mkdir()
    for i in range(15):
        name = f"art{i:02d}.txt"
        if i < 10:
            shutil.copy(root / "all" / name, first / name)
        if i >= 5:
            shutil.copy(root / "all" / name, second / name)
    return first, second, all_ids


def test_two_writers_on_one_file_both_succeed(
    folders: tuple[Path, Path, set[str]], tmp_path: Path
) -> None:
    first, second, all_ids = folders
    db = tmp_path / "shared.db"
    procs = [
        subprocess.Popen(analyze_cmd(folder, db), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for folder in (first, second)
    ]
    outputs = [p.communicate(timeout=RUN_TIMEOUT_S) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        text = (out + err).decode()
        assert proc.returncode == 0, text
        assert "database is locked" not in text, text
        assert "Traceback" not in text, text
    assert check_consistent(db) == all_ids  # every article once, none half-written
    check_corpus_consistent(db)


def test_reads_while_a_process_writes(folders: tuple[Path, Path, set[str]], tmp_path: Path) -> None:
    first, _second, _all = folders
    db = tmp_path / "busy.db"
    SQLiteStore(db).close()  # create and migrate, as a previous run would have
    seen: list[int] = []
    failures: list[BaseException] = []
    stop = threading.Event()

    def poll() -> None:
        store = SQLiteStore(db, read_only=True)
        try:
            while not stop.is_set():
                counts = store.counts()
                seen.append(counts["articles"])
                store.search("minister")
                time.sleep(0.02)
        except BaseException as exc:
            failures.append(exc)
        finally:
            store.close()

    reader = threading.Thread(target=poll, daemon=True)
    reader.start()
    try:
        run = subprocess.run(
            analyze_cmd(first, db), capture_output=True, timeout=RUN_TIMEOUT_S, check=False
        )
    finally:
        stop.set()
        reader.join(timeout=30)
    assert run.returncode == 0, run.stderr.decode()
    assert not failures, failures
    assert len(seen) > 10, "the reader barely ran"
    assert seen == sorted(seen), "a reader saw the article count go down"
    assert seen[-1] == 10
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 10


def test_api_reads_while_a_process_writes(
    folders: tuple[Path, Path, set[str]], tmp_path: Path
) -> None:
    """The JSON API (if present) keeps answering 200 while ``analyze`` writes the same file."""
    api = pytest.importorskip("dateline.api")
    if not hasattr(api, "create_app"):
        pytest.skip("dateline.api.create_app not available yet")
    from fastapi.testclient import TestClient

    first, _second, _all = folders
    db = tmp_path / "api.db"
    SQLiteStore(db).close()
    client = TestClient(api.create_app(str(db)))
    statuses: list[int] = []
    proc = subprocess.Popen(analyze_cmd(first, db), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        while proc.poll() is None:
            for path in ("/api/articles", "/api/search?q=minister"):
                statuses.append(client.get(path).status_code)
            time.sleep(0.05)
    finally:
        out, err = proc.communicate(timeout=RUN_TIMEOUT_S)
    assert proc.returncode == 0, (out + err).decode()
    assert statuses
    assert set(statuses) <= {200}, sorted(set(statuses))


class _Interleaved:
    """A store whose first ``save_corpus`` lets another whole run happen just before it.

    This replays, deterministically, the interleaving two concurrent ``analyze`` processes can
    hit: run A reads the analyses for its corpus stage, run B stores more articles and writes
    its corpus, then A writes a corpus computed from fewer articles.
    """

    def __init__(self, store: SQLiteStore, before_corpus: Callable[[], object]) -> None:
        self._store = store
        self._before: Callable[[], object] | None = before_corpus

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def save_corpus(self, *args: Any, **kwargs: Any) -> bool:
        if self._before is not None:
            before, self._before = self._before, None
            before()
        return bool(self._store.save_corpus(*args, **kwargs))


def test_corpus_is_not_stale_after_interleaved_runs(
    folders: tuple[Path, Path, set[str]], tmp_path: Path
) -> None:
    from dateline.runner import run_analyze

    first, second, all_ids = folders
    db = tmp_path / "interleaved.db"
    store_a, store_b = SQLiteStore(db), SQLiteStore(db)
    try:
        other_run = lambda: run_analyze([second], store_b, workers=1)  # noqa: E731
        run_analyze([first], _Interleaved(store_a, other_run), workers=1)
    finally:
        store_a.close()
        store_b.close()
    assert check_consistent(db) == all_ids
    check_corpus_consistent(db)
