"""Crash safety: ``dateline analyze`` killed with SIGKILL at random moments, then re-run.

A real subprocess (``python -m dateline analyze FOLDER --db X --workers 1``) is killed three
times on the same database: once when a random number of articles is stored, once after a
random delay, once during the corpus stage. After every kill the database must pass
``PRAGMA integrity_check`` and hold no half-written article; after a final re-run it must hold
every input article exactly once, consistent corpus tables, and the same result as a run that
was never interrupted. The RNG seed is printed (set ``DATELINE_CRASH_SEED`` to replay one).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

N_ARTICLES = 16
RUN_TIMEOUT_S = 120

_PLACES = ["Norland", "Solvan", "Marenna", "Kestria", "Valdor", "Ostrava Bay", "Lumen Falls"]
_PEOPLE = ["Ana Petrov", "Tomas Reyn", "Ilse Marrow", "Jon Okafor", "Mira Castel", "Paul Idris"]
_VERBS = ["met", "criticised", "called", "thanked", "warned", "accused"]


def write_corpus(folder: Path, n: int = N_ARTICLES, first: int = 0) -> list[str]:
    """Write ``n`` short fictional wire stories ``art<NN>.txt``; return their ids."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for i in range(first, first + n):
        place, other = _PLACES[i % len(_PLACES)], _PLACES[(i + 3) % len(_PLACES)]
        person, verb = _PEOPLE[i % len(_PEOPLE)], _VERBS[i % len(_VERBS)]
        text = (
            f"{place} and {other} trade charges\n\n"
            f"{place.upper()}, March {i % 27 + 1}, 2021 -- Foreign Minister {person} of {place} "
            f"{verb} her counterpart from {other} on Tuesday, officials said. "
            f'"We will not accept threats against our people," {person} told reporters. '
            f"The ministry said {i + 3} people were injured near the border on Monday and that "
            f"{(i + 1) * 100} troops had been moved. {other} said it would answer next week.\n"
        )
        (folder / f"art{i:02d}.txt").write_text(text, encoding="utf-8")
        ids.append(f"art{i:02d}")
    return ids


def analyze_cmd(folder: Path, db: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "dateline",
        "analyze",
        str(folder),
        "--db",
        str(db),
        "--workers",
        "1",
        "-q",
        *extra,
    ]


def count_analyses(db: Path) -> int:
    """Analysed articles, read through a read-only connection; -1 while the file is not ready."""
    if not db.exists():
        return -1
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM analyses").fetchone()[0])
    except sqlite3.OperationalError:
        return -1


