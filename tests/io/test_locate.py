"""Locating points in the admin3 polygons of a store (fixtures: see test_boundaries.py)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from haven.io.base import run_import
from haven.io.locate import AreaLocator
from haven.io.registry import importer_for
from haven.model import AdminLevel, Place
from haven.store import RecordFilter, Store

FIXTURES = Path(__file__).parent.parent / "fixtures"
ADM3 = FIXTURES / "cod_ab_idleb_adm3.geojson"


def _ids(store: Store, area: str) -> set[str]:
    return {e.key.record_id for e in store.list("event", RecordFilter(area=area))}


def test_acled_events_without_pcodes_get_the_admin_chain_of_their_point(store: Store, fixtures: Path) -> None:
    run_import(store, importer_for("boundaries"), ADM3)
    locator = AreaLocator.from_store(store)
    assert locator is not None and len(locator) == 6
    # Saraqab's coordinates lie in Idleb governorate (SY07), Idleb district (SY0700), Saraqab sub-district
    assert locator([(36.8061, 35.8611)]) == [("SY07", "SY0700", "SY070003")]

    run_import(store, importer_for("acled"), fixtures / "acled_nw_syria.csv", locator=locator)
    assert _ids(store, "SY070003") == {"SYR900002", "SYR900003"}  # west of Saraqab; Saraqab
    assert _ids(store, "SY070000") == {"SYR900001"}  # Idleb city
    assert _ids(store, "SY0700") == {"SYR900001", "SYR900002", "SYR900003"}
    assert _ids(store, "SY070501") == {"SYR900004"}  # Balyun, Ehsem sub-district of Ariha district
    assert _ids(store, "SY0705") == {"SYR900004"}
    assert _ids(store, "SY07") == {"SYR900001", "SYR900002", "SYR900003", "SYR900004"}


def test_without_the_locator_events_have_no_admin_chain(store: Store, fixtures: Path) -> None:
    run_import(store, importer_for("boundaries"), ADM3)
    run_import(store, importer_for("acled"), fixtures / "acled_nw_syria.csv")
    assert _ids(store, "SY07") == set()


def test_ucdp_events_are_located_too(store: Store, fixtures: Path) -> None:
    run_import(store, importer_for("boundaries"), ADM3)
    run_import(
        store, importer_for("ucdp"), fixtures / "ucdp_ged_syria.csv", locator=AreaLocator.from_store(store)
    )
    assert _ids(store, "SY070004") == {"900103"}  # Taftanaz
    assert _ids(store, "SY070000") == {"900101", "900104"}  # the two strikes on Idlib city
    assert _ids(store, "SY07") == {"900101", "900102", "900103", "900104", "900105"}


def test_no_locator_without_polygons(store: Store, fixtures: Path) -> None:
    assert AreaLocator.from_store(store) is None
    run_import(store, importer_for("communities"), fixtures / "ocha_communities_idleb.csv")
    assert AreaLocator.from_store(store) is None  # admin3 names but no polygons
    run_import(store, importer_for("boundaries"), fixtures / "cod_ab_idleb_adm1.geojson")
    assert AreaLocator.from_store(store) is None  # a governorate polygon is not a sub-district


def test_points_outside_every_polygon_and_empty_input() -> None:
    locator = AreaLocator.from_places(_grid())
    assert locator is not None
    assert locator([(40.0, 30.0), (0.5, 0.5), (float("nan"), 0.5)]) == [
        (None, None, None),
        ("XX01", "XX0101", "XX010100"),
        (None, None, None),
    ]
    assert locator([]) == []


def test_a_point_on_a_shared_border_goes_to_the_smaller_pcode() -> None:
    places = _grid()
    for order in (places, places[::-1]):
        locator = AreaLocator.from_places(order)
        assert locator is not None
        assert locator([(1.0, 0.5), (1.0, 1.0)]) == [("XX01", "XX0101", "XX010100")] * 2
        assert locator([(1.5, 1.0)]) == [("XX01", "XX0101", "XX010101")]


def _grid() -> list[Place]:
    """Four unit squares: two sub-districts in district XX0101 below two in XX0102."""
    units = [("XX010100", (0, 0)), ("XX010101", (1, 0)), ("XX010200", (0, 1)), ("XX010201", (1, 1))]
    return [
        Place(
            pcode, AdminLevel.ADM3, pcode, parents=("XX", "XX01", pcode[:6]), geometry=box(x, y, x + 1, y + 1)
        )
        for pcode, (x, y) in units
    ]


_FRAME = gpd.read_file(ADM3, engine="pyogrio").sort_values("adm3_pcode")
_BOUNDS = _FRAME.total_bounds


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(_BOUNDS[0] - 0.05, _BOUNDS[2] + 0.05, allow_nan=False),
            st.floats(_BOUNDS[1] - 0.05, _BOUNDS[3] + 0.05, allow_nan=False),
        ),
        max_size=30,
    )
)
def test_locator_agrees_with_testing_every_polygon(points: list[tuple[float, float]]) -> None:
    places = [
        Place(row.adm3_pcode, AdminLevel.ADM3, row.adm3_name, parents=("SY", row.adm1_pcode, row.adm2_pcode),
              geometry=row.geometry)
        for row in _FRAME.itertuples()
    ]  # fmt: skip
    locator = AreaLocator.from_places(places)
    assert locator is not None
    expected = []
    for point in points:
        hits = [p for p in places if p.geometry.intersects(Point(point))]
        expected.append(
            (hits[0].parents[1], hits[0].parents[2], hits[0].pcode) if hits else (None, None, None)
        )
    assert locator(points) == expected
