"""Haven's JSON API, mounted under ``/api``: records, analyses, zones, map layers and the dashboard.

Every route is documented at ``/docs`` (Swagger UI) and ``/redoc``, both served from the package.
``docs/api.md`` describes filters, pagination, ETags, tokens and what the public may see.
"""

from __future__ import annotations

from fastapi import APIRouter

from haven.web.api import analyses, dashboard, layers, records, zones

router = APIRouter()
router.include_router(records.router)
router.include_router(records.places_router)
router.include_router(analyses.router)
router.include_router(zones.router)
router.include_router(layers.router)
router.include_router(dashboard.router)

__all__ = ["router"]
