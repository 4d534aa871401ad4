"""Pagination parameters shared by the list endpoints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Depends, Query
from pydantic import BaseModel


class PageParams(BaseModel):
    limit: int
    offset: int

    def page(self, rows: Sequence[Any]) -> dict[str, Any]:
        """The slice of ``rows`` this page shows, with the total."""
        return {"items": list(rows[self.offset : self.offset + self.limit]), "total": len(rows),
                "limit": self.limit, "offset": self.offset}


async def page_params(
    limit: Annotated[int, Query(ge=1, le=1000, description="at most this many items")] = 100,
    offset: Annotated[int, Query(ge=0, description="skip this many items")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(page_params)]
