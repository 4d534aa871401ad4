"""The event rules take their words from ontology/gazetteers/lexicon.jsonl, not from code.

Each test adds a word no rule has ever seen ('jamboree', 'huddle') to one lexicon kind and shows
a sentence using it is read as an event only then: were a word list still typed into a regular
expression, the added word would change nothing and the test would fail.
"""

from __future__ import annotations

import dataclasses
import hashlib

import pytest
import srsly

from graph.extract.mentions.events import (
    _KINDS,
    event_mentions,
    heading_sections,
    main_event,
    name_sessions,
)
from graph.model import Document
from graph.nlp.gazetteer import GAZETTEER_DIR, Gazetteer, alternation, load_gazetteer


def _with(kind: str, *words: str, gaz: Gazetteer | None = None) -> Gazetteer:
    """The shipped gazetteer with ``words`` added to one lexicon kind."""
    gaz = gaz or load_gazetteer()
    return dataclasses.replace(gaz, words={**gaz.words, kind: gaz.words[kind] | set(words)})


def _names(text: str, gaz: Gazetteer) -> list[str]:
    return [m.name for m in event_mentions(text, gaz)]


def test_a_new_event_head_names_proper_events():
    text = "Delegates met at the Asia Pacific Trade Jamboree (APTJ) in Manila."
    assert _names(text, load_gazetteer()) == []
    mentions = event_mentions(text, _with("event_head", "Jamboree"))
    assert [(m.name, m.acronym) for m in mentions] == [("Asia Pacific Trade Jamboree (APTJ)", "APTJ")]


def test_a_two_word_head_wins_over_its_first_word():
    gaz = _with("event_head", "Jam", "Jam Session")
    assert _names("They spoke at the Coastal Traders Jam Session in Lima.", gaz) == ["Coastal Traders Jam Session"]


def test_a_new_event_reference_finds_topic_year_and_dated_events():
    text = (
        "Export Readiness for Small Firms\n\n"
        "The jamboree was held on 5 May 2031 at the Grand Hotel in Nairobi, Kenya. "
        "It included a jamboree on Digital Payments and recalled the 2030 Coastal Traders jamboree."
    )
    plain, gaz = load_gazetteer(), _with("event_reference", "jamboree")
    assert _names(text, plain) == []
    assert main_event(text, 2031, plain, event_mentions(text, plain)) is None
    assert _names(text, gaz) == ["jamboree on Digital Payments", "2030 Coastal Traders jamboree"]
    main = main_event(text, 2031, gaz, event_mentions(text, gaz))
    assert main is not None
    assert (main.name, main.date_start, main.location) == (
        "Export Readiness for Small Firms",
        "2031-05-05",
        "Grand Hotel, Nairobi, Kenya",
    )


def test_a_new_event_part_cuts_headings_and_names_parts():
    text = (
        "Coastal Trade Forum 2031\n\n"
        "Huddle 1: Access to finance\nThe opening huddle was short. Banks spoke about credit lines.\n\n"
        "Huddle 2: Digital payments\nThe huddle on Mobile Money was lively. Firms spoke about wallets.\n"
    )
    plain, gaz = load_gazetteer(), _with("event_part", "huddle")
    assert heading_sections(text, plain) == []
    assert "opening huddle" not in _names(text, plain)
    secs = heading_sections(text, gaz)
    assert [s.session for s in secs] == ["Huddle 1: Access to finance", "Huddle 2: Digital payments"]
    assert "opening huddle" in _names(text, gaz)
    body = "Ana Ruiz\n\nThe huddle on Mobile Money was lively and long.\n"
    bylined = [dataclasses.replace(secs[0], session="", start=0, end=len(body), titled=False)]
    name_sessions(body, bylined, [], gaz)
    assert bylined[0].session == "huddle on Mobile Money"


def test_a_paragraph_opening_on_a_new_event_part_ends_a_partners_remark():
    from graph.extract.rules.partners import _turn_away

    follow = "The huddle then turned to payments."
    assert not _turn_away(load_gazetteer().union("event_part")).match(follow)
    assert _turn_away(_with("event_part", "huddle").union("event_part")).match(follow)


def test_an_empty_word_list_is_refused():
    with pytest.raises(ValueError, match="empty word list"):
        alternation([])


def test_every_event_kind_the_rules_read_is_in_the_lexicon_with_a_note():
    rows = {row["kind"]: row for row in srsly.read_jsonl(GAZETTEER_DIR / "lexicon.jsonl")}
    for kind in _KINDS:
        assert rows[kind]["words"], kind
        assert rows[kind].get("note"), kind


@pytest.mark.slow
def test_the_whole_extraction_reads_the_lexicon(nlp, monkeypatch):
    """Through ``extract``: title, chair, report, launch and 'meeting of' cues the added words make readable."""
    import graph.extract.document
    from graph.extract import extract

    text = (
        "Coastal Traders Jamboree 2031\n\n"
        "The chair of the huddle, Ms Ada Quill, Director, International Trade Centre (ITC), welcomed everyone. "
        "The SME Export Toolkit was launched at the huddle. This huddle launched the Women Exporters Platform. "
        "Visitors used the Coastal Jamboree Toolkit. "
        "Mr Tomas Verhoeven, Senior Adviser, ITC, reported from the huddle on payments. "
        "The annual jamboree of the International Trade Centre will be held on 3 June 2032.\n"
    )
    doc = Document("t", text.split("\n", 1)[0], text, "t.txt", hashlib.sha256(text.encode()).hexdigest())
    before = extract(doc, nlp)
    assert not before.events
    assert "Coastal Jamboree Toolkit" in {i.name for i in before.initiatives}
    gaz = _with("event_head", "Jamboree", gaz=_with("event_part", "huddle", gaz=_with("event_reference", "jamboree")))
    monkeypatch.setattr(graph.extract.document, "load_gazetteer", lambda: gaz)
    after = extract(doc, nlp)
    main = "Coastal Traders Jamboree 2031"
    assert main in {e.name for e in after.events}
    assert "Coastal Jamboree Toolkit" not in {i.name for i in after.initiatives}  # an event's tool, not a programme
    rels = {(r.subject, r.predicate, r.object) for r in after.relations}
    assert {
        ("Ada Quill", "chaired", main),
        (main, "launched", "SME Export Toolkit"),
        (main, "launched", "Women Exporters Platform"),
        ("Tomas Verhoeven", "reported_on", "huddle on payments"),
        ("huddle on payments", "part_of", main),
        ("International Trade Centre", "organised", "annual jamboree of the International Trade Centre"),
    } <= rels
