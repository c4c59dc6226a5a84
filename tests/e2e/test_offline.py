"""Every page works offline: it asks nothing of any address but the server's, and logs no error."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import REVIEWER, Traffic
from tests.e2e.helpers import wait_for_dashboard

pytestmark = pytest.mark.e2e

PAGES = (
    "/",
    "/figures",
    "/zones?zone=m4-corridor&zone=idleb",
    "/compliance",
    "/review",
    "/sitrep",
    "/docs",
    "/login",
)


def _visit_every_page(page: Page) -> None:
    for path in PAGES:
        response = page.goto(path)
        assert response is not None and response.ok, (
            f"{path}: {response.status if response else 'no response'}"
        )
        if path == "/":
            wait_for_dashboard(page)
        if path.startswith("/zones"):
            page.wait_for_selector("#zone-map[data-drawn='2']", state="attached")
        if path == "/docs":
            page.wait_for_selector(".swagger-ui .opblock", state="attached")


def test_no_page_asks_for_anything_outside_the_server(page: Page, traffic: Traffic) -> None:
    _visit_every_page(page)
    assert traffic.outside == []
    assert traffic.console_errors == []
    local = {url.split("?")[0].removeprefix(traffic.base) for url in traffic.requested}
    assert {"/vendor/leaflet/leaflet.js", "/vendor/plotly.min.js", "/api/layers/events.geojson"} <= local


def test_no_page_asks_for_anything_outside_the_server_when_signed_in(
    page: Page, traffic: Traffic, sign_in: Callable[[str, str], None]
) -> None:
    sign_in(*REVIEWER)
    _visit_every_page(page)
    assert page.url.endswith("/login")
    assert traffic.outside == []
    assert traffic.console_errors == []


def test_the_guard_sees_and_blocks_an_outside_address(page: Page, traffic: Traffic) -> None:
    """The two tests above can fail: a page that asks for another host is seen, and refused."""
    page.goto("/login")
    page.evaluate("fetch('https://tiles.example.org/0/0/0.png').catch(() => null)")
    page.wait_for_timeout(200)
    assert traffic.outside == ["https://tiles.example.org/0/0/0.png"]
    assert any("ERR_BLOCKED_BY_CLIENT" in error for error in traffic.console_errors)
