"""The pipeline: cached, with a gazetteer entity ruler before the statistical NER."""

from __future__ import annotations

import pytest

from graph.nlp.language import load_nlp, ruler_patterns


def test_patterns_come_from_the_gazetteers():
    patterns = ruler_patterns()
    labels = {p["label"] for p in patterns}
    assert labels == {"ORG", "GPE"}
    assert any(p["pattern"] == "Chinese Taipei" and p["id"] == "TWN" for p in patterns)
    assert any(p["pattern"] == "ITC" and p["id"] == "International Trade Centre" for p in patterns)


@pytest.mark.slow
def test_load_nlp_is_cached_and_rules_first(nlp):
    assert load_nlp() is nlp
    names = nlp.pipe_names
    assert names.index("entity_ruler") < names.index("ner")
    doc = nlp("Delegations from Viet Nam and Hong Kong, China met the WIPO team.")
    ents = {(e.text, e.label_, e.ent_id_) for e in doc.ents}
    assert ("Viet Nam", "GPE", "VNM") in ents
    assert ("Hong Kong, China", "GPE", "HKG") in ents
    assert ("WIPO", "ORG", "World Intellectual Property Organization") in ents
