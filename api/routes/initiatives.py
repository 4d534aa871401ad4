"""Initiatives (platforms, programmes, networks ...) and their partners."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import EntityId, StoreDep, in_thread, look_up
from api.models import InitiativeSummary, Page, Partner
from api.pagination import PageDep
from graph import lookups

router = APIRouter(tags=["initiatives"])


@router.get("/initiatives", response_model=Page[InitiativeSummary], summary="Initiatives with their number of partners")
async def list_initiatives(store: StoreDep, page: PageDep) -> dict:
    return page.page(await in_thread(lookups.initiatives, store))


@router.get("/initiatives/{id:path}/partners", response_model=Page[Partner],
            summary="The partners of an initiative, with evidence",
            responses={404: {"description": "no such initiative"}})
async def initiative_partners(id: EntityId, store: StoreDep, page: PageDep) -> dict:
    return page.page(await look_up(store, lookups.initiative_partners, store, id))