def check_consistent(db: Path) -> set[str]:
    """Assert the database is whole and every article is complete; return the article ids."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        articles = [r[0] for r in conn.execute("SELECT id FROM articles")]
        assert len(articles) == len(set(articles)), "duplicate article rows"
        analysed = {r[0] for r in conn.execute("SELECT article_id FROM analyses")}
        assert set(articles) == analysed, "an article without its analysis or vice versa"
        for hash_a, hash_b in conn.execute(
            "SELECT a.content_hash, n.content_hash FROM articles a JOIN analyses n "
            "ON n.article_id = a.id"
        ):
            assert hash_a == hash_b
        # External-content FTS index agrees with the articles table.
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        assert conn.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0] == len(articles)
        return set(articles)
    finally:
        conn.close()


def check_corpus_consistent(db: Path) -> None:
    """The corpus tables describe exactly the stored articles (no stale or missing rows)."""
    conn = sqlite3.connect(db)
    try:
        articles = {r[0] for r in conn.execute("SELECT id FROM articles")}
        assert conn.execute("SELECT value FROM meta WHERE key = 'corpus_hash'").fetchone()
        in_stories = {r[0] for r in conn.execute("SELECT article_id FROM story_articles")}
        assert in_stories == articles, "story membership differs from the stored articles"
        stories = {r[0] for r in conn.execute("SELECT id FROM stories")}
        story_of = {r[0] for r in conn.execute("SELECT story_id FROM articles")}
        assert story_of <= stories, "an article points at a story that does not exist"
        for table in (
            "timexes",
            "quotes",
            "figures",
            "entity_links",
            "entity_mentions",
            "event_mentions",
        ):
            referenced = {r[0] for r in conn.execute(f"SELECT DISTINCT article_id FROM {table}")}
            assert referenced <= articles, f"{table} refers to an article that is not stored"
        entities = {r[0] for r in conn.execute("SELECT id FROM entities")}
        linked = {r[0] for r in conn.execute("SELECT DISTINCT entity_id FROM entity_links")}
        assert linked <= entities
        events = {r[0] for r in conn.execute("SELECT id FROM events")}
        mentioned = {r[0] for r in conn.execute("SELECT DISTINCT event_id FROM event_mentions")}
        assert mentioned == events
        # Every article that reports dates has its timexes in the corpus table.
        dated = "SELECT article_id FROM analyses WHERE data LIKE '%\"timexes\":[{%'"
        with_dates = {r[0] for r in conn.execute(dated)}
        assert with_dates <= {r[0] for r in conn.execute("SELECT article_id FROM timexes")}
    finally:
        conn.close()


def _kill_when(
    proc: subprocess.Popen[bytes], db: Path, trigger: str, rng: random.Random, done_before: int
) -> str:
    """SIGKILL ``proc`` at the moment ``trigger`` picks; return what happened, for the log."""
    started = time.monotonic()
    if trigger == "delay":
        delay = rng.uniform(1.0, 6.0)
        condition = lambda: time.monotonic() - started >= delay  # noqa: E731
        label = f"after {delay:.2f}s"
    elif trigger == "mid-writes":
        target = min(N_ARTICLES - 1, max(done_before, 0) + rng.randint(1, N_ARTICLES - 2))
        condition = lambda: count_analyses(db) >= target  # noqa: E731
        label = f"when {target} articles were stored"
    else:  # corpus stage: every article stored, corpus tables being rebuilt
        pause = rng.uniform(0.0, 0.4)
        condition = lambda: count_analyses(db) >= N_ARTICLES  # noqa: E731
        label = f"{pause:.2f}s after all articles were stored (corpus stage)"
    while proc.poll() is None and time.monotonic() - started < RUN_TIMEOUT_S:
        if condition():
            if trigger == "corpus":
                time.sleep(pause)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
                return f"killed {label} (stored then: {count_analyses(db)})"
            break
        time.sleep(0.02)
    proc.wait(timeout=RUN_TIMEOUT_S)
    return f"finished before the kill {label} (rc={proc.returncode})"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("crash") / "news"
    return folder, write_corpus(folder)


def test_sigkill_then_rerun_leaves_a_whole_database(
    corpus: tuple[Path, list[str]], tmp_path: Path
) -> None:
    folder, ids = corpus
    seed = int(os.environ.get("DATELINE_CRASH_SEED", random.SystemRandom().randrange(10**6)))
    print(f"DATELINE_CRASH_SEED={seed}")
    rng = random.Random(seed)
    db = tmp_path / "crash.db"
    for trigger in ("mid-writes", "delay", "corpus"):
        proc = subprocess.Popen(
            analyze_cmd(folder, db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        outcome = _kill_when(proc, db, trigger, rng, count_analyses(db))
        print(trigger, outcome)
        if db.exists():
            stored = check_consistent(db)
            assert stored <= set(ids)
    final = subprocess.run(
        analyze_cmd(folder, db, "--json", str(tmp_path / "after.json")),
        capture_output=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    assert final.returncode == 0, final.stderr.decode()
    assert check_consistent(db) == set(ids)
    check_corpus_consistent(db)

    reference_db = tmp_path / "reference.db"
    ref = subprocess.run(
        analyze_cmd(folder, reference_db, "--json", str(tmp_path / "ref.json")),
        capture_output=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    assert ref.returncode == 0, ref.stderr.decode()
    check_corpus_consistent(reference_db)
    after = json.loads((tmp_path / "after.json").read_text(encoding="utf-8"))
    reference = json.loads((tmp_path / "ref.json").read_text(encoding="utf-8"))
    assert after == reference, "a crashed-and-resumed run differs from an uninterrupted one"
