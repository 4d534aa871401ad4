"""Parallel ingest: extraction (spaCy, the costly part) in worker processes, one writer.

spaCy holds the GIL, so threads do not help; N worker processes each load the model once and
turn documents into resolved :class:`~graph.model.Extraction` records (plain, picklable
dataclasses). The main process stays the only writer: it skips unchanged files before any work
is sent out, maps each extraction to RDF and writes it as one transaction per document — so a
stopped ingest leaves every finished document whole, exactly as the sequential
:func:`graph.ingest.pipeline.ingest_paths` does.

Documents are written as their extraction finishes, not in the order given: one long report
must not keep the other workers idle behind it (each document is its own named graph, so the
order of writes does not change the graph). The results come back in the order given. At most
``2 × workers`` documents are in flight, so memory stays flat on large folders.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from graph.curation.apply import Curation
from graph.ingest.curate_store import apply_to_store
from graph.ingest.pipeline import (
    MAX_DOCUMENT_CHARS,
    _claim_id,
    failed,
    keep_unchanged,
    read_found,
    write_extraction,
)
from graph.model import Document, Extraction, IngestResult
from graph.read.limits import ReadLimits
from graph.read.reader import walk_documents
from graph.store import core as graph_store
from graph.store.protocol import Store
from graph.store.search import SearchIndex


def _warm_up() -> None:
    """Worker initialiser: load the spaCy pipeline once per process, before the first document."""
    from graph.nlp.language import load_nlp

    load_nlp()


def _extract(doc: Document) -> Extraction:
    from graph.ingest.pipeline import extract_document

    return extract_document(doc)


class _Workers:
    """The worker pool, replaced by a fresh one when a worker process dies (killed, out of memory, crashed)."""

    def __init__(self, workers: int, work: Callable, initializer: Callable | None) -> None:
        # forkserver: workers fork from a clean server process that has loaded the model once
        # (graph.nlp.preload); they never inherit the writer's open store (RocksDB) or its threads.
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(["graph.nlp.preload"])
        self.workers, self.work, self.initializer = workers, work, initializer
        self.pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=self.context, initializer=self.initializer)

    def submit(self, item: object) -> Future:
        try:
            return self.pool.submit(self.work, item)
        except BrokenProcessPool:
            self.renew()
            return self.pool.submit(self.work, item)

    def renew(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = self._new()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class ExecutorWorkers:
    """Any ``concurrent.futures`` executor (a Dask cluster's) seen as :class:`_Workers`.

    Nothing to renew: such an executor retries a lost worker's task itself.
    """

    def __init__(self, executor: Executor, work: Callable[[Document], Extraction] | None = None) -> None:
        self.executor, self.work = executor, work or _extract

    def submit(self, item: Document) -> Future:
        return self.executor.submit(self.work, item)

    def renew(self) -> None:
        return None

    def close(self) -> None:
        return None


def _died(future: Future) -> bool:
    return isinstance(future.exception(), BrokenProcessPool)


def _as_finished(workers: _Workers | ExecutorWorkers, jobs: Iterable[tuple], window: int) -> Iterator[tuple]:
    """Submit ``(item, ...)`` jobs with at most ``window`` in flight; yield ``(job, future)`` as each finishes.

    A job without an item (already decided: unchanged or unreadable) is yielded at once.

    When a worker process dies, every job in flight fails with it and none can be blamed: the
    pool is replaced and those jobs are run again one at a time, so only the one that kills its
    worker again is yielded with the failure (its future raises ``BrokenProcessPool``).
    """
    running: dict[Future, tuple] = {}

    def settle(done: set[Future]) -> Iterator[tuple]:
        suspects = []
        for future in done:
            job = running.pop(future)
            if _died(future):
                suspects.append(job)
            else:
                yield job, future
        if not suspects:
            return
        finished, _ = wait(list(running))  # the others in flight fail with the same dead pool
        for future in finished:
            job = running.pop(future)
            if _died(future):
                suspects.append(job)
            else:
                yield job, future
        workers.renew()
        for job in suspects:
            future = workers.submit(job[0])
            wait([future])
            if _died(future):
                workers.renew()
            yield job, future

    for job in jobs:
        if job[0] is None:
            yield job, None
            continue
        running[workers.submit(job[0])] = job
        while len(running) >= window:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            yield from settle(done)
    while running:
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        yield from settle(done)


def ingest_paths_parallel(
    store: Store,
    paths: Iterable[Path],
    *,
    workers: int = 2,
    force: bool = False,
    on_result: Callable[[IngestResult], None] | None = None,
    max_chars: int | ReadLimits = MAX_DOCUMENT_CHARS,
    curation: Curation | None = None,
    index: SearchIndex | None = None,
) -> list[IngestResult]:
    """Like :func:`graph.ingest.pipeline.ingest_paths`, with extraction spread over ``workers`` processes.

    As there, one bad file is one ``failed`` result and the run goes on: an error while reading,
    an exception raised by the extraction in its worker, or a worker process that dies on it.
    """
    pool = _Workers(workers, _extract, _warm_up)
    try:
        return ingest_with(pool, store, paths, window=2 * workers, force=force, on_result=on_result,
                           max_chars=max_chars, curation=curation, index=index)
    finally:
        pool.close()


def ingest_with(
    pool: _Workers | ExecutorWorkers,
    store: Store,
    paths: Iterable[Path],
    *,
    window: int,
    force: bool = False,
    on_result: Callable[[IngestResult], None] | None = None,
    max_chars: int | ReadLimits = MAX_DOCUMENT_CHARS,
    curation: Curation | None = None,
    index: SearchIndex | None = None,
) -> list[IngestResult]:
    """The ingest with extraction on ``pool`` (local worker processes or a cluster's executor); this process writes.

    Unchanged and unreadable files are decided here, before any work is sent out; each extraction
    is written as it comes back; a document whose extraction failed (after the pool's own
    retries) is reported failed and the others still load.
    """
    graph_store.load_ontology(store)
    limits = max_chars if isinstance(max_chars, ReadLimits) else ReadLimits(max_chars=max_chars)
    sources: dict[str, Path] = {}  # doc id -> the file that gave it in this run

    def jobs() -> Iterator[tuple]:
        for position, found in enumerate(walk_documents(paths, follow_symlinks=limits.follow_symlinks)):
            try:
                doc = read_found(found, limits)
                _claim_id(sources, doc.id, found.path)
                previous = graph_store.graph_sha256(store, doc.id)
                if previous == doc.sha256 and not force:
                    yield (None, keep_unchanged(store, doc, index), None, position)
                    continue
            except Exception as err:  # one bad file never stops the run
                yield (None, failed(found.path, err), None, position)
                continue
            yield (doc, None, previous, position)

    results: dict[int, IngestResult] = {}
    for (doc, ready, previous, position), future in _as_finished(pool, jobs(), window):
        if future is None:
            result = ready
        else:
            try:
                result = write_extraction(store, doc, future.result(), previous, curation=curation, index=index)
            except BrokenProcessPool:
                result = IngestResult(doc.source, doc.id, "failed",
                                      error="the process extracting it died (out of memory or killed)")
            except Exception as err:  # the extraction's own error (raised in the worker), or a lost worker's
                result = failed(doc.source, err, doc.id)
        results[position] = result
        if on_result:
            on_result(result)
    if curation is not None:  # as graph.ingest.pipeline.ingest_paths: bring earlier documents up to date, check ids
        apply_to_store(store, curation, index=index)
    return [results[position] for position in sorted(results)]
