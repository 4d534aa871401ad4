"""resolve(): one entity per real thing, deterministic ids that are valid for any input."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from graph.model import Event, Evidence, Extraction, Organisation, Person, Relation
from graph.resolve import make_id, resolve, slug

EV = Evidence("q", 0, 1, "test", 1.0)


def test_acronym_and_full_name_share_one_gazetteer_id():
    a = resolve(Extraction("a.txt", organisations=(Organisation("ITC"),)))
    b = resolve(Extraction("b.txt", organisations=(Organisation("International Trade Centre", ("ITC",)),)))
    assert a.organisations[0].id == b.organisations[0].id == "org-international-trade-centre"


def test_duplicates_merge_and_relations_follow():
    x = Extraction(
        "d.txt",
        persons=(Person("Ada Quill"), Person("Ada B Quill"), Person("Quill")),
        events=(Event("Trade Forum 2030"),),
        relations=(
            Relation("Quill", "spoke_at", "Trade Forum 2030", EV),
            Relation("Ada Quill", "spoke_at", "Trade Forum 2030", EV),
        ),
    )
    r = resolve(x)
    assert len(r.persons) == 2  # 'Quill' alone is not merged by name rules, only as an alias by the extractor
    names = {p.name for p in r.persons}
    assert "Ada B Quill" in names
    assert all(rel.subject in {n for p in r.persons for n in (p.name, *p.aliases)} for rel in r.relations)


def test_generic_event_ids_are_document_scoped():
    a = resolve(Extraction("a.txt", events=(Event("opening session"), Event("UNCTAD Week 2031"))))
    b = resolve(Extraction("b.txt", events=(Event("opening session"), Event("UNCTAD Week 2031"))))
    ids_a = {e.name: e.id for e in a.events}
    ids_b = {e.name: e.id for e in b.events}
    assert ids_a["opening session"] != ids_b["opening session"]
    assert ids_a["UNCTAD Week 2031"] == ids_b["UNCTAD Week 2031"]


def test_economy_id_from_iso3():
    from graph.model import Economy

    r = resolve(Extraction("a.txt", countries=(Economy("Hong Kong, China", "HKG"),)))
    assert r.countries[0].id == "economy-hkg"


@given(st.text(max_size=400))
def test_ids_valid_for_any_unicode(name):
    for prefix in ("person", "org", "event"):
        ident = make_id(prefix, name, scope="doc")
        assert re.fullmatch(r"[a-z0-9-]+", ident)
        assert len(ident) <= 90
        assert ident == make_id(prefix, name, scope="doc")
    assert re.fullmatch(r"[a-z0-9-]+", slug(name))
