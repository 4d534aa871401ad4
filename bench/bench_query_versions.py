"""Time a named query against an older version of itself, and check both give the same rows.

Usage: .venv/bin/python bench/bench_query_versions.py NAME PARAM CLASS REV [STORE]

NAME is a query of queries/, PARAM its entity parameter, CLASS the msme class whose members are
bound to it (at most 300 of them), REV a git revision holding the older queries/NAME.rq, STORE
a store folder (e.g. one filled by `msme-kg synth --triples 100000 --store DIR`). Prints mean ms
per call for both versions, their ratio, and how many bindings gave different rows (must be 0).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from graph.settings import QUERIES_DIR, Settings
from graph.sparql.queries import entity_term
from graph.store.core import open_store, run_query


def _rows(store, text: str, param: str, iri: str) -> list[tuple[str, ...]]:
    results = run_query(store, text, {param: entity_term(iri)})
    names = [v.value for v in results.variables]
    return sorted(tuple(str(row[n]) for n in names) for row in results)


def main(name: str, param: str, cls: str, rev: str, store_dir: str | None = None) -> None:
    store = open_store(Path(store_dir) if store_dir else Settings().store, read_only=True)
    new = (QUERIES_DIR / f"{name}.rq").read_text()
    old = subprocess.run(["git", "show", f"{rev}:queries/{name}.rq"], cwd=QUERIES_DIR.parent, check=True,
                         capture_output=True, text=True).stdout
    members = [row["e"].value for row in run_query(
        store, f"SELECT DISTINCT ?e WHERE {{ ?e a <https://w3id.org/msme-kg/ns#{cls}> }} LIMIT 300")]
    differ, spent = 0, {"new": 0.0, "old": 0.0}
    for iri in members:
        answers = {}
        for label, text in (("new", new), ("old", old)):
            started = time.perf_counter()
            answers[label] = _rows(store, text, param, iri)
            spent[label] += time.perf_counter() - started
        differ += answers["new"] != answers["old"]
    n = max(1, len(members))
    new_ms, old_ms = 1000 * spent["new"] / n, 1000 * spent["old"] / n
    print(f"{name}: {len(members)} bindings, {differ} differ; new {new_ms:.2f} ms/call, "
          f"{rev} {old_ms:.2f} ms/call, ratio {old_ms / max(new_ms, 1e-9):.1f}x")


if __name__ == "__main__":
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    main(*sys.argv[1:6])
