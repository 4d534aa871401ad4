"""Name search over labels and aliases, served from the search index (not a SPARQL scan)."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import SearchDep, in_thread
from api.models import SearchResult, SearchResults

router = APIRouter(tags=["search"])

EntityType = Literal["person", "organisation", "economy", "initiative", "event"]


@router.get("/search", response_model=SearchResults, summary="Find entities by name, alias or acronym")
async def search(
    index: SearchDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="a name, alias or acronym; typos tolerated")],
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    type: Annotated[list[EntityType] | None, Query(description="only these entity types")] = None,
) -> SearchResults:
    hits = await in_thread(partial(index.search, q, limit=limit, types=type))
    return SearchResults(query=q, results=[SearchResult(**hit.__dict__) for hit in hits])
