"""``msme-kg ingest --cluster``: extraction on a Dask cluster (here a LocalCluster of 2 worker processes).

The same facts as the sequential ingest, unchanged files skipped, and a worker that dies in the
middle of a document does not lose it: the scheduler gives the document to another worker.
"""

from __future__ import annotations

import os
import sys
from functools import partial
from pathlib import Path

import cloudpickle
import pytest
from distributed import LocalCluster
from pyoxigraph import BlankNode, NamedNode

from graph.cli.main import main
from graph.ingest.cluster import ingest_paths_cluster
from graph.ingest.parallel import _extract
from graph.store.core import open_store
from tests.paths import SEEDS

pytestmark = [pytest.mark.slow, pytest.mark.server]
GENERATED = NamedNode("http://www.w3.org/ns/prov#generatedAtTime")
cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers need not import the tests


def _facts(store) -> set:
    """Every quad but ingest times and the ontology's blank nodes (fresh ids on each load)."""
    return {q for q in store.quads_for_pattern(None, None, None)
            if q.predicate != GENERATED
            and not isinstance(q.subject, BlankNode) and not isinstance(q.object, BlankNode)}


def die_once(doc, *, marker: str, victim: str):
    """The real extraction, except that the first worker to get ``victim`` dies on it (marker file)."""
    if doc.id == victim and not Path(marker).exists():
        Path(marker).write_text(str(os.getpid()))
        os._exit(1)
    return _extract(doc)


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=50) as local:
        yield local


def test_cluster_ingest_stores_the_sequential_facts_though_a_worker_dies(cluster, seed_store, tmp_path):
    store = open_store(None)
    victim = min(SEEDS.glob("*.txt"), key=lambda p: p.stat().st_size)
    from graph.read.reader import read_document

    victim_id = read_document(victim).id
    marker = tmp_path / "died"
    results = ingest_paths_cluster(store, [SEEDS], address=cluster.scheduler_address,
                                   extract=partial(die_once, marker=str(marker), victim=victim_id))
    assert marker.exists()  # a worker did die on the victim ...
    assert {r.status for r in results} == {"added"}, results  # ... and the document was extracted elsewhere
    assert _facts(store) == _facts(seed_store)

    again = ingest_paths_cluster(store, [SEEDS], address=cluster.scheduler_address)
    assert {r.status for r in again} == {"unchanged"}


def test_the_cli_ingests_on_a_cluster_and_refuses_workers_beside_it(cluster, seed_copy, tmp_path, capsys):
    for extra in sorted(seed_copy.glob("*.txt"), key=lambda p: p.stat().st_size)[1:]:
        extra.unlink()  # one short document is enough to go through the command
    store = tmp_path / "store"
    assert main(["ingest", str(seed_copy), "--store", str(store), "--cluster", cluster.scheduler_address, "-q"]) == 0
    assert "1 added" in capsys.readouterr().out
    assert main(["ingest", str(seed_copy), "--store", str(store), "--cluster", cluster.scheduler_address,
                 "--workers", "2"]) == 1
    assert "leave out --workers" in capsys.readouterr().err
