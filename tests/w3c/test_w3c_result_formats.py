"""The W3C SPARQL 1.1 result-format suites (csv-tsv-res/, json-res/) against this server's serialisers.

Each test's data is loaded into a store, its query run by :func:`graph.sparql.execute.execute` (the
code a query worker runs: guard, engine, our CSV / TSV / JSON writers), and the answer compared
with the expected file: as sets of variable -> term maps, blank nodes up to a renaming, column
order free (``SELECT *`` has none). The store keeps numbers by value (``1.0E6`` comes back as
``1000000``, ``xsd:negativeInteger`` as ``xsd:integer``), so numeric literals compare by value;
every other literal by its lexical form, language and datatype. CSV is lossy by design: its
cells compare as text (numbers by value).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation

import pytest
import rdflib
from pyoxigraph import BlankNode, Literal, QueryResultsFormat, RdfFormat, Store, parse_query_results

from graph.sparql.execute import SparqlRequest, execute
from tests.helpers import w3c

SUITES = {"csv-tsv-res": w3c.W3C / "csv-tsv-res" / "manifest.ttl", "json-res": w3c.W3C / "json-res" / "manifest.ttl"}
NUMERIC = {"integer", "decimal", "double", "float", "long", "int", "short", "byte", "negativeInteger",
           "positiveInteger", "nonNegativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt"}
MEDIA = {".csv": "text/csv", ".tsv": "text/tab-separated-values", ".srj": "application/sparql-results+json"}
PARSERS = {".tsv": QueryResultsFormat.TSV, ".srj": QueryResultsFormat.JSON}


def _cases():
    cases = []
    for suite, manifest in SUITES.items():
        g = rdflib.Graph()
        g.parse(manifest, format="turtle", publicID=manifest.as_uri())
        root = next(g.subjects(rdflib.RDF.type, w3c.MF.Manifest))
        for test in w3c._list(g, g.value(root, w3c.MF.entries)):
            action = g.value(test, w3c.MF.action)
            path = lambda node: w3c.Path(str(node).removeprefix("file://"))  # noqa: E731
            cases.append(pytest.param(path(g.value(action, w3c.QT.query)), path(g.value(action, w3c.QT.data)),
                                      path(g.value(test, w3c.MF.result)), id=f"{suite}/{str(test).split('#')[-1]}"))
    return cases


CASES = _cases()


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _key(term, bnodes: dict[str, str]):
    """A comparable form of a term; blank nodes numbered in order of first appearance."""
    if term is None:
        return None
    if isinstance(term, BlankNode) or (isinstance(term, str) and term.startswith("_:")):
        label = term.value if isinstance(term, BlankNode) else term
        return ("bnode", bnodes.setdefault(label, f"b{len(bnodes)}"))
    if isinstance(term, Literal):
        kind = term.datatype.value.rsplit("#", 1)[-1] if term.datatype.value.startswith(str(rdflib.XSD)) else None
        if kind in NUMERIC and _number(term.value) is not None:
            return ("number", _number(term.value))
        return ("literal", term.value, term.language, term.datatype.value)
    if isinstance(term, str):
        number = _number(term) if term else None
        return ("number", number) if number is not None else ("text", term)
    return ("iri", term.value)


def _table(variables: list[str], rows: list[list]) -> list[dict]:
    bnodes: dict[str, str] = {}
    return [{v: _key(t, bnodes) for v, t in zip(variables, row, strict=True)} for row in rows]


def _parsed(body: bytes, suffix: str):
    if suffix == ".csv":
        lines = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        return lines[0], [[cell if cell != "" else None for cell in line] for line in lines[1:]]
    results = parse_query_results(body, format=PARSERS[suffix])
    if not hasattr(results, "variables"):
        return None, bool(results)
    return [v.value for v in results.variables], [list(row) for row in results]


def test_the_suites_have_their_10_tests():
    assert len(CASES) == 10


@pytest.mark.parametrize(("query", "data", "expected"), CASES)
def test_result_format(query, data, expected):
    store = Store()
    store.load(path=str(data), format=RdfFormat.TURTLE, base_iri=data.as_uri())
    answer = execute(store, SparqlRequest(query.read_text(encoding="utf-8"), result_types=(MEDIA[expected.suffix],)))
    assert answer.media_type == MEDIA[expected.suffix]
    want_vars, want_rows = _parsed(expected.read_bytes(), expected.suffix)
    got_vars, got_rows = _parsed(answer.body, expected.suffix)
    if want_vars is None:  # ASK
        assert got_vars is None and got_rows == want_rows
        return
    assert sorted(got_vars) == sorted(want_vars)
    order = [got_vars.index(v) for v in want_vars]
    got = _table(want_vars, [[row[i] for i in order] for row in got_rows])
    want = _table(want_vars, want_rows)
    assert got == want, f"\nexpected {want}\n     got {got}"
