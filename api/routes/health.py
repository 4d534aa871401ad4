"""Liveness and a few counts, cheap enough to call while a long query runs."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep, in_thread
from graph.store.core import document_graphs

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(store: StoreDep) -> dict[str, object]:
    return {"status": "ok", "documents": len(await in_thread(document_graphs, store))}
