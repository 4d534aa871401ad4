"""The scorer follows SCHEMA.md: aliases and iso3 match, each gold entity counts once, sessions lenient."""

from __future__ import annotations

from graph.tools.evaluate import EvalReport, extraction_from_json, score


def _doc(**kw):
    base = {
        "doc": "x.txt",
        "persons": [],
        "organisations": [],
        "countries": [],
        "initiatives": [],
        "events": [],
        "relations": [],
    }
    base.update(kw)
    return base


def test_alias_and_honorific_match():
    gold = _doc(persons=[{"name": "Ada Quill", "aliases": ["Quill"]}])
    pred = _doc(persons=[{"name": "Dr Ada  Quill", "aliases": []}])
    s = score(pred, gold)
    assert (s.entities["person"].tp, s.entities["person"].fp, s.entities["person"].fn) == (1, 0, 0)


def test_economy_matches_by_iso3():
    gold = _doc(countries=[{"name": "Korea, Republic of", "iso3": "KOR"}])
    pred = _doc(countries=[{"name": "Republic of Korea", "iso3": "KOR"}])
    assert score(pred, gold).entities["economy"].tp == 1


def test_each_gold_entity_counts_once():
    gold = _doc(organisations=[{"name": "International Trade Centre", "aliases": ["ITC"]}])
    pred = _doc(organisations=[{"name": "ITC"}, {"name": "International Trade Centre"}])
    c = score(pred, gold).entities["organisation"]
    assert (c.tp, c.fp, c.fn) == (1, 1, 0)


def test_relation_matches_through_aliases_of_either_file():
    gold = _doc(
        organisations=[{"name": "International Trade Centre", "aliases": ["ITC"]}],
        events=[{"name": "Forum", "part_of": None}],
        relations=[{"subject": "International Trade Centre", "predicate": "spoke_at", "object": "Forum"}],
    )
    pred = _doc(
        organisations=[{"name": "ITC"}],
        events=[{"name": "Forum"}],
        relations=[
            {"subject": "ITC", "predicate": "spoke_at", "object": "Forum"},
            {"subject": "ITC", "predicate": "attended", "object": "Forum"},
        ],
    )
    s = score(pred, gold)
    assert s.relations["spoke_at"].tp == 1
    assert s.relations["attended"].fp == 1


def test_untitled_gold_session_is_stood_for_by_one_extracted_session():
    gold = _doc(
        events=[
            {"name": "Week", "part_of": None},
            {
                "name": "Trade and jobs",
                "part_of": "Week",
                "note": "name is the report's first-sentence topic (no title given)",
            },
        ],
        persons=[{"name": "Ada Quill"}],
        relations=[{"subject": "Ada Quill", "predicate": "spoke_at", "object": "Trade and jobs"}],
    )
    pred = _doc(
        events=[
            {"name": "Week"},
            {"name": "session: This session looked at trade", "part_of": "Week", "kind": "session"},
            {"name": "session: Another one", "part_of": "Week", "kind": "session"},
        ],
        persons=[{"name": "Ada Quill"}],
        relations=[
            {"subject": "Ada Quill", "predicate": "spoke_at", "object": "session: This session looked at trade"}
        ],
    )
    s = score(pred, gold)
    assert (s.entities["event"].tp, s.entities["event"].fp) == (2, 1)
    assert s.relations["spoke_at"].tp == 1


def test_report_format_and_json():
    gold = _doc(persons=[{"name": "Ada Quill"}])
    report = EvalReport([score(_doc(persons=[{"name": "Ada Quill"}]), gold)])
    text = report.format()
    assert "person" in text and "overall" in text
    assert report.to_json()["micro"]["entities"]["f1"] == 1.0


def test_extraction_from_json_round_trip():
    data = _doc(
        persons=[{"name": "Ada Quill", "titles": ["Director"]}],
        relations=[{"subject": "Ada Quill", "predicate": "spoke_at", "object": "Forum", "evidence": "q"}],
    )
    x = extraction_from_json(data)
    assert x.persons[0].titles == ("Director",)
    assert x.relations[0].evidence.quote == "q"
