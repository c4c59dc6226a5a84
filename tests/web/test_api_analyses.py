"""The analysis routes answer what the CLI's ``--json`` prints for the same inputs (the reference crisis)."""

from __future__ import annotations

import json
import secrets
import shutil
import typing
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from haven.analysis.flows import FREQUENCIES
from haven.analysis.needs import CLIMATES, PHASES
from haven.cli.main import app as cli
from haven.geo.inside import what_is_inside
from haven.io.base import run_import
from haven.io.hxl import HxlImporter
from haven.services.accounts import create_token, hash_password
from haven.store import Store
from haven.store.accounts import insert_user
from haven.web.api import analyses
from haven.web.app import create_app
from haven.web.settings import WebSettings

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture(scope="module")
def reading(
    reference_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, Path, str]]:
    """One app for the tests that only read (most of this module): a copy of the reference crisis, and a
    viewer's token, since the CLI shows exact locations and notes and so must the API it is compared with."""
    db = tmp_path_factory.mktemp("analyses") / "haven.db"
    shutil.copyfile(reference_db, db)
    with Store.open(db) as store:
        insert_user(store, "viewer", "viewer", hash_password("viewer-password"), secrets.token_urlsafe(24))
        token = create_token(store, "viewer", "tests", actor="tests")
    with TestClient(create_app(WebSettings(db=str(db), secret_key="test"))) as client:
        yield client, db, token


@pytest.fixture
def reader(reading: tuple[TestClient, Path, str]) -> TestClient:
    return reading[0]


@pytest.fixture
def read_db(reading: tuple[TestClient, Path, str]) -> Path:
    return reading[1]


