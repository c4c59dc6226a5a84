"""The pages in-process: which template, with what context, and the errors bad query strings give."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from haven.geo.zones import buffer_recipe, create_zone
from haven.store import Store
from haven.web.app import create_app
from haven.web.settings import WebSettings


@pytest.fixture(scope="module")
def reader(reference_db: Path) -> Iterator[TestClient]:
    """A client over the shared reference database, for pages that only read."""
    with TestClient(create_app(WebSettings(db=str(reference_db), secret_key="x"))) as test_client:
        yield test_client


@pytest.fixture
def zoned(web_db: Path, client: TestClient) -> TestClient:
    """A client over a database with two area zones: the Moscow corridor and Idleb governorate."""
    with Store.open(web_db) as store:
        create_zone(store, "m4-corridor", buffer_recipe("m4-highway", 6))
        create_zone(store, "idleb", {"op": "admin", "pcodes": ["SY07"]})
    return client


def _context(response: Any) -> dict[str, Any]:
    context: dict[str, Any] = response.context
    return context


def _external(text: str) -> list[str]:
    """Addresses in src/href attributes that leave the server."""
    return [url for url in re.findall(r'(?:src|href)="([^"]+)"', text) if re.match(r"(https?:)?//", url)]


# ---------------------------------------------------------------- the dashboard
def test_the_dashboard_opens_on_the_reference_period(reader: TestClient) -> None:
    response = reader.get("/")
    assert response.status_code == 200
    assert response.template.name == "dashboard.html"  # type: ignore[attr-defined]
    config = _context(response)["config"]
    assert config["filters"] == {"from": "2019-12-01", "to": "2020-03-05", "area": None, "types": []}
    assert config["defaults"] == {"from": "2019-12-01", "to": "2020-03-05"}
    assert config["range"] == {"min": "2019-12-01", "max": "2020-03-15"}  # the last event is on 15 March
    assert config["eventTypes"] == ["Battles", "Explosions/Remote violence", "Strategic developments"]
    assert config["exact"] is False and config["tile"] is None
    html = response.text
    embedded = re.search(r'<script type="application/json" id="dashboard-config">(.*?)</script>', html, re.S)
    assert embedded and json.loads(embedded.group(1)) == config
    for asset in ("/vendor/leaflet/leaflet.js", "/vendor/leaflet/leaflet.css", "/vendor/plotly.min.js"):
        assert asset in html
    assert 'id="sitrep-link"' in html and "/sitrep?from=2019-12-01&amp;to=2020-03-05" in html
    assert not [url for url in _external(html) if "testserver" not in url]


def test_the_dashboard_takes_its_filters_from_the_query_string(reader: TestClient) -> None:
    response = reader.get("/?from=2020-01-01&to=2020-02-15&area=SY07&type=Battles")
    config = _context(response)["config"]
    assert config["filters"] == {
        "from": "2020-01-01",
        "to": "2020-02-15",
        "area": "SY07",
        "types": ["Battles"],
    }
    assert '<option value="SY07" selected>' in response.text
    assert re.search(r'value="Battles"\s+checked', response.text)
    assert "/sitrep.pdf?area=SY07&amp;from=2020-01-01&amp;to=2020-02-15" in response.text


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("from=2020-13-01", 422, "from: '2020-13-01' is not a date (expected YYYY-MM-DD)"),
        ("from=2020-03-01&to=2020-02-01", 422, "to: 2020-02-01 is before from: 2020-03-01"),
        ("type=Airstrike", 422, "type: 'Airstrike' is not an ACLED event type"),
        ("area=SY99", 404, "no place with p-code 'SY99'"),
    ],
)
def test_a_bad_dashboard_query_shows_the_page_with_the_error(
    reader: TestClient, query: str, status: int, message: str
) -> None:
    response = reader.get(f"/?{query}")
    assert response.status_code == status
    assert message in _context(response)["page_error"]
    assert 'role="alert"' in response.text
    assert _context(response)["config"]["filters"]["from"] == "2019-12-01"  # the default view, still usable


def test_a_tile_layer_is_offered_only_when_configured(web_db: Path) -> None:
    settings = WebSettings(db=str(web_db), secret_key="x", tile_url="https://tiles.example.org/{z}/{x}/{y}.png",
                           tile_attribution="© example")  # fmt: skip
    with TestClient(create_app(settings)) as tiled:
        config = _context(tiled.get("/"))["config"]
    assert config["tile"] == {"url": "https://tiles.example.org/{z}/{x}/{y}.png", "attribution": "© example"}


def test_a_viewer_is_told_the_map_is_exact(
    client: TestClient, login: Callable[[TestClient, str], str]
) -> None:
    login(client, "viewer")
    response = client.get("/")
    assert _context(response)["config"]["exact"] is True
    assert "km grid" not in response.text.split("<footer>")[1]


# ---------------------------------------------------------------- figures
def test_figures_page_reconciles_like_the_cli(reader: TestClient) -> None:
    response = reader.get("/figures?from=2019-12-01&to=2020-03-05")
    assert response.status_code == 200
    assert response.template.name == "figures.html"  # type: ignore[attr-defined]
    groups = _context(response)["groups"]
    contradicting = [g for g in groups if g.contradiction]
    assert [g.best_text() for g in contradicting if g.metric == "displaced"] == ["about 586,000"]
    assert "CONTRADICTION" in response.text
    assert "about 390,000 — United Nations (as quoted in news), 3 Feb 2020" in response.text
    fatalities = _context(response)["fatalities"]
    assert {r.place for r in fatalities} >= {"Balyun (Jabal al-Zawiya)"}


def test_figures_page_filters_by_metric_and_contradiction(reader: TestClient) -> None:
    only = _context(reader.get("/figures?metric=displaced&contradictions=1"))["groups"]
    assert only and all(g.metric == "displaced" and g.contradiction for g in only)
    response = reader.get("/figures?metric=refugees&from=2019-12-01&to=2020-03-05")
    assert response.status_code == 422
    assert "metric: no 'refugees' figure in this period and area" in _context(response)["page_error"]


# ---------------------------------------------------------------- zones
def test_zones_page_compares_the_chosen_zones(zoned: TestClient) -> None:
    response = zoned.get("/zones?zone=m4-corridor&zone=idleb&from=2019-12-01&to=2020-03-05")
    assert response.status_code == 200
    assert response.template.name == "zones.html"  # type: ignore[attr-defined]
    corridor, idleb = _context(response)["results"]
    assert (corridor.zone, idleb.zone) == ("m4-corridor", "idleb")
    assert (corridor.events, idleb.events) == (4, 10)
    assert idleb.fatalities.best == 87
    table = response.text.split('id="zone-comparison"')[1]
    assert "973" in table and "5,417" in table  # km²
    zone_map = re.search(r'id="zone-map"[^>]*data-zones="([^"]*)"', response.text)
    assert zone_map and json.loads(html.unescape(zone_map.group(1))) == ["m4-corridor", "idleb"]


def test_zones_page_lists_zones_and_names_an_unknown_one(zoned: TestClient) -> None:
    listing = _context(zoned.get("/zones"))
    assert [z.name for z in listing["zones"]] == ["idleb", "m4-corridor", "m4-highway", "turkey-syria-border"]
    assert listing["results"] == []
    response = zoned.get("/zones?zone=nowhere")
    assert response.status_code == 404
    assert "no zone named 'nowhere'" in _context(response)["page_error"]


# ---------------------------------------------------------------- compliance
def test_compliance_page_opens_on_an_agreement_with_an_area(reader: TestClient) -> None:
    response = reader.get("/compliance")
    assert response.status_code == 200
    report = _context(response)["report"]
    assert report.agreement == "nw-syria-2020:A4"
    assert (report.events_before, report.events_after, len(report.violations)) == (3, 1, 0)
    daily = _context(response)["daily"]
    assert len(daily["days"]) == (report.end - report.start).days + 1 and sum(daily["events"]) == 4
    assert 'id="chart-daily"' in response.text and "/vendor/plotly.min.js" in response.text


def test_compliance_with_a_zone_for_an_agreement_without_area(zoned: TestClient) -> None:
    refused = zoned.get("/compliance?agreement=A2")
    assert refused.status_code == 422
    assert "has no area" in _context(refused)["page_error"]
    response = zoned.get("/compliance?agreement=A2&zone=idleb&before_days=40&to=2020-01-20")
    report = _context(response)["report"]
    assert report.area == "zone idleb" and report.start.isoformat() == "2019-12-03"
    assert [v.key for v in report.violations] == ["nw-syria-2020:K03"]
    violations = response.text.split('id="violations"')[1]
    assert "nw-syria-2020:K03" in violations
    # the public does not get an unverified event's place name (it can name a building)
    assert report.violations[0].location not in violations and "withheld" in violations


def test_a_viewer_sees_where_violations_happened(
    zoned: TestClient, login: Callable[[TestClient, str], str]
) -> None:
    login(zoned, "viewer")
    response = zoned.get("/compliance?agreement=A2&zone=idleb&to=2020-01-20")
    [violation] = _context(response)["report"].violations
    assert violation.location and violation.location in response.text


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("agreement=A9", 404, "no agreement 'A9'"),
        ("before_days=many", 422, "before_days: 'many' is not a whole number of days"),
        ("to=2020-02-01", 422, "the report must end on or after the effective day"),
    ],
)
def test_compliance_errors_name_what_was_wrong(
    reader: TestClient, query: str, status: int, message: str
) -> None:
    response = reader.get(f"/compliance?{query}")
    assert response.status_code == status
    assert message in _context(response)["page_error"]


def test_every_page_names_only_local_assets(reader: TestClient) -> None:
    for path in ("/", "/figures", "/zones", "/compliance"):
        html = reader.get(path).text
        assert not [url for url in _external(html) if "testserver" not in url], path
        assert 'aria-current="page"' in html
