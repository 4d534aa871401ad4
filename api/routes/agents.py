"""What a person, organisation or economy took part in, partners on, and (for people) works for."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import EntityId, StoreDep, look_up
from api.models import Affiliation, AgentEvent, AgentInitiative, Page
from api.pagination import PageDep
from graph.views import lookups

router = APIRouter(tags=["agents"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "no such agent"}}


@router.get("/agents/{id:path}/events", response_model=Page[AgentEvent], responses=NOT_FOUND,
            summary="Events an agent attended, spoke at, chaired, organised ... with role and date")
async def agent_events(id: EntityId, store: StoreDep, page: PageDep) -> dict:
    return page.page(await look_up(store, lookups.agent_events, id))


@router.get("/agents/{id:path}/initiatives", response_model=Page[AgentInitiative], responses=NOT_FOUND,
            summary="Initiatives an agent partners on, launched or belongs to")
async def agent_initiatives(id: EntityId, store: StoreDep, page: PageDep) -> dict:
    return page.page(await look_up(store, lookups.agent_initiatives, id))


@router.get("/persons/{id:path}/affiliations", response_model=Page[Affiliation], responses=NOT_FOUND,
            summary="Where a person works or holds a role, with the title given")
async def person_affiliations(id: EntityId, store: StoreDep, page: PageDep) -> dict:
    return page.page(await look_up(store, lookups.person_affiliations, id))
