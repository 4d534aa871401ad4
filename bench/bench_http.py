"""REST latency against the raw named query behind each endpoint, and throughput under a bounded load.

    .venv/bin/python bench/bench_http.py [--triples 100000] [--calls 20] [--concurrency 8] [--load-seconds 20]

A synthetic graph is bulk-loaded into a new store; ``msme-kg serve`` serves it on 127.0.0.1 (one
process, as the CLI starts it). For every GET route of the app with one ``{id}`` (or none) —
whatever routes exist when this runs — real ids of the right kind are picked from the graph, and
the endpoint is timed over HTTP (keep-alive client) and compared with its named query of
``queries/`` (same values) run on the same store opened read-only beside the server: ratio goal
≤ 1.5. Then a bounded concurrent load (``--concurrency`` clients, at most ``--load-seconds``) over
all those endpoints gives requests/s and latency under load. Loopback only; stops by itself.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from common import PROJECT_DIR, machine, median, percentile, table
from lookups import synth_file

from graph.queries import load_queries
from graph.querysample import ParamSampler
from graph.store import bulk_load_file, open_store, run_query

SEGMENT_CLASS = {"events": "Event", "agents": "Person", "persons": "Person", "initiatives": "Initiative",
                 "entities": "Person", "documents": "Document"}


def singular(word: str) -> str:
    return word[:-3] + "y" if word.endswith("ies") else word[:-1] if word.endswith("s") else word


def routes(base: str) -> list[tuple[str, str | None, str | None]]:
    """(path template, entity class or None, named query or None) for each benchmarkable GET route."""
    spec = httpx.get(f"{base}/openapi.json", timeout=30).json()
    queries = load_queries()
    out = []
    for path, ops in spec["paths"].items():
        parts = [p for p in path.strip("/").split("/") if p]
        if "get" not in ops or not parts or parts[0] in ("web", "health", "search", "sparql"):
            continue
        params = [p for p in parts if p.startswith("{")]
        if len(params) > 1:
            continue
        cls = SEGMENT_CLASS.get(parts[0]) if params else None
        if params and not cls:
            continue
        name = singular(parts[0]) if params and parts[-1].startswith("{") else (
            f"{singular(parts[0])}-{parts[-1]}" if params else parts[0])
        out.append((path, cls, name if name in queries else None))
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:  # noqa: PLR0915 - one linear script
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=20, help="timed calls per endpoint")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--load-seconds", type=float, default=20.0)
    args = parser.parse_args()
    print(f"# HTTP benchmark — {machine()}")

    work = Path(tempfile.mkdtemp(prefix="bench-http-"))
    store_dir = work / "store"
    store = open_store(store_dir)
    bulk_load_file(store, synth_file(args.triples))
    store.flush()
    sampler = ParamSampler(store, seed=1)
    ids = {cls: sampler.ids.get(cls, [])[:50] for cls in set(SEGMENT_CLASS.values())}
    del store, sampler

    port = free_port()
    env = {**os.environ, "MSME_KG_STORE": str(store_dir)}
    command = [sys.executable, "-m", "graph.cli", "serve", "--port", str(port), "--store", str(store_dir)]
    server = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        reader = open_store(store_dir, read_only=True)
        rng = random.Random(2)
        rows, urls = [], []
        client = httpx.Client(timeout=120)
        for path, cls, query_name in routes(base):
            values = [rng.choice(ids[cls]) for _ in range(5)] if cls else [None]
            if cls and not ids[cls]:
                continue
            http_t, raw_t, codes = [], [], set()
            for i in range(args.calls):
                value = values[i % len(values)]
                url = base + (path.replace(path[path.index("{"):path.index("}") + 1], value) if value else path)
                if not path.startswith("/export"):  # a whole-graph download is not a look-up
                    urls.append(url)
                started = time.perf_counter()
                codes.add(client.get(url).status_code)
                http_t.append(time.perf_counter() - started)
                if query_name:
                    query = load_queries()[query_name]
                    required = [p for p in query.params if not p.optional]
                    bindings = query.bind({required[0].name: value} if required and value else {})
                    started = time.perf_counter()
                    list(run_query(reader, query.text, bindings))
                    raw_t.append(time.perf_counter() - started)
            ratio = percentile(http_t, 50) / percentile(raw_t, 50) if raw_t else float("nan")
            rows.append([path, query_name or "(several)", ",".join(map(str, sorted(codes))),
                         f"{percentile(http_t, 50) * 1e3:.3g} / {percentile(http_t, 95) * 1e3:.3g}",
                         f"{percentile(raw_t, 50) * 1e3:.3g} / {percentile(raw_t, 95) * 1e3:.3g}" if raw_t else "",
                         f"{ratio:.2f}" if raw_t else ""])
            print(f"  {path}: done", flush=True)
        print(f"\n{args.triples:,} triples requested; {args.calls} sequential calls per endpoint (keep-alive)\n")
        print(table(["endpoint", "named query", "status", "HTTP p50 / p95 ms", "raw query p50 / p95 ms",
                     "HTTP / raw (p50)"], rows))
        ratios = [float(r[-1]) for r in rows if r[-1]]
        print(f"\nmedian HTTP / raw query: {median(ratios):.2f} (goal <= 1.5)")

        deadline = time.perf_counter() + args.load_seconds
        latencies: list[float] = []
        errors = 0

        def worker(seed: int) -> None:
            nonlocal errors
            local_rng = random.Random(seed)
            with httpx.Client(timeout=60) as c:
                while time.perf_counter() < deadline:
                    started = time.perf_counter()
                    if c.get(local_rng.choice(urls)).status_code >= 500:
                        errors += 1
                    latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            list(pool.map(worker, range(args.concurrency)))
        elapsed = time.perf_counter() - started
        print(f"\nload: {args.concurrency} concurrent clients for {elapsed:.1f} s over {len(set(urls))} URLs: "
              f"{len(latencies) / elapsed:.1f} requests/s, p50 {percentile(latencies, 50) * 1e3:.3g} ms, "
              f"p95 {percentile(latencies, 95) * 1e3:.3g} ms, {errors} server errors (one server process)")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
