"""A search index over the names and aliases of entities, kept beside the store.

A name search written in SPARQL (FILTER/CONTAINS) scans every literal: 0.4–1 s at a few
million triples. This index is a SQLite file with an FTS5 trigram table over normalised
names (accents, case, punctuation and honorifics folded by :func:`graph.model.normalise`),
plus the initials of multi-word names so that acronyms find their entity. A query looks up
exact names, name prefixes and substrings first (index look-ups), falls back to the rarest
trigrams of the query when that finds too little (small typos), and ranks the candidates
with rapidfuzz.

Ingest keeps it current: after a document's graph is replaced, the pipeline calls
:meth:`SearchIndex.replace_document` with that document's names (a small edit). The index
can always be rebuilt from the store (:func:`rebuild_index`), and :meth:`SearchIndex.sync`
re-indexes only documents whose checksum changed (what the server runs at start).

>>> index = SearchIndex.open(None)
>>> index.replace_document("d1", [SearchEntry("org-wto", "organisation", "World Trade Organization", "label")])
2
>>> [(h.id, h.matched) for h in index.search("wto")]
[('org-wto', 'WTO')]
>>> [h.id for h in index.search("world trade organisaton")]
['org-wto']
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, Quad, Store
from rapidfuzz import fuzz

from graph import vocab
from graph.model import normalise

_STOPWORDS = frozenset(["of", "the", "and", "for", "on", "in", "de", "la", "des", "du", "et", "to", "a", "an"])
_SCHEMA = """
PRAGMA journal_mode=WAL;
CREATE TABLE IF NOT EXISTS entries(
    id INTEGER PRIMARY KEY, doc TEXT NOT NULL, entity TEXT NOT NULL, type TEXT NOT NULL,
    kind TEXT NOT NULL, text TEXT NOT NULL, key TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entries_key ON entries(key);
CREATE INDEX IF NOT EXISTS entries_doc ON entries(doc);
CREATE INDEX IF NOT EXISTS entries_entity ON entries(entity, kind);
CREATE VIRTUAL TABLE IF NOT EXISTS entries_fts USING fts5(
    key, content='entries', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE IF NOT EXISTS entries_vocab USING fts5vocab(entries_fts, 'row');
CREATE TRIGGER IF NOT EXISTS entries_ai AFTER INSERT ON entries BEGIN
    INSERT INTO entries_fts(rowid, key) VALUES (new.id, new.key); END;
CREATE TRIGGER IF NOT EXISTS entries_ad AFTER DELETE ON entries BEGIN
    INSERT INTO entries_fts(entries_fts, rowid, key) VALUES ('delete', old.id, old.key); END;
CREATE TABLE IF NOT EXISTS documents(doc TEXT PRIMARY KEY, sha256 TEXT NOT NULL DEFAULT '');
"""
_CANDIDATES = 300


@dataclass(frozen=True)
class SearchEntry:
    """One name of one entity, as a document gives it (kind: label, alias or acronym)."""

    entity: str
    type: str
    text: str
    kind: str = "label"


@dataclass(frozen=True)
class SearchHit:
    id: str
    iri: str
    type: str
    label: str
    matched: str
    score: float


def acronyms(name: str) -> set[str]:
    """Initials of a multi-word name, with and without small words.

    >>> sorted(acronyms("Organisation for Economic Co-operation and Development"))
    ['oecd', 'oecod', 'ofecoad']
    """
    words = normalise(name).split()
    if len(words) < 2:
        return set()
    found = {"".join(w[0] for w in words), "".join(w[0] for w in words if w not in _STOPWORDS)}
    hyphen_split = normalise(name.replace("-", "")).split()
    found.add("".join(w[0] for w in hyphen_split if w not in _STOPWORDS))
    return {a for a in found if len(a) >= 2}


def _score(key: str, candidate: str, kind: str) -> float:
    """How well ``candidate`` (a normalised name) answers the normalised query ``key``."""
    if candidate == key:
        score = 100.0
    elif candidate.startswith(key):
        score = 90.0 + 9.0 * len(key) / len(candidate)
    elif f" {key}" in f" {candidate}":
        score = 85.0 + 5.0 * len(key) / len(candidate)
    elif key in candidate:
        score = 75.0 + 5.0 * len(key) / len(candidate)
    elif len(key) < 4:
        return 0.0
    else:
        score = 0.8 * max(fuzz.ratio(key, candidate), fuzz.token_sort_ratio(key, candidate),
                          fuzz.partial_ratio(key, candidate) - 5)
    return score - {"label": 0.0, "alias": 0.5, "acronym": 1.0}.get(kind, 0.0)


class SearchIndex:
    """The label/alias index (SQLite file, or in memory when ``path`` is None)."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self.path = path
        self._conn = conn
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path | None) -> SearchIndex:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(":memory:" if path is None else str(path), check_same_thread=False, timeout=30)
        conn.execute("PRAGMA busy_timeout=30000")
        conn.executescript(_SCHEMA)
        return cls(conn, path)

    def close(self) -> None:
        self._conn.close()

    # -- writing ------------------------------------------------------------------------------

    def replace_document(self, doc_id: str, entries: Iterable[SearchEntry], sha256: str = "") -> int:
        """Make the index hold exactly ``entries`` for ``doc_id`` (one transaction)."""
        rows: set[tuple[str, str, str, str, str, str]] = set()
        for e in entries:
            key = normalise(e.text)
            if key:
                rows.add((doc_id, e.entity, e.type, e.kind, e.text, key))
            if e.kind == "label":
                rows |= {(doc_id, e.entity, e.type, "acronym", a.upper(), a) for a in acronyms(e.text)}
        with self._lock, self._conn:
            self._conn.execute("DELETE FROM entries WHERE doc = ?", (doc_id,))
            self._conn.executemany(
                "INSERT INTO entries(doc, entity, type, kind, text, key) VALUES (?, ?, ?, ?, ?, ?)", sorted(rows))
            self._conn.execute("INSERT OR REPLACE INTO documents(doc, sha256) VALUES (?, ?)", (doc_id, sha256))
        return len(rows)

    def remove_document(self, doc_id: str) -> None:
        with self._lock, self._conn:
            self._conn.execute("DELETE FROM entries WHERE doc = ?", (doc_id,))
            self._conn.execute("DELETE FROM documents WHERE doc = ?", (doc_id,))

    def documents(self) -> dict[str, str]:
        """Indexed document ids and the checksum they were indexed at."""
        with self._lock:
            return dict(self._conn.execute("SELECT doc, sha256 FROM documents"))

    def sha256_of(self, doc_id: str) -> str | None:
        """The checksum ``doc_id`` was indexed at, or None if it is not indexed."""
        with self._lock:
            row = self._conn.execute("SELECT sha256 FROM documents WHERE doc = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def sync(self, store: Store) -> int:
        """Re-index the documents whose checksum differs from the store's; drop the ones gone."""
        from graph.store import document_graphs, graph_sha256

        indexed = self.documents()
        stored = document_graphs(store)
        changed = 0
        for doc_id in stored:
            sha = graph_sha256(store, doc_id) or ""
            if indexed.get(doc_id) != sha or not sha:
                self.replace_document(doc_id, entries_from_store(store, doc_id), sha)
                changed += 1
        for doc_id in set(indexed) - set(stored):
            self.remove_document(doc_id)
            changed += 1
        return changed

    def rebuild(self, store: Store) -> int:
        """Empty the index and fill it again from every document graph of ``store``."""
        with self._lock, self._conn:
            self._conn.execute("DELETE FROM entries")
            self._conn.execute("DELETE FROM documents")
        return self.sync(store)

    # -- reading ------------------------------------------------------------------------------

    def _rows(self, sql: str, params: Sequence[object]) -> list[tuple[int, str, str, str, str, str]]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def _candidates(self, key: str, types: Sequence[str]) -> dict[int, tuple]:
        cols = "e.id, e.entity, e.type, e.kind, e.text, e.key"
        type_sql = f" AND e.type IN ({','.join('?' * len(types))})" if types else ""
        found: dict[int, tuple] = {}
        keys = [key]
        if all(len(w) == 1 for w in key.split()):
            keys.append(key.replace(" ", ""))
        for k in keys:
            for row in self._rows(f"SELECT {cols} FROM entries e WHERE e.key = ?{type_sql} LIMIT {_CANDIDATES}",
                                  [k, *types]):
                found[row[0]] = row
            for row in self._rows(f"SELECT {cols} FROM entries e WHERE e.key > ? AND e.key < ?{type_sql} "
                                  f"ORDER BY e.key LIMIT {_CANDIDATES}", [k, k + "\U0010ffff", *types]):
                found[row[0]] = row
        if len(key) >= 3:
            phrase = '"' + key.replace('"', '""') + '"'
            for row in self._rows(f"SELECT {cols} FROM entries_fts f JOIN entries e ON e.id = f.rowid "
                                  f"WHERE entries_fts MATCH ?{type_sql} LIMIT {_CANDIDATES}", [phrase, *types]):
                found[row[0]] = row
        return found

    def _typo_candidates(self, key: str, types: Sequence[str]) -> dict[int, tuple]:
        """Entries sharing the query's rarest trigrams: the fall-back for misspellings."""
        grams = sorted({key[i : i + 3] for i in range(len(key) - 2)} - {"   "})
        if not grams:
            return {}
        marks = ",".join("?" * len(grams))
        counts = dict(self._rows(f"SELECT term, doc FROM entries_vocab WHERE term IN ({marks})", grams))
        rare = sorted((g for g in grams if counts.get(g)), key=lambda g: counts[g])[:8]
        if not rare:
            return {}
        match = " OR ".join('"' + g.replace('"', '""') + '"' for g in rare)
        type_sql = f" AND e.type IN ({','.join('?' * len(types))})" if types else ""
        rows = self._rows("SELECT e.id, e.entity, e.type, e.kind, e.text, e.key FROM entries_fts f "
                          f"JOIN entries e ON e.id = f.rowid WHERE entries_fts MATCH ?{type_sql} "
                          f"ORDER BY rank LIMIT {_CANDIDATES}", [match, *types])
        return {row[0]: row for row in rows}

    def _labels(self, entities: Sequence[str]) -> dict[str, str]:
        marks = ",".join("?" * len(entities))
        rows = self._rows(f"SELECT entity, text FROM entries WHERE kind = 'label' AND entity IN ({marks})",
                          list(entities))
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for entity, text in rows:
            counts[entity][text] += 1
        return {e: c.most_common(1)[0][0] for e, c in counts.items()}

    def search(self, q: str, limit: int = 10, types: Sequence[str] | None = None) -> list[SearchHit]:
        """Entities whose name or alias matches ``q``, best first (one hit per entity)."""
        key = normalise(q)[:200]
        if not key:
            return []
        types = tuple(types or ())
        candidates = self._candidates(key, types)
        best: dict[str, tuple[float, str, str]] = {}
        mentions: Counter[str] = Counter()

        def consider(rows: Iterable[tuple]) -> None:
            for _, entity, etype, kind, text, cand_key in rows:
                score = _score(key, cand_key, kind)
                mentions[entity] += 1
                if score >= 55 and (entity not in best or score > best[entity][0]):
                    best[entity] = (score, etype, text)

        consider(candidates.values())
        if len([s for s, _, _ in best.values() if s >= 75]) < limit and len(key) >= 4:
            consider(r for i, r in self._typo_candidates(key, types).items() if i not in candidates)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], -mentions[kv[0]], kv[0]))[: max(0, limit)]
        labels = self._labels([e for e, _ in ranked]) if ranked else {}
        return [SearchHit(e, vocab.ID + e, t, labels.get(e, text), text, round(s, 1)) for e, (s, t, text) in ranked]


