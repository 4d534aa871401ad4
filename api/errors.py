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


def _content(err: MsmeKgError) -> dict[str, str]:
    return {"detail": str(err), "error": type(err).__name__}


def _headers(status: int) -> dict[str, str] | None:
    if status == 401:
        return {"WWW-Authenticate": 'Bearer realm="msme-kg updates"'}
    return {"Retry-After": "1"} if status == 503 else None


async def _handle(request: Request, err: Exception) -> JSONResponse:
    assert isinstance(err, MsmeKgError)
    status = status_for(err)
    return JSONResponse(_content(err), status_code=status, headers=_headers(status))


def error_body(err: MsmeKgError) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
    """(status, JSON body, extra headers) of a domain error, as the handler above sends them (api.fast)."""
    status = status_for(err)
    response = JSONResponse(_content(err), status_code=status, headers=_headers(status))
    extra = [(k, v) for k, v in response.raw_headers if k not in (b"content-type", b"content-length")]
    return status, bytes(response.body), extra


def register(app: FastAPI) -> None:
    """Map every msme-kg domain error to its status code."""
    app.add_exception_handler(MsmeKgError, _handle)
