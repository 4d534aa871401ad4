"""Query results to a terminal table, CSV, TSV or SPARQL JSON (pyoxigraph serialises the last three)."""

from __future__ import annotations

from typing import TextIO

from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, serialize

from graph.store.protocol import QueryResult
from graph.vocab import short_id

RESULT_FORMATS = {
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
    "json": QueryResultsFormat.JSON,
}


def _cell(term: object) -> str:
    if term is None:
        return ""
    return short_id(term.value) if hasattr(term, "value") else str(term)


def write_results(results: QueryResult, fmt: str, out: TextIO) -> None:
    """Print SELECT/ASK results in ``fmt``; graphs (CONSTRUCT/DESCRIBE) always as Turtle."""
    if not isinstance(results, QuerySolutions | QueryBoolean):
        out.write((serialize(results, format=RdfFormat.TURTLE) or b"").decode())
        return
    if fmt in RESULT_FORMATS:
        out.write((results.serialize(format=RESULT_FORMATS[fmt]) or b"").decode())
        if fmt == "json":
            out.write("\n")
        return
    if isinstance(results, QueryBoolean):
        out.write(f"{bool(results)}\n")
        return
    names = [v.value for v in results.variables]
    rows = [[_cell(term) for term in solution] for solution in results]  # a solution's terms in ``names`` order
    widths = [min(60, max([len(n)] + [len(r[i]) for r in rows])) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))
    out.write(line + "\n" + "  ".join("-" * w for w in widths) + "\n")
    for row in rows:
        out.write("  ".join(c[:60].ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")
