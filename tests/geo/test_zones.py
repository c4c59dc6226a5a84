"""Zones on the reference crisis: the 20-mile border buffer, Idlib city, recipes, CRS checks."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import CRS

from haven.errors import NotFoundError, ValidationError
from haven.geo.crs import (
    check_same_crs,
    distance_to_line_m,
    geodesic_distance_m,
    require_geographic,
    to_metric,
    utm_crs_for,
)
from haven.geo.inside import area_km2
from haven.geo.zones import (
    buffer_recipe,
    contains,
    create_zone,
    describe,
    geojson_recipe,
    rebuild,
    smallest_buffer,
)
from haven.store import Store

IDLIB_CITY = "C3871"
BORDER = "turkey-syria-border"


def _brute_distance_km(store: Store, pcode: str) -> float:
    """Geodesic distance to the border, brute force: the line densified to ~50 m, every point measured."""
    line = store.zone(BORDER).geometry
    dense = shapely.segmentize(line, 0.0005)
    coords = shapely.get_coordinates(dense)
    lon, lat = store.place(pcode).point  # type: ignore[misc]
    return float(geodesic_distance_m(lon, lat, coords[:, 0], coords[:, 1]).min() / 1000)


def test_twenty_miles_on_the_syrian_side_includes_idlib_city(reference: Store) -> None:
    zone = create_zone(reference, "border-20mi", buffer_recipe(BORDER, 20, "mi", within="SY"))
    idlib = reference.place(IDLIB_CITY)
    distance = _brute_distance_km(reference, IDLIB_CITY)
    # Idlib city is about 24.5 km from the border: the Hatay stretch along the Orontes west of the
    # city, nearer than Bab al-Hawa (about 34 km). 20 miles is 32.19 km, so the city is inside.
    assert 20 < distance < 32.18
    assert contains(zone, idlib) is True
    assert zone.description == "20 mi (32.2 km) of turkey-syria-border, both sides, within SY"
    # the Syrian side only: Gaziantep and Kilis in Turkey are within 32 km of the border but not in it
    assert not contains(zone, (37.38, 37.06)) and not contains(zone, (37.12, 36.72))
    assert contains(zone, (36.692639, 36.230639))  # Bab al-Hawa crossing, on the Syrian side
    assert reference.zone("border-20mi").recipe == zone.recipe


def test_smallest_buffer_that_includes_idlib_city(reference: Store) -> None:
    reach = smallest_buffer(reference, buffer_recipe(BORDER, 0, within="SY"), IDLIB_CITY)
    assert reach.crs == "EPSG:32637" and reach.name == "Idleb"
    assert reach.geodesic_km == pytest.approx(_brute_distance_km(reference, IDLIB_CITY), abs=0.01)
    assert reach.distance_km == pytest.approx(reach.geodesic_km, rel=1e-3)  # UTM scale error < 0.1%
    idlib = reference.place(IDLIB_CITY)
    wider = rebuild(buffer_recipe(BORDER, reach.distance_km + 0.01, within="SY"), reference)
    narrower = rebuild(buffer_recipe(BORDER, reach.distance_km - 0.01, within="SY"), reference)
    assert contains(wider, idlib) and not contains(narrower, idlib)


def test_no_buffer_takes_in_a_place_outside_its_clip_or_side(reference: Store) -> None:
    with pytest.raises(ValidationError, match=r"Idleb \(C3871\) is outside the clip area"):
        smallest_buffer(reference, buffer_recipe(BORDER, 0, within="SY06"), IDLIB_CITY)
    # Idlib city is north of the M4, which runs east to west: on its right
    north = smallest_buffer(reference, buffer_recipe("m4-highway", 0, side="right"), IDLIB_CITY)
    assert 3 < north.distance_km < 20
    with pytest.raises(ValidationError, match="on the other side of the line"):
        smallest_buffer(reference, buffer_recipe("m4-highway", 0, side="left"), IDLIB_CITY)


def test_recipes_are_json_and_rebuild_to_the_stored_geometry(reference: Store) -> None:
    recipe = json.loads(json.dumps(buffer_recipe("m4-highway", 6)))
    zone = create_zone(reference, "m4-6km", recipe)
    stored = reference.zone("m4-6km")
    assert stored.recipe == recipe
    assert rebuild(stored.recipe, reference).equals_exact(stored.geometry, 1e-12)
    # the Moscow protocol's corridor, as the reference loader built it, is the same area
    [a4] = [a for a in reference.list("agreement") if a.key.record_id == "A4"]
    assert a4.area is not None and a4.area_recipe is not None
    mine = rebuild(a4.area_recipe, reference)
    assert mine.symmetric_difference(a4.area).area / a4.area.area < 0.005
    assert zone.geometry.symmetric_difference(mine).area == pytest.approx(0, abs=1e-12)


def test_admin_units_geojson_and_set_operations(reference: Store) -> None:
    idleb = create_zone(reference, "idleb", {"op": "admin", "pcodes": ["SY07"]})
    syria = rebuild({"op": "admin", "pcodes": ["SY"]}, reference)
    assert syria.area > idleb.geometry.area and syria.contains(idleb.geometry.buffer(-1e-6))
    assert contains(idleb, reference.place(IDLIB_CITY))
    square = {
        "type": "Polygon",
        "coordinates": [[[36.5, 35.8], [36.8, 35.8], [36.8, 36.0], [36.5, 36.0], [36.5, 35.8]]],
    }
    box = create_zone(
        reference, "box", geojson_recipe({"type": "Feature", "geometry": square, "properties": {}})
    )
    assert contains(box, reference.place(IDLIB_CITY))
    create_zone(reference, "m4-2km", buffer_recipe("m4-highway", 2))
    both = rebuild({"op": "intersection", "of": ["box", "idleb"]}, reference)
    assert both.area == pytest.approx(box.geometry.intersection(idleb.geometry).area)
    rest = create_zone(reference, "idleb-not-m4", {"op": "difference", "of": ["idleb", "m4-2km"]})
    saraqib = reference.place("C3916")  # on the M4
    assert contains(idleb, saraqib) and not contains(rest, saraqib)
    union = rebuild({"op": "union", "of": ["box", {"op": "zone", "name": "m4-2km"}]}, reference)
    assert contains(union, saraqib) and contains(union, reference.place(IDLIB_CITY))
    assert describe(rest.recipe) == "difference of idleb, m4-2km"


def test_recipe_errors_name_the_problem(reference: Store) -> None:
    with pytest.raises(NotFoundError, match="no zone named 'nowhere'"):
        rebuild(buffer_recipe("nowhere", 5), reference)
    with pytest.raises(ValidationError, match="unknown zone recipe op 'circle'"):
        rebuild({"op": "circle"}, reference)
    with pytest.raises(ValidationError, match="unknown distance unit 'leagues'"):
        buffer_recipe(BORDER, 5, "leagues")
    with pytest.raises(ValidationError, match="a buffer needs a line"):
        rebuild(buffer_recipe({"type": "Point", "coordinates": [36.6, 35.9]}, 5), reference)
    with pytest.raises(NotFoundError, match="no admin unit with a polygon for p-code 'SY99'"):
        rebuild({"op": "admin", "pcodes": ["SY99"]}, reference)
    with pytest.raises(ValidationError, match="a buffer recipe needs a line"):
        rebuild({"op": "buffer", "distance": 5}, reference)
    with pytest.raises(ValidationError, match="buffer recipe field 'distance': 'x' is not a number"):
        rebuild({"op": "buffer", "line": BORDER, "distance": "x"}, reference)


def test_one_sided_buffers_split_the_two_sided_one(reference: Store) -> None:
    both = rebuild(buffer_recipe("m4-highway", 6), reference)
    left = rebuild(buffer_recipe("m4-highway", 6, side="left"), reference)
    right = rebuild(buffer_recipe("m4-highway", 6, side="right"), reference)
    assert left.intersection(right).area < both.area * 1e-3
    # what the one-sided buffers leave out of the two-sided one is its two rounded ends: a 6 km disc
    assert area_km2(both.difference(left.union(right))) == pytest.approx(math.pi * 36, rel=0.05)
    # the M4 runs east to west here, so its left is the south
    assert left.centroid.y < right.centroid.y


@settings(max_examples=25, deadline=None)
@given(st.floats(0.1, 40), st.floats(0.1, 40))
def test_a_larger_buffer_contains_the_smaller(reference: Store, a: float, b: float) -> None:
    small, large = sorted((a, b))
    inner = rebuild(buffer_recipe("m4-highway", small), reference)
    outer = rebuild(buffer_recipe("m4-highway", large), reference)
    assert inner.difference(outer).area <= inner.area * 1e-9


def test_crs_is_checked_and_utm_chosen_from_the_area(reference: Store) -> None:
    assert utm_crs_for(shapely.Point(36.63, 35.93)) == CRS.from_epsg(32637)
    assert utm_crs_for(shapely.Point(-70.6, -33.4)) == CRS.from_epsg(32719)
    projected = to_metric(reference.zone("m4-highway").geometry, CRS.from_epsg(32637))
    with pytest.raises(ValidationError, match=r"to_crs\('EPSG:4326'\)"):
        require_geographic(projected)
    with pytest.raises(ValidationError, match="not a projected CRS"):
        to_metric(shapely.Point(36, 35), CRS.from_epsg(4326))
    with pytest.raises(ValidationError, match=r"reproject the second with \.to_crs\('EPSG:4326'\)"):
        check_same_crs("EPSG:4326", "EPSG:32637")
    # a degree of latitude is about 111 km
    assert distance_to_line_m(np.array([36.0]), np.array([36.0]), shapely.LineString([(35, 37), (37, 37)]))[
        0
    ] == pytest.approx(111_000, rel=0.01)
