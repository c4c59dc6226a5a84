"""Zones: list, show, what is inside, compare, and create one from a recipe (analysts and admins).

A zone is stored with the recipe that made it (:mod:`haven.geo.zones`). ``POST /api/zones`` takes the
recipe as JSON; its shape is checked here (so a typo is a 422 naming the field) and the geometry is
built by :func:`haven.geo.zones.create_zone`, as ``haven zone create --recipe`` does.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator

from haven.errors import NotFoundError, ValidationError
from haven.geo.crs import UNITS
from haven.geo.inside import area_km2, compare_zones, contents_geojson, what_is_inside
from haven.geo.zones import OPS, contains, create_zone
from haven.model import Permission, User
from haven.services.answers import zone_answer, zone_summary
from haven.services.serialize import to_jsonable
from haven.store import Store
from haven.web.api.common import (
    ERRORS,
    End,
    Page,
    Problem,
    Start,
    Word,
    check_period,
    page_of,
    paged,
    parameter_error,
)
from haven.web.auth import require
from haven.web.deps import StoreDep

router = APIRouter(prefix="/zones", tags=["zones"], responses=ERRORS)

RESERVED = frozenset({"compare"})  # would be shadowed by /api/zones/compare
MAX_BUFFER_M = 1_000_000.0  # a buffer wider than 1,000 km is no zone of a crisis, and slow to build
ZoneName = Annotated[str, Path(min_length=1, max_length=200, description="The zone's name.")]
Places = Annotated[
    list[Word] | None, Query(alias="place", description="P-code of a place to test (repeatable), e.g. C3871.")
]


# ---------------------------------------------------------------- recipes
class _Recipe(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BufferRecipe(_Recipe):
    """A line (a stored zone's name or a GeoJSON line) widened by a distance."""

    op: Literal["buffer"]
    line: str | dict[str, Any]
    distance: float | None = Field(None, ge=0, allow_inf_nan=False)
    distance_km: float | None = Field(None, ge=0, allow_inf_nan=False)
    unit: Literal["km", "mi", "m"] = "km"
    side: Literal["both", "left", "right"] = "both"
    clip: Part | None = None

    @model_validator(mode="after")
    def _one_distance(self) -> BufferRecipe:
        if (self.distance is None) == (self.distance_km is None):
            raise ValueError("a buffer needs exactly one of distance (with unit) and distance_km")
        metres = (self.distance or 0) * UNITS[self.unit] + (self.distance_km or 0) * 1000
        if metres > MAX_BUFFER_M:
            raise ValueError(f"a buffer may be at most {MAX_BUFFER_M / 1000:,.0f} km wide")
        return self


class AdminRecipe(_Recipe):
    """The union of admin units by p-code (a country code such as SY stands for its governorates)."""

    op: Literal["admin"]
    pcodes: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(min_length=1, max_length=500)


class GeoJsonRecipe(_Recipe):
    """A polygon from a GeoJSON geometry, Feature or FeatureCollection in longitude/latitude."""

    op: Literal["geojson"]
    geometry: dict[str, Any]


class SetRecipe(_Recipe):
    """The union, intersection or difference (the first minus the others) of recipes or stored zones."""

    op: Literal["union", "intersection", "difference"]
    of: list[Part] = Field(min_length=1, max_length=50)


class ZoneRecipe(_Recipe):
    """A stored zone by name."""

    op: Literal["zone"]
    name: str = Field(min_length=1, max_length=200)


Recipe = Annotated[
    BufferRecipe | AdminRecipe | GeoJsonRecipe | SetRecipe | ZoneRecipe, Field(discriminator="op")
]


def _part_kind(value: Any) -> str:
    return "name" if isinstance(value, str) else "recipe"


# A part of a recipe is another recipe or a stored zone's name; choosing by type first keeps a bad
# recipe's error about the recipe, not also "should be a string".
Part = Annotated[
    Annotated[Recipe, Tag("recipe")] | Annotated[str, Field(min_length=1, max_length=200), Tag("name")],
    Discriminator(_part_kind),
]
for _model in (BufferRecipe, SetRecipe):
    _model.model_rebuild()


class NewZone(BaseModel):
    """A zone to create: its name, the recipe that makes it, and places to test against it."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    recipe: Recipe
    description: str | None = Field(None, max_length=1000)
    places: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        default_factory=list, max_length=100
    )
    replace: bool = False

    @field_validator("name")
    @classmethod
    def _not_reserved(cls, name: str) -> str:
        if name in RESERVED:
            raise ValueError(f"{name!r} is a reserved word of the API")
        return name


class CreatedZone(BaseModel):
    name: str
    description: str | None
    recipe: dict[str, Any]
    area_km2: float
    places: dict[str, bool]


# ---------------------------------------------------------------- reading
def _check_places(
    store: Store, places: list[str] | None, name: str = "place", where: str = "query"
) -> list[str]:
    for pcode in places or []:
        try:
            place = store.place(pcode)
        except NotFoundError:
            raise parameter_error(name, f"no place with p-code {pcode!r}", pcode, where) from None
        if place.point is None:
            raise parameter_error(name, f"place {pcode} has no point to test", pcode, where)
    return list(places or [])


@router.get("", summary="List zones")
def list_zones(request: Request, response: Response, store: StoreDep, page: Page) -> dict[str, Any]:
    """Every zone with how it was made, its geometry type and area, like ``haven zone list``."""
    zones = store.zones()
    items = [zone_summary(z) for z in page_of(zones, page)]
    return paged(request, response, items, len(zones), page)


@router.get("/compare", summary="What is inside several zones, side by side")
def compare(
    store: StoreDep,
    names: Annotated[
        str, Query(min_length=1, max_length=2000, description="Two or more zones, comma-separated.")
    ],
    start: Start = None,
    end: End = None,
    place: Places = None,
) -> list[dict[str, Any]]:
    """:func:`what is inside <get_inside>` for several zones over the same window, in the order given."""
    check_period(start, end)
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    if len(wanted) < 2:
        raise parameter_error("names", "name two or more zones, comma-separated", names)
    zones = [store.zone(name) for name in wanted]
    results = compare_zones(store, zones, start, end, places=_check_places(store, place))
    return [to_jsonable(r) for r in results]


@router.get("/{name}", summary="One zone")
def get_zone(name: ZoneName, store: StoreDep) -> dict[str, Any]:
    """A zone's recipe, description, bounds and area, like ``haven zone show``."""
    return to_jsonable(zone_answer(store.zone(name)))


@router.get("/{name}/inside", summary="What is inside a zone")
def get_inside(
    name: ZoneName, store: StoreDep, start: Start = None, end: End = None, place: Places = None
) -> dict[str, Any]:
    """Communities, population, IDPs, sites, events, fatalities, movements and crossings inside the zone
    in the window, like ``haven zone inside --json``. Counts only: no point of a site or event."""
    check_period(start, end)
    zone = store.zone(name)
    result = what_is_inside(store, zone, start, end, places=_check_places(store, place))
    return to_jsonable(result)


@router.get(
    "/{name}/geojson",
    summary="A zone as GeoJSON, with what is inside it",
    response_class=JSONResponse,
    responses={200: {"content": {"application/geo+json": {}}}},
)
def get_geojson(name: ZoneName, store: StoreDep, start: Start = None, end: End = None) -> JSONResponse:
    """A FeatureCollection of the zone's geometry with what is inside it as flat properties (for QGIS),
    like ``haven zone inside --geojson``."""
    check_period(start, end)
    zone = store.zone(name)
    data = contents_geojson([what_is_inside(store, zone, start, end)], [zone])
    return JSONResponse(to_jsonable(data), media_type="application/geo+json")


# ---------------------------------------------------------------- creating
@router.post(
    "",
    status_code=201,
    response_model=CreatedZone,
    summary="Create a zone from a recipe",
    responses={
        403: {
            "model": Problem,
            "description": "Signed in without the write permission, or no CSRF token with a session cookie",
        },
        409: {"model": Problem, "description": "A zone of that name exists"},
    },
)
def create(
    body: NewZone, store: StoreDep, user: Annotated[User, Depends(require(Permission.WRITE))]
) -> dict[str, Any]:
    """Build a zone from its recipe and store it, like ``haven zone create NAME --recipe JSON``.

    Needs the write permission (analysts, admins): with an API token (``Authorization: Bearer``), or a
    session cookie and the session's CSRF token in ``X-CSRF-Token``. A zone of the same name is replaced
    only with ``"replace": true``, and never one stored as data (a line from a file), which no recipe
    could rebuild."""
    existing = next((z for z in store.zones() if z.name == body.name), None)
    if existing is not None:
        if existing.recipe.get("op") not in OPS:
            raise HTTPException(
                409, f"zone {body.name!r} is stored as data, not made by a recipe: choose another name"
            )
        if not body.replace:
            raise HTTPException(409, f'a zone named {body.name!r} exists: send "replace": true to replace it')
    places = _check_places(store, body.places, "places", "body")
    recipe = body.recipe.model_dump(exclude_unset=True)
    try:
        zone = create_zone(store, body.name, recipe, body.description)
    except (NotFoundError, ValidationError) as exc:
        raise parameter_error("recipe", str(exc), recipe, where="body") from None
    return {
        "name": zone.name,
        "description": zone.description,
        "recipe": zone.recipe,
        "area_km2": area_km2(zone.geometry),
        "places": {pcode: contains(zone, store.place(pcode)) for pcode in places},
    }


__all__ = ["router"]
