"""apply_curation on hand-built extractions: each operation, and what the mapped graph then holds."""

import dataclasses
from datetime import UTC, datetime

import pytest
from pyoxigraph import Literal, NamedNode, Store

from graph import vocab
from graph.curation.apply import (
    Alias,
    Assert,
    Curation,
    Merge,
    Reject,
    Retype,
    Split,
    apply_curation,
    curate_extraction,
)
from graph.curation.file import check_ids
from graph.errors import CurationError
from graph.ingest.curate_store import apply_to_store, resolve_id
from graph.model import Document, Event, Evidence, Extraction, Initiative, Organisation, Person, Relation, normalise
from graph.rdf.curation_quads import curation_graph_quads, document_graph_quads
from graph.rdf.map import extraction_quads
from graph.resolve import place_id
from graph.store.core import replace_graph

TEXT = (
    "Ms Ann Lee of the ITC spoke at the Trade Forum. "
    "The International Trade Centre organised the Trade Forum. "
    "J. Smith of the Ministry of Trade attended. J. Smith of the Chamber attended too."
)


def ev(quote: str) -> Evidence:
    start = TEXT.index(quote)
    return Evidence(quote, start, start + len(quote), "test", 0.8)


def extraction() -> Extraction:
    return Extraction(
        doc="d1.txt",
        persons=(Person("Ann Lee", id="person-ann-lee"), Person("J. Smith", id="person-j-smith")),
        organisations=(
            Organisation("ITC", id="org-itc"),
            Organisation("International Trade Centre", kind="intergovernmental", id="org-international-trade-centre"),
            Organisation("Trade Forum Series", id="org-trade-forum-series"),
        ),
        events=(Event("Trade Forum", "2021-05-03", location="Geneva", kind="forum", id="event-trade-forum"),),
        relations=(
            Relation("Ann Lee", "spoke_at", "Trade Forum", ev("Ms Ann Lee of the ITC spoke at the Trade Forum")),
            Relation("Ann Lee", "affiliated_with", "ITC", ev("Ann Lee of the ITC")),
            Relation("International Trade Centre", "organised", "Trade Forum",
                     ev("The International Trade Centre organised the Trade Forum")),
            Relation("J. Smith", "attended", "Trade Forum", ev("J. Smith of the Ministry of Trade attended")),
            Relation("J. Smith", "attended", "Trade Forum", ev("J. Smith of the Chamber attended too")),
        ),
    )


def ids(ex: Extraction) -> set[str]:
    return {e.id for _, e in ex.entities()}


def test_merge_keeps_the_first_id_and_the_facts_with_their_evidence():
    cur = Curation(merges=(Merge("org-international-trade-centre", ("org-itc",), reason="ITC is its acronym"),))
    out = apply_curation(extraction(), cur, "d1")
    assert "org-itc" not in ids(out)
    [itc] = [o for o in out.organisations if o.id == "org-international-trade-centre"]
    assert "ITC" in itc.aliases
    [moved] = [r for r in out.relations if r.predicate == "affiliated_with"]
    assert moved.status == "curated" and moved.reason == "ITC is its acronym"
    assert moved.evidence == ev("Ann Lee of the ITC")
    untouched = [r for r in out.relations if r.predicate == "organised"]
    assert untouched[0].status == "extracted"
    quads = extraction_quads(Document("d1", "t", TEXT, "d1.txt", "0" * 64), out, datetime(2024, 1, 1, tzinfo=UTC))
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    kept = vocab.entity_iri("org-international-trade-centre")
    assert (vocab.entity_iri("person-ann-lee"), vocab.msme("affiliatedWith"), kept) in triples
    assert (None, None, None) not in triples
    assert not any(vocab.entity_iri("org-itc") in (q.subject, q.object) for q in quads)
    statuses = {q.object.value for q in quads if q.predicate == vocab.msme("status")}
    reasons = {q.object.value for q in quads if q.predicate == vocab.msme("reason")}
    assert statuses == {"extracted", "curated"} and reasons == {"ITC is its acronym"}


def test_merge_into_an_id_absent_from_the_document_renames_it():
    cur = Curation(merges=(Merge("org-unctad", ("org-itc",)),))
    out, report = curate_extraction(extraction(), cur, "d1")
    assert "org-unctad" in ids(out) and "org-itc" not in ids(out)
    assert report.redirects == {"org-itc": "org-unctad"}


def test_alias_group_unifies_every_name_under_one_id():
    cur = Curation(aliases=(Alias(("International Trade Centre", "ITC", "Intl Trade Centre"), reason="one body"),))
    out = apply_curation(extraction(), cur, "d1")
    [itc] = [o for o in out.organisations if "ITC" in (o.name, *o.aliases)]
    assert itc.name == "International Trade Centre"
    assert {"ITC", "Intl Trade Centre"} <= set(itc.aliases)
    assert len([o for o in out.organisations if o.id == itc.id]) == 1
    assert "org-itc" not in ids(out)


