"""Linked Data: the graph's IRIs resolve here, by content negotiation.

- ``/id/{id}`` (entities, events, statements) and ``/doc/{id}`` (documents): 303 See Other to
  the web page for a browser (``text/html``), or to ``/data/...`` for Turtle, JSON-LD,
  N-Triples or RDF/XML — the thing's own triples, those pointing at it and its statements with
  their evidence; 404 for an IRI the graph does not hold;
- ``/graph/{id}`` (a document's named graph): 303 to its Graph Store URL, or to the document's page;
- ``/ns`` (the ontology's IRI; its classes and properties are ``/ns#Name``) and ``/ontology``:
  the documentation page generated from ontology/msme.ttl and shapes.ttl, or the Turtle itself;
- ``/.well-known/void``: a VoID description with counts per class and per property.

``format=`` (ttl, jsonld, nt, rdfxml, html) overrides the Accept header, for plain links.
"""

from __future__ import annotations

import urllib.parse
from functools import cache
from string import Template
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pyoxigraph import NamedNode, RdfFormat, parse

from api.deps import SettingsDep, StoreDep, in_thread, look_up
from api.negotiation import preferred
from graph import vocab
from graph.errors import NotAcceptable, NotFound
from graph.settings import ONTOLOGY_DIR, Settings
from graph.sparql.execute import GRAPH_MEDIA_TYPES, Limits, graph_answer
from graph.store.protocol import Store
from graph.views import linked_data
from graph.views.export import WEB_DIR

router = APIRouter(tags=["linked data"])

HTML = "text/html"
EXTENSIONS = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples",
              "rdf": "application/rdf+xml", "rdfxml": "application/rdf+xml"}
EXTENSION_OF = {"text/turtle": "ttl", "application/ld+json": "jsonld", "application/n-triples": "nt",
                "application/rdf+xml": "rdf"}
OFFERED = (HTML, *GRAPH_MEDIA_TYPES)
FormatParam = Annotated[str | None, Query(description="ttl, jsonld, nt, rdfxml or html: overrides Accept")]


def _choose(request: Request, fmt: str | None, offered: tuple[str, ...] = OFFERED) -> str:
    if fmt:
        media = HTML if fmt.lower() == "html" else EXTENSIONS.get(fmt.lower())
        if media is None or media not in offered:
            raise HTTPException(400, f"unknown format {fmt!r}")
        return media
    choice = preferred(request.headers.get("accept"), offered)
    if not choice:
        raise NotAcceptable("this resource is given in " + ", ".join(offered))
    return choice[0]


def _iri(settings: Settings, path: str) -> NamedNode:
    try:
        return NamedNode(settings.public_base + path)
    except ValueError as err:
        raise HTTPException(404, f"not an IRI of this graph: {path!r}") from err


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers={"Vary": "Accept"})


async def _resource(request: Request, store: Store, settings: Settings, kind: str, rest: str, *,
                    fmt: str | None) -> Response:
    iri = _iri(settings, f"{kind}/{rest}")
    if not await look_up(store, linked_data.exists, iri):
        raise NotFound(f"the graph holds nothing about {iri.value}")
    media = _choose(request, fmt)
    quoted = urllib.parse.quote(rest, safe="")
    if media != HTML:
        return _see_other(f"/data/{kind}/{quoted}.{EXTENSION_OF[media]}")
    if kind == "doc":
        return _see_other(f"/web/document/{quoted}")
    page = "event" if vocab.MSME + "Event" in await look_up(store, linked_data.types_of, iri) else "entity"
    return _see_other(f"/web/{page}/{quoted}")


@router.head("/id/{rest:path}", include_in_schema=False)
@router.get("/id/{rest:path}", summary="An entity, event or statement IRI: 303 by Accept")
async def entity_iri(request: Request, rest: str, store: StoreDep, settings: SettingsDep,
                     format: FormatParam = None) -> Response:
    return await _resource(request, store, settings, "id", rest, fmt=format)


@router.head("/doc/{rest:path}", include_in_schema=False)
@router.get("/doc/{rest:path}", summary="A document IRI: 303 by Accept")
async def document_iri(request: Request, rest: str, store: StoreDep, settings: SettingsDep,
                       format: FormatParam = None) -> Response:
    return await _resource(request, store, settings, "doc", rest, fmt=format)


