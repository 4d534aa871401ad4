"""Ingest throughput of msme-kg against spaCy's own ``nlp.pipe`` on the same texts, in the same run.

    .venv/bin/python bench/bench_ingest.py [--copies 3] [--rounds 3] [--workers 1 2]

The corpus is the seed documents, copied ``--copies`` times under new names (the same text,
so the same work per copy). Each round runs, interleaved:

- in-process, model already loaded: ``nlp.pipe(texts)`` vs msme-kg's ``ingest_paths`` (read,
  extract, resolve, map, write one transaction per document) into a fresh store;
- end to end, as a user runs it (a new process each, model load included): a script doing
  ``spacy.load`` + ``nlp.pipe(texts, n_process=N)`` vs ``msme-kg ingest --workers N``.

It prints documents/s and tokens/s (wall clock; the machine is shared, so CPU seconds too) and
the ratio msme-kg / spaCy per round and as the median over rounds. Goal: ratio ≥ 0.8.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import PROJECT_DIR, machine, median, table, timed

from graph.ingest.pipeline import ingest_paths
from graph.nlp.language import MODEL, load_nlp
from graph.read.reader import find_documents, read_document
from graph.store.core import open_store

PYTHON = sys.executable
SPACY_SCRIPT = """
import sys, spacy
from pathlib import Path
nlp = spacy.load(sys.argv[1])
texts = [Path(p).read_text(encoding="utf-8") for p in sys.argv[3:]]
n = int(sys.argv[2])
# batch_size 1 with several processes: spaCy's default batch (1000 texts) would give all to one
tokens = sum(len(doc) for doc in nlp.pipe(texts, n_process=n, batch_size=1 if n > 1 else 1000))
print(tokens)
"""


def make_corpus(target: Path, copies: int) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    for k in range(copies):
        for path in sorted((PROJECT_DIR / "seeds").glob("*.txt")):
            shutil.copy(path, target / f"c{k}-{path.name}")
    return sorted(find_documents([target]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-cli", action="store_true", help="skip the end-to-end (new process) runs")
    parser.add_argument("--cluster-workers", type=int, default=2,
                        help="also ingest with --cluster on a LocalCluster of N worker processes (0: not)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    files = make_corpus(work / "docs", args.copies)
    texts = [read_document(p).text for p in files]
    nlp = load_nlp()
    tokens = sum(len(nlp.tokenizer(t)) for t in texts)
    n_docs = len(texts)
    list(nlp.pipe(texts[:2]))  # warm-up: first calls allocate
    print(f"# ingest benchmark — {machine()}")
    print(f"corpus: {n_docs} documents (seeds x{args.copies}), {tokens:,} tokens, {sum(map(len, texts)):,} chars\n")

    runs: dict[str, list[tuple[float, float]]] = {}

    def record(name: str, wall: float, cpu: float) -> None:
        runs.setdefault(name, []).append((wall, cpu))
        print(f"  {name:<34} {wall:7.2f} s wall {cpu:7.2f} s cpu  {tokens / wall:8,.0f} tokens/s", flush=True)

    for r in range(args.rounds):
        print(f"round {r + 1}")
        with timed() as t:
            assert sum(len(doc) for doc in nlp.pipe(texts)) == tokens
        record("spacy nlp.pipe (in process)", t.wall, t.cpu)
        store_dir = work / f"store-{r}"
        with timed() as t:
            results = ingest_paths(open_store(store_dir), [work / "docs"], nlp=nlp)
        assert all(res.status == "added" for res in results), results
        record("msme-kg ingest_paths (in process)", t.wall, t.cpu)
        shutil.rmtree(store_dir)
        if args.no_cli:
            continue
        for n in args.workers:
            with timed() as t:
                out = subprocess.run([PYTHON, "-c", SPACY_SCRIPT, MODEL, str(n), *map(str, files)],
                                     check=True, capture_output=True, text=True)
            assert int(out.stdout) == tokens
            record(f"spacy load + pipe n_process={n} (cli)", t.wall, t.cpu)
            with timed() as t:
                subprocess.run([PYTHON, "-m", "graph.cli.main", "ingest", str(work / "docs"), "--quiet",
                                "--workers", str(n), "--store", str(store_dir)],
                               check=True, capture_output=True, cwd=PROJECT_DIR)
            record(f"msme-kg ingest --workers {n} (cli)", t.wall, t.cpu)
            shutil.rmtree(store_dir)
        if args.cluster_workers:
            cluster_runs(work, store_dir, args.cluster_workers, record)

    summary(runs, args, n_docs, tokens)
    shutil.rmtree(work, ignore_errors=True)


def cluster_runs(work: Path, store_dir: Path, workers: int, record) -> None:
    """``msme-kg ingest --cluster`` on a LocalCluster of ``workers`` processes (1 thread each), warm and cold.

    Warm: the cluster was started and its workers loaded the model before the run, as a real
    cluster serves many runs; cold: the run includes starting the cluster.
    """
    from distributed import LocalCluster

    def ingest(address: str) -> None:
        subprocess.run([PYTHON, "-m", "graph.cli.main", "ingest", str(work / "docs"), "--quiet", "--cluster",
                        address, "--store", str(store_dir)], check=True, capture_output=True, cwd=PROJECT_DIR)
        shutil.rmtree(store_dir)

    with timed() as cold, LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=50) as cluster:
        ingest(cluster.scheduler_address)
    record(f"msme-kg ingest --cluster, cold ({workers} workers)", cold.wall, cold.cpu)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=50) as cluster:
        ingest(cluster.scheduler_address)  # the workers have loaded the model (their plugin) and warmed up
        with timed() as warm:
            ingest(cluster.scheduler_address)
    record(f"msme-kg ingest --cluster, warm ({workers} workers)", warm.wall, warm.cpu)


def summary(runs: dict[str, list[tuple[float, float]]], args: argparse.Namespace, n_docs: int, tokens: int) -> None:
    """Medians over rounds and the ratios msme-kg / spaCy."""
    def med(name: str, i: int) -> float:
        return median([run[i] for run in runs[name]])

    pairs = [("in process, 1 process", "spacy nlp.pipe (in process)", "msme-kg ingest_paths (in process)")]
    if not args.no_cli:
        pairs += [(f"end to end, {n} worker(s)", f"spacy load + pipe n_process={n} (cli)",
                   f"msme-kg ingest --workers {n} (cli)") for n in args.workers]
    rows = []
    for label, base, ours in pairs:
        ratios = [b[0] / o[0] for b, o in zip(runs[base], runs[ours], strict=True)]
        rows.append([label, n_docs / med(base, 0), tokens / med(base, 0), n_docs / med(ours, 0),
                     tokens / med(ours, 0), median(ratios), min(ratios), max(ratios),
                     med(base, 1) / med(ours, 1)])
    print(f"\nmedians over {args.rounds} rounds (ratio = msme-kg throughput / spaCy throughput; goal >= 0.8)\n")
    print(table(["comparison", "spaCy docs/s", "spaCy tokens/s", "msme-kg docs/s", "msme-kg tokens/s",
                 "ratio (median)", "ratio min", "ratio max", "ratio by CPU s"], rows))
    if not args.no_cli and len(args.workers) > 1:
        one = f"msme-kg ingest --workers {args.workers[0]} (cli)"
        print("\nscaling of msme-kg ingest (wall, median): " + ", ".join(
            f"{n} workers {med(one, 0) / med(f'msme-kg ingest --workers {n} (cli)', 0):.2f}x" for n in args.workers))
    if not args.no_cli and args.cluster_workers:
        rows = [[name, n_docs / med(name, 0), tokens / med(name, 0), med(name, 0),
                 min(r[0] for r in runs[name]), max(r[0] for r in runs[name])]
                for name in runs if name.startswith("msme-kg ingest --")]
        print("\ndocuments/s, end to end (medians over rounds):\n")
        print(table(["run", "docs/s", "tokens/s", "wall s (median)", "wall min", "wall max"], rows))


if __name__ == "__main__":
    main()
