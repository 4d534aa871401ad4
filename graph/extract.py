"""Baseline extractor (replaced by the extraction branch): spaCy entities and the document's event."""

from __future__ import annotations

from spacy.language import Language

from graph.model import Document, Economy, Event, Evidence, Extraction, Organisation, Person, Relation
from graph.nlp import load_nlp


def extract(doc: Document, nlp: Language | None = None) -> Extraction:
    parsed = (nlp or load_nlp())(doc.text)
    persons: dict[str, Person] = {}
    orgs: dict[str, Organisation] = {}
    economies: dict[str, Economy] = {}
    relations = []
    event = Event(name=doc.title[:120], kind="meeting")
    for ent in parsed.ents:
        name = ent.text.strip()
        if ent.label_ == "PERSON":
            persons.setdefault(name, Person(name=name))
            relations.append(
                Relation(name, "attended", event.name, Evidence(ent.sent.text, ent.sent.start_char, ent.sent.end_char, "baseline", 0.3))
            )
        elif ent.label_ == "ORG":
            orgs.setdefault(name, Organisation(name=name))
        elif ent.label_ == "GPE":
            economies.setdefault(name, Economy(name=name))
    return Extraction(
        doc=doc.source.rsplit("/", 1)[-1],
        persons=tuple(persons.values()),
        organisations=tuple(orgs.values()),
        countries=tuple(economies.values()),
        events=(event,),
        relations=tuple(relations),
    )
