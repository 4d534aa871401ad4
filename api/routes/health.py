"""Liveness and a few counts, cheap enough to call while a long query runs."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep
from graph.store import document_graphs

router = APIRouter(tags=["health"])


@router.get("/health")
def health(store: StoreDep) -> dict[str, object]:
    return {"status": "ok", "documents": len(document_graphs(store))}
