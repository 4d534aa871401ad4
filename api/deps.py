"""Shared dependencies: the store and the settings, opened once in the app's lifespan."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from pyoxigraph import Store

from graph.settings import Settings


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
