"""Properties that hold for any input: the extractor never crashes and its evidence points at its
quotes; ids and IRIs are deterministic and valid for any Unicode name.

Written against public functions (``graph.ingest.pipeline.extract_document``, ``graph.resolve.resolve``,
``graph.vocab.entity_iri``, ``graph.resolve.place_id``, ``graph.rdf.map.extraction_quads``), so they hold
whichever extractor and resolver are plugged in. Example counts are modest: spaCy is slow.
"""

from __future__ import annotations

import hashlib
import os
import re
import warnings
from datetime import UTC, datetime

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import NamedNode, RdfFormat, parse, serialize
from rdflib.term import _is_valid_uri

from graph import vocab
from graph.ingest.pipeline import extract_document
from graph.model import Document, Economy, Event, Extraction, Initiative, Organisation, Person
from graph.rdf.map import extraction_quads
from graph.resolve import place_id, resolve

pytestmark = pytest.mark.slow

SCALE = int(os.environ.get("MSME_KG_FUZZ_SCALE", "1"))  # e.g. 20 for a long run
SLOW = settings(max_examples=60 * SCALE, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FAST = settings(max_examples=300 * SCALE, deadline=None)

# Pieces of the genre (invented names, real institutions and places), glued with random text.
WORDS = [
    "Ms", "Mr.", "H.E.", "Dr", "Prof.", "Ambassador", "Minister", "Director,", "of", "the", "and", "spoke", "at",
    "chaired", "moderated", "organised", "attended", "the workshop", "session", "on", "3 May 2022", "2019-11-05",
    "World Trade Organization", "WTO", "International Trade Centre (ITC)", "European Union", "Kenya", "Chinese Taipei",
    "Hong Kong, China", "Côte d'Ivoire", "São Tomé", "Geneva", "Amina Diallo", "José-Luis Ferreira", "李明", "Ólafur",
    "Informal Working Group on MSMEs", "Trade4MSMEs", ",", ".", ";", ":", "(", ")", "\n", "\n\n", "—", "\u00a0",
    "\u200b",
    "\t", "🙂", "\r\n", '"', "«", "»", "'s",
]
genre_text = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), min_size=1, max_size=60).map(" ".join)
any_text = st.one_of(genre_text, st.text(min_size=1, max_size=400))
names = st.text(min_size=1, max_size=120).filter(str.strip)


def _document(text: str) -> Document:
    """A document as the reader builds it (title = first non-blank line)."""
    title = next((line.strip() for line in text.splitlines() if line.strip()), "untitled")
    return Document(id="fuzz", title=title[:300], text=text, source="fuzz.txt",
                    sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())


def _assert_valid_iri(iri: str) -> None:
    NamedNode(iri)  # raises ValueError on an invalid IRI
    assert _is_valid_uri(iri), iri
    assert rdflib.URIRef(iri).n3() == f"<{iri}>"


@SLOW
@given(text=any_text.filter(str.strip))
def test_extraction_never_crashes_and_evidence_points_at_its_quote(nlp, text):
    doc = _document(text)
    extraction = extract_document(doc, nlp)
    for rel in extraction.relations:
        ev = rel.evidence
        assert 0 <= ev.start <= ev.end <= len(text), rel
        assert text[ev.start : ev.end] == ev.quote, rel
        assert 0.0 <= ev.confidence <= 1.0
    for _, entity in extraction.entities():
        _assert_valid_iri(vocab.entity_iri(entity.id).value)
    # the whole document maps to quads that serialise and parse back (any literal, any character)
    quads = extraction_quads(doc, extraction, datetime(2024, 1, 1, tzinfo=UTC))
    data = serialize(quads, format=RdfFormat.N_QUADS)
    assert len(list(parse(data, RdfFormat.N_QUADS))) == len(quads)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's own nquads parser
        dataset = rdflib.Dataset().parse(data=data, format="nquads")
    assert sum(1 for _ in dataset.quads((None, None, None, None))) == len(quads)
    assert extract_document(doc, nlp) == extraction  # deterministic


def _extraction(name: str) -> Extraction:
    return Extraction(doc="fuzz.txt", persons=(Person(name),), organisations=(Organisation(name),),
                      countries=(Economy(name),), initiatives=(Initiative(name),), events=(Event(name),))


@FAST
@given(name=names)
def test_resolved_ids_are_deterministic_valid_iris(name):
    first, second = resolve(_extraction(name)), resolve(_extraction(name))
    ids = [e.id for _, e in first.entities()]
    assert ids == [e.id for _, e in second.entities()]
    assert len(set(ids)) == 5  # one id per type: a person and an organisation of the same name stay apart
    for entity_id in ids:
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", entity_id), entity_id
        _assert_valid_iri(vocab.entity_iri(entity_id).value)


@FAST
@given(name=st.text(max_size=200))
def test_place_ids_are_deterministic_valid_and_case_insensitive(name):
    pid = place_id(name)
    assert pid == place_id(name) == place_id(f"  {name}\n")
    if name.upper().casefold() == name.casefold():
        assert place_id(name.upper()) == pid
    _assert_valid_iri(vocab.entity_iri(pid).value)


@FAST
@given(a=st.text(min_size=1, max_size=40), b=st.text(min_size=1, max_size=40))
def test_different_places_get_different_ids(a, b):
    if a.strip().casefold() != b.strip().casefold():
        assert place_id(a) != place_id(b)


@FAST
@given(text=st.text(max_size=80))
def test_entity_iri_accepts_only_safe_ids(text):
    try:
        iri = vocab.entity_iri(text)
    except ValueError:
        return
    _assert_valid_iri(iri.value)
    assert iri.value == vocab.ID + text and vocab.short_id(iri.value) == text
