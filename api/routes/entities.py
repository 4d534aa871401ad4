"""Any entity by short id or IRI: type, names, aliases and every fact about it with its evidence."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import EntityId, StoreDep, look_up
from api.fast import entity_with_facts
from api.models import Entity

router = APIRouter(tags=["entities"])


@router.get("/entities/{id:path}", response_model=Entity, summary="An entity and every fact about it",
            responses={404: {"description": "no such entity"}})
async def get_entity(id: EntityId, store: StoreDep) -> dict:
    """``id`` is the short id (``org-itc``) or the full IRI."""
    return await look_up(store, entity_with_facts, id)
