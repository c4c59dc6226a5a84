"""The FastAPI application: API under ``/api``, pages, static assets served from installed packages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import plotly
import xstatic.pkg.leaflet
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.middleware.sessions import SessionMiddleware

from haven import __version__
from haven.errors import HavenError, NotFoundError, ValidationError
from haven.store import Store
from haven.web import api, auth, pages, review, sitrep
from haven.web.etag import ETagMiddleware
from haven.web.settings import WebSettings

STATIC_DIR = Path(__file__).parent / "static"
LEAFLET_DIR = Path(xstatic.pkg.leaflet.BASE_DIR)
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """The Haven web app over the database ``settings.db`` (which must exist: ``haven init`` or ``demo``)."""
    settings = settings or WebSettings()
    store = Store.open(settings.db)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPIOffline(
        title="Haven",
        version=__version__,
        description="Events, displacement, sites, reported figures and agreements of a humanitarian crisis, "
        "with their sources. Anonymous requests see aggregates and coarsened locations only.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="haven_session",
        same_site="strict",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(ETagMiddleware)  # ETags and 304s for every GET answered in JSON or GeoJSON
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount("/vendor/leaflet", StaticFiles(directory=LEAFLET_DIR), name="leaflet")

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(PLOTLY_JS, media_type="text/javascript")

    app.include_router(api.router, prefix="/api")
    app.include_router(auth.router)
    app.include_router(review.router)
    app.include_router(sitrep.router)
    app.include_router(pages.router)
    _add_error_handlers(app)
    return app


def create_app_from_environment() -> FastAPI:
    """Factory for ``uvicorn --factory``: settings from ``HAVEN_*`` variables (``haven serve`` sets them)."""
    return create_app(WebSettings.from_environment())


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(ValidationError)
    async def invalid(request: Request, exc: ValidationError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(HavenError)
    async def haven_error(request: Request, exc: HavenError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)