@pytest.fixture
def viewer(reading: tuple[TestClient, Path, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {reading[2]}"}


def cli_json(db: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli, ["--db", str(db), *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_reconcile_shows_the_390_000_against_586_000_contradiction(
    reader: TestClient, read_db: Path, viewer: dict[str, str]
) -> None:
    answer = reader.get("/api/figures/reconcile", params={"metric": "displaced"}, headers=viewer).json()
    expected = cli_json(read_db, "figures", "reconcile", "--metric", "displaced")
    expected.pop("chart")  # the CLI can draw a chart file; the API has no files
    assert answer == expected
    [group] = [g for g in answer["figures"] if {390000, 586000} <= {r["value"] for r in g["reports"]}]
    assert group["contradiction"] is True and group["since"] == "2019-12-01"
    assert (
        "about 390,000 (United Nations (as quoted in news), 03 Feb 2020) vs about 586,000 (OCHA, 06 Feb 2020)"
        in (group["flags"][0])
    )
    assert {tuple(r["sources"]) for r in group["reports"]} >= {("OCHA",)}


def test_reconcile_options_are_the_cli_options(
    reader: TestClient, read_db: Path, viewer: dict[str, str]
) -> None:
    params: dict[str, str | float | bool] = {
        "contradictions": True,
        "rules": "recency,reliability",
        "tolerance": 0.3,
        "grade": "OCHA=B",
    }
    expected = cli_json(
        read_db, "figures", "reconcile", "--contradictions", "--rules", "recency,reliability",
        "--tolerance", "0.3", "--grade", "OCHA=B",
    )  # fmt: skip
    expected.pop("chart")
    assert reader.get("/api/figures/reconcile", params=params, headers=viewer).json() == expected
    assert all(g["contradiction"] for g in expected["figures"]) and expected["figures"]

    # the public gets the same figures; an unverified event's place is its community, not the location name
    public = reader.get("/api/figures/reconcile", params=params).json()
    assert public["figures"] == expected["figures"]
    for row, full in zip(public["events"], expected["events"], strict=True):
        assert row["withheld"] == ["place"] and row["place"].startswith("C") and full["place"] != row["place"]


@pytest.mark.parametrize(
    ("url", "args"),
    [
        ("/api/flows?level=1&by=month&from=2018-06-01&to=2019-01-31&area=SY07",
         ("flows", "--level", "1", "--by", "month", "--from", "2018-06-01", "--to", "2019-01-31",
          "--area", "SY07")),
        ("/api/flows?level=2&by=all&dataset=hnap-od&top=3",
         ("flows", "--level", "2", "--by", "all", "--dataset", "hnap-od", "--top", "3")),
        ("/api/flows/net?level=1&from=2018-12-01&to=2018-12-31", ("flows", "--net", "--from", "2018-12-01",
                                                                    "--to", "2018-12-31")),
        ("/api/flows/hnap-check", ("flows", "--check-hnap")),
        ("/api/access?from=2020-01-01&to=2020-03-31&people=1000000",
         ("access", "--from", "2020-01-01", "--to", "2020-03-31", "--people", "1000000")),
        ("/api/profile/border?bands=0,5,10,30", ("profile", "border", "--bands", "0,5,10,30")),
        ("/api/profile/border?line=m4-highway&bands=0,10,20&within=SY07&from=2020-01-01",
         ("profile", "border", "--line", "m4-highway", "--bands", "0,10,20", "--within", "SY07",
          "--from", "2020-01-01")),
        ("/api/compliance/A4", ("compliance", "A4")),
        ("/api/compliance/A5?zone=m4-highway&before_days=10", ("compliance", "A5", "--zone", "m4-highway",
                                                               "--before-days", "10")),
        ("/api/overview?from=2019-12-01&to=2020-03-05&area=SY07&figures=all",
         ("overview", "--from", "2019-12-01", "--to", "2020-03-05", "--area", "SY07")),
        ("/api/needs/for?people=25000&phase=later&climate=cold",
         ("needs", "--people", "25000", "--phase", "later", "--climate", "cold")),
        ("/api/zones/m4-highway/inside?from=2020-01-01&to=2020-03-05&place=C3916",
         ("zone", "inside", "m4-highway", "--from", "2020-01-01", "--to", "2020-03-05", "--place", "C3916")),
        ("/api/zones/compare?names=turkey-syria-border,m4-highway", ("zone", "compare", "turkey-syria-border",
                                                                     "m4-highway")),
        ("/api/zones/turkey-syria-border", ("zone", "show", "turkey-syria-border")),
    ],
)  # fmt: skip
def test_the_api_answers_what_the_cli_prints(
    reader: TestClient, read_db: Path, viewer: dict[str, str], url: str, args: tuple[str, ...]
) -> None:
    response = reader.get(url, headers=viewer)
    assert response.status_code == 200, response.text
    assert response.json() == cli_json(read_db, *args)


def test_the_moscow_corridor_compliance_report(reader: TestClient) -> None:
    report = reader.get("/api/compliance/A4").json()
    assert report["agreement"] == "nw-syria-2020:A4" and report["area"] == "the agreement's recipe, rebuilt"
    assert report["effective_from"] == "2020-03-06T00:01:00"
    assert (
        len(report["daily"])
        == (date.fromisoformat(report["end"]) - date.fromisoformat(report["start"])).days + 1
    )


def test_the_overview_gives_the_latest_report_of_each_group_unless_asked_for_all(reader: TestClient) -> None:
    params = {"from": "2019-12-01", "to": "2020-03-05"}
    latest = reader.get("/api/overview", params=params).json()
    every = reader.get("/api/overview", params={**params, "figures": "all"}).json()
    assert latest["figures"].keys() == every["figures"].keys()
    for group, reports in every["figures"].items():
        assert latest["figures"][group] == reports[-1:]
        assert latest["figure_reports"][group] == len(reports)
    assert latest["events"] == every["events"] and latest["events"]["count"] == 13


def test_population_inside_a_zone_is_what_the_library_counts(
    client: TestClient, web_db: Path, token_for: Callable[[str], str]
) -> None:
    headers = {"Authorization": f"Bearer {token_for('analyst')}"}
    recipe = {"op": "buffer", "line": "turkey-syria-border", "distance": 20, "unit": "km",
              "clip": {"op": "admin", "pcodes": ["SY"]}}  # fmt: skip
    created = client.post("/api/zones", json={"name": "border-20km", "recipe": recipe}, headers=headers)
    assert created.status_code == 201, created.text
    inside = client.get(
        "/api/zones/border-20km/inside", params={"from": "2019-12-01", "to": "2020-03-05"}
    ).json()
    with Store.open(web_db) as store:
        expected = what_is_inside(store, store.zone("border-20km"), date(2019, 12, 1), date(2020, 3, 5))
    assert inside["population"] == expected.population > 1_000_000
    assert inside["idps"] == expected.idps and inside["sites"] == expected.sites > 0
    assert inside["communities"] == expected.communities


def test_needs_from_site_snapshots_match_the_cli(client: TestClient, web_db: Path) -> None:
    assert client.get("/api/needs").json()["units"] == []  # no snapshots in the reference crisis
    with Store.open(web_db) as store:
        run_import(store, HxlImporter(), FIXTURES / "hxl" / "sites.csv")
    for query, args in (
        ("?sites=true", ("--sites",)),
        ("?level=2&climate=cold", ("--level", "2", "--climate", "cold")),
    ):
        answer = client.get("/api/needs" + query).json()
        assert answer["units"] == cli_json(web_db, "needs", *args)
        assert answer["units"], "the imported sites have population snapshots"


def test_the_zone_geojson_is_the_zone_with_what_is_inside(reader: TestClient) -> None:
    response = reader.get("/api/zones/m4-highway/geojson", params={"from": "2020-01-01"})
    assert response.headers["content-type"] == "application/geo+json"
    [feature] = response.json()["features"]
    assert feature["geometry"]["type"] == "LineString"
    assert feature["properties"]["zone"] == "m4-highway" and feature["properties"]["start"] == "2020-01-01"


def test_the_choices_the_api_offers_are_the_library_s() -> None:
    hints = typing.get_type_hints(analyses.needs, include_extras=True)
    assert set(typing.get_args(typing.get_args(hints["phase"])[0])) == set(PHASES)
    assert set(typing.get_args(typing.get_args(hints["climate"])[0])) == set(CLIMATES)
    assert set(typing.get_args(analyses.Frequency)) == set(FREQUENCIES)


@pytest.mark.parametrize(
    ("url", "parameter", "message"),
    [
        ("/api/flows?by=fortnight", "by", "Input should be"),
        ("/api/flows?level=5", "level", "less than or equal to 4"),
        ("/api/flows?area=SY77", "area", "no place with p-code 'SY77'"),
        (
            "/api/figures/reconcile?rules=loudness",
            "rules",
            "expected some of reliability, recency, specificity",
        ),
        ("/api/figures/reconcile?grade=OCHA", "grade", "expected PUBLISHER=GRADE"),
        ("/api/figures/reconcile?tolerance=nan", "tolerance", "finite number"),
        ("/api/access?people=-5", "people", "greater than or equal to 0"),
        ("/api/needs?phase=middle", "phase", "Input should be"),
        ("/api/needs/for", "people", "Field required"),
        ("/api/profile/border?bands=0,ten", "bands", "is not a list of numbers"),
        ("/api/profile/border?bands=10,5", "bands", "increasing distances from 0 km"),
        ("/api/profile/border?line=m4-highway&bands=0,2.5", "bands", "steps of 5 km"),
        ("/api/overview?to=2019-01-01&from=2020-01-01", "to", "before it starts"),
        ("/api/zones/compare?names=m4-highway", "names", "two or more zones"),
        ("/api/zones/m4-highway/inside?place=C0", "place", "no place with p-code 'C0'"),
    ],
)
def test_a_bad_analysis_parameter_is_a_422_that_names_it(
    reader: TestClient, url: str, parameter: str, message: str
) -> None:
    response = reader.get(url)
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"][:2] == ["query", parameter]
    assert message in error["msg"]


@pytest.mark.parametrize(
    ("url", "status", "detail"),
    [
        ("/api/compliance/A99", 404, "no agreement 'A99'"),
        ("/api/compliance/A4?zone=nowhere", 404, "no zone named 'nowhere'"),
        ("/api/profile/border?line=nowhere", 404, "no zone named 'nowhere'"),
        ("/api/zones/nowhere/inside", 404, "no zone named 'nowhere'"),
    ],
)
def test_unknown_agreements_and_zones_are_404(reader: TestClient, url: str, status: int, detail: str) -> None:
    response = reader.get(url)
    assert response.status_code == status
    assert response.json()["detail"].startswith(detail)
