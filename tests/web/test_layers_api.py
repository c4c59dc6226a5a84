"""The map layers and the dashboard API over the reference crisis: GeoJSON, privacy, filters, key figures."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from haven.io.base import run_import
from haven.io.export.privacy import coarsen_km
from haven.io.registry import importer_for
from haven.model import EventStatus, RecordKey
from haven.services.overview import build_overview
from haven.store import RecordFilter, Store
from haven.web.app import create_app
from haven.web.settings import WebSettings

FIXTURES = Path(__file__).parents[1] / "fixtures"
TRACKER = FIXTURES / "displacement" / "cccm_site_tracker_subset.csv"
WINDOW = {"from": "2019-12-01", "to": "2020-03-05"}
GRID = "10 km grid cell centre"


def _import_tracker(db: Path) -> None:
    """Sites with exact points and populations (the reference crisis has site codes only)."""
    with Store.open(db) as store:
        run_import(store, importer_for("cccm-site-tracker", as_of=date(2020, 2, 29)), TRACKER)


def _points(collection: dict[str, Any]) -> list[tuple[float, float]]:
    return [tuple(f["geometry"]["coordinates"]) for f in collection["features"]]


def _check_geojson(collection: dict[str, Any]) -> None:
    assert collection["type"] == "FeatureCollection"
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert set(feature) == {"type", "geometry", "properties"}
        if feature["geometry"]["type"] == "Point":
            lon, lat = feature["geometry"]["coordinates"]
            assert 35 < lon < 43 and 32 < lat < 38, "RFC 7946 order is longitude, latitude"


# ---------------------------------------------------------------- events
def test_events_layer_draws_each_located_event_of_the_window(client: TestClient, web_db: Path) -> None:
    response = client.get("/api/layers/events.geojson", params=WINDOW)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    _check_geojson(body)
    with Store.open(web_db) as store:
        events = store.list("event", RecordFilter(start=date(2019, 12, 1), end=date(2020, 3, 5)))
    located = [str(e.key) for e in events if e.point]
    assert [f["properties"]["key"] for f in body["features"]] == located
    assert body["unlocated"] == len(events) - len(located) == 3
    first = body["features"][0]["properties"]
    assert first["event_type"] == "Battles" and first["date"] == "2019-12-19"
    assert set(first) >= {"key", "date", "event_type", "fatalities", "status", "location_precision"}


def test_the_public_gets_unverified_events_on_the_grid_without_their_place_names(
    client: TestClient, web_db: Path
) -> None:
    body = client.get("/api/layers/events.geojson").json()
    with Store.open(web_db) as store:
        exact = {str(e.key): e.point for e in store.list("event") if e.point}
    assert body["features"], "the reference crisis has located events"
    for feature in body["features"]:
        props = feature["properties"]
        point = tuple(feature["geometry"]["coordinates"])
        assert props["status"] == "unverified"
        assert point != exact[props["key"]]
        assert point == pytest.approx(coarsen_km(exact[props["key"]], 10.0))
        assert props["location_precision"] == GRID
        assert props["location"] is None


def test_a_verified_event_is_public_as_recorded(client: TestClient, web_db: Path) -> None:
    with Store.open(web_db) as store:
        store.set_event_status(RecordKey("nw-syria-2020", "K03"), EventStatus.VERIFIED, "checked")
        exact = store.get("event", RecordKey("nw-syria-2020", "K03")).point
    body = client.get("/api/layers/events.geojson").json()
    k03 = next(f for f in body["features"] if f["properties"]["key"] == "nw-syria-2020:K03")
    assert tuple(k03["geometry"]["coordinates"]) == pytest.approx(exact)
    assert k03["properties"]["location_precision"] == "as recorded"
    assert k03["properties"]["location"]


def test_a_viewer_sees_every_event_as_recorded(
    client: TestClient, web_db: Path, token_for: Callable[[str], str]
) -> None:
    headers = {"Authorization": f"Bearer {token_for('viewer')}"}
    body = client.get("/api/layers/events.geojson", headers=headers).json()
    with Store.open(web_db) as store:
        exact = {str(e.key): e.point for e in store.list("event") if e.point}
    assert {f["properties"]["key"]: tuple(f["geometry"]["coordinates"]) for f in body["features"]} == exact
    assert {f["properties"]["location_precision"] for f in body["features"]} == {"as recorded"}


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"type": "Battles"}, RecordFilter(types=("Battles",))),
        ({"type": ["Air/drone strike", "Battles"]}, RecordFilter(types=("Air/drone strike", "Battles"))),
        ({"area": "C3916"}, RecordFilter(area="C3916")),
        (
            {"from": "2020-02-01", "to": "2020-02-29"},
            RecordFilter(start=date(2020, 2, 1), end=date(2020, 2, 29)),
        ),
    ],
)
def test_events_layer_filters_as_the_store_does(
    client: TestClient, web_db: Path, params: dict[str, Any], where: RecordFilter
) -> None:
    body = client.get("/api/layers/events.geojson", params=params).json()
    with Store.open(web_db) as store:
        expected = [str(e.key) for e in store.list("event", where) if e.point]
    assert [f["properties"]["key"] for f in body["features"]] == expected
    assert expected


@pytest.mark.parametrize(
    ("params", "name", "message"),
    [
        ({"type": "Airstrike"}, "type", "'Airstrike' is not an ACLED event or sub-event type"),
        ({"area": "SY99"}, "area", "no place with p-code 'SY99'"),
        ({"from": "2020-03-01", "to": "2020-02-01"}, "to", "the period ends (2020-02-01) before it starts"),
        ({"from": "1 March"}, "from", "YYYY-MM-DD"),
    ],
)
def test_bad_event_filters_are_422s_naming_the_parameter(
    client: TestClient, params: dict[str, str], name: str, message: str
) -> None:
    for url in ("/api/layers/events.geojson", "/api/dashboard/summary", "/api/dashboard/series"):
        response = client.get(url, params=params)
        assert response.status_code == 422, url
        [error] = response.json()["detail"]
        assert error["loc"] == ["query", name]
        assert message in error["msg"]


# ---------------------------------------------------------------- sites
@pytest.fixture
def sites_db(web_db: Path) -> Path:
    _import_tracker(web_db)
    return web_db


def test_the_public_never_gets_an_exact_site_point(client: TestClient, sites_db: Path) -> None:
    body = client.get("/api/layers/sites.geojson").json()
    with Store.open(sites_db) as store:
        sites = store.list("site")
    exact = {str(s.key): s.point for s in sites if s.point}
    assert len(exact) == 10, "the tracker gives exact points"
    drawn = {f["properties"]["key"]: tuple(f["geometry"]["coordinates"]) for f in body["features"]}
    assert not set(drawn.values()) & set(exact.values())
    for key, point in exact.items():
        assert drawn[key] == pytest.approx(coarsen_km(point, 10.0))
    assert {f["properties"]["location_precision"] for f in body["features"]} == {GRID}


def test_a_viewer_gets_site_points_and_host_community_points_said_apart(
    client: TestClient, sites_db: Path, token_for: Callable[[str], str]
) -> None:
    headers = {"Authorization": f"Bearer {token_for('viewer')}"}
    body = client.get("/api/layers/sites.geojson", headers=headers).json()
    features = {f["properties"]["key"]: f for f in body["features"]}
    with Store.open(sites_db) as store:
        own = store.get("site", RecordKey("cccm-site-tracker", "CP000823"))
        hosted = store.get("site", RecordKey("cccm-sites", "CP000613"))
        host = store.place(hosted.place_pcode)
    assert tuple(features[str(own.key)]["geometry"]["coordinates"]) == pytest.approx(own.point)
    assert features[str(own.key)]["properties"]["location_precision"] == "as recorded"
    assert tuple(features[str(hosted.key)]["geometry"]["coordinates"]) == pytest.approx(host.point)
    assert features[str(hosted.key)]["properties"]["location_precision"] == "host community point"


def test_site_population_is_the_latest_snapshot_on_the_day(client: TestClient, sites_db: Path) -> None:
    key = "cccm-site-tracker:CP000823"

    def population(day: str) -> Any:
        body = client.get("/api/layers/sites.geojson", params={"date": day}).json()
        return next(f["properties"] for f in body["features"] if f["properties"]["key"] == key)

    assert (population("2020-03-01")["individuals"], population("2020-03-01")["as_of"]) == (320, "2020-02-29")
    assert population("2020-02-01")["individuals"] is None  # no snapshot yet


# ---------------------------------------------------------------- communities, admin, zones, crossings
def test_communities_come_with_population_and_filter_by_box_and_idps(client: TestClient) -> None:
    every = client.get("/api/layers/communities.geojson").json()
    assert every["total"] == len(every["features"]) > 7000
    assert "OCHA / CCCM Cluster" in every["basis"]
    big = client.get("/api/layers/communities.geojson", params={"min_idps": 20000}).json()
    assert big["features"] and all(f["properties"]["idps"] >= 20000 for f in big["features"])
    box = client.get("/api/layers/communities.geojson", params={"bbox": "36.6,35.9,36.7,36.0"}).json()
    names = {f["properties"]["name"] for f in box["features"]}
    assert "Idleb" in names
    assert all(36.6 <= lon <= 36.7 and 35.9 <= lat <= 36.0 for lon, lat in _points(box))


@pytest.mark.parametrize("bbox", ["36,35", "a,b,c,d", "37,35,36,36"])
def test_a_bad_bbox_is_a_422_naming_it(client: TestClient, bbox: str) -> None:
    response = client.get("/api/layers/communities.geojson", params={"bbox": bbox})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "bbox"]


def test_admin_boundaries_are_simplified_polygons_with_pcodes(client: TestClient, web_db: Path) -> None:
    body = client.get("/api/layers/admin.geojson", params={"level": 1}).json()
    _check_geojson(body)
    pcodes = {f["properties"]["pcode"] for f in body["features"]}
    assert len(pcodes) == 14 and "SY07" in pcodes
    idleb = next(f for f in body["features"] if f["properties"]["pcode"] == "SY07")
    assert idleb["properties"]["name"] == "Idleb" and idleb["geometry"]["type"] in ("Polygon", "MultiPolygon")
    sub = client.get("/api/layers/admin.geojson", params={"level": 3}).json()
    assert len(sub["features"]) == 272
    assert client.get("/api/layers/admin.geojson", params={"level": 4}).status_code == 422


def test_zones_border_and_crossings(client: TestClient) -> None:
    zones = client.get("/api/layers/zones.geojson").json()
    assert {f["properties"]["name"] for f in zones["features"]} == {"m4-highway", "turkey-syria-border"}
    border = client.get("/api/layers/border.geojson").json()
    [line] = border["features"]
    assert line["properties"]["name"] == "turkey-syria-border"
    assert line["geometry"]["type"] in ("LineString", "MultiLineString")
    crossings = client.get("/api/layers/crossings.geojson", params={"date": "2020-03-01"}).json()
    status = {f["properties"]["name"]: f["properties"]["status"] for f in crossings["features"]}
    assert status == {
        "Bab al-Hawa": "open for UN cross-border aid",
        "Bab al-Salam": "open for UN cross-border aid",
    }
    before = client.get("/api/layers/crossings.geojson", params={"date": "2014-01-01"}).json()
    assert {f["properties"]["status"] for f in before["features"]} == {None}


def test_no_border_is_a_404_that_says_where_it_comes_from(tmp_path: Path) -> None:
    Store.open(tmp_path / "empty.db", create=True).close()
    with TestClient(create_app(WebSettings(db=str(tmp_path / "empty.db"), secret_key="x"))) as empty:
        response = empty.get("/api/layers/border.geojson")
        assert response.status_code == 404
        assert "turkey-syria-border" in response.json()["detail"]
        assert empty.get("/api/layers/events.geojson").json() == {
            "type": "FeatureCollection",
            "features": [],
            "unlocated": 0,
        }


# ---------------------------------------------------------------- the dashboard API
@pytest.fixture(scope="module")
def reference_client(reference_db: Path) -> Iterator[TestClient]:
    """A read-only client over the shared reference database (the dashboard API never writes)."""
    with TestClient(create_app(WebSettings(db=str(reference_db), secret_key="x"))) as test_client:
        yield test_client


def test_summary_gives_the_overviews_numbers(reference_client: TestClient, reference_db: Path) -> None:
    body = reference_client.get("/api/dashboard/summary", params=WINDOW).json()
    with Store.open(reference_db) as store:
        overview = build_overview(store, date(2019, 12, 1), date(2020, 3, 5))
    events = body["events"]
    assert events["count"] == overview.events.events == 13
    assert events["fatalities"] == {"low": 56, "best": 87, "high": 91}
    assert events["without_high"] == 8
    assert body["sites"] == 1491
    assert body["crossings"]["open"] == 2 and body["crossings"]["on"] == "2020-03-05"
    assert [a["key"] for a in body["agreements"]] == [str(a.key) for a in overview.agreements]


def test_key_figures_carry_the_range_the_sources_and_the_contradictions(reference_client: TestClient) -> None:
    figures = reference_client.get("/api/dashboard/summary", params=WINDOW).json()["figures"]
    displaced = next(g for g in figures if g["metric"] == "displaced" and g["subgroup"] == "all")
    assert displaced["since"] == "2019-12-01"
    assert displaced["latest"]["text"] == "almost 1,000,000"
    assert displaced["latest"]["as_of"] == "2020-03-05"
    assert (displaced["low"], displaced["high"], displaced["range"]) == (300000, 1000000, "300,000–1,000,000")
    assert displaced["sources"][0] == {"publisher": "OCHA", "date": "2020-03-05"}
    assert displaced["reports"] == 8
    assert displaced["contradiction"] is True
    assert any("390,000" in flag for flag in displaced["flags"])


def test_the_window_and_the_types_change_the_summary(
    reference_client: TestClient, reference_db: Path
) -> None:
    january = reference_client.get(
        "/api/dashboard/summary", params={"from": "2020-01-01", "to": "2020-01-31"}
    )
    battles = reference_client.get("/api/dashboard/summary", params={**WINDOW, "type": "Battles"})
    with Store.open(reference_db) as store:
        in_january = store.count("event", RecordFilter(start=date(2020, 1, 1), end=date(2020, 1, 31)))
        window = RecordFilter(start=date(2019, 12, 1), end=date(2020, 3, 5), types=("Battles",))
        n_battles = store.count("event", window)
    assert january.json()["events"]["count"] == in_january == 3
    assert battles.json()["events"]["count"] == n_battles == 5
    assert battles.json()["events"]["fatalities"]["best"] == 0
    assert battles.json()["types"] == ["Battles"]


def test_series_counts_each_event_once_in_its_week(reference_client: TestClient) -> None:
    body = reference_client.get("/api/dashboard/series", params=WINDOW).json()
    weeks = body["events_per_week"]
    assert all(date.fromisoformat(w).weekday() == 0 for w in weeks["weeks"])
    assert weeks["weeks"][0] == "2019-11-25" and weeks["weeks"][-1] == "2020-03-02"
    assert sum(sum(counts) for counts in weeks["types"].values()) == 13
    assert set(weeks["types"]) == {"Battles", "Explosions/Remote violence", "Strategic developments"}


def test_series_gives_the_displaced_estimate_with_its_band_and_reports(reference_client: TestClient) -> None:
    displaced = reference_client.get("/api/dashboard/series", params=WINDOW).json()["displaced"]
    assert displaced["label"] == "displaced since 01 Dec 2019"
    assert displaced["days"][0] == "2019-12-01" and displaced["days"][-1] == "2020-03-05"
    assert all(
        lo <= best <= hi
        for lo, best, hi in zip(displaced["low"], displaced["best"], displaced["high"], strict=True)
    )
    assert displaced["best"] == sorted(displaced["best"]), "a cumulative count never falls"
    texts = {r["text"] for r in displaced["reports"]}
    assert {"over 948,000", "almost 1,000,000"} <= texts
    assert any(r["contradiction"] for r in displaced["reports"])

    short = reference_client.get("/api/dashboard/series", params={"from": "2020-01-01", "to": "2020-01-20"})
    cut = short.json()["displaced"]
    assert cut["days"][0] == "2020-01-01" and cut["days"][-1] == "2020-01-20"
    assert max(r["day"] for r in cut["reports"]) <= "2020-01-20"


def test_series_without_figures_says_why(reference_client: TestClient) -> None:
    body = reference_client.get(
        "/api/dashboard/series", params={"from": "2020-03-10", "to": "2020-03-20"}
    ).json()
    assert body["displaced"]["days"] == []
    assert "no figures of displaced" in body["displaced"]["note"]
    assert sum(sum(c) for c in body["events_per_week"]["types"].values()) == 1
