"""REST latency against the raw named query behind each endpoint, and throughput under a bounded load.

    .venv/bin/python bench/bench_http.py [--triples 100000] [--samples 5] [--repeat 4] [--concurrency 8]
                                         [--load-seconds 20] [--server-workers 1 2]

A synthetic graph is bulk-loaded into a new store; ``msme-kg serve`` serves it on 127.0.0.1. For
every GET route of the app with one ``{id}`` (or none) — whatever routes exist when this runs —
real ids of the right kind are picked from the graph, and the endpoint is timed over HTTP
(keep-alive client, one server process; back-to-back calls per id, the first kept apart) and
compared with its named query of ``queries/`` (same values, timed the same way) run on the same
store opened read-only beside the server: ratio goal ≤ 1.5. A route that
does not exist gives the floor: what a loopback HTTP round trip through the app costs with no
look-up at all (``/health`` is shown too: it lists the stored documents).
Then a bounded concurrent load (``--concurrency`` client threads, at most ``--load-seconds``)
over all those endpoints, once per ``--server-workers`` count (``serve --workers N``: N processes
reading the store), gives requests/s and latency under load. Loopback only; stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from common import PROJECT_DIR, machine, median, percentile, table
from lookups import synth_file

from graph.sparql.queries import load_queries
from graph.sparql.sample import ParamSampler
from graph.store.core import bulk_load_file, open_store, run_query

SEGMENT_CLASS = {"events": "Event", "agents": "Person", "persons": "Person", "initiatives": "Initiative",
                 "entities": "Person", "documents": "Document"}


# endpoints that run several named queries: their raw time is the sum of those queries
COMPOSITE = {"/entities/{id}": ("entity", "entity-facts"),
             "/events/{id}": ("event", "event-subevents", "event-participants", "entity"),
             "/documents/{id}": ("documents", "document-facts")}


class KeepAlive:
    """One keep-alive connection of the standard library's HTTP client.

    The endpoints are timed with it rather than httpx, whose own work is ≈0.3 ms a request here
    (bench/RESULTS.md §5): a client's cost is not the endpoint's.
    """

    def __init__(self, base: str) -> None:
        url = urlsplit(base)
        self.connection = http.client.HTTPConnection(url.hostname, url.port, timeout=120)

    def get(self, path: str) -> int:
        """The status of GET ``path``, its body read."""
        self.connection.request("GET", path)
        response = self.connection.getresponse()
        response.read()
        return response.status

    def close(self) -> None:
        self.connection.close()


def singular(word: str) -> str:
    return word[:-3] + "y" if word.endswith("ies") else word[:-1] if word.endswith("s") else word


def routes(base: str) -> list[tuple[str, str | None, tuple[str, ...]]]:
    """(path template, entity class or None, its named queries) for each benchmarkable GET route."""
    return routes_of(httpx.get(f"{base}/openapi.json", timeout=30).json())


def routes_of(spec: dict) -> list[tuple[str, str | None, tuple[str, ...]]]:
    """:func:`routes` of an OpenAPI document."""
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
        out.append((path, cls, COMPOSITE.get(path) or ((name,) if name in queries else ())))
    return out


@contextmanager
def serve(store_dir: Path, workers: int) -> Iterator[str]:
    """The base URL of ``msme-kg serve --workers N`` over ``store_dir``, stopped afterwards."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "-m", "graph.cli.main", "serve", "--port", str(port), "--store", str(store_dir),
               "--workers", str(workers)]
    env = {**os.environ, "MSME_KG_WARM_VIEWS": "false"}  # no background views taking a core from the timings
    server = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def latencies(base: str, store_dir: Path, ids: dict[str, list[str]], samples: int, repeat: int) -> list[str]:
    """Time each endpoint against its raw query; print the table; return the look-up paths for the load.

    A list (a route without an id) is read by the server once per store version and its pages
    come from memory (api.deps.list_rows), so only its first call compares with the raw query.
    For each of ``samples`` ids, ``repeat`` back-to-back HTTP calls, then ``repeat`` raw runs of the
    same queries: the first of each block is kept apart ("first call": the server or this process
    was idle just before, and on this virtual machine that alone costs 0.3-1 ms; section 3 of
    bench/RESULTS.md), the others are the warm figures the ratio is taken on.
    """
    reader = open_store(store_dir, read_only=True)
    queries = load_queries()
    rng = random.Random(2)
    rows, urls = [], []
    client = KeepAlive(base)

    def timed(call: Callable[..., object], *args: object) -> tuple[list[float], list[float], object]:
        """(first, warm) seconds of ``repeat`` back-to-back calls, and what the last call returned."""
        spent = []
        for _ in range(repeat):
            started = time.perf_counter()
            answer = call(*args)
            spent.append(time.perf_counter() - started)
        return spent[:1], spent[1:], answer

    floors = {path: percentile(timed(client.get, path)[1] * samples, 50) * 1e3
              for path in ("/no-such-route", "/health")}
    floor_ms = floors["/no-such-route"]
    for path, cls, query_names in routes(base):
        if cls and not ids[cls]:
            continue
        values = [rng.choice(ids[cls]) for _ in range(samples)] if cls else [None]
        http_t, raw_t, first_http, first_raw, codes = [], [], [], [], set()
        for value in values:
            url = path.replace(path[path.index("{"):path.index("}") + 1], value) if value else path
            if not path.startswith("/export"):  # a whole-graph download is not a look-up
                urls.append(url)
            first, warm, status = timed(client.get, url)
            codes.add(status)
            first_http += first
            http_t += warm
            if query_names:
                first, warm, _ = timed(raw_queries, reader, [queries[n] for n in query_names], value)
                first_raw += first
                raw_t += warm
        http_ms, raw_ms = percentile(http_t, 50) * 1e3, percentile(raw_t, 50) * 1e3
        first_ms = percentile(first_http, 50) * 1e3, percentile(first_raw, 50) * 1e3 if first_raw else None
        answer = "by id" if cls else "list (cached)" if query_names else "whole graph"
        rows.append([path, answer, " + ".join(query_names) or "(not a named query)",
                     ",".join(map(str, sorted(codes))),
                     f"{http_ms:.3g} / {percentile(http_t, 95) * 1e3:.3g}",
                     f"{raw_ms:.3g} / {percentile(raw_t, 95) * 1e3:.3g}" if raw_t else "",
                     f"{http_ms - raw_ms:.3g}" if raw_t else "",
                     f"{first_ms[0]:.3g}, {first_ms[1]:.3g}" if raw_t else f"{first_ms[0]:.3g}",
                     f"{first_ms[0] / first_ms[1]:.2f}" if raw_t else "",
                     f"{http_ms / raw_ms:.2f}" if raw_t else ""])
        print(f"  {path}: done", flush=True)
    client.close()
    print(f"\n{samples} ids per endpoint x {repeat} back-to-back calls (keep-alive), then as many raw runs; "
          f"floor: a route that does not exist (404, no look-up) p50 {floor_ms:.3g} ms; GET /health (lists the "
          f"documents) p50 {floors['/health']:.3g} ms. p50/p95 and HTTP / raw: the calls after the first of each "
          f"block (warm); first call: the first of each block, HTTP and raw\n")
    print(table(["endpoint", "answer", "named query", "status", "HTTP p50 / p95 ms", "raw query p50 / p95 ms",
                 "HTTP − raw p50 ms", "first call p50 ms: HTTP, raw", "HTTP / raw (first call)",
                 "HTTP / raw (p50)"], rows))
    by_id = [r for r in rows if r[1] == "by id" and r[-1]]
    lists = [r for r in rows if r[1] != "by id" and r[-1]]
    print(f"\nlook-ups by id: median HTTP / raw {median([float(r[-1]) for r in by_id]):.2f} over {len(by_id)} "
          f"endpoints (goal <= 1.5), first calls {median([float(r[-2]) for r in by_id]):.2f}. lists: the server "
          f"reads a list once per store version and pages it from memory, so only the first call runs the query: "
          f"first calls {median([float(r[-2]) for r in lists]):.2f} over {len(lists)}; later pages "
          f"{median([float(r[-1]) for r in lists]):.2f}")
    return urls


