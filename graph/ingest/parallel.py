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
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, as_completed, wait
from pathlib import Path

from graph.curation.apply import Curation
from graph.errors import StoreError, UnreadableDocument
from graph.ingest.curate_store import apply_to_store
from graph.ingest.pipeline import (
    MAX_DOCUMENT_CHARS,
    _claim_id,
    _reason,
    keep_unchanged,
    read_checked,
    write_extraction,
)
from graph.model import Document, Extraction, IngestResult
from graph.read.reader import find_documents
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


def _as_finished(pool: Executor, jobs: Iterable[tuple], window: int,
                 extract: Callable[[Document], Extraction] | None = None) -> Iterator[tuple]:
    """Submit ``(doc, ...)`` jobs with at most ``window`` in flight; yield ``(job, future)`` as each finishes.

    A job without a document (already decided: unchanged or unreadable) is yielded at once.
    """
    running: dict[Future, tuple] = {}
    for job in jobs:
        if job[0] is None:
            yield job, None
            continue
        running[pool.submit(extract or _extract, job[0])] = job
        while len(running) >= window:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                yield running.pop(future), future
    for future in as_completed(list(running)):
        yield running.pop(future), future


def ingest_paths_parallel(
    store: Store,
    paths: Iterable[Path],
    *,
    workers: int = 2,
    force: bool = False,
    on_result: Callable[[IngestResult], None] | None = None,
    max_chars: int = MAX_DOCUMENT_CHARS,
    curation: Curation | None = None,
    index: SearchIndex | None = None,
) -> list[IngestResult]:
    """Like :func:`graph.ingest.pipeline.ingest_paths`, with extraction spread over ``workers`` processes."""
    # forkserver: workers fork from a clean server process that has loaded the model once
    # (graph.nlp.preload); they never inherit the writer's open store (RocksDB) or its threads.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["graph.nlp.preload"])
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_warm_up) as pool:
        return ingest_with(pool, store, paths, window=2 * workers, force=force, on_result=on_result,
                           max_chars=max_chars, curation=curation, index=index)


def _write(store: Store, doc: Document, future: Future, previous: str | None, *, curation: Curation | None,
           index: SearchIndex | None) -> IngestResult:
    try:
        extraction = future.result()
    except Exception as err:  # the extraction failed on every try the pool allowed (a lost worker, a bug)
        return IngestResult(doc.source, doc.id, "failed", error=f"extraction failed: {type(err).__name__}: {err}")
    try:
        return write_extraction(store, doc, extraction, previous, curation=curation, index=index)
    except StoreError as err:
        return IngestResult(doc.source, doc.id, "failed", error=_reason(err, Path(doc.source)))


def ingest_with(
    pool: Executor,
    store: Store,
    paths: Iterable[Path],
    *,
    window: int,
    force: bool = False,
    on_result: Callable[[IngestResult], None] | None = None,
    max_chars: int = MAX_DOCUMENT_CHARS,
    curation: Curation | None = None,
    index: SearchIndex | None = None,
    extract: Callable[[Document], Extraction] | None = None,
) -> list[IngestResult]:
    """The ingest with extraction on ``pool`` (worker processes, or a cluster's executor), this process the writer.

    Unchanged and unreadable files are decided here, before any work is sent out; each extraction
    is written as it comes back; a document whose extraction failed (after the pool's own
    retries) is reported failed and the others still load.
    """
    graph_store.load_ontology(store)

    sources: dict[str, Path] = {}  # doc id -> the file that gave it in this run

    def jobs() -> Iterator[tuple]:
        for position, path in enumerate(find_documents(paths)):
            try:
                doc = read_checked(path, max_chars)
                _claim_id(sources, doc.id, path)
            except (UnreadableDocument, StoreError) as err:
                yield (None, IngestResult(str(path), "", "failed", error=_reason(err, path)), None, position)
                continue
            previous = graph_store.graph_sha256(store, doc.id)
            if previous == doc.sha256 and not force:
                yield (None, keep_unchanged(store, doc, index), None, position)
            else:
                yield (doc, None, previous, position)

    results: dict[int, IngestResult] = {}
    for (doc, ready, previous, position), future in _as_finished(pool, jobs(), window, extract):
        result = ready if future is None else _write(store, doc, future, previous, curation=curation, index=index)
        results[position] = result
        if on_result:
            on_result(result)
    if curation is not None:  # as graph.ingest.pipeline.ingest_paths: bring earlier documents up to date, check ids
        apply_to_store(store, curation)
    return [results[position] for position in sorted(results)]
