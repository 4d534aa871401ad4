"""Every GET answer of the HTTP API on one store, as one JSON file: a before/after check for refactors.

Not a benchmark: a refactor that must not change behaviour (moving modules, merging the REST and
web read layers) is checked by dumping the answers before and after and comparing the files::

    python bench/rest_snapshot.py build /tmp/seed-store          # msme-kg ingest seeds into it
    python bench/rest_snapshot.py dump /tmp/seed-store > before.json
    ... change the code ...
    python bench/rest_snapshot.py dump /tmp/seed-store > after.json
    cmp before.json after.json

The routes are read from the app itself (every GET route, so a new route is not forgotten); the
ids that fill their path parameters are read from the store (every entity, event, agent,
initiative and document), and each list is read whole. The script imports only ``api.main`` and
``graph.settings`` (whose places do not move) and pyoxigraph, so the same file runs on both sides
of a move.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ENTITY_PREFIX = "https://w3id.org/msme-kg/id/"
ROLES = ("attended", "spoke_at", "presented_at", "moderated", "chaired", "organised", "sponsored", "reported_on",
         "partnered")
NAMED = ("Person", "Organisation", "Economy", "Initiative", "Event", "Session", "Place", "Curation")
SEARCHES = ("ITC", "World Trade Organization", "Internatonal Trade Center", "trade", "MSME", "Nigeria", "zzzz")
EXPORTS = [
    {"format": fmt, "view": view}
    for fmt in ("graphml", "gexf", "cytoscape", "dot", "ttl", "jsonld")
    for view in ("whole", "coattendance", "partnership", "copartnership")
]


def build(store: Path) -> None:
    subprocess.run([str(ROOT / ".venv/bin/msme-kg"), "ingest", str(ROOT / "seeds"), "--store", str(store)], check=True)


def _ids(store_path: Path) -> dict[str, list[str]]:
    """Short ids by kind, read straight from the store (sorted, so the dump is deterministic)."""
    from pyoxigraph import Store

    store = Store.read_only(str(store_path))
    query = """SELECT DISTINCT ?s ?t WHERE { GRAPH ?g { ?s a ?t } }"""
    kinds: dict[str, set[str]] = {}
    for row in store.query(query):
        iri = row["s"].value
        if iri.startswith(ENTITY_PREFIX):
            kinds.setdefault(row["t"].value.rsplit("/", 1)[-1].rsplit("#", 1)[-1], set()).add(iri[len(ENTITY_PREFIX):])
    docs = {g.value.rsplit("/", 1)[-1] for g in store.named_graphs() if "/graph/" in g.value}
    ids = {k: sorted(v) for k, v in kinds.items()}
    ids["_documents"] = sorted(docs)
    return ids


def _body(response: Any) -> Any:
    kind = response.headers.get("content-type", "")
    if "json" in kind:
        try:
            return response.json()
        except ValueError:
            pass
    text = response.content
    if len(text) > 4000:  # big files: their size and digest say whether they changed
        return {"bytes": len(text), "sha256": hashlib.sha256(text).hexdigest()}
    return text.decode("utf-8", "replace")


def _routes(routes: list[Any]) -> list[Any]:
    """Every route, routers included (FastAPI wraps an included router in an object of its own)."""
    flat: list[Any] = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        flat += _routes(inner.routes) if inner is not None else [route]
    return flat


def dump(store_path: Path) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from api.main import create_app
    from graph.settings import Settings

    app = create_app(Settings(store=store_path, query_workers=1))
    out: dict[str, Any] = {}
    with TestClient(app) as client:
        for url in _urls(app, store_path):
            response = client.get(url, headers={"Accept": "application/json"})
            out[url] = {"status": response.status_code, "type": response.headers.get("content-type"),
                        "body": _body(response)}
    return out


def _ids_by_route(store_path: Path) -> list[tuple[tuple[str, ...], list[str]]]:
    """Which ids fill the path of which routes (the first prefix that matches wins)."""
    ids = _ids(store_path)
    # every named thing, and every 25th record of the others (statements, evidence, selectors, memberships)
    every = sorted({i for k, v in ids.items() if not k.startswith("_") for i in (v if k in NAMED else v[::25])})
    return [
        (("/agents/",), sorted({*ids.get("Person", []), *ids.get("Organisation", []), *ids.get("Economy", [])})),
        (("/persons/",), ids.get("Person", [])),
        (("/events/",), sorted({*ids.get("Event", []), *ids.get("Session", [])})),
        (("/initiatives/",), ids.get("Initiative", [])),
        (("/documents/", "/web/api/document/", "/web/document/"), ids["_documents"]),
        (("/web/entity/", "/web/event/"), every[::50]),  # the same page for every id: a few suffice
        (("/entities/", "/web/api/entity/"), every),
    ]


def _with_queries(url: str, every: list[str]) -> list[str]:
    """The query strings each route is asked with: whole lists, each role, searches, export views."""
    if url in ("/documents", "/events", "/initiatives") or url.startswith(("/agents/", "/initiatives/", "/persons/")):
        return [url + "?limit=1000"]
    if url.endswith("/participants"):
        return [url + "?limit=1000"] + [f"{url}?limit=1000&role={role}" for role in ROLES]
    if url == "/web/api/search":
        return [f"{url}?q={q}" for q in SEARCHES]
    if url == "/search":
        return [f"{url}?q={q}" for q in SEARCHES] + [f"{url}?q={q}&limit=100&type=organisation" for q in SEARCHES]
    if url == "/export":
        return ([f"{url}?format={e['format']}&view={e['view']}" for e in EXPORTS]
                + [f"{url}?format=cytoscape&view=ego&focus={i}&depth=2" for i in every[::7]]
                + [f"{url}?format=cytoscape&types=person,event&since=2022&until=2023-06"])
    return [url]


def _urls(app: Any, store_path: Path) -> list[str]:
    """Every GET route of the app, with each id of the store its path can take."""
    table = _ids_by_route(store_path)
    every = table[-1][1]
    urls: list[str] = []
    for route in _routes(app.routes):
        path = getattr(route, "path", "")
        if "GET" not in getattr(route, "methods", set()) or path.startswith(("/openapi", "/docs", "/redoc")):
            continue
        if "static" in path:
            continue
        if "{" not in path:
            fill = [path]
        else:
            chosen = next((ids for prefixes, ids in table if path.startswith(prefixes)), None)
            if chosen is None:
                raise SystemExit(f"no ids for the route {path}: teach rest_snapshot.py about it")
            fill = [re.sub(r"\{[a-z_]+(:path)?\}", i, path) for i in chosen]
        for url in fill:
            urls += _with_queries(url, every)
    urls += ["/entities/no-such-id", "/events/no-such-id", "/web/api/entity/no-such-id", "/documents/nope"]
    return urls


def main() -> int:
    if os.environ.get("PYTHONHASHSEED") != "0":
        # the GraphML and GEXF of the co-attendance view follow set order, which changes with the hash seed
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    command, store = sys.argv[1], Path(sys.argv[2])
    if command == "build":
        build(store)
    elif command == "dump":
        answers = dump(store)
        json.dump(answers, sys.stdout, indent=1, sort_keys=True, ensure_ascii=False)
        sys.stdout.write("\n")
        print(f"{len(answers)} answers", file=sys.stderr)
    else:
        raise SystemExit("usage: rest_snapshot.py build|dump STORE")
    return 0


if __name__ == "__main__":
    sys.exit(main())