def test_alias_with_an_id_adds_other_spellings():
    cur = Curation(aliases=(Alias(("Anne Lee", "A. Lee"), id="person-ann-lee"),))
    [ann, _] = apply_curation(extraction(), cur, "d1").persons
    assert ann.aliases == ("Anne Lee", "A. Lee")


def test_split_by_document_gives_the_mentions_in_that_document_a_new_id():
    cur = Curation(splits=(Split("person-j-smith", "person-jane-smith", name="Jane Smith", docs=("d1",), reason="x"),))
    out = apply_curation(extraction(), cur, "d1")
    assert "person-jane-smith" in ids(out) and "person-j-smith" not in ids(out)
    other = apply_curation(dataclasses.replace(extraction(), doc="d2.txt"), cur, "d2")
    assert "person-j-smith" in ids(other) and "person-jane-smith" not in ids(other)
    assert {r.status for r in out.relations if r.subject == "J. Smith"} == {"curated"}


def test_split_by_context_moves_only_the_facts_whose_quote_matches():
    cur = Curation(splits=(Split("person-j-smith", "person-john-smith", name="John Smith", context="Chamber",
                                 reason="two people share the initial"),))
    out = apply_curation(extraction(), cur, "d1")
    assert {"person-j-smith", "person-john-smith"} <= ids(out)
    lookup = out.lookup()
    attended = {(lookup[normalise(r.subject)][1].id, r.evidence.quote)
                for r in out.relations if r.predicate == "attended"}
    assert ("person-john-smith", "J. Smith of the Chamber attended too") in attended
    assert ("person-j-smith", "J. Smith of the Ministry of Trade attended") in attended


def test_reject_removes_the_fact_and_only_in_the_named_document():
    cur = Curation(rejects=(Reject("person-ann-lee", "spoke_at", "event-trade-forum", reason="she sent a video"),))
    out = apply_curation(extraction(), cur, "d1")
    assert not [r for r in out.relations if r.predicate == "spoke_at"]
    elsewhere = Curation(rejects=(Reject("person-ann-lee", "spoke_at", "event-trade-forum", doc="d9", reason="r"),))
    assert [r for r in apply_curation(extraction(), elsewhere, "d1").relations if r.predicate == "spoke_at"]


def test_reject_follows_merges_and_clears_event_locations():
    cur = Curation(
        merges=(Merge("org-international-trade-centre", ("org-itc",)),),
        rejects=(
            Reject("person-ann-lee", "affiliated_with", "org-itc", reason="wrong"),
            Reject("event-trade-forum", "located_in", place_id("Geneva"), reason="held online"),
        ),
    )
    out, report = curate_extraction(extraction(), cur, "d1")
    assert not [r for r in out.relations if r.predicate == "affiliated_with"]
    assert out.events[0].location is None
    assert sum(report.matched.values()) >= 3


def test_types_correct_type_and_kind():
    cur = Curation(types=(Retype("org-trade-forum-series", type="initiative", kind="programme", reason="a series"),
                          Retype("org-itc", kind="intergovernmental")))
    out = apply_curation(extraction(), cur, "d1")
    assert out.initiatives == (Initiative("Trade Forum Series", kind="programme", id="org-trade-forum-series"),)
    assert [o.kind for o in out.organisations if o.id == "org-itc"] == ["intergovernmental"]


def test_an_empty_curation_changes_nothing():
    assert apply_curation(extraction(), Curation(), "d1") == extraction()


def test_unknown_ids_are_clear_errors_with_their_line():
    known = {e.id: t for t, e in extraction().entities()}
    cur = Curation(merges=(Merge("org-itc", ("org-nowhere",), line=7),), source="curation.yaml")
    assert check_ids(cur, known) == ["curation.yaml line 7: no entity with id 'org-nowhere' in the store"]
    wrong_type = Curation(merges=(Merge("org-itc", ("person-ann-lee",), line=3),))
    assert "correct the type first" in check_ids(wrong_type, known)[0]


def _stored() -> Store:
    store = Store()
    doc = Document("d1", "Trade Forum", TEXT, "d1.txt", "0" * 64)
    quads = document_graph_quads(doc, extraction(), None, datetime(2024, 1, 1, tzinfo=UTC))
    replace_graph(store, vocab.graph_iri("d1"), quads)
    return store


def test_apply_to_store_rewrites_graphs_and_old_ids_resolve():
    store = _stored()
    cur = Curation(merges=(Merge("org-international-trade-centre", ("org-itc",), reason="acronym"),), sha256="abc")
    report = apply_to_store(store, cur)
    assert report.replaced == ["d1"]
    assert resolve_id(store, "org-itc") == "org-international-trade-centre"
    assert resolve_id(store, "person-ann-lee") == "person-ann-lee"
    itc = vocab.entity_iri("org-itc")
    about_itc = {(q.predicate.value, q.graph_name) for q in store.quads_for_pattern(itc, None, None, None)}
    links = {vocab.MSME + "mergedInto", vocab.OWL + "sameAs"}
    assert {p for p, _ in about_itc} == links  # no label, type or fact left: only the way to the kept id
    assert not list(store.quads_for_pattern(None, None, itc, None))
    assert apply_to_store(store, cur).unchanged == ["d1"]


