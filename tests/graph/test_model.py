"""The records every stage shares (graph.model): the role list against the ontology, names, JSON round trips."""

from __future__ import annotations

from pyoxigraph import RdfFormat, Store

from graph import vocab
from graph.model import PARTICIPATION, PREDICATES, Evidence, Extraction, Person, Relation, normalise
from graph.settings import ONTOLOGY_DIR


def test_the_role_list_is_the_ontologys_subproperties_of_participated_in():
    ontology = Store()
    ontology.load(path=str(ONTOLOGY_DIR / "msme.ttl"), format=RdfFormat.TURTLE)
    rows = ontology.query("SELECT ?p WHERE { ?p rdfs:subPropertyOf+ msme:participatedIn }", prefixes=vocab.PREFIXES)
    declared = {vocab.PROPERTY_PREDICATE[row["p"].value.rsplit("#", 1)[1]] for row in rows}
    assert declared == set(PARTICIPATION)
    assert len(PARTICIPATION) == len(set(PARTICIPATION)) and set(PARTICIPATION) <= set(PREDICATES)


def test_normalise_folds_case_accents_punctuation_and_spacing_for_matching():
    assert normalise("  Société  Générale, S.A. ") == "societe generale s a"
    assert normalise("ITC") != normalise("ITU")


def test_an_extraction_survives_its_json_round_trip_with_ids_and_evidence():
    evidence = Evidence(quote="Ana Lima spoke.", start=10, end=25, rule="speaker-verb", confidence=0.8)
    extraction = Extraction(
        doc="d1",
        persons=(Person(name="Ana Lima", id="person-ana-lima", aliases=("A. Lima",)),),
        relations=(Relation("Ana Lima", "spoke_at", "Forum", evidence, role="speaker"),),
    )
    assert Extraction.from_json(extraction.to_json()) == extraction
