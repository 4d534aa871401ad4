"""Whole-graph views served from the per-version cache: the first request computes, the next ones read a file.

    .venv/bin/python bench/bench_views.py [--triples 1000000] [--repeat 3]

Uses bench_peer's data (bench/out/peer-N/store, built by it if missing). A ``msme-kg serve`` with
background views off times ``GET /export`` of the whole graph (Cytoscape JSON, with measures) and
of the co-attendance view: the first call per view computes it (in its background process), the
``--repeat`` next calls are served from ``<store>-views``; then the ego view of a busy person,
which stays live. The cache folder is emptied first so that the first call really computes.
"""

from __future__ import annotations

import argparse
import shutil
import time

from bench_peer import build_data
from common import machine, median, table
from peers import msme_kg, tools
from pyoxigraph import Store

VIEWS = {"whole graph (measures)": "/export?format=cytoscape",
         "co-attendance of people": "/export?format=cytoscape&view=coattendance"}
BUSY = """PREFIX msme: <https://w3id.org/msme-kg/ns#>
SELECT ?p (COUNT(*) AS ?n) WHERE { ?p a msme:Person ; msme:attended ?e } GROUP BY ?p ORDER BY DESC(?n) LIMIT 1"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"# bench_views — {machine()}")
    print("command: .venv/bin/python bench/bench_views.py " + f"--triples {args.triples} --repeat {args.repeat}")
    folder = build_data(args.triples, tools(), rebuild=False)
    store_dir = folder / "store"
    shutil.rmtree(store_dir.with_name(store_dir.name + "-views"), ignore_errors=True)
    busy = next(iter(Store.read_only(str(store_dir)).query(BUSY)))[0].value.rsplit("/", 1)[-1]
    urls = {**VIEWS, f"ego view of {busy} (live)": f"/export?format=cytoscape&focus={busy}"}
    rows = []
    with msme_kg(store_dir, 1) as server:
        client = server.connect()
        for label, url in urls.items():
            spent, sizes = [], set()
            for _ in range(1 + args.repeat):
                started = time.perf_counter()
                status, body = client.request("GET", url)
                spent.append(time.perf_counter() - started)
                assert status == 200, (url, status, body[:200])
                sizes.add(len(body))
            rest = median(spent[1:])
            rows.append([label, f"{spent[0]:.3g}", f"{rest * 1e3:.3g}", f"{spent[0] / rest:,.0f}",
                         f"{max(sizes) / 1e6:.2f}", "yes" if len(sizes) == 1 else "NO"])
            print(f"  {label}: done", flush=True)
        client.close()
    print()
    print(table(["view", "first call s (computed)", f"next {args.repeat} calls p50 ms", "first / next",
                 "MB", "same bytes"], rows))


if __name__ == "__main__":
    main()
