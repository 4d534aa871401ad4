"""Shared fixtures: the seed graph is built once per test session into a temporary store."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from graph.ingest.pipeline import ingest_paths
from graph.store.core import open_store
from tests.paths import ROOT as PROJECT_DIR

SEEDS = PROJECT_DIR / "seeds"

# A server reading a store on disk starts its whole-graph views in a background process
# (graph.views.cache); in the suite every such server would spawn one for views nobody asks for.
# The tests of that cache set what they test explicitly (tests/graph/views/test_cache.py).
os.environ.setdefault("MSME_KG_WARM_VIEWS", "false")

# hand_store, hand_store_path, hand_client: a small hand-made graph for the API tests
# tests.strict: --no-skips (make test) and --fast (make test-fast)
pytest_plugins = ["tests.helpers.hand_graph", "tests.strict"]
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def nlp():
    from graph.nlp.language import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def seed_store_path(tmp_path_factory, nlp) -> Path:
    """A store on disk holding the graph built from seeds/ (read it, do not write it)."""
    path = tmp_path_factory.mktemp("seed-store") / "store"
    store = open_store(path)
    results = ingest_paths(store, [SEEDS], nlp=nlp)
    assert all(r.status == "added" for r in results), results
    store.flush()
    del store
    return path


@pytest.fixture(scope="session")
def seed_store(seed_store_path):
    """The seed graph opened read-only (shared by tests that only read)."""
    return open_store(seed_store_path, read_only=True)


@pytest.fixture
def seed_copy(tmp_path) -> Path:
    """A private, writable copy of the seed documents."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target
