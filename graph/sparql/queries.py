"""Named SPARQL queries: the ``.rq`` files of ``queries/``, with a small header each.

Header lines follow grlc's convention::

    #+ summary: Who attended an event, with their role
    #+ param: event entity  the event (short id or IRI)
    #+ param: limit int     at most this many rows (optional)

Parameters are bound as RDF terms through pyoxigraph's substitutions, so user input never
becomes query text. The API, the CLI and the docs all run these same files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Store

from graph import vocab
from graph.errors import QueryError, UnknownQuery
from graph.settings import QUERIES_DIR
from graph.sparql.guard import check

PARAM_TYPES = ("entity", "iri", "string", "int", "date", "document")
_HEADER = re.compile(r"^#\+\s*(\w+)\s*:\s*(.*)$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str = ""
    optional: bool = False


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    summary: str = ""
    params: tuple[Param, ...] = field(default_factory=tuple)

    def bind(self, values: dict[str, str]) -> dict[str, NamedNode | Literal]:
        """Turn ``name=value`` strings into typed terms; unknown or missing names are errors."""
        known = {p.name: p for p in self.params}
        unknown = set(values) - set(known)
        if unknown:
            raise QueryError(f"query {self.name!r} has no parameter {', '.join(sorted(unknown))}")
        bound: dict[str, NamedNode | Literal] = {}
        for param in self.params:
            if param.name not in values:
                if not param.optional:
                    raise QueryError(f"query {self.name!r} needs --param {param.name}=... ({param.description})")
                continue
            bound[param.name] = to_term(param, values[param.name])
        return bound


def to_term(param: Param, value: str) -> NamedNode | Literal:
    """One parameter value as an RDF term, validated for its type.

    >>> to_term(Param("e", "entity"), "person-ann-lee").value
    'https://w3id.org/msme-kg/id/person-ann-lee'
    >>> to_term(Param("n", "int"), "5").value
    '5'
    """
    try:
        if param.type == "entity":
            return entity_term(value)
        if param.type == "iri":
            return NamedNode(value)
        if param.type == "document":
            return document_term(value)
        if param.type == "int":
            return Literal(str(int(value)), datatype=NamedNode(vocab.XSD + "integer"))
        if param.type == "date":
            if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
                raise ValueError("expected YYYY, YYYY-MM or YYYY-MM-DD")
            return Literal(value, datatype=NamedNode(vocab.XSD + "date")) if len(value) == 10 else Literal(value)
        return Literal(value)
    except ValueError as err:
        raise QueryError(f"bad value for {param.name} ({param.type}): {value!r}: {err}") from err


def entity_term(value: str) -> NamedNode:
    """A short id ("org-itc") or a full IRI, as the entity's IRI."""
    if value.startswith(("http://", "https://", "urn:")):
        return NamedNode(value)
    return vocab.entity_iri(value)


def document_term(value: str) -> NamedNode:
    """A document id ("000_ccb6c9cf5474de64") or its full IRI, as the document's IRI.

    >>> document_term("000_abc").value
    'https://w3id.org/msme-kg/doc/000_abc'
    """
    if value.startswith(("http://", "https://", "urn:")):
        return NamedNode(value)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", value):
        raise ValueError(f"not a valid document id: {value!r}")
    return vocab.document_iri(value)


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    summary = ""
    params: list[Param] = []
    for line in text.splitlines():
        match = _HEADER.match(line.strip())
        if not match:
            continue
        key, value = match.groups()
        if key == "summary":
            summary = value.strip()
        elif key == "param":
            parts = value.split(None, 2)
            if len(parts) < 2 or parts[1].rstrip("?") not in PARAM_TYPES:
                raise QueryError(f"{path.name}: bad param line {line!r} (types: {', '.join(PARAM_TYPES)})")
            optional = parts[1].endswith("?")
            params.append(Param(parts[0], parts[1].rstrip("?"), parts[2] if len(parts) > 2 else "", optional))
    query = NamedQuery(path.stem, text, summary, tuple(params))
    check(text, allow_service=True, allow_load=True)  # bounded nesting before pyoxigraph's parser recurses on it
    try:
        Store().query(text, prefixes=vocab.PREFIXES)
    except SyntaxError as err:
        raise QueryError(f"{path.name} does not parse: {err}") from err
    return query


@cache
def load_queries(directory: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    """Every named query, parsed and checked once."""
    return {p.stem: parse_query_file(p) for p in sorted(directory.glob("*.rq"))}


def get_query(name_or_path: str) -> NamedQuery:
    """A named query by name, or any .rq file by path (what ends in .rq or names a folder is a path)."""
    path = Path(name_or_path)
    if path.suffix == ".rq" or len(path.parts) > 1:
        if not path.is_file():
            raise UnknownQuery(f"{name_or_path}: no such query file")
        return parse_query_file(path)
    queries = load_queries()
    if name_or_path not in queries:
        raise UnknownQuery(f"no query named {name_or_path!r}; known: {', '.join(queries)}")
    return queries[name_or_path]
