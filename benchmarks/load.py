"""Bounded load test of ``dateline serve``: N requests from a few client threads, then stop.

Starts ``python -m dateline serve`` as a subprocess on 127.0.0.1 and a free port over a small
analysed database (by default ``examples/demo``, analysed into a temporary folder first), sends
a fixed mix of API and HTML requests from ``--threads`` httpx clients, and prints throughput,
latency percentiles and the error count (any non-2xx answer or transport error). It always
stops the server, and exits non-zero when any request failed.

Example: python benchmarks/load.py --requests 3000 --threads 4
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def analysed_demo(workdir: Path) -> Path:
    db = workdir / "demo.db"
    cmd = [
        sys.executable,
        "-m",
        "dateline",
        "analyze",
        str(REPO / "examples" / "demo"),
        "--db",
        str(db),
        "-q",
        "--workers",
        "1",
    ]
    subprocess.run(cmd, check=False, capture_output=True, timeout=600)
    if not db.exists():
        raise SystemExit("could not analyse examples/demo")
    return db


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            if httpx.get(base + "/api", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not become ready")


def request_mix(base: str) -> list[str]:
    """A fixed mix of API and HTML paths, built from the database's own ids."""
    articles = httpx.get(base + "/api/articles", params={"limit": 20}, timeout=10).json()["items"]
    ids = [a["id"] for a in articles][:5] or ["missing"]
    paths = [
        "/api",
        "/api/articles",
        "/api/stories",
        "/api/entities",
        "/api/quotes",
        "/api/events",
        "/api/timeline",
        "/api/figures",
        "/api/framing",
        "/api/search?q=talks",
        "/api/search?q=%22foreign%20minister%22",
        "/",
        "/articles",
        "/quotes",
        "/search?q=minister",
    ]
    for article_id in ids:
        paths += [f"/api/articles/{article_id}", f"/articles/{article_id}"]
    return paths


def route(path: str) -> str:
    """The route a path hits, for per-endpoint figures: article ids become ``{id}``."""
    bare = path.split("?")[0]
    for prefix in ("/api/articles/", "/articles/"):
        if bare.startswith(prefix):
            return prefix + "{id}"
    return bare


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_load(base: str, paths: list[str], total: int, threads: int) -> dict[str, object]:
    counter = itertools.count()
    lock = threading.Lock()
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            while (n := next(counter)) < total:
                path = paths[n % len(paths)]
                started = time.perf_counter()
                try:
                    status = client.get(path).status_code
                    problem = None if 200 <= status < 300 else f"{status} {path}"
                except httpx.HTTPError as exc:
                    problem = f"{type(exc).__name__} {path}"
                elapsed = time.perf_counter() - started
                with lock:
                    latencies[route(path)].append(elapsed)
                    if problem:
                        errors.append(problem)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    wall = time.perf_counter() - started
    every = [x for group in latencies.values() for x in group]
    return {"wall": wall, "all": every, "by_path": latencies, "errors": errors}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="analysed database (default: examples/demo, analysed now)")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else analysed_demo(Path(tmp))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "dateline", "serve", "--db", str(db), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_ready(base, server)
            paths = request_mix(base)
            out = run_load(base, paths, args.requests, args.threads)
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    every: list[float] = out["all"]  # type: ignore[assignment]
    errors: list[str] = out["errors"]  # type: ignore[assignment]
    wall: float = out["wall"]  # type: ignore[assignment]
    print(
        f"machine: {platform.machine()} {platform.system()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(
        f"requests: {len(every)}  threads: {args.threads}  wall: {wall:.1f}s  "
        f"throughput: {len(every) / wall:.0f} req/s"
    )
    print(
        f"latency ms: p50 {1000 * percentile(every, 0.5):.1f}  "
        f"p90 {1000 * percentile(every, 0.9):.1f}  p99 {1000 * percentile(every, 0.99):.1f}  "
        f"max {1000 * max(every):.1f}  mean {1000 * statistics.fmean(every):.1f}"
    )
    print(f"errors: {len(errors)}" + (f" (first: {errors[:5]})" if errors else ""))
    print("\n| endpoint | requests | p50 ms | p99 ms |\n|---|---:|---:|---:|")
    by_path: dict[str, list[float]] = out["by_path"]  # type: ignore[assignment]
    for path, values in sorted(by_path.items()):
        print(
            f"| {path} | {len(values)} | {1000 * percentile(values, 0.5):.1f} | "
            f"{1000 * percentile(values, 0.99):.1f} |"
        )
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
