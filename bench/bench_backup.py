"""Backup and restore speed: `msme-kg dump` / `msme-kg load` against pyoxigraph's own dump and bulk_load.

Builds a domain-shaped store on disk (documents as named graphs, entities, statements with
evidence literals), then times: our dump (N-Quads with header/trailer and a line count),
gzipped dump, our load (parse-check then bulk_extend, blank-node labels kept), and the bare
``Store.dump`` / ``Store.bulk_load`` baseline. Prints figures and ratios.

Run: .venv/bin/python bench/bench_backup.py [QUADS]   (default 500,000)
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store

from graph import vocab
from graph.store.backup import dump_store, dump_to_path, load_from_path


def build(path: Path, quads: int) -> Store:
    store = Store(str(path))
    per_doc = 2000
    batch = []
    for i in range(quads):
        g = vocab.graph_iri(f"doc-{i // per_doc}")
        s = NamedNode(f"{vocab.ID}stmt-{i // 8}")
        batch.append(Quad(s, NamedNode(f"{vocab.MSME}p{i % 8}"), Literal(f"evidence sentence {i} — «quoted» text"), g))
    store.bulk_extend(batch)
    store.flush()
    return store


def timed(label: str, fn) -> float:
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:7.2f} s")
    return seconds


def main() -> None:
    quads = int(sys.argv[1]) if len(sys.argv) > 1 else 500_000
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        store = build(tmp / "store", quads)
        print(f"store: {len(store):,} quads in {quads // 2000:,} named graphs")
        base_dump = timed("pyoxigraph Store.dump (N-Quads)", lambda: store.dump(str(tmp / "raw.nq"), RdfFormat.N_QUADS))
        ours_dump = timed("msme-kg dump (N-Quads)", lambda: dump_to_path(store, tmp / "ours.nq"))
        gz_dump = timed("msme-kg dump (.nq.gz)", lambda: dump_to_path(store, tmp / "ours.nq.gz"))
        size, gz_size = (tmp / "ours.nq").stat().st_size, (tmp / "ours.nq.gz").stat().st_size
        base_load = timed("pyoxigraph Store.bulk_load", lambda: Store(str(tmp / "a")).bulk_load(
            path=str(tmp / "raw.nq"), format=RdfFormat.N_QUADS))
        ours_load = timed("msme-kg load (check + bulk_extend)",
                          lambda: load_from_path(Store(str(tmp / "b")), tmp / "ours.nq"))
        gz_load = timed("msme-kg load (.nq.gz)", lambda: load_from_path(Store(str(tmp / "c")), tmp / "ours.nq.gz"))
        again = io.BytesIO()
        dump_store(Store.read_only(str(tmp / "b")), again)
        same = sorted(again.getvalue().splitlines()) == sorted((tmp / "ours.nq").read_bytes().splitlines())
        print(f"dump size {size / 1e6:.1f} MB, gzipped {gz_size / 1e6:.1f} MB ({size / gz_size:.1f}x smaller)")
        print(f"dump ratio ours/pyoxigraph {ours_dump / base_dump:.2f}; gzip/plain {gz_dump / ours_dump:.2f}")
        print(f"load ratio ours/bulk_load {ours_load / base_load:.2f}; gzip/plain {gz_load / ours_load:.2f}")
        print(f"throughput: dump {quads / ours_dump:,.0f} quads/s, load {quads / ours_load:,.0f} quads/s")
        print(f"round trip identical: {same}")


if __name__ == "__main__":
    main()
