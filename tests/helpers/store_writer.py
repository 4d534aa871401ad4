"""A writer process for the crash and concurrency tests: replaces named graphs in a loop.

Version ``v`` of graph ``k`` is ``size`` quads whose objects all carry ``v``, so a reader (or a
store reopened after SIGKILL) can tell a whole version from a torn one: every graph must hold
0 or ``size`` quads, all of one version. Each replacement goes through
``graph.store.core.replace_graph``, the same single-update transaction ingest uses.

Run: python -m tests.helpers.store_writer STORE --graphs 8 --size 5000 --rounds 1000
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from graph import vocab
from graph.store.core import open_store, replace_graph

P = NamedNode("http://example.org/version")


def graph_name(k: int) -> NamedNode:
    return vocab.graph_iri(f"crash-{k}")


def version_quads(k: int, version: int, size: int) -> list[Quad]:
    g = graph_name(k)
    return [Quad(NamedNode(f"http://example.org/g{k}/s{i}"), P, Literal(f"v{version}"), g) for i in range(size)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", type=Path)
    parser.add_argument("--graphs", type=int, default=8)
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=1000)
    args = parser.parse_args()
    store = open_store(args.store)
    for version in range(args.rounds):
        k = version % args.graphs
        replace_graph(store, graph_name(k), version_quads(k, version, args.size))
        print(f"wrote {k} v{version}", flush=True)
    store.flush()
    sys.stdout.write("done\n")


if __name__ == "__main__":
    main()
