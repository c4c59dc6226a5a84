"""Who may create a zone: not the public (401), not a viewer or reviewer (403), an analyst or admin (201);
with a session cookie only together with the session's CSRF token."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from haven.model import RecordKey
from haven.store import Store

Login = Callable[[TestClient, str], str]
CORRIDOR = {"op": "buffer", "line": "m4-highway", "distance": 6, "unit": "km", "side": "both"}


def _zone(name: str = "m4-corridor", **extra: Any) -> dict[str, Any]:
    return {"name": name, "recipe": CORRIDOR, "description": "6 km either side of the M4", **extra}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _zone_names(db: Path) -> list[str]:
    with Store.open(db) as store:
        return [z.name for z in store.zones()]


def test_the_public_must_sign_in_to_create_a_zone(client: TestClient, web_db: Path) -> None:
    response = client.post("/api/zones", json=_zone())
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert "it needs the write permission" in response.json()["detail"]
    assert "m4-corridor" not in _zone_names(web_db)


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_roles_without_write_are_forbidden(
    client: TestClient, web_db: Path, token_for: Callable[[str], str], role: str
) -> None:
    response = client.post("/api/zones", json=_zone(), headers=_bearer(token_for(role)))
    assert response.status_code == 403
    assert response.json()["detail"] == f"{role} ({role}) may not do this: it needs the write permission"
    assert "m4-corridor" not in _zone_names(web_db)


def test_a_signed_in_viewer_is_forbidden_too(client: TestClient, login: Login) -> None:
    login(client, "viewer")
    assert client.post("/api/zones", json=_zone()).status_code == 403


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_an_analyst_or_admin_with_a_token_creates_a_zone(
    client: TestClient, web_db: Path, token_for: Callable[[str], str], role: str
) -> None:
    response = client.post(
        "/api/zones", json=_zone(places=["C3916", "C3871"]), headers=_bearer(token_for(role))
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["name"] == "m4-corridor" and body["recipe"] == CORRIDOR
    assert body["places"] == {"C3916": True, "C3871": False}  # Saraqib is on the M4; Idlib city is not
    assert 900 < body["area_km2"] < 1100
    with Store.open(web_db) as store:
        stored = store.zone("m4-corridor")
        # the same corridor the reference crisis builds for the Moscow protocol (A4)
        corridor = store.get("agreement", RecordKey("nw-syria-2020", "A4"))
    assert stored.recipe == CORRIDOR and stored.description == "6 km either side of the M4"
    assert stored.geometry.symmetric_difference(corridor.area).area < 1e-6
    shown = client.get("/api/zones/m4-corridor").json()
    assert shown["recipe"] == CORRIDOR and shown["area_km2"] == pytest.approx(body["area_km2"])


def test_a_session_needs_its_csrf_token_to_create_a_zone(
    client: TestClient, web_db: Path, login: Login
) -> None:
    token = login(client, "analyst")
    client.headers.pop("X-CSRF-Token")
    refused = client.post("/api/zones", json=_zone())
    assert refused.status_code == 403 and "CSRF token missing or wrong" in refused.json()["detail"]
    forged = client.post("/api/zones", json=_zone(), headers={"X-CSRF-Token": "forged"})
    assert forged.status_code == 403
    assert "m4-corridor" not in _zone_names(web_db)
    accepted = client.post("/api/zones", json=_zone(), headers={"X-CSRF-Token": token})
    assert accepted.status_code == 201, accepted.text
    assert "m4-corridor" in _zone_names(web_db)


def test_an_existing_zone_is_replaced_only_when_asked(
    client: TestClient, token_for: Callable[[str], str]
) -> None:
    headers = _bearer(token_for("analyst"))
    assert client.post("/api/zones", json=_zone(), headers=headers).status_code == 201
    again = client.post("/api/zones", json=_zone(), headers=headers)
    assert again.status_code == 409 and '"replace": true' in again.json()["detail"]
    wider = {**_zone(), "recipe": {**CORRIDOR, "distance": 10}, "replace": True}
    replaced = client.post("/api/zones", json=wider, headers=headers)
    assert replaced.status_code == 201 and replaced.json()["recipe"]["distance"] == 10
    line = client.post(
        "/api/zones", json={**_zone("m4-highway"), "replace": True}, headers=headers
    )  # a line read from a file: no recipe could rebuild it
    assert line.status_code == 409 and "stored as data" in line.json()["detail"]


@pytest.mark.parametrize(
    ("body", "loc", "message"),
    [
        ({"name": "x", "recipe": {**CORRIDOR, "distnce": 5}}, ["body", "recipe", "buffer", "distnce"],
         "Extra inputs are not permitted"),
        ({"name": "x", "recipe": {"op": "circle"}}, ["body", "recipe"],
         "does not match any of the expected tags"),
        ({"name": "x", "recipe": {"op": "buffer", "line": "m4-highway"}}, ["body", "recipe", "buffer"],
         "exactly one of distance (with unit) and distance_km"),
        ({"name": "x", "recipe": {**CORRIDOR, "distance": 5000}}, ["body", "recipe", "buffer"],
         "at most 1,000 km wide"),
        ({"name": "bad name!", "recipe": CORRIDOR}, ["body", "name"], "String should match pattern"),
        ({"name": "compare", "recipe": CORRIDOR}, ["body", "name"], "reserved word"),
        ({"name": "x", "recipe": {"op": "union", "of": ["m4-highway", "atlantis"]}}, ["body", "recipe"],
         "no zone named 'atlantis'"),
        ({"name": "x", "recipe": {"op": "admin", "pcodes": ["SY99"]}}, ["body", "recipe"],
         "no admin unit with a polygon for p-code 'SY99'"),
        ({"name": "x", "recipe": {"op": "geojson", "geometry": {"type": "Point", "coordinates": [36, 35]}}},
         ["body", "recipe"], "a GeoJSON zone must be a polygon, got a Point"),
        ({"name": "x", "recipe": CORRIDOR, "places": ["C0"]}, ["body", "places"],
         "no place with p-code 'C0'"),
    ],
)  # fmt: skip
def test_a_bad_zone_is_a_422_that_names_the_field(
    client: TestClient, token_for: Callable[[str], str], body: dict[str, Any], loc: list[str], message: str
) -> None:
    response = client.post("/api/zones", json=body, headers=_bearer(token_for("analyst")))
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == loc
    assert message in error["msg"]
