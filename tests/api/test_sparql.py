import pytest
from fastapi.testclient import TestClient

from api.main import create_app

pytestmark = pytest.mark.slow

PERSONS = "SELECT ?name WHERE { ?p a <https://w3id.org/msme-kg/ns#Person> ; <http://www.w3.org/2000/01/rdf-schema#label> ?name }"


@pytest.fixture(scope="module")
def client(seed_store):
    with TestClient(create_app(store=seed_store)) as c:
        yield c


def _names(response) -> set[str]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    return {b["name"]["value"] for b in response.json()["results"]["bindings"]}


def test_get_post_form_and_post_direct_agree(client):
    by_get = _names(client.get("/sparql", params={"query": PERSONS}))
    by_form = _names(client.post("/sparql", data={"query": PERSONS}))
    by_direct = _names(client.post("/sparql", content=PERSONS, headers={"content-type": "application/sparql-query"}))
    assert by_get == by_form == by_direct
    assert "Alicia Greenidge" in by_get


def test_malformed_query_is_400_with_the_parser_message(client):
    response = client.get("/sparql", params={"query": "SELECT ?x WHERE {"})
    assert response.status_code == 400
    assert "error" in response.json()["detail"]


def test_health(client):
    assert client.get("/health").json()["documents"] == 5
