"""A newcomer's path, for real: a fresh clone, `make run` with nothing cached, then the wheel installed
somewhere else entirely.

1. ``git clone`` of this repository (its last commit: what a newcomer gets) into a temporary folder,
   where ``make run`` with the pip cache disabled creates the clone's own venv from the registry (the
   hash-pinned pip first, then the lock), builds the seed graph and serves it; the test waits for
   ``/health`` and stops it. (Its install step, ``make venv``, is started in the background as soon
   as the run's tests are known: tests/install/background.py.)
2. The clone's venv builds the wheel (``--no-build-isolation``: the lock's setuptools), which is
   installed into a new venv outside any checkout; from an empty folder ``msme-kg`` ingests one seed,
   answers a named query, validates, exports and serves: everything it reads at run time (ontology,
   queries, gazetteers, web templates and scripts) must have travelled inside the wheel.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import tomllib
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers.server import free_port
from tests.install.background import INSTALL_TIMEOUT, Installs, clean_env
from tests.paths import ROOT

pytestmark = [pytest.mark.install, pytest.mark.slow]

SEED = "004_ec326512ef44b194.txt"  # a seed with people and economies


def _run(command: list[str | Path], cwd: Path, timeout: float = 600, **extra: str) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=clean_env(**extra), capture_output=True,
                          text=True, timeout=timeout, check=False)
    shown = " ".join(map(str, command))
    assert done.returncode == 0, f"{shown} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


@contextmanager
def _serving(command: list[str | Path], cwd: Path, url: str, timeout: float, **extra: str) -> Iterator[dict]:
    """Start ``command`` in its own process group, yield /health's JSON once it answers, then stop the group."""
    log_path = cwd / f"serve-{time.monotonic_ns()}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([str(c) for c in command], cwd=cwd, env=clean_env(**extra), stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            assert process.poll() is None, f"exited {process.returncode}:\n{log_path.read_text()[-4000:]}"
            assert time.monotonic() < deadline, f"no answer at {url} in {timeout} s:\n{log_path.read_text()[-4000:]}"
            try:
                status, body = _get(url)
                if status == 200:
                    break
            except OSError:
                time.sleep(1)
        yield json.loads(body)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@dataclass
class Clone:
    root: Path
    health: dict
    install_seconds: float
    run_seconds: float

    @property
    def python(self) -> Path:
        return self.root / ".venv" / "bin" / "python"


@pytest.fixture(scope="module")
def clone(installs: Installs) -> Clone:
    """The fresh clone (its venv made with the pip cache disabled) after `make run` has served it once."""
    install_seconds = installs.clone.wait()
    port = free_port()
    started = time.monotonic()
    with _serving(["make", "run", f"PORT={port}"], installs.clone_root, f"http://127.0.0.1:{port}/health",
                  INSTALL_TIMEOUT, PIP_NO_CACHE_DIR="1") as health:
        return Clone(installs.clone_root, health, install_seconds, time.monotonic() - started)


def test_make_run_on_a_fresh_clone_installs_builds_and_serves(clone):
    assert clone.health == {"status": "ok", "documents": len(list((clone.root / "seeds").iterdir()))}
    pip = _run([clone.python, "-m", "pip", "--version"], cwd=clone.root).stdout
    bootstrap = (clone.root / "requirements-bootstrap.txt").read_text()
    assert f"pip=={pip.split()[1]} " in bootstrap  # the hash-pinned installer, not the venv's own
    _run([clone.python, "-m", "pip", "check"], cwd=clone.root)
    print(f"fresh clone: make venv (no pip cache) {clone.install_seconds:.0f} s, then make run to /health "
          f"{clone.run_seconds:.0f} s")


@pytest.fixture(scope="module")
def wheel(clone, tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    _run([clone.python, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", dist, clone.root],
         cwd=clone.root)
    (built,) = dist.glob("msme_kg-*.whl")
    return built


def test_the_wheel_carries_the_data_folders_and_nothing_of_the_checkout(clone, wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    tracked = _run(["git", "ls-files", "ontology", "queries", "web"], cwd=clone.root).stdout.split()
    assert tracked and {f"graph/_data/{path}" for path in tracked} <= names
    assert "graph/py.typed" in names
    assert not [n for n in names if n.startswith(("tests/", "seeds/", "bench/")) or "__pycache__" in n]


def test_a_wheel_built_from_the_sdist_holds_the_same_files(clone, wheel, tmp_path):
    """`pip install msme-kg-0.1.0.tar.gz` works too: the sdist carries what setup.py copies (MANIFEST.in)."""
    build = "from setuptools import build_meta; import sys; print(build_meta.build_sdist(sys.argv[1]))"
    name = _run([clone.python, "-c", build, tmp_path], cwd=clone.root).stdout.split()[-1]
    _run(["tar", "xzf", tmp_path / name], cwd=tmp_path)
    unpacked = tmp_path / name.removesuffix(".tar.gz")
    _run([clone.python, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", tmp_path / "dist",
          unpacked], cwd=tmp_path)
    (from_sdist,) = (tmp_path / "dist").glob("msme_kg-*.whl")
    assert set(zipfile.ZipFile(from_sdist).namelist()) == set(zipfile.ZipFile(wheel).namelist())


@pytest.fixture(scope="module")
def installed(wheel: Path, installs: Installs) -> tuple[Path, Path]:
    """(venv bin, an empty working folder): the lock, then the wheel, nowhere near a checkout."""
    installs.elsewhere.wait()
    bin_dir = installs.elsewhere_venv / "bin"
    _run([bin_dir / "python", "-m", "pip", "install", "--quiet", "--no-deps", wheel], cwd=installs.elsewhere_venv)
    work = installs.elsewhere_venv.parent / "work"
    work.mkdir()
    return bin_dir, work


def test_the_installed_package_reads_nothing_from_a_checkout(installed):
    bin_dir, work = installed
    where = _run([bin_dir / "python", "-c", "import graph, graph.settings as s; print(graph.__file__); "
                  "print(*(s.resource_dir(n) for n in s.RESOURCES))"], cwd=work).stdout.split()
    site = bin_dir.parent / "lib"
    assert all(Path(p).is_relative_to(site) for p in where), where
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert _run([bin_dir / "msme-kg", "--version"], cwd=work).stdout.strip() == f"msme-kg {version}"


def test_the_installed_command_ingests_queries_validates_exports_and_serves(installed, clone):
    bin_dir, work = installed
    msme_kg = bin_dir / "msme-kg"
    ingest = _run([msme_kg, "ingest", clone.root / "seeds" / SEED], cwd=work)
    assert "1 added" in ingest.stdout and "economies" in ingest.stderr
    assert (work / "data" / "store" / "CURRENT").is_file()  # the default store, relative to the current folder
    people = _run([msme_kg, "query", "people", "--format", "csv"], cwd=work).stdout.splitlines()
    assert people[0].startswith("person,name") and len(people) > 5
    assert "conforms" in _run([msme_kg, "validate"], cwd=work).stdout
    _run([msme_kg, "export", "-f", "html", "-o", "graph.html"], cwd=work)
    assert "cytoscape" in (work / "graph.html").read_text()  # the vendored script, inlined
    port = free_port()
    with _serving([msme_kg, "serve", "--port", str(port)], work, f"http://127.0.0.1:{port}/health", 120) as health:
        assert health == {"status": "ok", "documents": 1}
        status, page = _get(f"http://127.0.0.1:{port}/web/")
        assert status == 200 and b"<html" in page.lower()
        status, script = _get(f"http://127.0.0.1:{port}/web/static/app.js")
        assert status == 200 and script
