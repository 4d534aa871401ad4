"""Extraction on a Dask distributed cluster: ``msme-kg ingest --cluster tcp://scheduler:8786``.

Extraction (spaCy) is the costly, embarrassingly parallel stage; a corpus of every WTO, UNCTAD and
APEC document outgrows one machine. The writer stays here, as in ``--workers N``
(:func:`graph.ingest.parallel.ingest_with`): this process reads the files, skips the unchanged
ones before any work is sent, ships each document's text to the cluster, and writes every
extraction that comes back into the store — the embedded one, or the SPARQL-server backend, one
transaction (or graph replacement) per document, as the sequential ingest does. The workers need
msme-kg installed (same version) but no access to the files or the store.

- The spaCy model is loaded once per worker, when the worker joins (:class:`LoadModel`, a worker
  plugin: workers that join later load it too).
- A document whose extraction raised is retried (``retries``); one on a worker that died is
  moved to another worker by the scheduler itself (up to its ``allowed-failures``); after that it
  is reported failed and the other documents still load.

Why Dask and not Ray: Dask's ``distributed`` is pure Python, installs from PyPI with eight small
dependencies and starts a scheduler and workers from the same environment in a second
(``LocalCluster`` in the tests, ``dask scheduler`` / ``dask worker`` on real machines, or
dask-kubernetes, dask-jobqueue for Slurm/PBS, dask-cloudprovider); its client gives a
``concurrent.futures`` executor, so the parallel ingest's scheduler is reused as is. Ray would
add a large binary wheel, its own object store and raylet processes — sized for far more than
shipping one text out and one extraction back per task, on a 2-core machine in CI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from distributed import Client, Worker, WorkerPlugin

from graph.curation.apply import Curation
from graph.errors import MsmeKgError
from graph.ingest.parallel import ExecutorWorkers, ingest_with
from graph.ingest.pipeline import MAX_DOCUMENT_CHARS
from graph.model import Document, Extraction, IngestResult
from graph.read.limits import ReadLimits
from graph.store.protocol import Store
from graph.store.search import SearchIndex

RETRIES = 2


class LoadModel(WorkerPlugin):
    """Loads the spaCy pipeline once per worker, as it joins the cluster (not on its first document)."""

    name = "msme-kg-load-model"

    def setup(self, worker: Worker) -> None:
        from graph.nlp.language import load_nlp

        load_nlp()


def ingest_paths_cluster(
    store: Store,
    paths: Iterable[Path],
    *,
    address: str,
    force: bool = False,
    on_result: Callable[[IngestResult], None] | None = None,
    max_chars: int | ReadLimits = MAX_DOCUMENT_CHARS,
    curation: Curation | None = None,
    index: SearchIndex | None = None,
    retries: int = RETRIES,
    connect_timeout: float = 30.0,
    extract: Callable[[Document], Extraction] | None = None,
) -> list[IngestResult]:
    """Like :func:`graph.ingest.pipeline.ingest_paths`, extracting on the cluster whose scheduler is at ``address``.

    ``extract`` replaces the extraction run on the workers (tests: a worker that dies once).
    """
    try:
        client = Client(address, timeout=connect_timeout, set_as_default=False)
    except OSError as err:
        raise MsmeKgError(f"cannot reach the Dask scheduler at {address}: {err}") from err
    with client:
        try:
            client.wait_for_workers(1, timeout=connect_timeout)
        except TimeoutError as err:
            raise MsmeKgError(f"the Dask cluster at {address} has no worker") from err
        client.register_plugin(LoadModel())
        threads = sum(client.nthreads().values())
        executor = client.get_executor(retries=retries, pure=False)
        return ingest_with(ExecutorWorkers(executor, extract), store, paths, window=2 * max(1, threads), force=force,
                           on_result=on_result, max_chars=max_chars, curation=curation, index=index)