def test_apply_to_store_refuses_unknown_ids_before_writing():
    store = _stored()
    before = set(store)
    with pytest.raises(CurationError, match="no entity with id 'org-foo'"):
        apply_to_store(store, Curation(merges=(Merge("org-foo", ("org-itc",), line=4),)))
    assert set(store) == before


def test_asserted_facts_live_in_the_curation_graph_with_who_and_why():
    fact = Assert("person-ann-lee", "chaired", "event-trade-forum", by="A. Curator", reason="the agenda says so",
                  quote="spoke at the Trade Forum", doc="d1")
    quads = curation_graph_quads(Curation(asserts=(fact,)), {"d1": TEXT})
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    assert (vocab.entity_iri("person-ann-lee"), vocab.msme("chaired"), vocab.entity_iri("event-trade-forum")) in triples
    values = {q.predicate: q.object for q in quads}
    assert values[vocab.msme("status")] == Literal("asserted")
    assert values[vocab.msme("assertedBy")] == Literal("A. Curator")
    assert values[vocab.msme("reason")] == Literal("the agenda says so")
    start = TEXT.index("spoke at the Trade Forum")
    assert values[NamedNode(vocab.OA + "start")].value == str(start)


def test_documents_a_curation_names_must_be_stored():
    store = _stored()
    cur = Curation(rejects=(Reject("person-ann-lee", "spoke_at", "event-trade-forum", doc="d404", reason="r", line=9),))
    with pytest.raises(CurationError, match="line 9: no document 'd404' in the store"):
        apply_to_store(store, cur)
    ok = Curation(rejects=(Reject("person-ann-lee", "spoke_at", "event-trade-forum", doc="d1", reason="r"),))
    assert apply_to_store(store, ok).matched == {0: 1}


def test_the_shipped_file_names_unctad_by_its_new_name_too():
    from graph.curation.apply import derived_id
    from graph.curation.file import load_curation
    from tests.paths import ROOT as PROJECT_DIR

    shipped = load_curation(PROJECT_DIR / "curation.yaml")
    unctad = derived_id("United Nations Conference on Trade and Development", "organisation")
    new_name = Extraction(
        "d2.txt",
        organisations=(Organisation("UN Trade and Development", id="org-un-trade-and-development"),),
    )
    [org] = apply_curation(new_name, shipped, "d2").organisations
    assert org.id == unctad and "UNCTAD" in org.aliases


def test_extraction_json_round_trips_with_status_and_ignores_unknown_keys():
    curated = apply_curation(extraction(), Curation(merges=(Merge("org-international-trade-centre", ("org-itc",),
                                                                   reason="acronym"),)), "d1")
    data = curated.to_json()
    assert Extraction.from_json(data) == curated
    data["persons"][0]["future_field"] = 1
    data["relations"][0]["sentence_id"] = 7
    data["extractor_version"] = "2"
    assert Extraction.from_json(data) == curated


def test_ids_a_curation_moved_stay_nameable_without_parsing_extractions():
    store = _stored()
    split = Split("person-j-smith", "person-jane-smith", name="Jane Smith", docs=("d1",))
    merge = Merge("org-international-trade-centre", ("org-itc",))
    apply_to_store(store, Curation(splits=(split,), merges=(merge,), sha256="one"))
    assert "person-j-smith" not in {vocab.short_id(q.subject.value) for q in store.quads_for_pattern(
        None, NamedNode(vocab.RDF + "type"), vocab.msme("Person"), None)}
    later = Curation(splits=(split,), merges=(merge,), sha256="two",
                     rejects=(Reject("person-j-smith", "attended", "event-trade-forum", reason="r"),
                              Reject("person-ann-lee", "affiliated_with", "org-itc", reason="r")))
    report = apply_to_store(store, later)
    assert report.replaced == ["d1"] and sum(report.matched.values()) >= 2


def test_a_merge_into_itself_is_refused_with_its_line(tmp_path):
    from graph.curation.file import load_curation

    path = tmp_path / "c.yaml"
    path.write_text("# mine\nmerge:\n  - keep: org-itc\n    drop: [org-itc]\n")
    with pytest.raises(CurationError, match=r"c\.yaml line 3: an entity cannot be merged into itself"):
        load_curation(path)


def test_a_new_curation_file_starts_with_its_explaining_comment(tmp_path):
    from graph.curation.file import CurationFile

    path = tmp_path / "new" / "curation.yaml"
    cfile = CurationFile.read(path)
    assert cfile.add("merge", {"keep": "org-a", "drop": ["org-b"], "reason": "same body"})
    assert cfile.write()
    text = path.read_text()
    assert text.startswith("# Corrections to the knowledge graph") and "keep: org-a" in text
    again = CurationFile.read(path)
    assert again.dump() == text and again.curation().merges[0].drop == ("org-b",)
