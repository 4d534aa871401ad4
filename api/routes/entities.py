"""Any entity by short id or IRI: type, names, aliases and every fact about it with its evidence."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import EntityId, StoreDep, look_up
from api.models import Entity
from graph.store.protocol import Store
from graph.views import lookups

router = APIRouter(tags=["entities"])


@router.get("/entities/{id:path}", response_model=Entity, summary="An entity and every fact about it",
            responses={404: {"description": "no such entity"}})
async def get_entity(id: EntityId, store: StoreDep) -> Entity:
    """``id`` is the short id (``org-itc``) or the full IRI."""
    return await look_up(store, _entity_with_facts, id)


def _entity_with_facts(store: Store, entity_id: str) -> Entity:
    return Entity.model_validate({**lookups.entity(store, entity_id), "facts": lookups.entity_facts(store, entity_id)})
