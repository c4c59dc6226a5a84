"""What is inside a zone and the border profile, checked against geopandas on the reference crisis."""

from __future__ import annotations

import json
from datetime import date

import geopandas as gpd
import numpy as np
import pytest

from haven.geo.inside import compare_zones, contents_geojson, what_is_inside
from haven.geo.profile import border_profile
from haven.geo.zones import buffer_recipe, create_zone
from haven.model import Actor, Estimate, Event, RecordKey
from haven.store import RecordFilter, Store


def _communities_frame(store: Store) -> gpd.GeoDataFrame:
    places = [p for p in store.list("place", RecordFilter(levels=(4,))) if p.point]
    population = {f.area_pcode: f.value for f in store.list("figure", RecordFilter(types=("population",)))}
    return gpd.GeoDataFrame(
        {"pcode": [p.pcode for p in places], "population": [population.get(p.pcode, 0.0) for p in places]},
        geometry=gpd.points_from_xy([p.point[0] for p in places], [p.point[1] for p in places]),  # type: ignore[index]
        crs="EPSG:4326",
    )


def test_inside_the_twenty_mile_zone_matches_a_spatial_join(reference: Store) -> None:
    zone = create_zone(reference, "border-20mi", buffer_recipe("turkey-syria-border", 20, "mi", within="SY"))
    found = what_is_inside(reference, zone, date(2019, 12, 1), date(2020, 3, 5), places=["C3871", "C3916"])
    frame = _communities_frame(reference)
    area = gpd.GeoDataFrame(geometry=[zone.geometry], crs="EPSG:4326")
    joined = gpd.sjoin(frame, area, predicate="within")
    assert found.communities == len(joined) > 1000
    assert found.population == pytest.approx(joined["population"].sum())
    assert found.places == {"C3871": True, "C3916": False}  # Idlib city in, Saraqib out
    assert "Nov 2022" in found.population_basis
    assert found.idps > 0 and found.sites > 1000
    assert [c["name"] for c in found.crossings] == ["Bab al-Hawa"]
    # key events in the window inside the zone: the Idlib city strikes (K03, K08) and Al-Bab (K07)
    assert found.events == sum(found.events_by_type.values()) == 3
    assert found.fatalities.low <= found.fatalities.best <= found.fatalities.high


def test_an_added_event_is_counted_and_the_index_refreshes(reference: Store) -> None:
    zone = create_zone(reference, "idleb-adm", {"op": "admin", "pcodes": ["SY07"]})
    before = what_is_inside(reference, zone, date(2020, 2, 1), date(2020, 2, 29))
    late = what_is_inside(reference, zone, date(2020, 2, 21), date(2020, 2, 29))
    early = what_is_inside(reference, zone, date(2020, 2, 1), date(2020, 2, 19))
    with reference.importing("event", "test-inside", "test-inside") as writer:
        writer.add(
            Event(
                key=RecordKey("test-inside", "1"),
                event_type="Battles",
                sub_event_type="Armed clash",
                date_start=date(2020, 2, 20),
                actor1=Actor("Military Forces of Syria"),
                point=(36.64, 35.93),
                fatalities=Estimate(2, 3, None),
            )
        )
    after = what_is_inside(reference, zone, date(2020, 2, 1), date(2020, 2, 29))
    assert after.events == before.events + 1
    assert after.events_by_type["Battles"] == before.events_by_type.get("Battles", 0) + 1
    assert after.fatalities.best == before.fatalities.best + 3
    assert after.fatalities.events_without_ceiling == before.fatalities.events_without_ceiling + 1
    # a window that ends before the event, or starts after it, does not count it
    assert what_is_inside(reference, zone, date(2020, 2, 21), date(2020, 2, 29)).events == late.events
    assert what_is_inside(reference, zone, date(2020, 2, 1), date(2020, 2, 19)).events == early.events


def test_compare_zones_side_by_side_and_as_geojson(reference: Store) -> None:
    zones = [
        create_zone(reference, "border-20mi", buffer_recipe("turkey-syria-border", 20, "mi", within="SY")),
        create_zone(reference, "border-30km", buffer_recipe("turkey-syria-border", 30, within="SY")),
        create_zone(reference, "border-10km", buffer_recipe("turkey-syria-border", 10, within="SY")),
    ]
    results = compare_zones(reference, zones, date(2019, 12, 1), date(2020, 3, 5))
    assert [r.zone for r in results] == ["border-20mi", "border-30km", "border-10km"]
    assert results[2].communities < results[1].communities < results[0].communities
    assert results[2].population < results[1].population < results[0].population
    collection = json.loads(json.dumps(contents_geojson(results, zones)))
    assert [f["properties"]["zone"] for f in collection["features"]] == [
        "border-20mi",
        "border-30km",
        "border-10km",
    ]
    assert collection["features"][0]["properties"]["fatalities_best"] == results[0].fatalities.best
    assert collection["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_border_profile_bands_sum_to_the_totals(reference: Store) -> None:
    profile = border_profile(reference, start=date(2019, 12, 1), end=date(2020, 3, 5))
    assert [(b.from_km, b.to_km) for b in profile.bands] == [(0, 5), (5, 10), (10, 20), (20, 30), (30, 50)]
    for field in ("communities", "population", "idps", "sites", "events", "fatalities_best"):
        assert getattr(profile.total, field) == pytest.approx(sum(getattr(b, field) for b in profile.bands))
    syria = create_zone(reference, "syria", {"op": "admin", "pcodes": ["SY"]})
    everything = what_is_inside(reference, syria)
    assert profile.total.communities + profile.beyond.communities == everything.communities
    # the communities within 30 km are those inside the 30 km buffer on the Syrian side
    within_30 = sum(b.communities for b in profile.bands[:4])
    buffer_30 = create_zone(reference, "b30", buffer_recipe("turkey-syria-border", 30, within="SY"))
    assert within_30 == pytest.approx(what_is_inside(reference, buffer_30).communities, abs=3)
    assert profile.bands[0].population > 0
    with pytest.raises(Exception, match="increasing distances"):
        border_profile(reference, bands_km=[0, 10, 5])
    assert np.isfinite(profile.total.population)
