"""What curation costs: apply_curation and re-applying to a store, against mapping alone.

Synthetic, domain-shaped extractions (persons, organisations, one event, attended /
affiliated_with facts) and a curation with aliases, merges, rejects and types. Prints the
time per document of mapping alone, of curating then mapping, and of ``apply_to_store``
(re-mapping every stored extraction, no NLP), with the ratios.

    .venv/bin/python bench/bench_curate.py [DOCS] [ENTRIES]
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pyoxigraph import Store

from graph import vocab
from graph.curation.apply import Alias, Curation, Merge, Reject, Retype, apply_curation
from graph.ingest.curate_store import apply_to_store
from graph.model import Document, Event, Evidence, Extraction, Organisation, Person, Relation
from graph.rdf.curation_quads import document_graph_quads
from graph.rdf.map import extraction_quads
from graph.store.core import replace_graph

WHEN = datetime(2024, 1, 1, tzinfo=UTC)


def synthetic(i: int, persons: int = 40, orgs: int = 20) -> tuple[Document, Extraction]:
    sentences, relations = [], []
    people = [Person(f"Person {i % 97} {p}", id=f"person-{i % 97}-{p}") for p in range(persons)]
    bodies = [Organisation(f"Body {o}", aliases=(f"B{o}",), id=f"org-body-{o}") for o in range(orgs)]
    event = Event(f"Meeting {i}", "2021-05-03", location="Geneva", kind="meeting", id=f"event-meeting-{i}")
    offset = 0
    for p, person in enumerate(people):
        body = bodies[p % orgs]
        sentence = f"{person.name} of {body.name} attended {event.name}. "
        start = offset
        evidence = Evidence(sentence, start, start + len(sentence), "b", 0.8)
        relations.append(Relation(person.name, "attended", event.name, evidence))
        relations.append(Relation(person.name, "affiliated_with", body.name,
                                  Evidence(sentence, start, start + len(sentence), "b", 0.7)))
        sentences.append(sentence)
        offset += len(sentence)
    text = "".join(sentences)
    doc = Document(f"doc-{i}", event.name, text, f"doc-{i}.txt", "0" * 64)
    return doc, Extraction(f"doc-{i}.txt", persons=tuple(people), organisations=tuple(bodies), events=(event,),
                           relations=tuple(relations))


def curation(entries: int) -> Curation:
    per = max(1, entries // 4)
    return Curation(
        aliases=tuple(Alias((f"Body {o % 10}", f"Body number {o}"), id=f"org-body-{o % 10}", line=o + 1)
                      for o in range(per)),
        merges=tuple(Merge(f"org-body-{o}", (f"org-body-{o + 10}",), line=1000 + o) for o in range(min(per, 10))),
        rejects=tuple(Reject(f"person-{o}-0", "attended", f"event-meeting-{o}", reason="r", line=2000 + o)
                      for o in range(per)),
        types=tuple(Retype(f"org-body-{o % 20}", kind="ngo", line=3000 + o) for o in range(per)),
        sha256="bench",
    )


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    docs = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    entries = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    data = [synthetic(i) for i in range(docs)]
    cur = curation(entries)
    facts = sum(len(e.relations) for _, e in data)

    map_only = timed(lambda: [extraction_quads(d, e, WHEN) for d, e in data])
    curate_only = timed(lambda: [apply_curation(e, cur, d.id) for d, e in data])
    both = timed(lambda: [document_graph_quads(d, e, cur, WHEN) for d, e in data])

    store = Store()
    for d, e in data:
        replace_graph(store, vocab.graph_iri(d.id), document_graph_quads(d, e, None, WHEN))
    reapply = timed(lambda: apply_to_store(store, cur))
    up_to_date = timed(lambda: apply_to_store(store, cur))

    print(f"{docs} documents, {facts} facts, {entries} curation entries")
    print(f"map only:                 {map_only * 1000 / docs:7.2f} ms/doc")
    print(f"apply_curation only:      {curate_only * 1000 / docs:7.2f} ms/doc  ({curate_only / map_only:.2f}x mapping)")
    print(f"curate + map + payload:   {both * 1000 / docs:7.2f} ms/doc  ({both / map_only:.2f}x mapping)")
    print(f"apply_to_store (rewrite): {reapply * 1000 / docs:7.2f} ms/doc  ({reapply:.2f} s in all, no NLP)")
    print(f"apply_to_store (current): {up_to_date * 1000 / docs:7.2f} ms/doc  (nothing to rewrite)")


if __name__ == "__main__":
    main()
