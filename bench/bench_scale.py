"""How msme-kg's store grows: load time, size on disk, peak memory and look-up latency per size.

    .venv/bin/python bench/bench_scale.py [--sizes 10000 100000 1000000] [--samples 5] [--repeat 5] [--budget S]

For each size a synthetic graph is generated once (bench/lookups.py), then a fresh process
opens a new on-disk store with ``graph.store.core.open_store``, bulk-loads the graph
(``graph.store.core.bulk_load_file``), and times every named look-up with ``graph.store.core.run_query``
(p50/p95 wall, p50 CPU), plus the search index when the project has one (``graph.store.search``).
One process per size, so that each peak memory figure is that size's alone. Prints one table
with a column per size, and how each figure grows from one size to the next (×10 data).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import dir_size_mb, machine, peak_rss_mb, percentile, table
from lookups import cases, synth_file
from pyoxigraph import RdfFormat

from graph.store.core import bulk_load_file, count_quads, document_graphs, open_store, run_query


def search_figures(store, path: Path, words: list[str], repeat: int) -> dict[str, float]:
    """Build time and p50/p95 of graph.store.search, when the project has it."""
    try:
        from graph.store.search import rebuild_index
    except ImportError:
        return {}
    started = time.perf_counter()
    index = rebuild_index(store, path)
    build = time.perf_counter() - started
    times = []
    for word in words:
        for _ in range(repeat):
            started = time.perf_counter()
            index.search(word)
            times.append(time.perf_counter() - started)
    return {"search index build s": build, "search p50 ms": percentile(times, 50) * 1e3,
            "search p95 ms": percentile(times, 95) * 1e3}


def one_size(triples: int, seed: int, samples: int, repeat: int, *, bag: bool = False,
             budget: float = float("inf")) -> dict:
    nq = synth_file(triples, seed)
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    started = time.perf_counter()
    store = open_store(work / "store")
    if bag:  # named graphs only: queries fall back to Oxigraph's bag union (how msme-kg stored data before)
        store.bulk_load(path=str(nq), format=RdfFormat.N_QUADS)
    else:
        bulk_load_file(store, nq)
    store.flush()
    out: dict = {"triples": count_quads(store), "documents": len(document_graphs(store)),
                 "load s": time.perf_counter() - started, "N-Quads MB": nq.stat().st_size / 1e6}
    out["store on disk MB"] = dir_size_mb(work / "store")
    out["peak RSS after load MB"] = peak_rss_mb()
    lookups = cases(store, samples, seed)
    gc.collect()
    for name, group in lookups.items():
        wall, cpu, rows, deadline = [], [], 0, time.perf_counter() + budget
        for case in group:
            bindings = case.bindings
            rows += len(list(run_query(store, case.query.text, bindings)))  # warm-up
            for k in range(repeat):
                if k and time.perf_counter() > deadline:  # a slow look-up at a big size: fewer runs
                    break
                started, thread = time.perf_counter(), time.thread_time()
                list(run_query(store, case.query.text, bindings))
                wall.append(time.perf_counter() - started)
                cpu.append(time.thread_time() - thread)
        out[f"{name} p50/p95 ms"] = f"{percentile(wall, 50) * 1e3:.3g} / {percentile(wall, 95) * 1e3:.3g}"
        out[f"{name} cpu p50 ms"] = percentile(cpu, 50) * 1e3
        out[f"{name} rows"] = rows / len(group)
    from graph.sparql.sample import ParamSampler

    index_words = ParamSampler(store, seed).words[:20]
    out.update(search_figures(store, work / "search.sqlite", index_words, repeat))
    out["peak RSS MB"] = peak_rss_mb()
    del store, index_words
    shutil.rmtree(work, ignore_errors=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--budget", type=float, default=float("inf"),
                        help="seconds of timed runs per look-up and size, after one run per value set")
    parser.add_argument("--bag", action="store_true",
                        help="no stored union: queries use Oxigraph's bag union of the named graphs (the old way)")
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_size(args.one, args.seed, args.samples, args.repeat, bag=args.bag, budget=args.budget)))
        return

    print(f"# scale benchmark — {machine()}")
    columns = []
    for size in args.sizes:
        started = time.perf_counter()
        synth_file(size, args.seed)  # generated here, so the child's peak memory is the store's alone
        generate = time.perf_counter() - started
        child = subprocess.run([sys.executable, __file__, "--one", str(size), "--seed", str(args.seed),
                                "--samples", str(args.samples), "--repeat", str(args.repeat),
                                "--budget", str(args.budget),
                                *(["--bag"] if args.bag else [])],
                               check=True, capture_output=True, text=True)
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        figures["generate s (cached after first run)"] = generate
        columns.append(figures)
        print(f"  {size:,}: {json.dumps(figures)}", flush=True)
    keys = list(dict.fromkeys(k for c in columns for k in c))
    rows = []
    for key in keys:
        values = [c.get(key, "") for c in columns]
        growth = ""
        numeric = [v for v in values if isinstance(v, int | float)]
        if len(numeric) == len(values) > 1 and all(v > 0 for v in numeric):
            growth = ", ".join(f"{b / a:.1f}x" for a, b in itertools.pairwise(numeric))
        rows.append([key, *values, growth])
    print()
    print(table(["figure", *(f"{s:,} requested" for s in args.sizes), "growth per step"], rows))


if __name__ == "__main__":
    main()
