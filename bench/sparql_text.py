"""A named query with its values written into the text, for servers that take no bound parameters.

Our look-ups bind ids through pyoxigraph's substitutions, which the SPARQL Protocol lacks: a user
of the Oxigraph server or Virtuoso writes the id into the query. Two ways to write it, both with
the rows of the bound query (checked by :func:`peer_text`), whose speed differs by query in
Oxigraph's planner:

- **constant**: each ``?name`` becomes the term itself; the outer projection keeps the name as
  ``(<iri> AS ?name)``, a subquery's projection and GROUP BY / ORDER BY drop it;
- **values**: a ``VALUES ?name { <iri> }`` row at the top of every ``WHERE`` group (a VALUES in
  the outer group alone would let a subquery aggregate over every document first).

The peers are given the faster of the two on the same engine in process, so a ratio measures the
servers, not a plan the text forced on one of them.
"""

from __future__ import annotations

import re
import time

from pyoxigraph import Store

from graph import vocab
from graph.sparql.queries import NamedQuery
from graph.store.core import run_query

_CLAUSE = re.compile(r"\b(SELECT|WHERE|GROUP\s+BY|ORDER\s+BY|HAVING|LIMIT|OFFSET)\b|[{}]", re.IGNORECASE)


def with_prefixes(text: str) -> str:
    """The query with a PREFIX line for each of the project's prefixes it does not declare.

    Our server adds them itself; the peers need them written, so every peer gets this text.
    """
    declared = {line.split()[1].rstrip(":") for line in text.splitlines()
                if line.strip().upper().startswith("PREFIX") and len(line.split()) > 1}
    missing = [f"PREFIX {p}: <{iri}>" for p, iri in vocab.PREFIXES.items() if p not in declared]
    return "\n".join([*missing, text])


def constant_text(query: NamedQuery, values: dict[str, str]) -> str:
    text = query.text
    for name, term in query.bind(values).items():
        text = _constant(text, name, str(term))
    return with_prefixes(text)


def values_text(query: NamedQuery, values: dict[str, str]) -> str:
    text = query.text
    for name, term in query.bind(values).items():
        if f"?{name}" in text:
            text = re.sub(r"WHERE\s*\{", lambda m, n=name, t=term: f"{m.group(0)} VALUES ?{n} {{ {t} }}", text)
    return with_prefixes(text)


def _constant(text: str, name: str, term: str) -> str:
    var = re.compile(r"\?" + re.escape(name) + r"\b")
    out, position, mode, selects = [], 0, "body", 0
    for match in _CLAUSE.finditer(text):
        out.append(_rewrite(text[position:match.start()], mode, var, name, term))
        word = match.group(0).upper()
        selects += word == "SELECT"
        if word == "SELECT":
            mode = "project" if selects == 1 else "drop"
        else:
            mode = "drop" if word.startswith(("GROUP", "ORDER")) else "body"
        out.append(match.group(0))
        position = match.end()
    out.append(_rewrite(text[position:], mode, var, name, term))
    return re.sub(r"GROUP\s+BY\s*(?=\}|$|ORDER|HAVING|LIMIT)", "", "".join(out))


def _rewrite(chunk: str, mode: str, var: re.Pattern, name: str, term: str) -> str:
    if mode == "drop":
        return var.sub("", chunk)
    if mode == "body":
        return var.sub(term, chunk)
    depth, out = 0, []  # the outer projection: a bare ?name becomes (term AS ?name)
    for token in re.split(r"(\(|\)|\?\w+)", chunk):
        depth += (token == "(") - (token == ")")
        if var.fullmatch(token):
            out.append(f"({term} AS ?{name})" if depth == 0 else term)
        else:
            out.append(token)
    return "".join(out)


def peer_text(store: Store, query: NamedQuery, values: dict[str, str]) -> tuple[str, str]:
    """(form, text): the faster in process of the two written forms, each checked to give our rows."""
    if not values:
        return "as is", with_prefixes(query.text)
    bound = sorted(map(str, run_query(store, query.text, query.bind(values))))
    best = None
    for form, text in (("constant", constant_text(query, values)), ("values", values_text(query, values))):
        rows = sorted(map(str, run_query(store, text)))
        if rows != bound:
            raise ValueError(f"{query.name} {values}: the {form} text gives {len(rows)} rows, bound {len(bound)}")
        spent = []
        for _ in range(3):
            started = time.perf_counter()
            list(run_query(store, text))
            spent.append(time.perf_counter() - started)
        if best is None or min(spent) < best[0]:
            best = (min(spent), form, text)
    return best[1], best[2]
