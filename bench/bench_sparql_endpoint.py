"""What one small /sparql request costs, in this tree and (optionally) in another one, interleaved.

    .venv/bin/python bench/bench_sparql_endpoint.py [--triples 11000] [--rounds 5] [--requests 200]
                                                    [--other /path/to/another/checkout]

A synthetic store is bulk-loaded; ``msme-kg serve`` serves it on 127.0.0.1 from this tree and,
with ``--other``, from another checkout of the project (e.g. ``git archive main`` unpacked: the
code before a change), both on the same store, read-only. Each round sends ``--requests`` small
queries per kind over one keep-alive connection to each server in turn; the median latency of
every round is kept and the median of those medians printed, with the CPU time the server
process and its worker processes each spent per request (from /proc: on a busy shared machine
wall times wander, CPU times much less). The checks a request goes through (the guard, the
queue, the disconnect watch) are in the figures; the queries are small so that the checks are
what is measured. Loopback only; stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from common import PROJECT_DIR, machine, median, table

from graph.store.core import bulk_load_quads, open_store
from graph.tools.synth import synth_quads

QUERIES = {
    "ASK": "ASK { ?s ?p ?o }",
    "SELECT 10 labels": "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 10",
    "SELECT + FILTER": "SELECT ?s WHERE { ?s a <https://w3id.org/msme-kg/ns#Person> ; "
                       "<http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(STRSTARTS(?l, 'A')) } LIMIT 20",
}


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU seconds of a process, and of all its descendants (its worker processes), from Linux /proc."""
    ticks = os.sysconf("SC_CLK_TCK")

    def own(p: int) -> float:
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks

    descendants, stack = 0.0, [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    while stack:
        child = stack.pop()
        try:
            descendants += own(child)
            stack += [int(c) for c in Path(f"/proc/{child}/task/{child}/children").read_text().split()]
        except OSError:
            continue
    return own(pid), descendants


@contextmanager
def serve(tree: Path, store: Path) -> Iterator[tuple[str, int, int]]:
    with __import__("socket").socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "graph.cli.main", "serve", "--store", str(store),
                                "--host", "127.0.0.1", "--port", str(port)],
                               cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/sparql?query=ASK%7B%7D")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        yield "127.0.0.1", port, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def round_median(host: str, port: int, pid: int, query: str, n: int) -> tuple[float, float, float]:
    """(median wall seconds, server CPU and worker CPU seconds per request) of ``n`` requests."""
    conn = http.client.HTTPConnection(host, port, timeout=30)
    path = "/sparql?" + urllib.parse.urlencode({"query": query})
    times = []
    cpu_before = (0.0, 0.0)
    for i in range(n + 10):
        if i == 10:
            cpu_before = cpu_seconds(pid)
        started = time.perf_counter()
        conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
        response = conn.getresponse()
        response.read()
        times.append(time.perf_counter() - started)
        assert response.status == 200, response.status
    server, workers = cpu_seconds(pid)
    conn.close()
    return median(times[10:]), (server - cpu_before[0]) / n, (workers - cpu_before[1]) / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=11_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--other", type=Path, help="another checkout of the project to compare with")
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        db = open_store(store)
        bulk_load_quads(db, synth_quads(args.triples, seed=5))
        db.flush()
        del db
        trees = {"this tree": PROJECT_DIR} | ({"other": args.other} if args.other else {})
        with serve(PROJECT_DIR, store) as here, (serve(args.other, store) if args.other else _none()) as there:
            servers = {"this tree": here} | ({"other": there} if args.other else {})
            results: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
            for _ in range(args.rounds):
                for name, query in QUERIES.items():
                    for tree, (host, port, pid) in servers.items():  # interleaved: both see the same machine
                        results.setdefault((name, tree), []).append(
                            round_median(host, port, pid, query, args.requests))
    rows = []
    for name in QUERIES:
        for tree in trees:
            wall, server, workers = (median([r[k] for r in results[(name, tree)]]) * 1000 for k in (0, 1, 2))
            rows.append([name, tree, f"{wall:.3f}", f"{server:.3f}", f"{workers:.3f}", f"{server + workers:.3f}"])
    headers = ["query", "tree", "wall ms (median)", "server CPU ms/req", "workers CPU ms/req", "CPU ms/req"]
    print(f"median of {args.rounds} round medians, {args.requests} keep-alive GET /sparql each, "
          f"{args.triples} synthetic triples")
    print(table(headers, rows))


@contextmanager
def _none() -> Iterator[None]:
    yield None


if __name__ == "__main__":
    main()
