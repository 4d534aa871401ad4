"""Real parameter values for the named queries, picked from the graph at hand.

Benchmarks and cross-backend tests run *every* query of ``queries/`` — whatever exists when
they run — so they need values for each ``#+ param:`` line: an event id for ``event``, a
person for ``person``, a word of a name for a search string … The kind of entity is guessed
from the parameter's name and description; when that says nothing, each kind is tried and the
one that gives rows wins. Deterministic for a given graph and seed.
"""

from __future__ import annotations

import random
import re

from pyoxigraph import NamedNode

from graph import vocab
from graph.errors import QueryError
from graph.sparql.queries import NamedQuery, Param
from graph.store.core import run_select
from graph.store.protocol import Store

# words in a parameter's name or description -> the class of the entity it names
KIND_WORDS = {
    "Event": ("event", "meeting", "session", "workshop", "conference"),
    "Person": ("person", "people", "speaker", "attendee", "who"),
    "Organisation": ("org", "organisation", "organization", "institution", "agency"),
    "Economy": ("economy", "country", "member", "delegation"),
    "Initiative": ("initiative", "programme", "program", "platform", "project"),
    "Document": ("doc", "document", "source", "report"),
}
CLASSES = tuple(KIND_WORDS)
_IDS_QUERY = "SELECT DISTINCT ?s ?class WHERE { ?s a ?class } LIMIT 2000"


def guess_class(param: Param) -> str | None:
    """The entity class a parameter names, from its name first, then its description.

    >>> guess_class(Param("event", "entity"))
    'Event'
    >>> guess_class(Param("id", "entity", "the organisation (short id or IRI)"))
    'Organisation'
    """
    for text in (param.name, param.description):
        words = set(re.findall(r"[a-z]+", text.lower()))
        for cls, keys in KIND_WORDS.items():
            if words & set(keys):
                return cls
    return None


class ParamSampler:
    """Ids of each class (and words of labels), read once from the store."""

    def __init__(self, store: Store, seed: int = 0, per_class: int = 2000) -> None:
        self.store = store
        self.rng = random.Random(seed)
        self.ids: dict[str, list[str]] = {}
        for cls in CLASSES:
            rows = run_select(store, _IDS_QUERY.replace("LIMIT 2000", f"LIMIT {int(per_class)}"),
                             {"class": NamedNode(vocab.MSME + cls)})
            values = sorted({row["s"].value for row in rows})
            self.ids[cls] = [vocab.short_id(v) if v.startswith(vocab.ID) else v for v in values]
        self.words = sorted({w for cls in ("Person", "Organisation", "Initiative") for w in self._label_words(cls)})

    def _label_words(self, cls: str) -> set[str]:
        query = "SELECT DISTINCT ?class ?label WHERE { ?s a ?class ; rdfs:label ?label } LIMIT 500"
        rows = run_select(self.store, query, {"class": NamedNode(vocab.MSME + cls)})
        return {w for row in rows for w in re.findall(r"[A-Za-z]{4,}", row["label"].value)}

    def value(self, query: NamedQuery, param: Param) -> str | None:
        """One value for ``param`` as a user would type it (short id, word, number, date)."""
        if param.type == "document" or (param.type == "entity" and guess_class(param) == "Document"):
            pool = self.ids.get("Document", [])
            return vocab.short_id(self.rng.choice(pool)) if pool else None
        if param.type in ("entity", "iri"):
            cls = guess_class(param) or self._class_by_trial(query, param)
            pool = self.ids.get(cls or "", [])
            if not pool:
                return None
            value = self.rng.choice(pool)
            return value if param.type == "entity" else vocab.entity_iri(value).value
        if param.type == "string":
            return self.rng.choice(self.words) if self.words else None
        if param.type == "int":
            return "10"
        if param.type == "date":
            return str(self.rng.randrange(2015, 2025))
        return None

    def bindings(self, query: NamedQuery, n: int = 5, *, optional: bool = False) -> list[dict[str, str]]:
        """``n`` sets of parameter values (optional parameters only when ``optional``)."""
        out = []
        for _ in range(n):
            values = {}
            for param in query.params:
                if param.optional and not optional:
                    continue
                value = self.value(query, param)
                if value is None:
                    break
                values[param.name] = value
            else:
                out.append(values)
        return out

    def _class_by_trial(self, query: NamedQuery, param: Param) -> str | None:
        """The class whose ids give the most rows when bound to ``param`` alone (None if others are needed)."""
        if any(p.name != param.name and not p.optional for p in query.params):
            return None
        best, best_rows = None, 0
        for cls, pool in self.ids.items():
            for value in pool[:3]:
                term = NamedNode(value) if value.startswith("http") else vocab.entity_iri(value)
                try:
                    rows = sum(1 for _ in run_select(self.store, query.text, {param.name: term}))
                except QueryError:  # a probe: a class the query cannot take is skipped
                    continue
                if rows > best_rows:
                    best, best_rows = cls, rows
        return best
