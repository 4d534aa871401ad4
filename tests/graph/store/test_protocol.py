"""The Store and Backend protocols (graph.store.protocol): both backends offer every method they declare,
with parameters a caller of the protocol may use, and core hands each store its own backend."""

from __future__ import annotations

import inspect

import pytest
from pyoxigraph import Store as OxigraphStore

from graph.store.core import backend, is_embedded
from graph.store.oxigraph import Embedded
from graph.store.protocol import Backend, Store
from graph.store.sparql_server import SparqlStore


def _declared(protocol: type) -> dict[str, inspect.Signature]:
    return {name: inspect.signature(member) for name, member in vars(protocol).items()
            if callable(member) and not name.startswith("_")}


def _accepts(implementation: object, name: str, declared: inspect.Signature) -> bool:
    """Every keyword parameter the protocol declares is a keyword of the implementation."""
    try:
        actual = inspect.signature(getattr(implementation, name))
    except ValueError:  # a builtin without a signature (pyo3 gives text signatures, so this is rare)
        return True
    keywords = {p.name for p in declared.parameters.values() if p.kind is inspect.Parameter.KEYWORD_ONLY}
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in actual.parameters.values())
    return takes_any or keywords <= set(actual.parameters)


@pytest.mark.parametrize("implementation", [OxigraphStore, SparqlStore], ids=["oxigraph", "sparql-server"])
def test_both_stores_offer_every_method_of_the_store_protocol(implementation):
    for name, declared in _declared(Store).items():
        assert callable(getattr(implementation, name, None)), name
        assert _accepts(implementation, name, declared), name


@pytest.mark.parametrize("implementation", [Embedded, SparqlStore], ids=["oxigraph", "sparql-server"])
def test_both_backends_offer_every_method_and_property_of_the_backend_protocol(implementation):
    for name in ("replace_graph", "remove_graph", "bulk_load", "default_graph_as_union", "union_graph", "embedded"):
        assert hasattr(implementation, name), name
    for name, declared in _declared(Backend).items():
        assert _accepts(implementation, name, declared), name


def test_core_gives_each_store_its_backend_and_refuses_anything_else():
    server = SparqlStore("http://127.0.0.1:9/sparql")
    assert backend(server) is server and not is_embedded(server)
    assert isinstance(backend(OxigraphStore()), Embedded) and is_embedded(OxigraphStore())
    with pytest.raises(TypeError, match="not a store msme-kg knows"):
        backend(object())  # type: ignore[arg-type]
