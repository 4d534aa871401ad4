"""The synthetic graphs and the look-up cases every query benchmark runs.

A graph of a given size is generated once per size and seed into ``bench/out/synth-SIZE-SEED.nq``
(the ontology first, then the synthetic documents), and loaded from there by every backend.
The cases are *every* named query of ``queries/`` present at run time, each with several sets
of real parameter values picked from the graph (:class:`graph.sparql.sample.ParamSampler`), so the
REST look-ups are covered as soon as their ``.rq`` files exist. A query whose id parameter is
optional is timed twice: unbound (a list: initiative-partners of every initiative) and
"(by id)", bound as its REST endpoint binds it.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from common import BENCH_DIR
from pyoxigraph import Literal, NamedNode, RdfFormat, Store, serialize

from graph.sparql.queries import NamedQuery, load_queries
from graph.sparql.sample import ParamSampler
from graph.store.core import load_ontology
from graph.tools.synth import synth_quads

OUT = BENCH_DIR / "out"


def synth_file(triples: int, seed: int = 0) -> Path:
    """The N-Quads file of the synthetic graph of about ``triples`` quads (made once, then reused)."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"synth-{triples}-{seed}.nq"
    if not path.exists():
        started = time.perf_counter()
        ontology = Store()
        load_ontology(ontology)
        partial = path.with_suffix(f".{os.getpid()}.part")  # two benchmarks may generate at once
        with partial.open("wb") as out:
            ontology.dump(out, format=RdfFormat.N_QUADS)
            serialize(synth_quads(triples, seed), out, format=RdfFormat.N_QUADS)
        partial.rename(path)
        print(f"generated {path.name} in {time.perf_counter() - started:.1f} s", flush=True)
    return path


@dataclass(frozen=True)
class Case:
    """One look-up: a named query and one set of values for its parameters."""

    query: NamedQuery
    values: dict[str, str]

    @property
    def bindings(self) -> dict[str, NamedNode | Literal]:
        return self.query.bind(self.values)


def cases(store, samples: int = 5, seed: int = 0) -> dict[str, list[Case]]:
    """Every named query with ``samples`` value sets (one, empty, for a query without parameters)."""
    sampler = ParamSampler(store, seed=seed)
    out: dict[str, list[Case]] = {}
    for name, query in load_queries().items():
        if not any(not p.optional for p in query.params):
            out[name] = [Case(query, {})]
            by_id = [p for p in query.params if p.type in ("entity", "document")]
            if by_id:  # an optional id makes a list a look-up by id (what its REST endpoint runs)
                values = [v for v in (sampler.value(query, by_id[0]) for _ in range(samples)) if v is not None]
                if values:
                    out[f"{name} (by id)"] = [Case(query, {by_id[0].name: v}) for v in values]
            continue
        value_sets = sampler.bindings(query, samples)
        if value_sets:
            out[name] = [Case(query, v) for v in value_sets]
        else:
            print(f"  (no values found for {name}: skipped)")
    return out
