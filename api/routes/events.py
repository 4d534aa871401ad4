"""Events: the list, one event with its sub-events and participants, participants by role."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from api.deps import EntityId, StoreDep, list_rows, look_up
from api.models import EventDetail, EventSummary, Page, Participant
from api.pagination import PageDep
from graph.model import PARTICIPATION
from graph.views import lookups

router = APIRouter(tags=["events"])

Role = Literal[PARTICIPATION]  # type: ignore[valid-type]  # the one role list (graph.model), as the query's choices


@router.get("/events", response_model=Page[EventSummary], summary="Events, by start date")
async def list_events(request: Request, store: StoreDep, page: PageDep) -> dict:
    return page.page(await list_rows(request, store, lookups.events))


@router.get("/events/{id:path}/participants", response_model=Page[Participant],
            summary="Who took part in an event, optionally only in one role",
            responses={404: {"description": "no such event"}})
async def event_participants(id: EntityId, store: StoreDep, page: PageDep,
                       role: Annotated[Role | None, Query(description="only this role")] = None) -> dict:
    return page.page(await look_up(store, lookups.participants, id, role))


@router.get("/events/{id:path}", response_model=EventDetail,
            summary="An event: dates, place, parent, sub-events, participants with their roles",
            responses={404: {"description": "no such event"}})
async def get_event(id: EntityId, store: StoreDep) -> dict:
    return await look_up(store, lookups.event, id)
