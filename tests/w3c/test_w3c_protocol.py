"""The W3C SPARQL 1.1 Protocol test suite (tests/data/w3c/protocol/manifest.ttl), against a live server.

Every request of every test is sent over HTTP to `msme-kg serve` (started with an update token
on a new store); the data a test names is loaded first into the graph it names. Result: one
pytest case per manifest entry, so the pass count is the suite's.
"""

from __future__ import annotations

import pytest

from tests.helpers import w3c
from tests.w3c.conftest import TOKEN

pytestmark = pytest.mark.server  # a live msme-kg serve

MANIFEST = w3c.W3C / "protocol" / "manifest.ttl"
TESTS = w3c.load(MANIFEST)


def test_the_manifest_has_its_34_tests():
    assert len(TESTS) == 34
    assert len({t.local for t in TESTS}) == 34


@pytest.mark.parametrize("test", TESTS, ids=[t.local for t in TESTS])
def test_protocol(w3c_client, test):
    for path, graph in test.graph_data:
        data = path.read_text(encoding="utf-8")
        loaded = w3c_client.post("/sparql", content=f"INSERT DATA {{ GRAPH <{graph}> {{\n{data}\n}} }}",
                                 headers={"content-type": "application/sparql-update",
                                          "authorization": f"Bearer {TOKEN}"})
        assert loaded.status_code == 204, loaded.text
    problem = w3c.play(w3c_client, test, prefix="/sparql/", endpoint="/sparql", token=TOKEN)
    assert problem is None, f"{test.name}: {problem}"
