"""Initiatives (platforms, programmes, networks ...) and their partners."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import EntityId, StoreDep, list_rows, look_up
from api.models import InitiativeSummary, Page, Partner
from api.pagination import PageDep
from graph.views import lookups

router = APIRouter(tags=["initiatives"])


@router.get("/initiatives", response_model=Page[InitiativeSummary], summary="Initiatives with their number of partners")
async def list_initiatives(request: Request, store: StoreDep, page: PageDep) -> dict:
    return page.page(await list_rows(request, store, lookups.initiatives))


@router.get("/initiatives/{id:path}/partners", response_model=Page[Partner],
            summary="The partners of an initiative, with evidence",
            responses={404: {"description": "no such initiative"}})
async def initiative_partners(id: EntityId, store: StoreDep, page: PageDep) -> dict:
    return page.page(await look_up(store, lookups.initiative_partners, id))
