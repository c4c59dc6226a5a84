"""ETags on every GET answered in JSON or GeoJSON, and 304 Not Modified for a client that has the answer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from haven.model import EventStatus, RecordKey
from haven.store import Store
from haven.web.etag import etag_of, matches


def test_a_json_answer_has_a_strong_etag_of_its_body(client: TestClient) -> None:
    response = client.get("/api/events", params={"limit": 3})
    assert response.status_code == 200
    tag = response.headers["ETag"]
    assert tag == etag_of(response.content) and not tag.startswith("W/")
    assert {"Authorization", "Cookie"} <= {v.strip() for v in response.headers["Vary"].split(",")}
    assert response.headers["Cache-Control"] == "no-cache"
    assert client.get("/api/events", params={"limit": 3}).headers["ETag"] == tag  # same answer, same tag
    assert client.get("/api/events", params={"limit": 4}).headers["ETag"] != tag


@pytest.mark.parametrize(
    "url",
    ["/api/events/nw-syria-2020/K03", "/api/zones/m4-highway/geojson", "/api/layers/crossings.geojson",
     "/api/flows/hnap-check", "/openapi.json"],
)  # fmt: skip
def test_the_client_s_tag_gets_a_304_with_no_body(client: TestClient, url: str) -> None:
    first = client.get(url)
    assert first.status_code == 200 and first.headers["content-type"].startswith(
        ("application/json", "application/geo+json")
    )
    tag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == tag and "content-type" not in again.headers
    assert "Authorization" in again.headers["Vary"]


def test_a_changed_answer_gets_a_new_tag_and_a_200(client: TestClient, web_db: Path) -> None:
    url = "/api/events/nw-syria-2020/K07"
    tag = client.get(url).headers["ETag"]
    with Store.open(web_db) as store:
        store.set_event_status(RecordKey("nw-syria-2020", "K07"), EventStatus.VERIFIED)
    changed = client.get(url, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.json()["status"] == "verified"
    assert changed.headers["ETag"] != tag


def test_the_public_and_a_viewer_get_different_tags_for_different_answers(
    client: TestClient, token_for: Callable[[str], str]
) -> None:
    url = "/api/events/nw-syria-2020/K03"
    public = client.get(url)
    viewer = client.get(url, headers={"Authorization": f"Bearer {token_for('viewer')}"})
    assert public.json()["point"] != viewer.json()["point"]
    assert public.headers["ETag"] != viewer.headers["ETag"]
    # the public's tag does not stand for the viewer's answer
    assert client.get(url, headers={"Authorization": f"Bearer {token_for('viewer')}",
                                    "If-None-Match": public.headers["ETag"]}).status_code == 200  # fmt: skip


def test_if_none_match_lists_weak_tags_and_star(client: TestClient) -> None:
    tag = client.get("/api/zones").headers["ETag"]
    assert client.get("/api/zones", headers={"If-None-Match": f'"other", W/{tag}'}).status_code == 304
    assert client.get("/api/zones", headers={"If-None-Match": "*"}).status_code == 304
    assert client.get("/api/zones", headers={"If-None-Match": '"other"'}).status_code == 200


def test_errors_html_and_posts_get_no_etag(client: TestClient, token_for: Callable[[str], str]) -> None:
    assert "ETag" not in client.get("/api/events/nw-syria-2020/K99").headers  # 404
    assert "ETag" not in client.get("/api/events?limit=0").headers  # 422
    assert "ETag" not in client.get("/docs").headers  # HTML
    created = client.post(
        "/api/zones",
        json={"name": "idleb", "recipe": {"op": "admin", "pcodes": ["SY07"]}},
        headers={"Authorization": f"Bearer {token_for('analyst')}"},
    )
    assert created.status_code == 201 and "ETag" not in created.headers


def test_tag_matching_follows_rfc_9110() -> None:
    assert matches('"a"', '"a"') and matches('W/"a"', '"a"') and matches(' "b" , "a"', '"a"')
    assert matches("*", '"a"')
    assert not matches('"ab"', '"a"') and not matches('"a', '"a"')
    assert etag_of(b"{}") == etag_of(b"{}") != etag_of(b"[]")
