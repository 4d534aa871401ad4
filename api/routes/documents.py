"""The source documents and the facts extracted from each."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import StoreDep, list_rows, look_up
from api.models import DocumentDetail, DocumentSummary, Page
from api.pagination import PageDep
from graph.views import lookups

router = APIRouter(tags=["documents"])


@router.get("/documents", response_model=Page[DocumentSummary], summary="The documents the graph was built from")
async def list_documents(request: Request, store: StoreDep, page: PageDep) -> dict:
    return page.page(await list_rows(request, store, lookups.documents))


@router.get("/documents/{id:path}", response_model=DocumentDetail, summary="A document and the facts extracted from it",
            responses={404: {"description": "no such document"}})
async def get_document(id: str, store: StoreDep) -> dict:
    return await look_up(store, lookups.document, id)
