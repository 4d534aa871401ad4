"""Search index latency at growing sizes, against a SPARQL CONTAINS scan of the same names.

Synthetic names (persons, organisations with acronyms, events, initiatives; some accented)
are indexed with ``SearchIndex.replace_document`` in documents of 50 entities, as ingest
does; then a mix of queries (exact names, lower-case without accents, word prefixes,
acronyms, one-letter typos, misses) is timed. The scan baseline is
``FILTER(CONTAINS(LCASE(?label), ?q))`` on a pyoxigraph store holding the same labels.

    .venv/bin/python bench/bench_search_index.py [--sizes 10000,100000,1000000] [--queries 300] [--per-doc 50]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, Store, Variable

from graph import vocab
from graph.store.search import SearchEntry, SearchIndex

SYLLABLES = str.split("ka lo mi ra ne to shi va de lu mar tin gar son ber vik ols ana ele ric her nan dez "
                      "zhou wei kim park ngu yen oko ye ade bay mu sa fi li ot té ñe çu ró")
ORG_WORDS = str.split("International Trade Centre Council Agency Ministry Bank Development Economic Commerce "
                      "Small Business Chamber Federation Institute Association Digital Finance Customs "
                      "Organization Forum Network Alliance Programme Fund Regional Global Women Export Import")
SCAN_QUERY = ("SELECT ?e ?label ?q WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?label . "
              "FILTER(CONTAINS(LCASE(?label), ?q)) } LIMIT 10")


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def synthetic_entries(n: int, seed: int = 1) -> list[SearchEntry]:
    rng = random.Random(seed)
    out: list[SearchEntry] = []
    for i in range(n):
        kind = rng.random()
        if kind < 0.5:
            name, etype = f"{_word(rng, 2)} {_word(rng, 3)}", "person"
        elif kind < 0.8:
            words = [*rng.sample(ORG_WORDS, rng.randint(2, 4)), _word(rng, 2)]
            name, etype = " ".join(words), "organisation"
        elif kind < 0.9:
            name, etype = f"{_word(rng, 2)} {rng.choice(ORG_WORDS)} Week {rng.randint(1990, 2030)}", "event"
        else:
            name, etype = f"{_word(rng, 3)} {rng.choice(ORG_WORDS)} Initiative", "initiative"
        out.append(SearchEntry(f"{etype}-{i}", etype, name))
    return out


def _typo(rng: random.Random, text: str) -> str:
    i = rng.randrange(1, len(text) - 1)
    return text[:i] + text[i + 1 :]


def query_mix(entries: list[SearchEntry], count: int, seed: int = 2) -> list[str]:
    rng = random.Random(seed)
    queries = []
    for _ in range(count):
        e = rng.choice(entries)
        pick = rng.random()
        if pick < 0.25:
            queries.append(e.text)
        elif pick < 0.45:
            queries.append(e.text.lower().replace("é", "e").replace("ñ", "n").replace("ç", "c").replace("ó", "o"))
        elif pick < 0.6:
            queries.append(e.text.split()[0][:5])
        elif pick < 0.7:
            queries.append("".join(w[0] for w in e.text.split()))
        elif pick < 0.9:
            queries.append(_typo(rng, e.text))
        else:
            queries.append(_word(rng, 4))
    return queries


def _percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times) * 1000, times[int(0.95 * (len(times) - 1))] * 1000


def bench(size: int, n_queries: int, scan_queries: int, per_doc: int = 50) -> None:
    entries = synthetic_entries(size)
    with tempfile.TemporaryDirectory() as tmp:
        index = SearchIndex.open(Path(tmp) / "search.sqlite")
        started = time.perf_counter()
        for start in range(0, len(entries), per_doc):
            index.replace_document(f"doc-{start // per_doc}", entries[start : start + per_doc])
        build = time.perf_counter() - started
        queries = query_mix(entries, n_queries)
        times = []
        for q in queries:
            t = time.perf_counter()
            index.search(q, limit=10)
            times.append(time.perf_counter() - t)
        p50, p95 = _percentiles(times)
        edit_times = []
        for i in range(20):
            t = time.perf_counter()
            index.replace_document(f"doc-{i}", entries[i * per_doc : i * per_doc + 50])
            edit_times.append(time.perf_counter() - t)
        store = Store()
        label = NamedNode(vocab.RDFS + "label")
        store.bulk_extend(Quad(NamedNode(vocab.ID + e.entity), label, Literal(e.text)) for e in entries)
        scan_times = []
        for q in queries[:scan_queries]:
            t = time.perf_counter()
            list(store.query(SCAN_QUERY, substitutions={Variable("q"): Literal(q.lower())}))
            scan_times.append(time.perf_counter() - t)
        s50, _ = _percentiles(scan_times)
        print(f"{size:>9,} names ({per_doc}/doc)  index build {build:6.1f} s ({size / build:,.0f} names/s)  "
              f"search p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  | replace_document(50) p50 "
              f"{_percentiles(edit_times)[0]:5.2f} ms | CONTAINS scan (in memory) p50 {s50:8.1f} ms  "
              f"ratio scan/index {s50 / p50:6.0f}x")
        index.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated; 1000000 takes ~10 min")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--scan-queries", type=int, default=20)
    parser.add_argument("--per-doc", type=int, default=50, help="names per document (one transaction each)")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        bench(size, args.queries, args.scan_queries, args.per_doc)


if __name__ == "__main__":
    main()