_TYPE = NamedNode(vocab.RDF + "type")
_LABEL = NamedNode(vocab.RDFS + "label")
_ALT = NamedNode(vocab.SKOS + "altLabel")
_CLASSES = {vocab.MSME + cls: kind for kind, cls in vocab.TYPE_CLASS.items()}


def entries_from_quads(quads: Iterable[Quad]) -> list[SearchEntry]:
    """The names in one document's quads: rdfs:label and skos:altLabel of typed entities."""
    types: dict[str, str] = {}
    names: list[tuple[str, str, str]] = []
    for q in quads:
        if q.predicate == _TYPE and q.object.value in _CLASSES:
            types[q.subject.value] = _CLASSES[q.object.value]
        elif q.predicate in (_LABEL, _ALT):
            names.append((q.subject.value, q.object.value, "label" if q.predicate == _LABEL else "alias"))
    return [SearchEntry(vocab.short_id(s), types[s], text, kind) for s, text, kind in names if s in types]


def entries_from_store(store: Store, doc_id: str) -> list[SearchEntry]:
    """The names of one stored document (what :func:`entries_from_quads` gave at ingest)."""
    graph = vocab.graph_iri(doc_id)
    return entries_from_quads(q for p in (_TYPE, _LABEL, _ALT) for q in store.quads_for_pattern(None, p, None, graph))


def rebuild_index(store: Store, path: Path | None) -> SearchIndex:
    """Build the index at ``path`` from scratch from the store."""
    index = SearchIndex.open(path)
    index.rebuild(store)
    return index
