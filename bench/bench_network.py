"""How long the network views and exports take as the graph grows (prints figures and ratios).

A synthetic, domain-shaped graph: people attending events (a few each), organisations
organising them, people affiliated with organisations, organisations partnering on
initiatives — mapped with graph.rdf.map.extraction_quads like real documents (one document per
event), loaded into an in-memory Oxigraph store. For each size it times: the one SPARQL query
behind the network (``network-edges``) on its own, building the networkx graph from it, the
views (whole with measures, ego depth 1 and 2, co-attendance, partnership), and each writer.

    .venv/bin/python bench/bench_network.py [--sizes 200,1000,5000] [--formats graphml,gexf,...]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph import vocab
from graph.model import Document, Event, Evidence, Extraction, Initiative, Organisation, Person, Relation
from graph.rdf.map import extraction_quads
from graph.sparql.queries import get_query
from graph.store import core as graph_store
from graph.views.export import write
from graph.views.neighbourhood import neighbourhood
from graph.views.network import NetworkSpec, build_network, select
from graph.views.subgraph_rdf import write_rdf

SEED = 7
ROLES = ("attended", "attended", "attended", "spoke_at", "moderated", "chaired")


def synthetic_store(n_events: int):
    """About 12 people per event, drawn from a pool of 4 x n_events people; 1 document per event."""
    rng = random.Random(SEED)
    people = [Person(f"Person {i}", id=f"person-p{i}") for i in range(4 * n_events)]
    orgs = [Organisation(f"Organisation {i}", id=f"org-o{i}") for i in range(max(3, n_events // 2))]
    inits = [Initiative(f"Initiative {i}", id=f"initiative-i{i}") for i in range(max(2, n_events // 5))]
    store = graph_store.open_store(None)
    graph_store.load_ontology(store)
    when = datetime(2025, 1, 1, tzinfo=UTC)
    quads = 0
    for e in range(n_events):
        event = Event(f"Event {e}", start=f"{2015 + e % 10}-{1 + e % 12:02d}-15", kind="meeting", id=f"event-e{e}")
        who = rng.sample(people, 12)
        org = rng.choice(orgs)
        partners = rng.sample(orgs, 2)
        init = rng.choice(inits)
        lines = [f"{p.name} {r} {event.name}." for p, r in zip(who, (rng.choice(ROLES) for _ in who), strict=True)]
        lines += [f"{org.name} organised {event.name}.", f"{who[0].name} works for {org.name}."]
        lines += [f"{o.name} is a partner of {init.name}." for o in partners]
        text = " ".join(lines)

        def rel(s: str, p: str, o: str, sentence: str, text: str = text) -> Relation:
            start = text.index(sentence)
            return Relation(s, p, o, Evidence(sentence, start, start + len(sentence), "bench", 0.9))

        relations = [rel(p.name, line.split(" ")[2], event.name, line) for p, line in zip(who, lines, strict=False)]
        relations += [rel(org.name, "organised", event.name, lines[12]),
                      rel(who[0].name, "affiliated_with", org.name, lines[13])]
        relations += [rel(o.name, "partner_of", init.name, line) for o, line in zip(partners, lines[14:], strict=True)]
        doc = Document(f"bench-{e}", event.name, text, f"bench/{e}.txt", f"{e:064d}")
        ex = Extraction(doc=doc.id, persons=tuple({p.id: p for p in who}.values()),
                        organisations=tuple({o.id: o for o in (org, *partners)}.values()),
                        initiatives=(init,), events=(event,), relations=tuple(relations))
        quads += graph_store.replace_graph(store, vocab.graph_iri(doc.id), extraction_quads(doc, ex, when))
    return store, quads


def timed(fn: Callable[[], object], repeat: int = 3) -> tuple[float, object]:
    """Best of ``repeat`` runs, in seconds."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,500,2000", help="numbers of events (default 100,500,2000)")
    parser.add_argument("--formats", default="graphml,gexf,cytoscape,dot,html,ttl")
    args = parser.parse_args()
    query = get_query("network-edges").text
    for n in (int(s) for s in args.sizes.split(",")):
        t_load = time.perf_counter()
        store, quads = synthetic_store(n)
        t_load = time.perf_counter() - t_load
        t_query, _ = timed(lambda store=store: list(graph_store.run_query(store, query)))
        t_build, g = timed(lambda store=store: build_network(store))
        print(f"\n{n} events: {quads} quads (generated and loaded in {t_load:.1f} s); "
              f"network {g.number_of_nodes()} nodes, {g.number_of_edges()} edges")
        print(f"  network-edges query     {t_query * 1000:8.1f} ms")
        print(f"  build_network           {t_build * 1000:8.1f} ms   ({t_build / t_query:.2f}x the query alone)")
        focus = min(node for node, kind in g.nodes(data="type") if kind == "person")
        views = {
            "whole + measures": NetworkSpec(),
            "ego depth 1": NetworkSpec(focus=focus, depth=1),
            "ego depth 2": NetworkSpec(focus=focus, depth=2),
            "coattendance": NetworkSpec(view="coattendance"),
            "copartnership": NetworkSpec(view="copartnership"),
        }
        selected = {}
        for name, spec in views.items():
            t, selected[name] = timed(lambda spec=spec, g=g: select(g, spec), repeat=1)
            v = selected[name]
            print(f"  view {name:<18} {t * 1000:8.1f} ms   {v.number_of_nodes()} nodes, {v.number_of_edges()} edges")
        for depth in (1, 2):
            t, v = timed(lambda depth=depth, store=store, focus=focus: neighbourhood(store, focus, depth))
            print(f"  neighbourhood depth {depth}   {t * 1000:8.1f} ms   {v.number_of_nodes()} nodes "
                  f"(store walk; {t_build / t:.0f}x faster than build_network first)")
        for fmt in args.formats.split(","):
            view = selected["ego depth 2"] if fmt == "ttl" else selected["whole + measures"]
            if fmt == "ttl":
                t, data = timed(lambda view=view, store=store: write_rdf(store, view, "ttl"), repeat=1)
                label = "ttl (ego depth 2)"
            else:
                t, data = timed(lambda view=view, fmt=fmt: write(view, fmt), repeat=1)
                label = f"{fmt} (whole)"
            print(f"  write {label:<17} {t * 1000:8.1f} ms   {len(data) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
