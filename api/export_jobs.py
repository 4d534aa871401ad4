"""``GET /export`` work, bounded: a few killable worker processes, a time limit, no work for gone clients.

An export of the whole graph reads every fact and lays out a network: 174 s for a Turtle export
of a 300k-quad store. Run in the request's thread, it could not be stopped: 42 concurrent exports
starved /health, they went on after their clients left, and the server ignored SIGTERM for 30 s
waiting for them. Here:

- at most ``slots`` exports run at once (``MSME_KG_EXPORT_WORKERS``); one more is answered 503
  with Retry-After at once, so waiting requests cannot pile up;
- each runs in a worker process that opens the store read-only (as the SPARQL workers do) and is
  killed when the export passes ``timeout`` (``MSME_KG_EXPORT_TIMEOUT``, answered 503), when the
  client disconnects, or when the server shuts down (the request's task is cancelled);
- the request itself only waits, on the event loop, so /health and the rest stay responsive.

A store handed in by a test (in memory) or a SPARQL-server backend cannot be opened by another
process: exports then run in threads, still limited in number and answered 503 on time, but a
thread cannot be stopped, so it holds its slot until it ends.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Awaitable, Callable
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnContext
from pathlib import Path

import anyio
from pyoxigraph import Store

from graph.errors import MsmeKgError, QueryTimeout, ServerBusy, StoreError
from graph.store.protocol import Store as AnyStore
from graph.views.cache import ViewCache
from graph.views.network import NetworkSpec

IsDisconnected = Callable[[], Awaitable[bool]]

POLL_SECONDS = 0.05
STARTUP_SECONDS = 60.0


async def cached_view(views: ViewCache, spec: NetworkSpec, fmt: str, *, timeout: float,
                      is_disconnected: IsDisconnected) -> bytes:
    """A whole-graph view from the cache of its store version, waiting on the event loop while it is computed.

    The computation (one at a time, in its own process: :mod:`graph.views.cache`) goes on past
    ``timeout``: the client is answered 503 (:class:`QueryTimeout`) and finds the view ready when it
    comes back.
    """
    deadline = time.monotonic() + timeout
    for _ in range(2):
        found = views.lookup(spec, fmt)
        if isinstance(found, bytes):
            return found
        while not found.done():
            if await is_disconnected():
                raise ClientGone()
            if time.monotonic() > deadline:
                raise QueryTimeout(f"the {spec.view} view of this store version is being computed; try again shortly")
            await anyio.sleep(POLL_SECONDS)
        found.result()  # the computation's own error, if any
    raise StoreError(f"the {spec.view} view could not be read from the cache")


class ClientGone(Exception):
    """The client closed the connection before its export was ready; the work was stopped."""


def _worker_main(conn: Connection, path: str) -> None:
    """One export worker: "ready" once loaded, then (spec, format) in, ("ok", bytes) or ("error", exception) out."""
    from graph.sparql.workers import store_signature
    from graph.views.export import export_view

    store: Store | None = None
    signature: tuple = ()
    conn.send("ready")  # the time limit of an export starts after the worker's imports (~1-2 s)
    while True:
        try:
            spec, fmt = conn.recv()
        except (EOFError, OSError):
            return
        try:
            current = store_signature(path)
            if store is None or current != signature:
                store, signature = Store.read_only(path), current
            conn.send(("ok", export_view(store, spec, fmt)))
        except MsmeKgError as err:
            conn.send(("error", err))
        except Exception as err:  # a bug or a damaged store: the request gets 503, the worker lives on
            store = None
            conn.send(("error", StoreError(f"the export failed: {type(err).__name__}: {err}")))


class _Worker:
    def __init__(self, context: SpawnContext, path: Path) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, str(path)), daemon=True,
                                       name="msme-kg-export")
        self.process.start()
        child.close()
        self.ready = False

    async def started(self, seconds: float, is_disconnected: IsDisconnected) -> None:
        """Wait until the worker has loaded its modules (not counted in the export's time limit)."""
        deadline = time.monotonic() + seconds
        while not self.ready:
            if self.conn.poll():
                self.ready = self.conn.recv() == "ready"
                continue
            if time.monotonic() > deadline or not self.process.is_alive():
                raise StoreError("the export worker did not start")
            if await is_disconnected():
                raise ClientGone
            await anyio.sleep(POLL_SECONDS)

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class ExportJobs:
    """Exports of the store at ``path`` (in processes) or of ``store`` (in threads), bounded as above."""

    def __init__(self, *, path: Path | None = None, store: AnyStore | None = None, slots: int = 2,
                 timeout: float = 60.0) -> None:
        self.path, self.store = path, store
        self.timeout = timeout
        self.slots = threading.BoundedSemaphore(max(1, slots))
        self._context = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    async def run(self, spec: NetworkSpec, fmt: str, is_disconnected: IsDisconnected) -> bytes:
        """The export's bytes; :class:`ServerBusy` when every slot is taken, :class:`QueryTimeout` past the limit.

        ``is_disconnected`` is the request's coroutine function of that name: polled while waiting.
        """
        if not self.slots.acquire(blocking=False):
            raise ServerBusy("every export slot is busy; try again shortly")
        if self.path is None:
            return await self._in_thread(spec, fmt, is_disconnected)
        try:
            return await self._in_process(spec, fmt, is_disconnected)
        finally:
            self.slots.release()

    async def _in_process(self, spec: NetworkSpec, fmt: str, is_disconnected: IsDisconnected) -> bytes:
        worker = self._take()
        keep = False
        try:
            await worker.started(STARTUP_SECONDS, is_disconnected)
            deadline = time.monotonic() + self.timeout
            worker.conn.send((spec, fmt))
            while not worker.conn.poll():
                if time.monotonic() > deadline:
                    raise QueryTimeout(f"the export ran past the {self.timeout:.3g} s limit and was stopped")
                if await is_disconnected():
                    raise ClientGone
                await anyio.sleep(POLL_SECONDS)
            status, payload = worker.conn.recv()
            keep = True
        except (EOFError, OSError) as err:
            raise StoreError(f"the export worker died: {err}") from err
        finally:  # on a timeout, a gone client or a cancelled task (shutdown), the worker is killed
            self._give_back(worker, keep)
        if status == "error":
            raise payload
        return payload

    async def _in_thread(self, spec: NetworkSpec, fmt: str, is_disconnected: IsDisconnected) -> bytes:
        from graph.views.export import export_view

        outcome: dict = {}
        done = threading.Event()
        store = self.store
        assert store is not None

        def work() -> None:
            try:
                outcome["ok"] = export_view(store, spec, fmt)
            except BaseException as err:
                outcome["error"] = err
            finally:
                self.slots.release()  # a thread cannot be stopped: its slot is held until it ends
                done.set()

        threading.Thread(target=work, name="msme-kg-export", daemon=True).start()
        deadline = time.monotonic() + self.timeout
        while not done.is_set():
            if time.monotonic() > deadline:
                raise QueryTimeout(f"the export ran past the {self.timeout:.3g} s limit")
            if await is_disconnected():
                raise ClientGone
            await anyio.sleep(POLL_SECONDS)
        if "error" in outcome:
            raise outcome["error"]
        return outcome["ok"]

    def _take(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise ServerBusy("the server is shutting down")
            worker = self._idle.pop() if self._idle else None
        if worker is None or not worker.process.is_alive():
            if worker is not None:
                worker.kill()
            assert self.path is not None
            worker = _Worker(self._context, self.path)
        with self._lock:
            self._busy.add(worker)
        return worker

    def _give_back(self, worker: _Worker, keep: bool) -> None:
        with self._lock:
            self._busy.discard(worker)
            if keep and not self._closed:
                self._idle.append(worker)
                return
        worker.kill()
        with self._lock:  # a fresh one starts loading now, so the next export need not wait for it
            if not self._closed and self.path is not None:
                self._idle.append(_Worker(self._context, self.path))

    def pids(self) -> list[int]:
        """Process ids of the live export workers (tests check that a stopped export's worker is gone)."""
        with self._lock:
            return [pid for w in [*self._idle, *self._busy] if w.process.is_alive() and (pid := w.process.pid)]

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = [*self._idle, *self._busy]
            self._idle, self._busy = [], set()
        for worker in workers:
            worker.kill()
