"""Do no harm: the public never receives an exact IDP site point, nor an unverified event's point or notes.

The reference crisis lists its IDP sites without points, so these tests add sites with points (the HXL
fixture), ACLED events, and an unverified strike inside the Moscow corridor after it took effect (a
compliance violation). Then every GET route of the API is fetched as the public, every list walked to
its last page, every event and located site fetched by its key, and every coordinate pair in every
answer compared against the exact points in the store.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from haven.errors import ValidationError
from haven.geo.crs import distance_km
from haven.io.base import run_import
from haven.io.export.privacy import KM_PER_DEGREE, coarsen_km
from haven.io.hxl import HxlImporter
from haven.io.registry import importer_for
from haven.model import EventStatus, RecordKey
from haven.store import Store
from haven.web.app import create_app
from haven.web.settings import WebSettings

FIXTURES = Path(__file__).parents[1] / "fixtures"
VERIFIED = RecordKey("acled", "SYR900002")
# Flows are counts of people per p-code and period, from movements, which have no coordinates; they are
# the slowest answers of the API (a second or two each), so the scan leaves them out.
NO_POINTS = frozenset({"/api/flows", "/api/flows/net", "/api/flows/hnap-check"})
ATMEH = RecordKey("hxl", "CP000101")
# An unverified shelling on the M4 at Ariha four days after the Moscow protocol took effect.
CORRIDOR_STRIKE = (
    "Event id,Start date,Event type,Sub-event type,Actor 1,Actor 1 type,Actor 2,Location,Latitude,Longitude,"
    "Geo precision,Fatalities,Notes,Source\n"
    "#event+id,#date+start,#event+type,#event+subtype,#group+first+name,#group+first+type,#group+second+name,"
    "#loc+name,#geo+lat,#geo+lon,#meta+precision+geo,#affected+killed,#description,#org+source\n"
    "NWS-0100,2020-03-10,Explosions/Remote violence,Shelling/artillery/missile attack,"
    "Military Forces of Syria (2000-),State forces,Civilians (Syria),Ariha (Al-Qalaa street),"
    "35.81234,36.61023,acled:1,2,Shells hit the bakery on Al-Qalaa street in Ariha.,SOHR\n"
)


@pytest.fixture
def sensitive_db(web_db: Path, tmp_path: Path) -> Path:
    strike = tmp_path / "strike.csv"
    strike.write_text(CORRIDOR_STRIKE, encoding="utf-8")
    sites = FIXTURES / "hxl" / "sites.csv"
    moved = tmp_path / "sites_revised.csv"
    # a second import with Atmeh's capacity changed: its earlier state, exact point and all, is a revision
    moved.write_text(sites.read_text(encoding="utf-8").replace(",5000,", ",5500,"), encoding="utf-8")
    with Store.open(web_db) as store:
        run_import(store, importer_for("acled"), FIXTURES / "acled_nw_syria.csv")
        for path in (sites, FIXTURES / "hxl" / "events.csv", strike):
            run_import(store, HxlImporter(), path)
        run_import(store, HxlImporter(), moved, dataset="hxl")
        store.set_event_status(VERIFIED, EventStatus.VERIFIED)
        store.set_event_status(
            RecordKey("acled", "SYR900003"), EventStatus.DISPUTED, note="seen near the mosque"
        )
    return web_db


def _client(db: Path, grid_km: float = 10.0) -> TestClient:
    return TestClient(create_app(WebSettings(db=str(db), public_grid_km=grid_km, secret_key="test")))


@pytest.fixture
def public(sensitive_db: Path) -> Iterator[TestClient]:
    with _client(sensitive_db) as client:
        yield client


def _exact_points(db: Path) -> tuple[set[tuple[float, float]], set[tuple[float, float]]]:
    """(points the public may not see, points it may): sites and unverified events against the rest.

    A point that is also a place's point (an event placed at its town's centre) is public in the
    gazetteer, so it cannot count as leaked.
    """
    with Store.open(db) as store:
        places = {p.point for p in store.list("place") if p.point}
        events = store.list("event")
        secret = {s.point for s in store.list("site") if s.point}
        secret |= {e.point for e in events if e.point and e.status is not EventStatus.VERIFIED}
        shown = {e.point for e in events if e.point and e.status is EventStatus.VERIFIED}
    return {p for p in secret if p not in places and p not in shown}, shown


def _pairs(value: Any) -> Iterator[tuple[float, float]]:
    """Every coordinate pair in a JSON value: two-number lists, and objects with lon and lat."""
    if isinstance(value, dict):
        lon, lat = value.get("lon", value.get("longitude")), value.get("lat", value.get("latitude"))
        if isinstance(lon, int | float) and isinstance(lat, int | float):
            yield float(lon), float(lat)
        for item in value.values():
            yield from _pairs(item)
    elif isinstance(value, list):
        if len(value) == 2 and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
            yield float(value[0]), float(value[1])
        for item in value:
            yield from _pairs(item)


def _leaks(body: Any, secret: set[tuple[float, float]]) -> list[tuple[float, float]]:
    def near(a: tuple[float, float], b: tuple[float, float]) -> bool:
        return math.isclose(a[0], b[0], abs_tol=1e-6) and math.isclose(a[1], b[1], abs_tol=1e-6)

    return [pair for pair in _pairs(body) if any(near(pair, s) for s in secret)]


def _fetch_all(client: TestClient, url: str) -> Iterator[Any]:
    """A GET answer, and for a paged list of located records every later page too.

    (Figures and movements have no coordinates: their 20,000 rows are not walked page by page.)"""
    while url:
        response = client.get(url)
        assert response.status_code in (200, 401, 403, 422), (
            f"{url}: {response.status_code} {response.text[:200]}"
        )
        if response.status_code != 200:
            return
        body = response.json()
        yield body
        if not any(_pairs(body)):
            return
        links = dict(
            (rel, u) for u, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers.get("Link", ""))
        )
        url = links.get("next", "")


def _every_answer(client: TestClient, db: Path) -> Iterator[tuple[str, Any]]:
    schema = client.get("/openapi.json").json()
    for path, operations in schema["paths"].items():
        if path.startswith("/api/") and "get" in operations and "{" not in path and path not in NO_POINTS:
            url = path + ("?limit=1000" if "limit" in str(operations["get"].get("parameters", [])) else "")
            for body in _fetch_all(client, url):
                yield url, body
    with Store.open(db) as store:
        events = [e.key for e in store.list("event", None)]
        sites = [s.key for s in store.list("site") if s.point]
        zones = [z.name for z in store.zones()]
        agreements = [a.key.record_id for a in store.list("agreement")]
    for key in events:
        yield f"event {key}", client.get(f"/api/events/{key.dataset}/{key.record_id}").json()
    for key in sites:
        yield f"site {key}", client.get(f"/api/sites/{key.dataset}/{key.record_id}").json()
    for name in zones:
        for suffix in ("/inside", "/geojson"):
            yield f"zone {name}{suffix}", client.get(f"/api/zones/{name}{suffix}").json()
    for agreement in agreements:
        response = client.get(f"/api/compliance/{agreement}", params={"zone": "m4-highway"})
        yield f"compliance {agreement}", response.json()
    yield "compliance A4", client.get("/api/compliance/A4").json()


def test_the_public_never_receives_an_exact_site_or_unverified_event_point(
    public: TestClient, sensitive_db: Path
) -> None:
    secret, shown = _exact_points(sensitive_db)
    assert len(secret) >= 6, "the fixture must give the test something to find"
    answers = list(_every_answer(public, sensitive_db))
    layers = [url for url, _ in answers if url.startswith("/api/layers/")]
    assert "/api/layers/sites.geojson" in layers and "/api/layers/events.geojson" in layers
    leaked = {url: found for url, body in answers if (found := _leaks(body, secret))}
    assert leaked == {}
    # the check can find points: the verified event's exact point is published
    assert any(_leaks(body, shown) for _, body in answers)


def test_a_viewer_sees_exact_points_and_notes(sensitive_db: Path, token_for: Callable[[str], str]) -> None:
    with Store.open(sensitive_db) as store:
        atmeh = store.get("site", ATMEH)
        strike = store.get("event", RecordKey("hxl", "NWS-0100"))
    headers = {"Authorization": f"Bearer {token_for('viewer')}"}
    with _client(sensitive_db) as client:
        site = client.get("/api/sites/hxl/CP000101", headers=headers).json()
        assert site["point"] == list(atmeh.point) == [36.6862, 36.2035]
        assert site["location_precision"] == "as recorded"
        event = client.get("/api/events/hxl/NWS-0100", headers=headers).json()
        assert event["point"] == list(strike.point) and event["notes"] == strike.notes
        assert "withheld" not in event
        report = client.get("/api/compliance/A4", headers=headers).json()
        [violation] = report["violations"]
        assert (violation["lon"], violation["lat"]) == strike.point
        assert violation["location"] == "Ariha (Al-Qalaa street)"
        fine = client.get("/api/profile/border", params={"bands": "0,2.5,7.5"}, headers=headers)
        assert fine.status_code == 200


def test_the_public_gets_the_grid_cell_and_no_free_text(public: TestClient, sensitive_db: Path) -> None:
    with Store.open(sensitive_db) as store:
        strike = store.get("event", RecordKey("hxl", "NWS-0100"))
        verified = store.get("event", VERIFIED)
    site = public.get("/api/sites/hxl/CP000101").json()
    assert site["point"] == list(coarsen_km((36.6862, 36.2035), 10))
    assert site["location_precision"] == "10 km grid cell centre"
    assert site["name"] == "Atmeh Al-Karama camp" and site["place_pcode"] == "C1234"  # names stay
    [revision] = site["revisions"]
    assert (revision["data"]["lon"], revision["data"]["lat"]) == coarsen_km((36.6862, 36.2035), 10)

    event = public.get("/api/events/hxl/NWS-0100").json()
    assert event["point"] == list(coarsen_km(strike.point, 10))
    assert event["notes"] is None and event["location_name"] is None
    assert event["withheld"] == ["notes", "location_name"]
    assert event["event_type"] == strike.event_type and event["fatalities"]["best"] == 2  # the facts stay

    shown = public.get(f"/api/events/{VERIFIED.dataset}/{VERIFIED.record_id}").json()
    assert shown["point"] == list(verified.point) and shown["location_precision"] == "as recorded"
    assert shown["notes"] == verified.notes and "withheld" not in shown

    disputed = public.get("/api/events/acled/SYR900003").json()
    assert disputed["revisions"][0]["data"]["note"] is None  # the reviewer's note names a place too

    [violation] = public.get("/api/compliance/A4").json()["violations"]
    assert (violation["lon"], violation["lat"]) == coarsen_km(strike.point, 10)
    assert violation["location"] is None and violation["withheld"] == ["location"]


def test_the_grid_size_comes_from_the_settings(sensitive_db: Path) -> None:
    atmeh = (36.6862, 36.2035)
    with _client(sensitive_db, grid_km=25) as client:
        site = client.get("/api/sites/hxl/CP000101").json()
        layer = client.get("/api/layers/sites.geojson").json()
        coarse = client.get("/api/profile/border", params={"bands": "0,12.5,25"})
        fine = client.get("/api/profile/border", params={"bands": "0,5,10"})
    assert site["point"] == list(coarsen_km(atmeh, 25)) != list(coarsen_km(atmeh, 10))
    assert site["location_precision"] == "25 km grid cell centre"
    [feature] = [f for f in layer["features"] if f["properties"]["key"] == str(ATMEH)]
    assert feature["geometry"]["coordinates"] == [round(c, 6) for c in coarsen_km(atmeh, 25)]
    assert coarse.status_code == 200
    assert fine.status_code == 422 and "steps of 12.5 km" in fine.json()["detail"][0]["msg"]


lons = st.floats(min_value=35.0, max_value=42.5, allow_nan=False)
lats = st.floats(min_value=32.0, max_value=37.5, allow_nan=False)
sizes = st.sampled_from([1.0, 5.0, 10.0, 25.0])


@given(lons, lats, sizes)
def test_a_km_grid_cell_is_about_that_many_km_on_the_ground(lon: float, lat: float, km: float) -> None:
    centre = coarsen_km((lon, lat), km)
    assert coarsen_km(centre, km) == centre  # a centre is its own cell's centre
    # no further from the point than half the diagonal of a km-by-km cell (and a little for the ellipsoid)
    assert distance_km((lon, lat), centre) <= km * math.sqrt(2) / 2 * 1.01
    # rows are km apart north-south, and cells of a row km apart east-west: km by km on the ground
    row = km / KM_PER_DEGREE
    north = coarsen_km((centre[0], centre[1] + row), km)[1]
    assert distance_km(centre, (centre[0], north)) == pytest.approx(km, rel=0.01)
    east = coarsen_km((centre[0] + row / math.cos(math.radians(centre[1])), centre[1]), km)
    assert east[1] == centre[1] and distance_km(centre, east) == pytest.approx(km, rel=0.01)


def test_the_grid_refuses_a_size_that_is_no_size() -> None:
    for bad in (0.0, -1.0, math.inf, math.nan):
        with pytest.raises(ValidationError, match="the public grid must be a positive number of km"):
            coarsen_km((36.0, 36.0), bad)


def test_the_public_cannot_search_withheld_notes(
    public: TestClient, sensitive_db: Path, token_for: Callable[[str], str]
) -> None:
    def keys(response: Any) -> list[str]:
        return [item["key"] for item in response.json()["items"]]

    assert keys(public.get("/api/events", params={"q": "Al-Qalaa"})) == []
    assert keys(public.get("/api/events", params={"q": "Al-Qalaa", "status": "unverified"})) == []
    headers = {"Authorization": f"Bearer {token_for('viewer')}"}
    assert keys(public.get("/api/events", params={"q": "Al-Qalaa"}, headers=headers)) == ["hxl:NWS-0100"]
    with Store.open(sensitive_db) as store:
        verified = store.get("event", VERIFIED)
    assert verified.notes, "the verified event has notes to find"
    word = verified.notes.split()[0]
    found = keys(public.get("/api/events", params={"q": word}))
    assert str(VERIFIED) in found
    with Store.open(sensitive_db) as store:
        assert all(
            store.get("event", RecordKey(*key.split(":", 1))).status is EventStatus.VERIFIED for key in found
        )
