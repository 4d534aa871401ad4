"""Domain errors -> HTTP status codes, in one place (registered on the app by api.main)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from graph.errors import (
    FeatureDisabled,
    MsmeKgError,
    NotAcceptable,
    NotFound,
    QueryError,
    QueryTimeout,
    ServerBusy,
    StoreError,
    UnknownQuery,
    UpdateRefused,
)

STATUS: dict[type[MsmeKgError], int] = {
    QueryError: 400,
    UpdateRefused: 403,
    FeatureDisabled: 403,
    NotFound: 404,
    UnknownQuery: 404,
    NotAcceptable: 406,
    QueryTimeout: 503,
    ServerBusy: 503,
    StoreError: 503,
}


def status_for(err: MsmeKgError) -> int:
    for cls in type(err).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


async def _handle(request: Request, err: Exception) -> JSONResponse:
    assert isinstance(err, MsmeKgError)
    status = status_for(err)
    headers = {"Retry-After": "1"} if status == 503 else None
    return JSONResponse({"detail": str(err), "error": type(err).__name__}, status_code=status, headers=headers)


def register(app: FastAPI) -> None:
    """Map every msme-kg domain error to its status code."""
    app.add_exception_handler(MsmeKgError, _handle)
