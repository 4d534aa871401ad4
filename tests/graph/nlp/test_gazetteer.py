"""The domain vocabulary read from ontology/gazetteers (graph.nlp.gazetteer): look-ups and regex helpers."""

from __future__ import annotations

import re

from graph.nlp.gazetteer import alternation, capitalised, load_gazetteer


def test_alternation_escapes_words_and_tries_longer_ones_first():
    pattern = re.compile(rf"\b(?:{alternation(['Trade', 'Trade Centre', 'U.N.'])})")
    assert pattern.search("the Trade Centre of").group(0) == "Trade Centre"
    assert pattern.search("the U.N. said").group(0) == "U.N."
    assert pattern.search("the UxNx said") is None


def test_capitalised_gives_each_word_with_a_capital():
    assert capitalised(["forum", "workshop"]) == {"Forum", "Workshop"}


def test_economies_are_found_under_their_iso_and_wto_spellings():
    gazetteer = load_gazetteer()
    assert gazetteer.economy("Germany") == (True, "DEU")
    assert gazetteer.economy("Korea, Republic of") == (True, "KOR")
    assert gazetteer.economy("Atlantis")[0] is False


def test_organisations_by_name_and_by_acronym_which_is_case_sensitive():
    gazetteer = load_gazetteer()
    wto = gazetteer.org("WTO")
    assert wto is not None and wto.name == "World Trade Organization"
    assert gazetteer.org("the World Trade Organization") == wto
    assert gazetteer.org("wto") is None


def test_an_empty_word_list_is_refused_rather_than_matching_everywhere():
    import pytest

    with pytest.raises(ValueError, match="empty word list"):
        alternation([])
