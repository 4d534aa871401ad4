"""Run SPARQL requests where they can be stopped: a small pool of killable worker processes.

pyoxigraph's ``Store.query`` has no timeout and holds no Python lock while it runs, so a
runaway query (a cartesian product over the whole store) can only be stopped by ending the
process that runs it. Each worker opens the store read-only (RocksDB allows any number of
read-only handles beside one writer), runs one request at a time and sends back bytes. When
a request outlives its time limit the worker is killed, a fresh one takes its place, and the
caller gets :class:`QueryTimeout`.

A read-only handle is a snapshot; a worker reopens it when the store's files changed
(:class:`StoreWatch`: the folder's and the write-ahead logs' stat), so newly
ingested documents are visible on the next request.

An in-memory store (tests) cannot be shared with another process: :class:`ThreadRunner`
runs requests in threads and still answers 503 on time, but cannot stop the query.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Protocol

from pyoxigraph import Store

from graph.errors import MsmeKgError, QueryTimeout, ServerBusy, StoreError
from graph.sparql.execute import SparqlAnswer, SparqlRequest, execute


def store_signature(path: Path | str) -> tuple[tuple[str, int, int], ...]:
    """What changes when the store at ``path`` is written: its files' names, sizes and mtimes."""
    try:
        entries = list(os.scandir(path))
    except OSError as err:
        raise StoreError(f"cannot read the store at {path}: {err}") from err
    sig = []
    for entry in entries:
        if entry.name.startswith("LOG"):
            continue
        try:
            stat = entry.stat()
        except FileNotFoundError:  # compaction removed it meanwhile
            continue
        sig.append((entry.name, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(sig))


class StoreWatch:
    """:func:`store_signature` for every request, at the cost of two or three ``stat`` calls.

    A write to the store either creates, removes or renames files (flushes, compactions: the
    folder's mtime changes) or appends to a write-ahead log (``*.log``: its size and mtime
    change). So the folder's mtime and the logs' stat say whether anything changed; the whole
    folder is listed again only when its mtime moved. At 1M triples (19 files) this took
    ``store_signature`` from about a tenth of a REST look-up's time to a few microseconds.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._folder_mtime: int | None = None
        self._logs: tuple[Path, ...] = ()
        self._full: tuple = ()

    def signature(self) -> tuple:
        try:
            folder_mtime = os.stat(self.path).st_mtime_ns
        except OSError as err:
            raise StoreError(f"cannot read the store at {self.path}: {err}") from err
        if folder_mtime != self._folder_mtime:
            self._full = store_signature(self.path)
            self._logs = tuple(self.path / name for name, _, _ in self._full if name.endswith(".log"))
            self._folder_mtime = folder_mtime
        try:
            logs = tuple((s.st_size, s.st_mtime_ns) for s in map(os.stat, self._logs))
        except FileNotFoundError:  # a log went away between the two looks: list the folder again
            self._folder_mtime = None
            return self.signature()
        return self._full, logs  # not the folder's mtime: opening a read-only handle adds a LOG file


class RefreshingStore:
    """A read-only store handle reopened when the files on disk changed (cheap to call per request)."""

    def __init__(self, path: Path, on_change: Callable[[], None] | None = None) -> None:
        self.path = path
        self.on_change = on_change  # called after each reopening (api.main: start the new version's views)
        self._lock = threading.Lock()
        self._watch = StoreWatch(path)
        self._signature = self._watch.signature()
        self._store = Store.read_only(str(path))

    def get(self) -> Store:
        signature = self._watch.signature()
        if signature != self._signature:
            with self._lock:
                if signature != self._signature:
                    try:
                        self._store = Store.read_only(str(self.path))
                    except OSError as err:
                        raise StoreError(f"cannot reopen the store at {self.path}: {err}") from err
                    self._signature = signature
                    if self.on_change is not None:
                        self.on_change()
        return self._store


class QueryRunner(Protocol):
    def run(self, request: SparqlRequest, timeout: float) -> SparqlAnswer: ...

    def close(self) -> None: ...


class ThreadRunner:
    """Runs requests on an in-process store in threads: answers on time, cannot stop the query."""

    def __init__(self, store: Store, workers: int = 4) -> None:
        self.store = store
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sparql")

    def run(self, request: SparqlRequest, timeout: float) -> SparqlAnswer:
        future = self._pool.submit(execute, self.store, request)
        try:
            return future.result(timeout=timeout)
        except FutureTimeout as err:
            future.cancel()
            raise QueryTimeout(f"the query ran past the {timeout:.3g} s limit") from err

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _worker_main(conn: Connection, path: str) -> None:
    """The loop of one worker process: receive a request, answer ("ok", answer) or ("error", exc)."""
    store: Store | None = None
    signature: tuple = ()
    watch = StoreWatch(path)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        for attempt in (1, 2):
            try:
                current = watch.signature()
                if store is None or current != signature:
                    store = None
                    store = Store.read_only(path)
                    signature = current
                conn.send(("ok", execute(store, request)))
            except MsmeKgError as err:
                conn.send(("error", err))
            except (OSError, RuntimeError) as err:
                # A read-only handle beside a writer can lose files to compaction: reopen once.
                store = None
                if attempt == 1:
                    continue
                conn.send(("error", StoreError(f"cannot read the store at {path}: {err}")))
            break


class _Worker:
    def __init__(self, context: multiprocessing.context.SpawnContext, path: Path) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, str(path)), daemon=True,
                                       name="msme-kg-sparql")
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class ProcessRunner:
    """A pool of ``size`` worker processes reading the store at ``path``.

    A request waits for a free worker at most until its own deadline (then :class:`ServerBusy`),
    so under a burst of requests the queue is bounded by the timeout and nothing piles up forever.
    """

    def __init__(self, path: Path, size: int = 2) -> None:
        self.path = path
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        for _ in range(max(1, size)):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        worker = _Worker(self._context, self.path)
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
        return self._spawn()

    def run(self, request: SparqlRequest, timeout: float) -> SparqlAnswer:
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty as err:
            raise ServerBusy(f"every query worker stayed busy for {timeout:.3g} s") from err
        try:
            worker.conn.send(request)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                worker = self._replace(worker)
                raise QueryTimeout(f"the query ran past the {timeout:.3g} s limit and was stopped")
            status, payload = worker.conn.recv()
        except (EOFError, OSError) as err:
            worker = self._replace(worker)
            raise StoreError(f"the query worker died: {err}") from err
        finally:
            self._idle.put(worker)
        if status == "error":
            raise payload
        return payload

    def pids(self) -> list[int]:
        """Process ids of the live workers (tests check that a runaway query's worker was ended)."""
        with self._lock:
            return [w.process.pid for w in self._all if w.process.pid is not None]

    def close(self) -> None:
        with self._lock:
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.kill()
