"""Run SPARQL requests where they can be stopped: a small pool of killable worker processes.

pyoxigraph's ``Store.query`` has no timeout and holds no Python lock while it runs, so a
runaway query (a cartesian product over the whole store) can only be stopped by ending the
process that runs it. Each worker opens the store read-only (RocksDB allows any number of
read-only handles beside one writer), runs one request at a time and sends back bytes. When
a request outlives its time limit, or its client goes away, the worker is killed, a fresh one
takes its place, and the caller gets :class:`QueryTimeout` (or :class:`QueryCancelled`).

Each worker also runs under an address-space limit (``resource.setrlimit(RLIMIT_AS)``): a
query that would grow past it fails inside the worker (pyoxigraph aborts the process on a failed
allocation), and the caller gets :class:`QueryTooLarge` instead of a server that swaps. The
worker's loop runs on a thread with a large stack, so a deeply nested request that slipped past
:mod:`graph.sparql.guard` would still have room.

Updates and Graph Store writes go to one *writer* process of the same kind, which holds the
store's write handle: bounded by the same timeout and memory limit, and killed (its transaction
never committed) when it outlives them.

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

from graph.errors import MsmeKgError, QueryCancelled, QueryTimeout, QueryTooLarge, ServerBusy, StoreError
from graph.sparql.execute import SparqlAnswer, SparqlRequest, SparqlUpdate, execute, execute_update
from graph.sparql.graph_store import GraphRead, GraphWrite, read_graph, write_graph

Request = SparqlRequest | SparqlUpdate | GraphRead | GraphWrite
WORKER_STACK_BYTES = 64 * 1024 * 1024  # virtual; only the pages a deep parse touches are used
POLL_SECONDS = 0.05  # how often a waiting caller looks whether its client went away
# A read-only handle opened while the writer compacts can find files gone; it is reopened after these pauses.
REOPEN_PAUSES = (0.0, 0.0, 0.02, 0.05, 0.1, 0.2, 0.4, 0.8)


def perform(store: Store, request: Request) -> SparqlAnswer:
    """Run one request of any kind on ``store`` (the code every worker and thread runs)."""
    if isinstance(request, SparqlRequest):
        return execute(store, request)
    if isinstance(request, SparqlUpdate):
        return execute_update(store, request)
    if isinstance(request, GraphRead):
        return read_graph(store, request)
    return write_graph(store, request)


def _perform_here(store: Store, request: Request) -> SparqlAnswer:
    """:func:`perform`, its error let go of the frames that hold pyoxigraph objects in this thread.

    pyoxigraph's result iterators may only be dropped on the thread that made them; an error
    raised past them would carry them to the caller's thread in its traceback.
    """
    try:
        return perform(store, request)
    except MsmeKgError as err:
        detached = type(err)(*err.args)
        err.__traceback__ = None
        raise detached from None


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
    def run(self, request: Request, timeout: float, cancel: threading.Event | None = None) -> SparqlAnswer: ...

    def close(self) -> None: ...


class ThreadRunner:
    """Runs requests on an in-process store in threads: answers on time, cannot stop the query."""

    def __init__(self, store: Store, workers: int = 4) -> None:
        self.store = store
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sparql")

    def run(self, request: Request, timeout: float, cancel: threading.Event | None = None) -> SparqlAnswer:
        future = self._pool.submit(_perform_here, self.store, request)
        try:
            return future.result(timeout=timeout)
        except FutureTimeout as err:
            future.cancel()
            raise QueryTimeout(f"the query ran past the {timeout:.3g} s limit") from err

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def limit_memory(max_bytes: int | None) -> None:
    """Cap this process's address space (RLIMIT_AS): allocations past it fail instead of swapping."""
    if not max_bytes:
        return
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        max_bytes = min(max_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (max_bytes, hard))


def _open(path: str, writer: bool) -> Store:
    return Store(path) if writer else Store.read_only(path)


