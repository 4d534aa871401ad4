"""Search through the API (/search) and kept current by ingest (graph.store.search beside the store)."""

from __future__ import annotations

import pytest

from graph.store.search import SearchIndex, entries_from_store, fingerprint, rebuild_index


def _ids(index, q, **kw):
    return [hit.id for hit in index.search(q, **kw)]


def test_search_endpoint(hand_client):
    response = hand_client.get("/search", params={"q": "exampel trade agncy"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["id"] == "org-example-trade-agency"
    assert results[0]["iri"].endswith("/id/org-example-trade-agency")
    people = hand_client.get("/search", params={"q": "nunez", "type": "person"}).json()["results"]
    assert [r["label"] for r in people] == ["José Núñez"]
    assert hand_client.get("/search", params={"q": ""}).status_code == 422


@pytest.mark.slow
def test_ingest_keeps_the_index_current(seed_copy, nlp, tmp_path):
    from graph.ingest.pipeline import ingest_paths
    from graph.store.core import open_store

    store = open_store(tmp_path / "store")
    idx = SearchIndex.open(tmp_path / "search.sqlite")
    first = sorted(seed_copy.glob("000_*"))[0]
    ingest_paths(store, [first], nlp=nlp, index=idx)
    doc_id = first.stem
    assert set(idx.documents()) == {doc_id}
    assert _ids(idx, "Japan", types=["economy"])
    names_before = {e.text for e in entries_from_store(store, doc_id)}
    fresh = rebuild_index(store, None)
    assert {h.id for h in fresh.search("japan")} == {h.id for h in idx.search("japan")}
    first.write_text(first.read_text() + "\nThe delegation of Ruritania also attended.\n")
    ingest_paths(store, [first], nlp=nlp, index=idx)
    assert idx.fingerprint_of(doc_id) == fingerprint(entries_from_store(store, doc_id))
    assert {e.text for e in entries_from_store(store, doc_id)} >= names_before - {""}
