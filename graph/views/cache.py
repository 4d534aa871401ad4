"""Whole-graph views of a store version: computed once, in a background process, then served from disk.

A whole-graph view with its measures (betweenness, communities) took 30–36 s at 844k quads and
the co-attendance projection 48 s, and ``GET /export`` recomputed them on every request. A server
that reads the store read-only sees one version of it until ``msme-kg ingest`` writes, so each
view of a version is computed once:

- the **version** is a hash of what :class:`~graph.sparql.workers.StoreWatch` reads (the store's
  files), so every server process of ``serve --workers N`` names the same version the same way;
- a view is computed in a **spawned process** that opens the store read-only (networkx holds the
  GIL for tens of seconds: in a thread it would stall every other request of the server) and
  writes its file into ``<store>-views/<version>/``, under an exclusive file lock, so two server
  processes asking for the same view compute it once; the view's graph is kept too (node-link
  JSON), so the same view in another format skips the measures;
- when a new version appears, the views in :data:`WARM` are started at once, before anyone asks;
- a request for a view being computed waits for that computation, never starts a second one;
- bounded like every costly request: at most ``max_pending`` views computed or waiting at once
  (:class:`ServerBusy` beyond), each stopped past ``timeout`` seconds (:class:`QueryTimeout`).
  Only network formats are cached (:data:`NETWORK_FORMATS`); an RDF export of the whole graph is
  a dump, served by the bounded export jobs.

Views with a focus (ego networks) read only the focus's neighbourhood and stay live.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import multiprocessing
import os
import shutil
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path

import networkx as nx

from graph.errors import ExportError, MsmeKgError, QueryTimeout, ServerBusy, StoreError
from graph.sparql.workers import StoreWatch
from graph.views.network import NetworkSpec

WARM = ((NetworkSpec(), "cytoscape"), (NetworkSpec(view="coattendance"), "cytoscape"))
KEEP_VERSIONS = 2  # the current version's folder and the one before (a server process may still read it)
NETWORK_FORMATS = frozenset({"graphml", "gexf", "cytoscape", "dot", "svg", "html"})
MAX_FILES = 64  # per version: every combination of view, filters and format would be unbounded


def spec_key(spec: NetworkSpec) -> str:
    """A file name for a spec (its fields, hashed)."""
    return hashlib.sha256(json.dumps(asdict(spec), sort_keys=True).encode()).hexdigest()[:20]


def compute_view(store_path: str, folder: str, spec: NetworkSpec, fmt: str) -> None:
    """In the background process: write ``folder/<spec>.<fmt>`` (and the view's graph) unless there already.

    Under an exclusive lock on the spec, so that server processes asking at once compute it once.
    """
    from graph.store.core import open_store
    from graph.views.export import RDF_FORMATS, network_view, write, write_rdf

    target_dir = Path(folder)
    target_dir.mkdir(parents=True, exist_ok=True)
    key = spec_key(spec)
    target = target_dir / f"{key}.{fmt}"
    graph_file = target_dir / f"{key}.graph.json"
    with open(target_dir / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.exists():
            return
        store = open_store(Path(store_path), read_only=True)
        if graph_file.exists():
            view = nx.node_link_graph(json.loads(graph_file.read_bytes()), edges="edges")
        else:
            view = network_view(store, spec)
            _write_atomically(graph_file, json.dumps(nx.node_link_data(view, edges="edges")).encode())
        body = write_rdf(store, view, fmt) if fmt in RDF_FORMATS else write(view, fmt, spec.title())
        _write_atomically(target, body)


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    partial.write_bytes(data)
    partial.rename(path)


def _child(conn: Connection, store_path: str, folder: str, spec: NetworkSpec, fmt: str) -> None:
    try:
        compute_view(store_path, folder, spec, fmt)
        conn.send(None)
    except MsmeKgError as err:
        conn.send(err)
    except Exception as err:
        conn.send(StoreError(f"computing the view failed: {type(err).__name__}: {err}"))
    finally:
        conn.close()


class ViewCache:
    """The whole-graph views of the store at ``store_path``, per version, in ``folder``."""

    def __init__(self, store_path: Path, folder: Path, *, warm: tuple = WARM, max_pending: int = 4,
                 timeout: float = 600.0) -> None:
        self.store_path = Path(store_path)
        self.max_pending, self.timeout = max_pending, timeout
        self.folder = Path(folder)
        self.warm_views = warm
        self._watch = StoreWatch(store_path)
        self._context = multiprocessing.get_context("spawn")
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="views")  # one view at a time
        self._running: dict[tuple[str, str, str], Future] = {}
        self._children: set = set()
        self._lock = threading.Lock()
        self._warmed: str | None = None
        self.computed = 0  # views this process had computed (tests)

    def version(self) -> str:
        return hashlib.sha256(repr(self._watch.signature()).encode()).hexdigest()[:16]

    def _file(self, version: str, spec: NetworkSpec, fmt: str) -> Path:
        return self.folder / version / f"{spec_key(spec)}.{fmt}"

    def lookup(self, spec: NetworkSpec, fmt: str) -> bytes | Future:
        """The view of the store as it is now, if cached; else the Future of its computation (started once).

        Never waits, so a server can wait for the Future on its event loop, with its own time limit.
        """
        if spec.focus:
            raise ExportError("views with a focus are not cached: compute them live")
        version = self.version()
        self.warm(version)
        try:
            return self._file(version, spec, fmt).read_bytes()
        except FileNotFoundError:
            return self._start(version, spec, fmt)

    def get(self, spec: NetworkSpec, fmt: str) -> bytes:
        """The view of the store as it is now: from the cache, or computed once (waiting for it)."""
        for _ in range(2):
            found = self.lookup(spec, fmt)
            if isinstance(found, bytes):
                return found
            found.result()
        raise StoreError(f"the view {spec_key(spec)}.{fmt} could not be read")

    def warm(self, version: str | None = None) -> None:
        """Start computing the :data:`WARM` views of the current version, if not done for it yet."""
        version = version or self.version()
        if self._warmed == version:
            return
        self._warmed = version
        for spec, fmt in self.warm_views:
            if not self._file(version, spec, fmt).exists():
                try:
                    self._start(version, spec, fmt)
                except ServerBusy:  # asked-for views come first; the rest are computed when asked for
                    return

    def _start(self, version: str, spec: NetworkSpec, fmt: str) -> Future:
        key = (version, spec_key(spec), fmt)
        with self._lock:
            future = self._running.get(key)
            if future is None or (future.done() and future.exception() is not None):
                if sum(not f.done() for f in self._running.values()) >= self.max_pending:
                    raise ServerBusy("whole-graph views are being computed; try again shortly")
                future = self._pool.submit(self._compute, version, spec, fmt)
                self._running[key] = future
                future.add_done_callback(partial(self._forget, key))
            return future

    def _forget(self, key: tuple, future: Future) -> None:
        with self._lock:
            if self._running.get(key) is future:
                del self._running[key]

    def _compute(self, version: str, spec: NetworkSpec, fmt: str) -> None:
        if self._file(version, spec, fmt).exists():
            return
        self._prune(version)
        receive, send = self._context.Pipe(duplex=False)
        child = self._context.Process(target=_child, name="msme-kg-view", daemon=True,
                                      args=(send, str(self.store_path), str(self.folder / version), spec, fmt))
        child.start()
        send.close()
        self._children.add(child)
        try:
            if not receive.poll(self.timeout):
                child.kill()
                raise QueryTimeout(f"computing the {spec.view} view took over {self.timeout:g} s and was stopped")
            error = receive.recv()
        except EOFError:
            error = StoreError(f"the process computing the view ended with code {child.exitcode}")
        finally:
            child.join()
            self._children.discard(child)
            receive.close()
        if error is not None:
            raise error
        self.computed += 1

    def _prune(self, version: str) -> None:
        """Keep the newest versions' folders only, and at most MAX_FILES views in this one."""
        if not self.folder.exists():
            return
        others = sorted((p for p in self.folder.iterdir() if p.is_dir() and p.name != version),
                        key=lambda p: p.stat().st_mtime, reverse=True)
        for old in others[KEEP_VERSIONS - 1:]:
            shutil.rmtree(old, ignore_errors=True)
        current = self.folder / version
        if current.exists():
            files = sorted((p for p in current.iterdir() if p.suffix not in (".lock", ".part")),
                           key=lambda p: p.stat().st_mtime)
            for path in files[:max(0, len(files) - MAX_FILES)]:
                path.unlink(missing_ok=True)

    def close(self) -> None:
        """Stop: a view being computed is abandoned (its process ended); its file was never written."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        for child in list(self._children):
            child.kill()
