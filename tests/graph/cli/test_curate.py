"""``msme-kg curate``: the file keeps comments and order, ids are checked, corrections survive re-ingest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from graph import vocab
from graph.cli.main import main
from graph.curation.file import CurationFile
from graph.ingest.curate_store import resolve_id
from graph.store.core import open_store
from tests.paths import ROOT as PROJECT_DIR

SAMPLE = """\
# Corrections kept by the secretariat.
# Second line of the header.

aliases:
  # the acronym
  - names: [International Trade Centre, ITC]   # trailing comment
    type: organisation
    reason: "acronym"

merge: []   # nothing yet

reject:
  - subject: person-a
    predicate: attended
    object: event-b
    reason: 'quoted: with a colon'
"""

DOC = (
    "Workshop on digital trade for small businesses\n\n"
    "Ms Ada Lovelace, Director of the International Trade Centre, spoke at the workshop in Geneva on 3 May 2021. "
    "Mr Alan Turing, Minister of Trade of Kenya, attended the workshop. "
    "Ms Grace Hopper of the World Bank also attended the workshop and moderated a panel.\n"
)

PERSONS = """SELECT ?p ?name WHERE { GRAPH ?g { ?p a <https://w3id.org/msme-kg/ns#Person> ;
  <http://www.w3.org/2000/01/rdf-schema#label> ?name } }"""
FACTS = """SELECT ?s ?p ?o WHERE { GRAPH ?g { ?st a <https://w3id.org/msme-kg/ns#Statement> ;
  <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?s ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> ?p ;
  <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?o } }"""


def test_the_shipped_file_and_a_commented_sample_round_trip_unchanged(tmp_path):
    sample = tmp_path / "c.yaml"
    sample.write_text(SAMPLE)
    for path in (PROJECT_DIR / "curation.yaml", sample):
        cfile = CurationFile.read(path)
        assert cfile.dump() == path.read_text()
        assert cfile.write() is False
        cfile.curation()  # and it parses


def test_a_malformed_entry_names_its_line(tmp_path):
    bad = tmp_path / "c.yaml"
    bad.write_text(SAMPLE.replace("predicate: attended", "predicate: attends"))
    with pytest.raises(Exception, match=r"c.yaml line 13: unknown predicate 'attends'"):
        CurationFile.read(bad).curation()


@pytest.fixture
def env(tmp_path, monkeypatch, nlp):
    """A store built by ``msme-kg ingest`` from one small document, with a curation file of comments
    and one alias; MSME_KG_STORE and MSME_KG_CURATION point at them."""
    root = tmp_path
    (root / "docs").mkdir()
    (root / "docs" / "workshop.txt").write_text(DOC)
    (root / "curation.yaml").write_text(SAMPLE.split("reject:", maxsplit=1)[0])
    monkeypatch.setenv("MSME_KG_STORE", str(root / "store"))
    monkeypatch.setenv("MSME_KG_CURATION", str(root / "curation.yaml"))
    assert main(["ingest", str(root / "docs"), "--quiet"]) == 0
    return root


def _persons(root: Path) -> dict[str, str]:
    store = open_store(root / "store", read_only=True)
    return {r["name"].value: vocab.short_id(r["p"].value) for r in store.query(PERSONS)}


def _facts(root: Path) -> set[tuple[str, str, str]]:
    store = open_store(root / "store", read_only=True)
    return {tuple(vocab.short_id(r[k].value).rsplit("#", 1)[-1] for k in ("s", "p", "o")) for r in store.query(FACTS)}


def _person(persons: dict[str, str], surname: str) -> str:
    found = [pid for name, pid in persons.items() if surname in name]
    assert found, f"the extractor found no {surname} in {persons}"
    return found[0]


@pytest.mark.slow
def test_merge_writes_the_file_keeping_comments_and_order_and_survives_reingest(env, capsys):
    persons = _persons(env)
    ada, alan = _person(persons, "Lovelace"), _person(persons, "Turing")
    before = (env / "curation.yaml").read_text()
    assert main(["curate", "merge", ada, alan, "--reason", "test: one person"]) == 0
    after = (env / "curation.yaml").read_text()
    assert after.startswith(before.split("merge:")[0])  # header, comments and aliases untouched
    assert "# trailing comment" in after and "# the acronym" in after
    assert after.index("aliases:") < after.index("merge:") < after.index(f"keep: {ada}")
    assert alan not in _persons(env).values()
    store = open_store(env / "store", read_only=True)
    assert resolve_id(store, alan) == ada
    del store
    # re-ingest, even forced, keeps the correction
    assert main(["ingest", str(env / "docs"), "--force", "--quiet"]) == 0
    assert alan not in _persons(env).values() and ada in _persons(env).values()
    # the same command again changes nothing
    assert main(["curate", "merge", ada, alan, "--reason", "test: one person"]) == 0
    assert (env / "curation.yaml").read_text() == after
    assert "nothing changed" in capsys.readouterr().out


@pytest.mark.slow
def test_a_rejected_fact_disappears_but_list_shows_it_and_why(env, capsys):
    facts = _facts(env)
    assert facts, "the extractor found no fact in the test document"
    subject, prop, obj = sorted(facts)[0]
    predicate = vocab.PROPERTY_PREDICATE[prop]
    assert main(["curate", "reject", subject, predicate, obj, "--reason", "not in the text", "--by", "tester"]) == 0
    assert (subject, prop, obj) not in _facts(env)
    capsys.readouterr()
    assert main(["curate", "list"]) == 0
    out = capsys.readouterr().out
    assert f"{subject} {predicate} {obj}" in out and "not in the text" in out and "by: tester" in out
    assert main(["curate", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    [row] = [r for r in rows if r["section"] == "reject"]
    assert row["reason"] == "not in the text" and row["changed"] >= 1
    # a changed document is re-extracted: the rejection still holds
    (env / "docs" / "workshop.txt").write_text(DOC + "\nA reception followed.\n")
    assert main(["ingest", str(env / "docs"), "--quiet"]) == 0
    assert (subject, prop, obj) not in _facts(env)


@pytest.mark.slow
def test_an_unknown_id_is_a_clear_error_and_nothing_is_written(env, capsys):
    before = (env / "curation.yaml").read_text()
    ada = _person(_persons(env), "Lovelace")
    assert main(["curate", "merge", ada, "person-nobody-at-all"]) == 1
    err = capsys.readouterr().err
    assert "no entity with id 'person-nobody-at-all' in the store" in err
    assert (env / "curation.yaml").read_text() == before
    # the same mistake made by hand names the line
    edited = before.replace("merge: []   # nothing yet", "merge:\n  - keep: org-nowhere\n    drop: [org-nothing]")
    (env / "curation.yaml").write_text(edited)
    line = edited.splitlines().index("  - keep: org-nowhere") + 1
    assert main(["curate", "apply"]) == 1
    err = capsys.readouterr().err
    assert f"curation.yaml line {line}: no entity with id 'org-nowhere' in the store" in err
    assert f"curation.yaml line {line}: no entity with id 'org-nothing' in the store" in err


@pytest.mark.slow
def test_assert_alias_type_and_split(env, capsys):
    persons = _persons(env)
    ada, grace = _person(persons, "Lovelace"), _person(persons, "Hopper")
    store = open_store(env / "store", read_only=True)
    event = next(vocab.short_id(q.subject.value) for q in store.quads_for_pattern(None, NamedNode(vocab.RDF + "type"),
                                                                                 vocab.msme("Event"), None))
    del store
    assert main(["curate", "assert", grace, "chaired", event, "--by", "A. Curator", "--reason", "the agenda"]) == 0
    assert (grace, "chaired", event) in _facts(env)
    assert main(["curate", "alias", ada, "Augusta Ada King"]) == 0
    assert main(["curate", "alias", ada, "Countess of Lovelace"]) == 0
    text = (env / "curation.yaml").read_text()
    assert "names: [Augusta Ada King, Countess of Lovelace]" in text
    assert main(["curate", "type", grace, "--type", "organisation", "--kind", "ngo", "--reason", "test"]) == 0
    store = open_store(env / "store", read_only=True)
    rdf_type, alt_label = NamedNode(vocab.RDF + "type"), NamedNode(vocab.SKOS + "altLabel")
    types = {q.object.value for q in store.quads_for_pattern(vocab.entity_iri(grace), rdf_type, None)}
    assert vocab.MSME + "Organisation" in types and vocab.MSME + "Person" not in types
    alt = {q.object.value for q in store.quads_for_pattern(vocab.entity_iri(ada), alt_label, None)}
    assert "Augusta Ada King" in alt
    del store
    assert main(["curate", "split", ada, "--as", "person-ada-two", "--name", "Ada Two", "--doc", "workshop"]) == 0
    assert "person-ada-two" in _persons(env).values() and ada not in _persons(env).values()
    from graph.tools.validate import validate_store

    report = validate_store(open_store(env / "store", read_only=True))  # asserted facts are well-formed too
    assert report.conforms, report.text[:2000]
    capsys.readouterr()
    assert main(["curate", "split", ada, "--as", "person-x"]) == 1
    assert "--doc" in capsys.readouterr().err


@pytest.mark.slow
def test_ingest_applies_a_hand_edited_file_and_reports_unknown_ids(env, capsys):
    from graph.tools.validate import validate_store

    persons = _persons(env)
    ada, alan = _person(persons, "Lovelace"), _person(persons, "Turing")
    text = (env / "curation.yaml").read_text()
    edited = text.replace("merge: []   # nothing yet", f"merge:\n  - keep: {ada}\n    drop: [{alan}]")
    (env / "curation.yaml").write_text(edited)
    assert main(["ingest", str(env / "docs"), "--quiet"]) == 0  # the document is unchanged: only the curation is new
    assert alan not in _persons(env).values()
    report = validate_store(open_store(env / "store", read_only=True))
    assert report.conforms, report.text[:2000]
    (env / "curation.yaml").write_text(text + "types:\n  - id: org-none\n    kind: ngo\n")
    capsys.readouterr()
    assert main(["ingest", str(env / "docs"), "--quiet"]) == 1
    assert "no entity with id 'org-none' in the store" in capsys.readouterr().err


@pytest.mark.slow
def test_parallel_ingest_applies_the_curation_to_unchanged_documents_too(env):
    persons = _persons(env)
    ada, alan = _person(persons, "Lovelace"), _person(persons, "Turing")
    text = (env / "curation.yaml").read_text()
    edited = text.replace("merge: []   # nothing yet", f"merge:\n  - keep: {ada}\n    drop: [{alan}]")
    (env / "curation.yaml").write_text(edited)
    assert main(["ingest", str(env / "docs"), "--quiet", "--workers", "2"]) == 0
    assert alan not in _persons(env).values()
    store = open_store(env / "store", read_only=True)
    assert resolve_id(store, alan) == ada


def test_the_api_shows_curated_facts_with_their_reason_and_follows_merged_ids(env):
    from fastapi.testclient import TestClient

    from api.main import create_app

    persons = _persons(env)
    ada, alan = _person(persons, "Lovelace"), _person(persons, "Turing")
    assert main(["curate", "merge", ada, alan, "--reason", "test: one person"]) == 0
    store = open_store(env / "store", read_only=True)
    with TestClient(create_app(store=store)) as client:
        merged_away = client.get(f"/entities/{alan}")
        assert merged_away.status_code == 200 and merged_away.json()["id"] == ada
        facts = client.get(f"/entities/{ada}").json()["facts"]
    moved = [f for f in facts if f["status"] == "curated"]
    assert moved and all(f["reason"] == "test: one person" and f["quote"] for f in moved)
    assert {f["status"] for f in facts} <= {"extracted", "curated", "asserted"}
