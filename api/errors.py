"""Domain errors -> HTTP status codes, in one place (registered on the app by api.main)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from graph.errors import (
    FeatureDisabled,
    MsmeKgError,
    NotAcceptable,
    NotFound,
    QueryCancelled,
    QueryError,
    QueryTimeout,
    QueryTooLarge,
    ServerBusy,
    StoreError,
    Unauthorized,
    UnknownQuery,
    UnsupportedMediaType,
    UpdateRefused,
)

STATUS: dict[type[MsmeKgError], int] = {
    QueryError: 400,
    Unauthorized: 401,
    UpdateRefused: 403,
    FeatureDisabled: 403,
    NotFound: 404,
    UnknownQuery: 404,
    NotAcceptable: 406,
    UnsupportedMediaType: 415,
    QueryCancelled: 499,  # nginx's "client closed request": nobody reads it, the log does
    QueryTimeout: 503,
    QueryTooLarge: 503,
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
    if status == 401:
        headers = {"WWW-Authenticate": 'Bearer realm="msme-kg updates"'}
    return JSONResponse({"detail": str(err), "error": type(err).__name__}, status_code=status, headers=headers)


def register(app: FastAPI) -> None:
    """Map every msme-kg domain error to its status code."""
    app.add_exception_handler(MsmeKgError, _handle)
