"""msme-kg from Python or a notebook: open a store, run its named queries, get a network view.

One small class over what the CLI and the server already use (the named queries of ``queries/``
with values bound as RDF terms, and the network views of :mod:`graph.views.network`), so a notebook
sees the same answers as ``msme-kg query`` and ``/export``::

    from graph.notebook import KnowledgeGraph
    kg = KnowledgeGraph.open("data/store")          # read-only: a running server may keep serving it
    kg.query("people")                              # a pandas DataFrame if pandas is installed, else rows
    kg.query("agent-events", agent="person-…")      # parameters by name, bound as terms
    g = kg.network("coattendance", kind="person")   # a networkx graph with degree, community … on each node

Rows are plain dicts: numbers as ``int``/``float``, everything else as ``str``, and this graph's
entity and document IRIs as their short ids (``person-ana-rivera``, the node keys of the
networks), so rows and networks join. pandas is not a dependency: ``frame=True`` asks for a
DataFrame (an ImportError saying what to install if it is missing), ``frame=False`` for rows.

>>> from tests.sample_graph import build_sample_store
>>> kg = KnowledgeGraph(build_sample_store())
>>> people = kg.query("people", frame=False)
>>> [p["name"] for p in people][:2], people.columns
(['Ana Rivera', 'Bo Tanaka'], ['person', 'name', 'titles', 'documents'])
>>> [(r["event"], r["role"]) for r in kg.query("agent-events", agent="person-dmitri-volkov", frame=False)]
[('event-finance-session', 'moderated')]
>>> g = kg.network("coattendance", kind="person")
>>> g.edges["person-ana-rivera", "person-cleo-mbeki"]["weight"], g.nodes["person-ana-rivera"]["degree"]
(2, 3)
>>> kg.sparql("ASK { ?p a msme:Person }")
True
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import networkx as nx
from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, QuerySolutions, Store, Triple

from graph import vocab
from graph.settings import Settings
from graph.sparql.queries import get_query, load_queries
from graph.store.core import open_store, run_query
from graph.views.export import network_view
from graph.views.network import NetworkSpec

HTML_ROWS = 50  # rows a notebook shows of a long answer
_NUMBERS: dict[str, type[int] | type[float]] = {
    **{vocab.XSD + t: int for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")},
    **{vocab.XSD + t: float for t in ("decimal", "double", "float")},
}


class Rows(list):
    """The rows of an answer: a list of dicts, with the column order, and a table in Jupyter."""

    def __init__(self, columns: Iterable[str], rows: Iterable[dict[str, Any]] = ()) -> None:
        super().__init__(rows)
        self.columns = list(columns)

    def to_frame(self) -> Any:
        """A pandas DataFrame of the rows (pandas must be installed: it is not a dependency)."""
        return _pandas().DataFrame(list(self), columns=self.columns)

    def _repr_html_(self) -> str:
        def cell(value: Any) -> str:
            return f"<td>{escape('' if value is None else str(value))}</td>"

        head = "".join(f"<th>{escape(c)}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(cell(r.get(c)) for c in self.columns) + "</tr>" for r in self[:HTML_ROWS])
        more = f"<p>{len(self) - HTML_ROWS} more rows</p>" if len(self) > HTML_ROWS else ""
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


@dataclass(frozen=True)
class QueryInfo:
    """A named query: its name, what it answers, and its parameters as ``(name, type, description)``."""

    name: str
    summary: str
    params: tuple[tuple[str, str, str], ...]


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError as err:
        raise ImportError("a DataFrame needs pandas (`pip install pandas`); or pass frame=False for rows") from err


def _has_pandas() -> bool:
    try:
        importlib.import_module("pandas")
    except ImportError:
        return False
    return True


def _plain(term: object) -> Any:
    """A Python value for an RDF term: numbers as numbers, booleans as bool, our IRIs as short ids.

    >>> _plain(Literal("3", datatype=NamedNode(vocab.XSD + "integer"))), _plain(vocab.entity_iri("org-x"))
    (3, 'org-x')
    """
    if term is None:
        return None
    if isinstance(term, Literal):
        kind = term.datatype.value
        if kind == vocab.XSD + "boolean":
            return term.value == "true"
        convert = _NUMBERS.get(kind)
        try:
            return convert(term.value) if convert else term.value
        except ValueError:
            return term.value
    if isinstance(term, NamedNode):
        return vocab.short_id(term.value)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return str(term)


class KnowledgeGraph:
    """A store with the project's named queries and network views."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def open(cls, path: str | Path | None = None, *, read_only: bool = True) -> KnowledgeGraph:
        """The store at ``path`` (default: ``$MSME_KG_STORE`` or ``data/store``), read-only unless asked."""
        return cls(open_store(Path(path) if path is not None else Settings().store, read_only=read_only))

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Let go of the store (its files stay)."""
        self.store = None  # type: ignore[assignment]

    def queries(self) -> list[QueryInfo]:
        """The named queries of ``queries/``, with their summaries and parameters."""
        return [QueryInfo(q.name, q.summary, tuple((p.name, p.type, p.description) for p in q.params))
                for q in load_queries().values()]

    def query(self, name: str, *, frame: bool | None = None, **params: str) -> Any:
        """Rows of a named query (or any ``.rq`` file by path), parameters given by name.

        ``frame``: None gives a DataFrame when pandas is installed and :class:`Rows` otherwise;
        True always a DataFrame; False always rows.
        """
        named = get_query(name)
        return self._rows(run_query(self.store, named.text, named.bind({k: str(v) for k, v in params.items()})),
                          frame)

    def sparql(self, text: str, *, frame: bool | None = None) -> Any:
        """Any SPARQL query (the project's prefixes are declared): rows for SELECT, a bool for ASK,
        ``(subject, predicate, object)`` tuples for CONSTRUCT and DESCRIBE."""
        answer = run_query(self.store, text)
        if isinstance(answer, QueryBoolean):
            return bool(answer)
        if isinstance(answer, QuerySolutions):
            return self._rows(answer, frame)
        return [tuple(_plain(t) for t in (triple.subject, triple.predicate, triple.object))
                for triple in answer if isinstance(triple, Triple)]

    def _rows(self, answer: Any, frame: bool | None) -> Any:
        columns = [v.value for v in answer.variables]
        rows = Rows(columns, (dict(zip(columns, map(_plain, s), strict=True)) for s in answer))
        if frame or (frame is None and _has_pandas()):
            return rows.to_frame()
        return rows

    def network(self, view: str = "whole", *, focus: str | None = None, depth: int = 1, types: Iterable[str] = (),
                since: str | None = None, until: str | None = None, kind: str = "person",
                size_by: str = "degree") -> nx.Graph:
        """The networkx graph of a view (the same as ``msme-kg export --view …`` writes): nodes keyed
        by short id with ``label``, ``type``, ``degree``, ``strength``, ``betweenness``,
        ``community`` and ``size``; edges with ``predicate``, ``weight`` and ``date``."""
        spec = NetworkSpec(view=view, focus=focus, depth=depth, types=tuple(types), since=since, until=until,
                           kind=kind, size_by=size_by)
        return network_view(self.store, spec)