@router.head("/graph/{rest:path}", include_in_schema=False)
@router.get("/graph/{rest:path}", summary="A document graph IRI: 303 by Accept")
async def graph_iri(request: Request, rest: str, store: StoreDep, settings: SettingsDep,
                    format: FormatParam = None) -> Response:
    iri = _iri(settings, f"graph/{rest}")
    if not await look_up(store, linked_data.graph_exists, iri):
        raise NotFound(f"the store holds no graph {iri.value}")
    if _choose(request, format) == HTML:
        return _see_other(f"/web/document/{urllib.parse.quote(rest, safe='')}")
    return _see_other("/store?" + urllib.parse.urlencode({"graph": iri.value}))


@router.head("/data/{kind}/{rest:path}", include_in_schema=False)
@router.get("/data/{kind}/{rest:path}",
            summary="The RDF description of an entity, event, statement or document, with evidence")
async def description(request: Request, kind: str, rest: str, store: StoreDep, *, settings: SettingsDep,
                      format: FormatParam = None) -> Response:
    if kind not in ("id", "doc"):
        raise HTTPException(404, "no such resource")
    stem, dot, ext = rest.rpartition(".")
    if dot and ext in EXTENSIONS:
        rest, media = stem, EXTENSIONS[ext]
    else:
        media = _choose(request, format, tuple(GRAPH_MEDIA_TYPES))
    iri = _iri(settings, f"{kind}/{rest}")
    triples = await look_up(store, linked_data.describe, iri)
    if not triples:
        raise NotFound(f"the graph holds nothing about {iri.value}")
    limits = Limits(max_rows=len(triples), max_bytes=settings.max_answer_bytes)
    answer = await in_thread(graph_answer, triples, media, limits)
    headers = {"Vary": "Accept", "Link": f'<{iri.value}>; rel="describedby"'}
    if answer.truncated:
        headers["X-Result-Truncated"] = answer.cap or ""
    return Response(answer.body, media_type=media, headers=headers)


# -- the ontology -------------------------------------------------------------------------------

@cache
def _ontology_page() -> str:
    layout = Template((WEB_DIR / "templates" / "layout.html").read_text(encoding="utf-8"))
    main = linked_data.ontology_html(linked_data.ontology_doc())
    return layout.safe_substitute(title="ontology", page="ontology", scripts="", main=main)


@cache
def _ontology_triples() -> list:
    return [q.triple for name in ("msme.ttl",)
            for q in parse(path=str(ONTOLOGY_DIR / name), format=RdfFormat.TURTLE)]


@router.head("/ns", include_in_schema=False)
@router.get("/ns", summary="The ontology: documentation page or Turtle, by Accept")
@router.head("/ontology", include_in_schema=False)
@router.get("/ontology", include_in_schema=False)
async def ontology(request: Request, format: FormatParam = None) -> Response:
    media = _choose(request, format)
    if media == HTML:
        return HTMLResponse(_ontology_page(), headers={"Vary": "Accept"})
    if media == "text/turtle":
        body = (ONTOLOGY_DIR / "msme.ttl").read_bytes()
        return Response(body, media_type=media, headers={"Vary": "Accept"})
    answer = await in_thread(graph_answer, _ontology_triples(), media, Limits(max_rows=10**6))
    return Response(answer.body, media_type=media, headers={"Vary": "Accept"})


# -- VoID ---------------------------------------------------------------------------------------

@router.head("/.well-known/void", include_in_schema=False)
@router.get("/.well-known/void",
                  summary="VoID description of the dataset: size, counts per class and per property")
async def void(request: Request, store: StoreDep, format: FormatParam = None) -> Response:
    media = _choose(request, format, tuple(GRAPH_MEDIA_TYPES))
    root = str(request.base_url).rstrip("/")
    cache_ = request.app.state.__dict__.setdefault("void_cache", {})
    key = (id(store), root)
    if key not in cache_ or request.app.state.refreshing_store is None:
        triples = await in_thread(linked_data.void_triples, store, root + "/.well-known/void#dataset",
                                  root + "/sparql", root + "/id/", linked_data.ONTOLOGY_IRI)
        cache_.clear()
        cache_[key] = (store, triples)  # the store handle is kept: its id stays its own
    answer = await in_thread(graph_answer, cache_[key][1], media, Limits(max_rows=10**6))
    prefixes_note = {"Vary": "Accept"}
    return Response(answer.body, media_type=media, headers=prefixes_note)