def raw_queries(reader, named: list, value: str | None) -> None:
    """Run an endpoint's named queries with the route's id bound, rows read.

    The id fills each query's first entity parameter, optional or not (initiative-partners
    without one lists every initiative's partners).
    """
    for query in named:
        ids_param = [p for p in query.params if p.type in ("entity", "document")]
        bindings = query.bind({ids_param[0].name: value} if ids_param and value else {})
        list(run_query(reader, query.text, bindings))


def load(base: str, urls: list[str], concurrency: int, seconds: float) -> tuple[float, float, float, int]:
    """(requests/s, p50 ms, p95 ms, server errors) of ``concurrency`` clients for ``seconds``."""
    deadline = time.perf_counter() + seconds
    spent: list[float] = []
    errors = 0

    def client(seed: int) -> None:
        nonlocal errors
        local_rng = random.Random(seed)
        c = KeepAlive(base)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            if c.get(local_rng.choice(urls)) >= 500:
                errors += 1
            spent.append(time.perf_counter() - started)
        c.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(client, range(concurrency)))
    elapsed = time.perf_counter() - started
    return len(spent) / elapsed, percentile(spent, 50) * 1e3, percentile(spent, 95) * 1e3, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=5, help="ids per endpoint")
    parser.add_argument("--repeat", type=int, default=4, help="back-to-back calls per id, HTTP then raw")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--load-seconds", type=float, default=20.0)
    parser.add_argument("--server-workers", type=int, nargs="+", default=[1, 2],
                        help="server process counts to put under load (serve --workers N)")
    args = parser.parse_args()
    print(f"# HTTP benchmark — {machine()}")

    work = Path(tempfile.mkdtemp(prefix="bench-http-"))
    try:
        store_dir = work / "store"
        store = open_store(store_dir)
        bulk_load_file(store, synth_file(args.triples))
        store.flush()
        sampler = ParamSampler(store, seed=1)
        ids = {cls: sampler.ids.get(cls, [])[:50] for cls in set(SEGMENT_CLASS.values())}
        del store, sampler
        print(f"{args.triples:,} triples requested")
        with serve(store_dir, 1) as base:
            urls = latencies(base, store_dir, ids, args.samples, args.repeat)
        rows = []
        for workers in args.server_workers:
            with serve(store_dir, workers) as base:
                rate, p50, p95, errors = load(base, urls, args.concurrency, args.load_seconds)
            rows.append([str(workers), f"{rate:.1f}", f"{p50:.3g}", f"{p95:.3g}", str(errors)])
            print(f"  load with {workers} server process(es): done", flush=True)
        print(f"\nload: {args.concurrency} concurrent clients, {args.load_seconds:g} s each, "
              f"over {len(set(urls))} URLs\n")
        print(table(["server processes", "requests/s", "p50 ms", "p95 ms", "server errors"], rows))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
