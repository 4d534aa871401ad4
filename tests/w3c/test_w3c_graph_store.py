"""The W3C SPARQL 1.1 Graph Store HTTP Protocol suite (direct and indirect identification), against a live server.

The manifests' ``/gsp`` is this server's ``/store``; each test starts from an empty store.
"""

from __future__ import annotations

import pytest

from tests.helpers import w3c
from tests.w3c.conftest import TOKEN

pytestmark = pytest.mark.server  # a live msme-kg serve

MANIFEST = w3c.W3C / "graph-store-protocol" / "manifest.ttl"
TESTS = w3c.load(MANIFEST, unlisted=True)


def test_the_manifests_have_their_14_tests():
    """13 listed in mf:entries, and head_non_existing_direct, described in manifest-direct.ttl but not listed."""
    assert len(TESTS) == 14
    assert len(w3c.load(MANIFEST)) == 13
    assert {t.local for t in TESTS} >= {"put_get_default", "post_get_new_graph", "head_existing_direct"}


@pytest.mark.parametrize("test", TESTS, ids=[t.local for t in TESTS])
def test_graph_store(w3c_client, test):
    problem = w3c.play(w3c_client, test, prefix="/gsp", endpoint="/store", token=TOKEN)
    assert problem is None, f"{test.name}: {problem}"
