"""The servers bench_peer.py compares, each started on 127.0.0.1 on a free port and stopped afterwards.

- ``msme-kg serve`` (``--workers N``) over the embedded store;
- the Oxigraph server (``oxigraph serve-read-only``, PyPI package ``oxigraph``: the same engine
  as pyoxigraph behind a Rust HTTP server) over the same data, loaded from a dump of that store;
- Virtuoso 7 (``scripts/virtuoso.sh``, its own folder and ports) with the same dump bulk-loaded.

Every peer answers the SPARQL 1.1 Protocol; :class:`Peer` knows how to ask each one a query over
one keep-alive connection of the standard library's HTTP client (httpx costs ≈0.3 ms of its own
per request here: bench/RESULTS.md §5).
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from common import BENCH_DIR, PROJECT_DIR

OUT = BENCH_DIR / "out"
TOOLS = OUT / "peer-tools"
TOOLS_REQUIREMENTS = BENCH_DIR / "requirements-peer.txt"
UNION_GRAPH = "https://w3id.org/msme-kg/union"  # where the SPARQL-server backend keeps the set union
JSON_RESULTS = "application/sparql-results+json"
FORM = "application/x-www-form-urlencoded"


def tools() -> Path:
    """The bench's own venv with the pinned ``oxigraph`` and ``py-spy`` (bench/requirements-peer.txt).

    Made once and remade when the requirements file changes; never part of the project's runtime.
    """
    stamp = TOOLS / ".requirements"
    wanted = TOOLS_REQUIREMENTS.read_text()
    if not stamp.exists() or stamp.read_text() != wanted:
        shutil.rmtree(TOOLS, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS)], check=True)
        subprocess.run([str(TOOLS / "bin" / "pip"), "install", "--quiet", "--require-hashes", "--no-deps",
                        "-r", str(TOOLS_REQUIREMENTS)], check=True)
        stamp.write_text(wanted)
    return TOOLS / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class KeepAlive:
    """One keep-alive HTTP/1.1 connection; ``request`` returns (status, body)."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        self.reconnects = 0

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
                ) -> tuple[int, bytes]:
        """One request; a connection the server closed meanwhile is opened again once (and counted)."""
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers or {})
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.connection.close()
                if attempt == 2:
                    raise
                self.reconnects += 1
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.connection.close()


@dataclass
class Peer:
    """A running server: how to reach its SPARQL endpoint, and its process (for the profiler)."""

    name: str
    port: int
    sparql_path: str
    sparql_params: dict[str, str] = field(default_factory=dict)
    pid: int | None = None

    def connect(self) -> KeepAlive:
        return KeepAlive(self.port)

    def sparql(self, text: str) -> tuple[str, str, bytes, dict[str, str]]:
        """(method, path, body, headers) of a SPARQL query by POST form, JSON results asked for."""
        body = urlencode({"query": text, **self.sparql_params}).encode()
        return "POST", self.sparql_path, body, {"Content-Type": FORM, "Accept": JSON_RESULTS}


def _wait(port: int, path: str, process: subprocess.Popen | None, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {process.returncode}")
        try:
            client = KeepAlive(port)
            status, _ = client.request("GET", path)
            client.close()
            if status < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"no answer on port {port} after {seconds:.0f} s")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)


@contextmanager
def msme_kg(store: Path, workers: int) -> Iterator[Peer]:
    """``msme-kg serve --workers N`` over ``store`` (no row cap: the peers return every row either)."""
    port = free_port()
    # no background views: their computation would take a core from the timed requests
    env = {**os.environ, "MSME_KG_MAX_ROWS": str(10**8), "MSME_KG_QUERY_TIMEOUT": "300", "MSME_KG_WARM_VIEWS": "false"}
    command = [sys.executable, "-m", "graph.cli.main", "serve", "--port", str(port), "--store", str(store),
               "--workers", str(workers)]
    process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        _wait(port, "/health", process)
        label = f"msme-kg ({workers} proc{'s' if workers > 1 else ''})"
        yield Peer(label, port, "/sparql", pid=process.pid)
    finally:
        _stop(process)


@contextmanager
def oxigraph_server(binaries: Path, location: Path) -> Iterator[Peer]:
    """``oxigraph serve-read-only`` over ``location``: its default graph is the stored union, like ours."""
    port = free_port()
    command = [str(binaries / "oxigraph"), "serve-read-only", "--location", str(location),
               "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(port, "/query?query=ASK%7B%7D", process)
        yield Peer("Oxigraph server", port, "/query", pid=process.pid)
    finally:
        _stop(process)


def build_oxigraph(binaries: Path, dump: Path, location: Path) -> None:
    """``oxigraph load`` the dump, then ``oxigraph optimize`` (our bulk load ends with the same compaction)."""
    shutil.rmtree(location, ignore_errors=True)
    subprocess.run([str(binaries / "oxigraph"), "load", "--location", str(location), "--file", str(dump)],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([str(binaries / "oxigraph"), "optimize", "--location", str(location)], check=True,
                   stdout=subprocess.DEVNULL)


VIRTUOSO_SCRIPT = PROJECT_DIR / "scripts" / "virtuoso.sh"


def virtuoso_available() -> bool:
    return bool(shutil.which("virtuoso-t") and shutil.which("isql-vt"))


@contextmanager
def virtuoso(folder: Path, dump: Path) -> Iterator[Peer]:
    """A private Virtuoso (own folder and ports) holding the dump; loaded once, kept in ``folder``.

    The dump's default graph (the set union of the documents, as our store keeps it) goes to the
    graph the SPARQL-server backend uses for it; queries name it as their default graph.
    """
    port, http_port = free_port(), free_port()
    env = {**os.environ, "VIRTUOSO_DIR": str(folder), "VIRTUOSO_PORT": str(port),
           "VIRTUOSO_HTTP_PORT": str(http_port)}
    subprocess.run(["bash", str(VIRTUOSO_SCRIPT), "start"], check=True, env=env, stdout=subprocess.DEVNULL)
    try:
        ready = folder / "loaded"
        if not ready.exists() or ready.read_text() != str(dump.stat().st_mtime_ns):
            _virtuoso_load(folder, dump, port)
            ready.write_text(str(dump.stat().st_mtime_ns))
        _wait(http_port, "/sparql?query=ASK%7B%7D", None)
        yield Peer("Virtuoso", http_port, "/sparql", {"default-graph-uri": UNION_GRAPH})
    finally:
        subprocess.run(["bash", str(VIRTUOSO_SCRIPT), "stop"], check=False, env=env, stdout=subprocess.DEVNULL)


def _virtuoso_load(folder: Path, dump: Path, port: int) -> None:
    started = time.perf_counter()
    local = folder / "load"
    shutil.rmtree(local, ignore_errors=True)
    local.mkdir()
    os.link(dump, local / "dump.nq") if dump.stat().st_dev == local.stat().st_dev else shutil.copy(dump, local)
    sql = (f"SPARQL CLEAR GRAPH <{UNION_GRAPH}>; DELETE FROM DB.DBA.load_list; "
           f"ld_dir('{local}', 'dump.nq', '{UNION_GRAPH}'); rdf_loader_run(); checkpoint;")
    subprocess.run(["isql-vt", f"127.0.0.1:{port}", "dba", os.environ.get("VIRTUOSO_DBA_PASSWORD", "dba"),
                    f"exec={sql}"], check=True, stdout=subprocess.DEVNULL)
    print(f"  Virtuoso: dump bulk-loaded in {time.perf_counter() - started:.0f} s", flush=True)

