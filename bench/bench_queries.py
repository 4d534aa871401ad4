"""Every named look-up timed on msme-kg's store, on pyoxigraph called directly, and on rdflib.

    .venv/bin/python bench/bench_queries.py --triples 1000000 [--samples 5] [--rounds 2] [--repeat 5] [--no-rdflib]

One synthetic graph (bench/lookups.py) is loaded into:

- ours: the on-disk store through ``graph.store.core`` (``open_store`` + ``bulk_load_file``, which also
  fills the default graph with the set union of the documents), queried with
  ``graph.store.core.run_query`` (bindings, prefixes, that default graph) — what the CLI and API do;
- pyoxigraph: the *same* store object queried with ``Store.query`` directly (the floor for ours);
- pyoxigraph in memory: the same data in ``pyoxigraph.Store()`` (for reference);
- rdflib: ``rdflib.Dataset(default_union=True)`` parsing the same N-Quads (its union is a set too),
  queried with ``initBindings``.

Each look-up runs with several real parameter sets; for each, in several rounds, every backend in
turn (who goes first rotates, so that the machine's noise hits them alike) makes ``--repeat``
back-to-back calls with the garbage collector paused (run before the block; the loaded graphs are
frozen out of its reach). The first call of a block is reported apart: on this virtual machine a
call after another backend ran, or after any pause, finds cold caches and costs 0.3–1 ms more
(bench/RESULTS.md, section 3) — a constant that would otherwise be most of a 0.1 ms look-up.
Prints p50/p95 per look-up and the ratios
ours/pyoxigraph (goal ≤ 1.2) and rdflib/ours (for information: the server to compare with is the
Oxigraph server, bench_peer.py), warm and first call.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import rdflib
from common import machine, median, peak_rss_mb, percentile, table
from lookups import cases, synth_file
from pyoxigraph import Literal, NamedNode, Store, Variable

from graph import vocab
from graph.store.core import bulk_load_file, default_graph_as_union, open_store, run_query

XSD_STRING = vocab.XSD + "string"


def to_rdflib(term: NamedNode | Literal) -> rdflib.term.Identifier:
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def load_all(nq: Path, work: Path, with_rdflib: bool) -> dict[str, object]:
    stores: dict[str, object] = {}
    started = time.perf_counter()
    disk = open_store(work / "store")
    bulk_load_file(disk, nq)
    disk.flush()
    print(f"loaded ours (on disk) in {time.perf_counter() - started:.1f} s", flush=True)
    stores["disk"] = disk
    started = time.perf_counter()
    memory = Store()
    bulk_load_file(memory, nq)
    print(f"loaded pyoxigraph in memory in {time.perf_counter() - started:.1f} s", flush=True)
    stores["memory"] = memory
    if with_rdflib:
        started = time.perf_counter()
        dataset = rdflib.Dataset(default_union=True)
        dataset.parse(str(nq), format="nquads")
        print(f"loaded rdflib Dataset in {time.perf_counter() - started:.1f} s", flush=True)
        stores["rdflib"] = dataset
    return stores


def runners(stores: dict[str, object]) -> dict[str, Callable[[str, dict], int]]:
    """Backend name -> run(query text, bindings) returning the number of rows (all consumed)."""
    disk, memory = stores["disk"], stores["memory"]

    def ours(text: str, bindings: dict) -> int:
        return len(list(run_query(disk, text, bindings)))

    def direct(store: Store) -> Callable[[str, dict], int]:
        union = default_graph_as_union(store)  # the same dataset ours queries: the stored union of the documents

        def run(text: str, bindings: dict) -> int:
            subs = {Variable(k): v for k, v in bindings.items()} or None
            return len(list(store.query(text, substitutions=subs, prefixes=vocab.PREFIXES,
                                        use_default_graph_as_union=union)))
        return run

    out = {"ours": ours, "pyoxigraph": direct(disk), "pyoxigraph (memory)": direct(memory)}
    if "rdflib" in stores:
        dataset = stores["rdflib"]

        def with_rdflib(text: str, bindings: dict) -> int:
            init = {rdflib.Variable(k): to_rdflib(v) for k, v in bindings.items()}
            return len(list(dataset.query(text, initBindings=init, initNs=vocab.PREFIXES)))

        out["rdflib"] = with_rdflib
    return out


def main() -> None:  # noqa: PLR0915 - one linear script
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--samples", type=int, default=5, help="parameter sets per look-up")
    parser.add_argument("--rounds", type=int, default=2,
                        help="rounds per parameter set: each backend in turn, who goes first rotating")
    parser.add_argument("--repeat", type=int, default=5,
                        help="back-to-back calls per backend and round; the first is timed apart (cold)")
    parser.add_argument("--rdflib-budget", type=float, default=20.0,
                        help="seconds: an rdflib call slower than this is run once only")
    parser.add_argument("--no-rdflib", action="store_true")
    args = parser.parse_args()

    print(f"# query benchmark — {machine()}")
    nq = synth_file(args.triples, args.seed)
    work = Path(tempfile.mkdtemp(prefix="bench-queries-"))
    stores = load_all(nq, work, not args.no_rdflib)
    run = runners(stores)
    gc.collect()
    gc.freeze()  # the loaded graphs (millions of rdflib objects) are never scanned by the collector again
    lookups = cases(stores["disk"], args.samples, args.seed)
    print(f"{len(lookups)} look-ups: {', '.join(lookups)}\n", flush=True)

    times: dict[tuple[str, str], list[float]] = {}
    cpu_times: dict[tuple[str, str], list[float]] = {}
    rows: dict[str, int] = {}
    for name, group in lookups.items():
        slow: set[str] = set()
        for case in group:
            bindings = case.bindings
            counts = {}
            for backend, fn in run.items():  # warm-up and row-count check; a very slow backend stops here
                if backend in slow:
                    continue
                started = time.perf_counter()
                counts[backend] = fn(case.query.text, bindings)
                if time.perf_counter() - started > args.rdflib_budget:
                    slow.add(backend)
                    times.setdefault((name, backend), []).append(time.perf_counter() - started)
                    cpu_times.setdefault((name, backend), []).append(time.perf_counter() - started)
            if len(set(counts.values())) > 1:
                print(f"  ! {name} {case.values}: row counts differ {counts}")
            rows[name] = rows.get(name, 0) + counts["ours"]
            for i in range(args.rounds):
                order = list(run.items())
                order = order[i % len(order):] + order[: i % len(order)]  # rotate who goes first
                for backend, fn in order:
                    if backend in slow:
                        continue
                    gc.collect()  # so that no call pays for another's garbage; none is collected mid-block
                    gc.disable()
                    for call in range(args.repeat):
                        started, cpu = time.perf_counter(), time.thread_time()
                        fn(case.query.text, bindings)
                        elapsed = time.perf_counter() - started
                        key = (name, backend) if call else (name, backend, "first")
                        times.setdefault(key, []).append(elapsed)
                        cpu_times.setdefault(key, []).append(time.thread_time() - cpu)
                        if elapsed > args.rdflib_budget:
                            slow.add(backend)
                            break
                    gc.enable()
        print(f"  {name}: done", flush=True)

    backends = list(run)

    def warm(timings: dict, name: str, backend: str) -> list[float]:
        """The back-to-back calls (a backend too slow to repeat has only its first, or its warm-up)."""
        return timings.get((name, backend)) or timings[(name, backend, "first")]

    def first(name: str, backend: str) -> list[float]:
        return times.get((name, backend, "first")) or times[(name, backend)]

    headers = ["look-up", "rows/call"] + [f"{b} p50 / p95 ms" for b in backends]
    headers += ["ours / pyoxigraph p50 (wall, cpu)"]
    if "rdflib" in run:
        headers += ["rdflib / ours p50 (wall, cpu)", "first call p50 ms: ours, rdflib", "rdflib / ours (first call)"]
    out_rows = []
    ratios: dict[str, list[float]] = {"direct": [], "direct cpu": [], "rdflib": [], "rdflib cpu": [], "first": []}
    for name in lookups:
        line: list[object] = [name, rows[name] / len(lookups[name])]
        p50 = {b: percentile(warm(times, name, b), 50) for b in backends}
        c50 = {b: percentile(warm(cpu_times, name, b), 50) for b in backends}
        line += [f"{p50[b] * 1e3:.3g} / {percentile(warm(times, name, b), 95) * 1e3:.3g}" for b in backends]
        ratios["direct"].append(p50["ours"] / p50["pyoxigraph"])
        ratios["direct cpu"].append(c50["ours"] / max(c50["pyoxigraph"], 1e-6))
        line.append(f"{ratios['direct'][-1]:.2f}, {ratios['direct cpu'][-1]:.2f}")
        if "rdflib" in run:
            ratios["rdflib"].append(p50["rdflib"] / p50["ours"])
            ratios["rdflib cpu"].append(c50["rdflib"] / max(c50["ours"], 1e-6))
            line.append(f"{ratios['rdflib'][-1]:,.0f}, {ratios['rdflib cpu'][-1]:,.0f}")
            f50 = {b: percentile(first(name, b), 50) for b in ("ours", "rdflib")}
            ratios["first"].append(f50["rdflib"] / f50["ours"])
            line += [f"{f50['ours'] * 1e3:.3g}, {f50['rdflib'] * 1e3:.3g}", f"{ratios['first'][-1]:,.0f}"]
        out_rows.append(line)
    print(f"\n{args.triples:,} triples requested ({nq.name}); {args.samples} value sets x {args.rounds} rounds"
          f" x {args.repeat} back-to-back calls per backend")
    print("p50 / p95 and the ratios: the back-to-back calls after the first of each block (warm: what a busy"
          " server sees). first call: the first of each block, after another backend ran and the garbage"
          " collector (cold caches: what an idle server's first request sees).")
    print("wall = elapsed time per call; cpu = this thread's CPU time per call (immune to other processes"
          " taking the cores: on a shared machine the better measure of the work itself)\n")
    print(table(headers, out_rows))
    summary = (f"\nmedian over look-ups: ours / pyoxigraph = {median(ratios['direct']):.2f} wall, "
               f"{median(ratios['direct cpu']):.2f} cpu (goal <= 1.2)")
    if ratios["rdflib"]:
        summary += (f"; rdflib / ours = {median(ratios['rdflib']):,.0f} wall, {median(ratios['rdflib cpu']):,.0f} cpu"
                    f" (no goal; lowest look-up {min(ratios['rdflib cpu']):,.0f} cpu)"
                    f"; first call: {median(ratios['first']):,.0f}")
    print(summary)
    print(f"peak memory of this process (all backends loaded): {peak_rss_mb():,.0f} MB")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
