"""What the hostile SPARQL tests need around a live server: a small store, a listener, memory and worker readings."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graph.store.core import bulk_load_quads, open_store
from graph.tools.synth import synth_quads

TOKEN = "hostile-sparql-token"


def synthetic_store(path: Path, triples: int = 11_000) -> Path:
    """A store of about ``triples`` synthetic triples (the seed graph's size; no spaCy needed)."""
    store = open_store(path)
    bulk_load_quads(store, synth_quads(triples, seed=7))
    store.flush()
    del store
    return path


def server_env(**settings: object) -> dict[str, str]:
    """The environment of a server with these settings (``MSME_KG_*``) and the hostile tests' update token."""
    env = {**os.environ, "MSME_KG_UPDATE_TOKEN": TOKEN}
    env.update({f"MSME_KG_{key.upper()}": str(value) for key, value in settings.items()})
    return env


def children(pid: int) -> list[int]:
    """Live child processes of ``pid`` (the query workers and the writer, with multiprocessing's tracker)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return sorted(out)


def workers(pid: int) -> list[int]:
    """The server's worker processes (children running multiprocessing's spawn_main)."""
    found = []
    for child in children(pid):
        try:
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(child)
        except OSError:
            continue
    return found


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def address_limit(pid: int) -> int | None:
    """The soft RLIMIT_AS of a process in bytes (None: unlimited)."""
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max address space"):
            soft = line.split()[3]
            return None if soft == "unlimited" else int(soft)
    return None


@contextmanager
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """(port, requests received) of a TCP listener on 127.0.0.1: what a server-side request forgery would reach."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.1)
    received: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    received.append(conn.recv(4096))
                except OSError:
                    received.append(b"")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], received
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()
