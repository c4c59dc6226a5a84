"""The reference crisis shipped with Haven: northwest Syria, December 2019 - March 2020.

``load_reference_crisis(store)`` fills a store with it from the package data (``haven/data/nw-syria-2020``,
described in ``DATA.md``): Syria's boundaries and communities, the curated figures, key events,
agreements and crossings, HNAP and CCCM displacement tables, and two zones, the Turkey-Syria border
and an approximate M4 highway. Loading it again changes nothing.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

from shapely.geometry import LineString, shape
from shapely.geometry.base import BaseGeometry

from haven.errors import HavenError, NotFoundError
from haven.geo.zones import rebuild
from haven.io.base import Importer, run_import
from haven.io.crisis import AgreementArea, AgreementsImporter
from haven.io.reading import Progress
from haven.io.registry import importer_for
from haven.model import Zone
from haven.store import ImportReport, Store
from haven.store.writer import Locator


@dataclass(frozen=True)
class ReferenceCrisis:
    """What a shipped crisis is: its id (the package data folder), title, period and area."""

    id: str
    title: str
    period_start: date
    period_end: date
    area_name: str
    description: str


REFERENCE_CRISIS = ReferenceCrisis(
    id="nw-syria-2020",
    title="Northwest Syria: the Idlib offensive and displacement, December 2019 - March 2020",
    period_start=date(2019, 12, 1),
    period_end=date(2020, 3, 5),
    area_name="Northwest Syria",
    description=(
        "The Syrian government offensive into southern Idleb and western Aleppo, from December 2019 to "
        "the Moscow ceasefire of 5 March 2020, which displaced almost a million people towards the "
        "Turkish border."
    ),
)

BORDER_FILE = "syr_turkey_border_ocha_adminlines.geojson"
M4_FILE = "m4_highway_approx.csv"
BORDER_ZONE = "turkey-syria-border"
M4_ZONE = "m4-highway"
MOSCOW_PROTOCOL = "A4"
MOSCOW_CORRIDOR_KM = 6.0
MOSCOW_RECIPE: dict[str, Any] = {
    "op": "buffer",
    "line": M4_ZONE,
    "distance_km": MOSCOW_CORRIDOR_KM,
    "side": "both",
}

# (importer name, package file), in the order they load: places before the records placed in them.
BOUNDARY_FILES = tuple(f"syr_admbnda_adm{level}_ocha.geojson" for level in (1, 2, 3))
COMMUNITIES_FILE = "ocha_syria_communities.csv"
DISPLACEMENT_FILES = (
    ("hnap-arrivals", "hnap_idp_arrivals_by_community_2018-12.csv"),
    ("hnap-returns", "hnap_idp_returns_by_community_2018-12.csv"),
    ("hnap-od", "hnap_idp_od_matrix_governorate_2018-12.csv"),
    ("hnap-monthly", "hnap_idp_arrivals_by_governorate_monthly_2016-01_2019-01.csv"),
    ("cccm-sites", "cccm_nws_idp_site_list_pcodes.csv"),
    ("cccm-population", "ocha_cccm_north_syria_community_population_idps_2022-11.csv"),
)


def reference_path(name: str) -> Path:
    """The path of a file of the shipped reference crisis, such as ``"reported_figures.csv"``."""
    resource = files("haven") / "data" / REFERENCE_CRISIS.id / name
    if not isinstance(resource, Path):
        raise HavenError(f"the reference data must be installed as files, not inside an archive ({resource})")
    if not resource.is_file():
        raise NotFoundError(f"the reference crisis has no file {name!r} (looked in {resource.parent})")
    return resource


def load_reference_crisis(store: Store, progress: Progress | None = None) -> list[ImportReport]:
    """Import the reference crisis into ``store``, in dependency order; return one report per file.

    Every file imports with its records' natural keys, so a second load finds them all unchanged.
    """
    reports: list[ImportReport] = []

    def load(importer: Importer, name: str, locator: Locator | None = None) -> None:
        reports.append(run_import(store, importer, reference_path(name), progress=progress, locator=locator))

    for name in BOUNDARY_FILES:
        load(importer_for("boundaries"), name)
    load(importer_for("communities"), COMMUNITIES_FILE)

    m4 = m4_line()
    _save_zone_if_changed(
        store,
        Zone(
            BORDER_ZONE,
            border_line(),
            {"kind": "line", "source": BORDER_FILE},
            "Turkey-Syria land border, west to east (OCHA COD-AB admin lines)",
        ),
    )
    _save_zone_if_changed(
        store,
        Zone(
            M4_ZONE,
            m4,
            {"kind": "line", "source": M4_FILE, "waypoints": m4_waypoints()},
            "M4 highway from Saraqib to Ain al-Hur, approximated through community points (about ±2 km)",
        ),
    )

    load(importer_for("crossings"), "crossings.csv")
    corridor = AgreementArea(rebuild(MOSCOW_RECIPE, store), dict(MOSCOW_RECIPE))
    load(AgreementsImporter(areas={MOSCOW_PROTOCOL: corridor}), "agreements.csv")
    load(importer_for("events"), "key_events.csv", _area_locator(store))
    load(importer_for("figures"), "reported_figures.csv")
    for kind, name in DISPLACEMENT_FILES:
        load(importer_for(kind), name)
    return reports


def _area_locator(store: Store) -> Locator | None:
    """The point-in-sub-district locator, if this Haven has one."""
    try:
        from haven.io.locate import AreaLocator
    except ModuleNotFoundError as exc:
        if exc.name != "haven.io.locate":
            raise
        return None
    return AreaLocator.from_store(store)


def _save_zone_if_changed(store: Store, zone: Zone) -> None:
    try:
        old = store.zone(zone.name)
    except NotFoundError:
        old = None
    if (
        old is not None
        and old.recipe == zone.recipe
        and old.description == zone.description
        and old.geometry.equals_exact(zone.geometry, 0)
    ):
        return
    store.save_zone(zone)


# ---------------------------------------------------------------- geometry
def border_line() -> BaseGeometry:
    """The Turkey-Syria border as one line (EPSG:4326)."""
    collection = json.loads(reference_path(BORDER_FILE).read_text(encoding="utf-8"))
    [feature] = collection["features"]
    return shape(feature["geometry"])


def _m4_rows() -> list[dict[str, str]]:
    with open(reference_path(M4_FILE), encoding="utf-8", newline="") as handle:
        return sorted(csv.DictReader(handle), key=lambda row: int(row["seq"]))


def m4_waypoints() -> list[str]:
    """The p-codes of the communities the approximate M4 passes through, east to west."""
    return [row["location_pcode"] for row in _m4_rows()]


def m4_line() -> LineString:
    """The approximate M4 highway, Saraqib to Ain al-Hur, through its waypoints (EPSG:4326)."""
    return LineString([(float(row["longitude"]), float(row["latitude"])) for row in _m4_rows()])


__all__ = [
    "REFERENCE_CRISIS",
    "ReferenceCrisis",
    "border_line",
    "load_reference_crisis",
    "m4_line",
    "m4_waypoints",
    "reference_path",
]
