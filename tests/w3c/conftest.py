"""A live `msme-kg serve` with an update token, on a new store, for the W3C Protocol suites (one per session)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx
import pytest

from tests.helpers.server import serving

TOKEN = "w3c-suite-token"


@pytest.fixture(scope="session")
def w3c_server(tmp_path_factory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("w3c") / "store"
    env = {**os.environ, "MSME_KG_UPDATE_TOKEN": TOKEN, "MSME_KG_QUERY_WORKERS": "1"}
    with serving(store, "--create", env=env) as (base, _process):  # a new, empty store
        yield base


@pytest.fixture
def w3c_client(w3c_server) -> Iterator[httpx.Client]:
    """A client on the live server, whose store is emptied first (each W3C test starts from nothing)."""
    with httpx.Client(base_url=w3c_server, timeout=30) as client:
        cleared = client.post("/sparql", content="DROP ALL", headers={"content-type": "application/sparql-update",
                                                                       "authorization": f"Bearer {TOKEN}"})
        assert cleared.status_code == 204, cleared.text
        yield client
