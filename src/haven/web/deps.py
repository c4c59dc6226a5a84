"""What request handlers share: the store and the settings of the running app."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from haven.store import Store
from haven.web.settings import WebSettings


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[WebSettings, Depends(get_settings)]