def _serve(conn: Connection, path: str, writer: bool) -> None:
    """The loop of one worker: receive a request, answer ("ok", answer) or ("error", exc)."""
    store: Store | None = None
    signature: tuple = ()
    watch = StoreWatch(path)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        for attempt, pause in enumerate(REOPEN_PAUSES, 1):
            if pause:
                time.sleep(pause)
            try:
                if writer:
                    store = store or _open(path, writer)
                else:
                    current = watch.signature()
                    if store is None or current != signature:
                        store = None
                        store = _open(path, writer)
                        signature = current
                conn.send(("ok", perform(store, request)))
            except StoreError as err:
                # A read-only handle beside a writer can lose files to compaction: reopen, try again.
                store = None
                if attempt < len(REOPEN_PAUSES) and not writer:
                    continue
                conn.send(("error", err))
            except MsmeKgError as err:
                conn.send(("error", err))
            except MemoryError:
                conn.send(("error", QueryTooLarge("the request needed more memory than this worker may use")))
            except (OSError, RuntimeError) as err:
                # A read-only handle beside a writer can lose files to compaction: reopen once.
                store = None
                if attempt < len(REOPEN_PAUSES):
                    continue
                conn.send(("error", StoreError(f"cannot {'write' if writer else 'read'} the store at {path}: {err}")))
            break


def few_malloc_arenas(arenas: int = 2) -> None:
    """Ask glibc for at most ``arenas`` malloc arenas (each thread otherwise reserves 64 MB of address space).

    The address-space limit counts reservations, not use: RocksDB's threads alone reserved
    several hundred MB a worker that used 60 MB. No-op where glibc's ``mallopt`` is missing.
    """
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(-8, arenas)  # M_ARENA_MAX
    except (OSError, AttributeError):
        return


def _worker_main(conn: Connection, path: str, writer: bool = False, memory: int | None = None) -> None:
    """A worker process: few malloc arenas, its memory capped, its loop on a thread with a deep stack."""
    few_malloc_arenas()
    limit_memory(memory)
    threading.stack_size(WORKER_STACK_BYTES)
    loop = threading.Thread(target=_serve, args=(conn, path, writer), name="msme-kg-sparql-loop")
    loop.start()
    loop.join()


class _Worker:
    def __init__(self, context: multiprocessing.context.SpawnContext, path: Path, writer: bool,
                 memory: int | None) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, str(path), writer, memory), daemon=True,
                                       name="msme-kg-writer" if writer else "msme-kg-sparql")
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class ProcessRunner:
    """A pool of ``size`` worker processes on the store at ``path`` (``writer``: one process holding its write lock).

    A request waits for a free worker at most until its own deadline (then :class:`ServerBusy`);
    the web layer bounds how many may wait at all (api.routes.sparql).
    """

    def __init__(self, path: Path, size: int = 2, *, writer: bool = False, memory: int | None = None) -> None:
        self.path = path
        self.writer = writer
        self.memory = memory
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(1 if writer else max(1, size)):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        worker = _Worker(self._context, self.path, self.writer, self.memory)
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
        return self._spawn()

    def _wait(self, worker: _Worker, deadline: float, cancel: threading.Event | None) -> bool:
        """Wait for the worker's answer; False when the deadline passed. Checks ``cancel`` as it waits."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if worker.conn.poll(min(left, POLL_SECONDS) if cancel is not None else left):
                return True
            if cancel is not None and cancel.is_set():
                raise QueryCancelled("the client went away; the query was stopped")

    def run(self, request: Request, timeout: float, cancel: threading.Event | None = None) -> SparqlAnswer:
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty as err:
            raise ServerBusy(f"every query worker stayed busy for {timeout:.3g} s") from err
        try:
            worker.conn.send(request)
            try:
                answered = self._wait(worker, deadline, cancel)
            except QueryCancelled:
                worker = self._replace(worker)
                raise
            if not answered:
                worker = self._replace(worker)
                raise QueryTimeout(f"the request ran past the {timeout:.3g} s limit and was stopped")
            status, payload = worker.conn.recv()
        except (EOFError, OSError) as err:
            worker.process.join(timeout=1)  # its exit code says how it ended
            code = worker.process.exitcode
            worker = self._replace(worker)
            if self._closed:
                raise ServerBusy("the server is shutting down") from err
            limit = f"{self.memory // 2**20} MB" if self.memory else "its memory"
            raise QueryTooLarge(f"the worker running the request stopped (exit {code}): the request needed more "
                                f"than {limit} or nested too deep") from err
        finally:
            if not self._closed:
                self._idle.put(worker)
        if status == "error":
            raise payload
        return payload

    def pids(self) -> list[int]:
        """Process ids of the live workers (tests check that a runaway query's worker was ended)."""
        with self._lock:
            return [w.process.pid for w in self._all if w.process.pid is not None]

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.process.kill()
        for worker in workers:
            worker.process.join(timeout=5)
            worker.conn.close()
