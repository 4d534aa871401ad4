"""A search index over the names and aliases of entities, kept beside the store.

A name search written in SPARQL (FILTER/CONTAINS) scans every literal: 0.4–1 s at a few
million triples. This index is a SQLite file with an FTS5 trigram table over normalised
names (accents, case, punctuation and honorifics folded by :func:`graph.model.normalise`),
plus the initials of multi-word names so that acronyms find their entity (those are matched
by exact key only, so they stay out of the full-text tables). A query looks up
exact names, name prefixes and substrings first (index look-ups); when that finds too little
it corrects each query word against the vocabulary of indexed words (rapidfuzz over words of
about the same length and first or last letter) and looks the corrected words up in a word
index (small typos); candidates are ranked with rapidfuzz.

Ingest keeps it current: after a document's graph is replaced, the pipeline calls
:meth:`SearchIndex.replace_document` with that document's names (a small edit). The index
can always be rebuilt from the store (:func:`rebuild_index`), and :meth:`SearchIndex.sync`
re-indexes only documents whose names changed (what the server runs at start).

>>> index = SearchIndex.open(None)
>>> index.replace_document("d1", [SearchEntry("org-wto", "organisation", "World Trade Organization", "label")])
2
>>> [(h.id, h.matched) for h in index.search("wto")]
[('org-wto', 'WTO')]
>>> [h.id for h in index.search("world trade organisaton")]
['org-wto']
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, Quad
from rapidfuzz import fuzz, process

from graph import vocab
from graph.model import normalise
from graph.store.protocol import Store

_STOPWORDS = frozenset(["of", "the", "and", "for", "on", "in", "de", "la", "des", "du", "et", "to", "a", "an"])
SCHEMA_VERSION = 4
_SCHEMA = """
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
CREATE TABLE IF NOT EXISTS entries(
    id INTEGER PRIMARY KEY, doc TEXT NOT NULL, entity TEXT NOT NULL, type TEXT NOT NULL,
    kind TEXT NOT NULL, text TEXT NOT NULL, key TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entries_key ON entries(key);
CREATE INDEX IF NOT EXISTS entries_doc ON entries(doc);
CREATE INDEX IF NOT EXISTS entries_entity ON entries(entity, kind);
CREATE VIRTUAL TABLE IF NOT EXISTS entries_fts USING fts5(
    key, content='entries', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE IF NOT EXISTS entries_words USING fts5(
    key, content='entries', content_rowid='id', tokenize='unicode61');
CREATE VIRTUAL TABLE IF NOT EXISTS words_vocab USING fts5vocab(entries_words, 'row');
CREATE TRIGGER IF NOT EXISTS entries_ai AFTER INSERT ON entries WHEN new.kind != 'acronym' BEGIN
    INSERT INTO entries_fts(rowid, key) VALUES (new.id, new.key);
    INSERT INTO entries_words(rowid, key) VALUES (new.id, new.key); END;
CREATE TRIGGER IF NOT EXISTS entries_ad AFTER DELETE ON entries WHEN old.kind != 'acronym' BEGIN
    INSERT INTO entries_fts(entries_fts, rowid, key) VALUES ('delete', old.id, old.key);
    INSERT INTO entries_words(entries_words, rowid, key) VALUES ('delete', old.id, old.key); END;
CREATE TABLE IF NOT EXISTS documents(doc TEXT PRIMARY KEY, fingerprint TEXT NOT NULL DEFAULT '');
"""
_DROP = """
DROP TRIGGER IF EXISTS entries_ai; DROP TRIGGER IF EXISTS entries_ad;
DROP TABLE IF EXISTS words_vocab; DROP TABLE IF EXISTS entries_vocab; DROP TABLE IF EXISTS entries_words;
DROP TABLE IF EXISTS entries_fts; DROP TABLE IF EXISTS entries; DROP TABLE IF EXISTS documents;
"""
_CANDIDATES = 300
_COLS = "e.id, e.entity, e.type, e.kind, e.text, e.key"


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
        self._words: dict[tuple[str, int], list[str]] = {}
        self._words_version: tuple[int, int] | None = None
        self._writes = 0

    @classmethod
    def open(cls, path: Path | None) -> SearchIndex:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(":memory:" if path is None else str(path), check_same_thread=False, timeout=30)
        conn.execute("PRAGMA busy_timeout=30000")
        if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            conn.executescript(_DROP)  # an index of an older layout: rebuilt by the next sync()
            conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        conn.executescript(_SCHEMA)
        return cls(conn, path)

    def close(self) -> None:
        self._conn.close()

    # -- writing ------------------------------------------------------------------------------

    def replace_document(self, doc_id: str, entries: Iterable[SearchEntry], sha256: str = "") -> int:
        """Make the index hold exactly ``entries`` for ``doc_id`` (one transaction).

        The document is recorded with a fingerprint of its names (``sha256`` is accepted for
        callers that have one, but the names decide), so :meth:`sync` also notices names changed
        without a new file, e.g. by curation.
        """
        entries = list(entries)
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
            self._conn.execute("INSERT OR REPLACE INTO documents(doc, fingerprint) VALUES (?, ?)",
                               (doc_id, fingerprint(entries)))
            self._writes += 1
        return len(rows)

    def refresh_document(self, doc_id: str, entries: Iterable[SearchEntry]) -> bool:
        """Replace ``doc_id``'s entries only if its names differ from what is indexed."""
        entries = list(entries)
        if self.fingerprint_of(doc_id) == fingerprint(entries):
            return False
        self.replace_document(doc_id, entries)
        return True

    def remove_document(self, doc_id: str) -> None:
        with self._lock, self._conn:
            self._conn.execute("DELETE FROM entries WHERE doc = ?", (doc_id,))
            self._conn.execute("DELETE FROM documents WHERE doc = ?", (doc_id,))
            self._writes += 1

    def documents(self) -> dict[str, str]:
        """Indexed document ids and the fingerprint of the names they were indexed with."""
        with self._lock:
            return dict(self._conn.execute("SELECT doc, fingerprint FROM documents"))

    def fingerprint_of(self, doc_id: str) -> str | None:
        """The fingerprint of the names ``doc_id`` was indexed with, or None if it is not indexed."""
        with self._lock:
            row = self._conn.execute("SELECT fingerprint FROM documents WHERE doc = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def sync(self, store: Store) -> int:
        """Re-index the stored documents whose names differ from the index's; drop the ones gone."""
        from graph.store.core import document_graphs

        stored = document_graphs(store)
        changed = sum(self.refresh_document(doc_id, entries_from_store(store, doc_id)) for doc_id in stored)
        for doc_id in set(self.documents()) - set(stored):
            self.remove_document(doc_id)
            changed += 1
        return changed

    def rebuild(self, store: Store) -> int:
        """Empty the index and fill it again from every document graph of ``store``."""
        with self._lock, self._conn:
            self._conn.execute("DELETE FROM entries")
            self._conn.execute("DELETE FROM documents")
            self._writes += 1
        return self.sync(store)

    # -- reading ------------------------------------------------------------------------------

    def _rows(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def _candidates(self, key: str, types: Sequence[str], limit: int) -> dict[int, tuple]:
        """Exact names, then name prefixes (B-tree look-ups), then substrings (trigram FTS) if needed."""
        type_sql = f" AND e.type IN ({','.join('?' * len(types))})" if types else ""
        found: dict[int, tuple] = {}
        keys = [key]
        if all(len(w) == 1 for w in key.split()):
            keys.append(key.replace(" ", ""))
        for k in keys:
            found.update((r[0], r) for r in self._rows(
                f"SELECT {_COLS} FROM entries e WHERE e.key = ?{type_sql} LIMIT {_CANDIDATES}", [k, *types]))
            found.update((r[0], r) for r in self._rows(
                f"SELECT {_COLS} FROM entries e WHERE e.key > ? AND e.key < ?{type_sql} ORDER BY e.key "
                f"LIMIT {_CANDIDATES}", [k, k + "\U0010ffff", *types]))
        if len({r[1] for r in found.values()}) < limit and len(key) >= 3:
            phrase = '"' + key.replace('"', '""') + '"'
            if " " in key:  # several words: a phrase of whole words, the last one a prefix (word index)
                table, match = "entries_words", phrase + " *"
            else:  # one word, possibly part of a longer one ("msmes" in "trade4msmes"): trigrams
                table, match = "entries_fts", phrase
            found.update((r[0], r) for r in self._rows(
                f"SELECT {_COLS} FROM {table} f JOIN entries e ON e.id = f.rowid "
                f"WHERE {table} MATCH ?{type_sql} LIMIT {_CANDIDATES}", [match, *types]))
        return found

    def _vocabulary(self) -> dict[tuple[str, int], list[str]]:
        """Distinct words of all names, bucketed by (first letter, length); reloaded after any write."""
        with self._lock:
            version = (self._conn.execute("PRAGMA data_version").fetchone()[0], self._writes)
            if version != self._words_version:
                buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
                for (term,) in self._conn.execute("SELECT term FROM words_vocab"):
                    buckets[(term[0], len(term))].append(term)
                self._words, self._words_version = dict(buckets), version
            return self._words

    def _corrections(self, word: str) -> list[str]:
        """Indexed words within a small edit of ``word`` (same first or last letter, length ±2).

        A word that is itself indexed still gets its neighbours: "center" may be a real word of
        another name while the user meant "centre".
        """
        words = self._vocabulary()
        pool = [w for n in range(len(word) - 2, len(word) + 3) for w in words.get((word[0], n), ())]
        pool += [w for first in "abcdefghijklmnopqrstuvwxyz0123456789" if first != word[0]
                 for n in (len(word) - 1, len(word), len(word) + 1)
                 for w in words.get((first, n), ()) if w[-1] == word[-1]]
        matches = process.extract(word, pool, scorer=fuzz.ratio, limit=6, score_cutoff=75)
        return list(dict.fromkeys(m[0] for m in matches))

    def _typo_candidates(self, key: str, types: Sequence[str]) -> dict[int, tuple]:
        """Entries whose words are small edits of the query's words: the fall-back for misspellings."""
        groups = []
        for word in key.split():
            if len(word) < 4:
                continue
            options = self._corrections(word)
            if options:
                groups.append("(" + " OR ".join('"' + w.replace('"', '""') + '"' for w in options) + ")")
        if not groups:
            return {}
        type_sql = f" AND e.type IN ({','.join('?' * len(types))})" if types else ""
        sql = (f"SELECT {_COLS} FROM entries_words f JOIN entries e ON e.id = f.rowid "
               f"WHERE entries_words MATCH ?{type_sql}")
        rows = self._rows(f"{sql} LIMIT {_CANDIDATES}", [" AND ".join(groups), *types])
        if not rows and 1 < len(groups) <= 6:  # one word too far off: any of them, best-ranked first
            rows = self._rows(f"{sql} ORDER BY rank LIMIT {_CANDIDATES}", [" OR ".join(groups), *types])
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
        candidates = self._candidates(key, types, limit)
        best: dict[str, tuple[float, str, str]] = {}
        mentions: Counter[str] = Counter()

        def consider(rows: Iterable[tuple]) -> None:
            for _, entity, etype, kind, text, cand_key in rows:
                score = _score(key, cand_key, kind)
                mentions[entity] += 1
                if score >= 55 and (entity not in best or score > best[entity][0]):
                    best[entity] = (score, etype, text)

        consider(candidates.values())
        strong = sum(1 for s, _, _ in best.values() if s >= 75)
        if strong < limit and len(key) >= 4 and not any(s >= 99 for s, _, _ in best.values()):
            consider(r for i, r in self._typo_candidates(key, types).items() if i not in candidates)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], -mentions[kv[0]], kv[0]))[: max(0, limit)]
        labels = self._labels([e for e, _ in ranked]) if ranked else {}
        return [SearchHit(e, vocab.ID + e, t, labels.get(e, text), text, round(s, 1)) for e, (s, t, text) in ranked]


def fingerprint(entries: Iterable[SearchEntry]) -> str:
    """A short digest of a document's names, independent of their order."""
    lines = sorted({f"{e.entity}\t{e.type}\t{e.kind}\t{e.text}" for e in entries})
    return hashlib.sha1("\n".join(lines).encode()).hexdigest()[:20]


_TYPE = NamedNode(vocab.RDF + "type")
_LABEL = NamedNode(vocab.RDFS + "label")
_ALT = NamedNode(vocab.SKOS + "altLabel")
_CLASSES = {vocab.MSME + cls: kind for kind, cls in vocab.TYPE_CLASS.items()}


def entries_from_quads(quads: Iterable[Quad]) -> list[SearchEntry]:
    """The names in one document's quads: rdfs:label and skos:altLabel of typed entities."""
    types: dict[str, str] = {}
    names: list[tuple[str, str, str]] = []
    for q in quads:
        subject, value = vocab.term_value(q.subject), vocab.term_value(q.object)
        if q.predicate == _TYPE and value in _CLASSES:
            types[subject] = _CLASSES[value]
        elif q.predicate in (_LABEL, _ALT):
            names.append((subject, value, "label" if q.predicate == _LABEL else "alias"))
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
