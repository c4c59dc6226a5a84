"""The record routes of the API over the reference crisis: lists, filters, pages, one record, errors."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from haven.geo.gazetteer import Gazetteer
from haven.model import EventStatus, RecordKey
from haven.store import RecordFilter, Store


def _keys(response_json: dict[str, object]) -> list[str]:
    items = response_json["items"]
    assert isinstance(items, list)
    return [item["key"] for item in items]


def _links(header: str) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', header)}


def test_events_are_listed_with_the_page_and_its_total(client: TestClient, web_db: Path) -> None:
    response = client.get("/api/events", params={"limit": 5, "offset": 5})
    assert response.status_code == 200
    body = response.json()
    with Store.open(web_db) as store:
        every = [str(e.key) for e in store.list("event")]
    assert (body["total"], body["limit"], body["offset"]) == (len(every), 5, 5) == (14, 5, 5)
    assert _keys(body) == every[5:10]
    assert response.headers["X-Total-Count"] == "14"
    links = _links(response.headers["Link"])
    assert links["next"].endswith("/api/events?limit=5&offset=10")
    assert links["prev"].endswith("/api/events?limit=5&offset=0")
    assert links["last"].endswith("offset=10")


def test_following_next_links_walks_every_site_once(client: TestClient, web_db: Path) -> None:
    url: str | None = "/api/sites?limit=400"
    seen: list[str] = []
    while url:
        response = client.get(url)
        seen += _keys(response.json())
        url = _links(response.headers["Link"]).get("next")
    with Store.open(web_db) as store:
        assert seen == [str(s.key) for s in store.list("site")]
    assert len(seen) == len(set(seen)) == 1491


@pytest.mark.parametrize(
    ("params", "where"),
    [
        (
            {"from": "2020-02-01", "to": "2020-02-29"},
            RecordFilter(start=date(2020, 2, 1), end=date(2020, 2, 29)),
        ),
        ({"area": "C3916"}, RecordFilter(area="C3916")),
        (
            {"area": "SY07", "type": "Air/drone strike"},
            RecordFilter(area="SY07", types=("Air/drone strike",)),
        ),
        ({"type": ["Battles", "Agreement"]}, RecordFilter(types=("Battles", "Agreement"))),
        ({"actor": "turkey"}, RecordFilter(actor="turkey")),
        ({"q": "saraqib"}, RecordFilter(text="saraqib")),
        ({"dataset": "nw-syria-2020"}, RecordFilter(dataset="nw-syria-2020")),
    ],
)
def test_event_filters_select_what_the_cli_selects(
    client: TestClient,
    web_db: Path,
    token_for: Callable[[str], str],
    params: dict[str, object],
    where: RecordFilter,
) -> None:
    with Store.open(web_db) as store:
        expected = [str(e.key) for e in store.list("event", where)]
    assert expected, "a filter that selects nothing proves nothing"
    # as a viewer, like the CLI: for the public, q searches verified events only (test_api_privacy)
    headers = {"Authorization": f"Bearer {token_for('viewer')}"}
    assert _keys(client.get("/api/events", params=params, headers=headers).json()) == expected  # type: ignore[arg-type]


def test_events_filter_by_review_status(client: TestClient, web_db: Path) -> None:
    with Store.open(web_db) as store:
        store.set_event_status(RecordKey("nw-syria-2020", "K07"), EventStatus.VERIFIED)
        store.set_event_status(RecordKey("nw-syria-2020", "K09"), EventStatus.DISPUTED)
    verified = client.get("/api/events", params={"status": "verified"})
    assert _keys(verified.json()) == ["nw-syria-2020:K07"]
    assert verified.headers["X-Total-Count"] == "1"
    both = client.get("/api/events", params={"status": ["verified", "disputed"], "limit": 1, "offset": 1})
    assert _keys(both.json()) == ["nw-syria-2020:K09"] and both.json()["total"] == 2


def test_one_event_has_its_sources_status_and_revisions(
    client: TestClient, web_db: Path, token_for: Callable[[str], str]
) -> None:
    with Store.open(web_db) as store:
        store.set_event_status(
            RecordKey("nw-syria-2020", "K03"), EventStatus.VERIFIED, note="two sources agree"
        )
        stored = store.get("event", RecordKey("nw-syria-2020", "K03"))
    headers = {"Authorization": f"Bearer {token_for('viewer')}"}
    body = client.get("/api/events/nw-syria-2020/K03", headers=headers).json()
    assert body["key"] == "nw-syria-2020:K03" and body["status"] == "verified" and body["deleted"] is False
    assert [s["publisher"] for s in body["sources"]] == [s.publisher for s in stored.sources]
    assert body["sources"], "the reference events carry their sources"
    [revision] = body["revisions"]
    assert revision["change"] == "status" and revision["data"]["status"] == "unverified"
    assert revision["data"]["note"] == "two sources agree"
    assert (revision["data"]["lon"], revision["data"]["lat"]) == stored.point
    assert body["point"] == list(stored.point) and body["location_precision"] == "as recorded"

    # the public sees the verified event as recorded, but not its unverified past
    public = client.get("/api/events/nw-syria-2020/K03").json()
    assert public["point"] == list(stored.point) and public["notes"] == stored.notes
    [past] = public["revisions"]
    assert past["data"]["note"] is None and past["data"]["location_name"] is None
    assert (past["data"]["lon"], past["data"]["lat"]) != stored.point
    assert past["data"]["location_precision"] == "10 km grid cell centre"


@pytest.mark.parametrize(
    ("url", "kind", "where"),
    [
        ("/api/figures?type=displaced", "figure", RecordFilter(types=("displaced",))),
        ("/api/figures?area=SY07&from=2020-02-01&to=2020-02-29", "figure",
         RecordFilter(area="SY07", start=date(2020, 2, 1), end=date(2020, 2, 29))),
        ("/api/movements?area=SY07&type=return&limit=50", "movement",
         RecordFilter(area="SY07", types=("return",))),
        ("/api/sites?area=SY07&type=camp&limit=50", "site", RecordFilter(area="SY07", types=("camp",))),
        ("/api/agreements?from=2020-01-01&to=2020-01-31", "agreement",
         RecordFilter(start=date(2020, 1, 1), end=date(2020, 1, 31))),
        ("/api/agreements?type=deadline", "agreement", RecordFilter(types=("deadline",))),
        ("/api/crossings?q=hawa", "crossing", RecordFilter(text="hawa")),
    ],
)  # fmt: skip
def test_other_kinds_list_what_the_store_lists(
    client: TestClient, web_db: Path, url: str, kind: str, where: RecordFilter
) -> None:
    with Store.open(web_db) as store:
        expected = [str(r.key) for r in store.list(kind, where)]
        total = store.count(kind, where)
    body = client.get(url).json()
    assert expected and body["total"] == total
    assert _keys(body) == expected[: body["limit"]]


def test_one_record_of_each_kind_by_its_key(client: TestClient, web_db: Path) -> None:
    with Store.open(web_db) as store:
        keys = {kind: store.list(kind, RecordFilter(limit=1))[0].key for kind in
                ("figure", "movement", "site", "agreement", "crossing")}  # fmt: skip
    for kind, key in keys.items():
        body = client.get(f"/api/{kind}s/{key.dataset}/{key.record_id}").json()
        assert body["key"] == str(key) and body["revisions"] == [] and body["deleted"] is False
    site = client.get(f"/api/sites/{keys['site'].dataset}/{keys['site'].record_id}").json()
    assert site["snapshots"] == []  # the reference crisis lists sites but no population snapshots


def test_an_agreement_gives_its_polygon_only_when_asked(client: TestClient) -> None:
    plain = client.get("/api/agreements/nw-syria-2020/A4").json()
    assert plain["area"] == "<MultiPolygon>" or plain["area"] == "<Polygon>"
    assert plain["area_recipe"]["line"] == "m4-highway"
    full = client.get("/api/agreements/nw-syria-2020/A4", params={"geometry": "true"}).json()
    assert full["area"]["type"] in ("Polygon", "MultiPolygon") and full["area"]["coordinates"]


def test_a_place_by_pcode_and_a_name_resolved_by_the_gazetteer(client: TestClient, web_db: Path) -> None:
    place = client.get("/api/places/C3871").json()
    assert place["pcode"] == "C3871" and place["parents"] == ["SY", "SY07", "SY0700", "SY070000"]
    assert place["geometry"] is None
    governorate = client.get("/api/places/SY07", params={"geometry": True}).json()
    assert governorate["name_en"] == "Idleb" and governorate["geometry"]["type"] in (
        "Polygon",
        "MultiPolygon",
    )

    found = client.get("/api/places", params={"q": "Saraqib", "context": "Idleb", "limit": 3}).json()
    with Store.open(web_db) as store:
        expected = Gazetteer.from_store(store).resolve("Saraqib", ["Idleb"], limit=3).to_dict()
    assert found == expected
    assert found["status"] == "resolved" and found["candidates"][0]["pcode"] == "C3916"


def test_imports_are_listed_without_server_paths_for_the_public(client: TestClient, web_db: Path) -> None:
    body = client.get("/api/imports", params={"limit": 3}).json()
    with Store.open(web_db) as store:
        assert body["total"] == len(store.imports())
    first = body["items"][0]
    assert first["file"] == "syr_admbnda_adm1_ocha.geojson" and "path" not in first
    assert first["kind"] == "boundaries" and first["inserted"] == 14


def test_a_viewer_sees_where_the_server_keeps_imported_files(
    client: TestClient, token_for: Callable[[str], str]
) -> None:
    headers = {"Authorization": f"Bearer {token_for('viewer')}"}
    first = client.get("/api/imports", params={"limit": 1}, headers=headers).json()["items"][0]
    assert first["path"].endswith("/syr_admbnda_adm1_ocha.geojson")


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("url", "parameter", "message"),
    [
        ("/api/events?from=31/02/2020", "from", "expected a date as YYYY-MM-DD, got '31/02/2020'"),
        ("/api/events?from=2020-02-31", "from", "day value is outside expected range"),
        ("/api/events?to=1700000000", "to", "expected a date as YYYY-MM-DD"),  # not a Unix time
        ("/api/events?from=2020-03-01&to=2020-01-01", "to", "the period ends (2020-01-01) before it starts"),
        ("/api/events?area=SY99", "area", "no place with p-code 'SY99'"),
        ("/api/events?type=Airstrike", "type", "'Airstrike' is not an ACLED event or sub-event type"),
        ("/api/events?status=approved", "status", "Input should be"),
        ("/api/events?limit=1001", "limit", "less than or equal to 1000"),
        ("/api/events?limit=0", "limit", "greater than or equal to 1"),
        ("/api/events?offset=-1", "offset", "greater than or equal to 0"),
        ("/api/movements?type=exodus", "type", "'exodus' is not a movement type"),
        ("/api/sites?type=hotel", "type", "Input should be"),
        ("/api/places", "q", "Field required"),
        ("/api/places?q=Idlib&level=7", "level", "less than or equal to 4"),
    ],
)
def test_a_bad_parameter_is_a_422_that_names_it(
    client: TestClient, url: str, parameter: str, message: str
) -> None:
    response = client.get(url)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][:2] == ["query", parameter]  # a repeatable parameter adds the index
    assert message in error["msg"]


@pytest.mark.parametrize(
    ("url", "detail"),
    [
        ("/api/events/nw-syria-2020/K99", "no event nw-syria-2020:K99"),
        ("/api/sites/cccm-sites/CP999999", "no site cccm-sites:CP999999"),
        ("/api/places/C0", "no place with p-code 'C0'; load boundaries or communities first"),
        ("/api/zones/no-such-zone", "no zone named 'no-such-zone'"),
    ],
)
def test_an_unknown_record_is_a_404_with_a_sentence(client: TestClient, url: str, detail: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": detail}
