"""`msme-kg serve --workers N`: N server processes reading one store, `msme-kg ingest` the one writer."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from api.transport import set_nodelay
from graph.store.core import open_store
from graph.views import lookups
from tests.helpers.server import serving
from tests.paths import ROOT as PROJECT_DIR
from tests.paths import SEEDS as SEEDS_DIR

pytestmark = [pytest.mark.slow, pytest.mark.server]


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.fixture
def store_copy(seed_store_path, tmp_path) -> Path:
    store = tmp_path / "store"
    shutil.copytree(seed_store_path, store, ignore=shutil.ignore_patterns("LOCK"))
    return store


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="counts worker processes through Linux /proc")
def test_several_workers_answer_like_one_and_see_a_concurrent_ingest(store_copy, tmp_path):
    expected = lookups.events(open_store(store_copy, read_only=True))
    with serving(store_copy, "--workers", "3") as (base, process):
        workers = _children(process.pid)
        assert len(workers) >= 3, f"expected 3 server processes under {process.pid}, found {workers}"
        with ThreadPoolExecutor(max_workers=6) as pool:
            pages = list(pool.map(lambda _: _get(base + "/events?limit=1000"), range(24)))
        assert all(page["items"] == expected and page["total"] == len(expected) for page in pages)

        before = _get(base + "/health")["documents"]
        docs = tmp_path / "new"
        docs.mkdir()
        shutil.copy(sorted(SEEDS_DIR.glob("*.txt"))[1], docs / "a-new-report.txt")
        subprocess.run([sys.executable, "-m", "graph.cli.main", "ingest", str(docs), "--store", str(store_copy),
                        "--quiet"], cwd=PROJECT_DIR, check=True, capture_output=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # every worker reopens the store once it sees the files changed
            with ThreadPoolExecutor(max_workers=6) as pool:
                counts = set(pool.map(lambda _: _get(base + "/health")["documents"], range(24)))
            if counts == {before + 1}:
                break
            time.sleep(0.2)
        assert counts == {before + 1}
        assert _get(base + "/documents/a-new-report")["id"] == "a-new-report"


def test_several_workers_refuse_an_update_token(store_copy):
    env = {**os.environ, "MSME_KG_UPDATE_TOKEN": "secret"}
    done = subprocess.run([sys.executable, "-m", "graph.cli.main", "serve", "--store", str(store_copy), "--port", "1",
                           "--workers", "2"], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode != 0
    assert "--workers 1" in done.stderr and "write lock" in done.stderr


def test_worker_connections_get_tcp_nodelay():
    """A listening socket made like uvicorn's parent makes it (protocol 0) accepts connections without
    TCP_NODELAY, so keep-alive responses wait for delayed ACKs; the workers' protocol sets it."""

    class Transport:
        def __init__(self, sock):
            self.sock = sock

        def get_extra_info(self, name):
            return self.sock if name == "socket" else None

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname()) as _client:
            accepted, _ = server.accept()
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
                set_nodelay(Transport(accepted))
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
