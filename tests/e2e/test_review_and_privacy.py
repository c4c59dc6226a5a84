"""Review in the browser, what the public's map shows, and the situation report from the dashboard."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from haven.io.export.privacy import coarsen_km
from haven.model import EventStatus, RecordKey
from haven.store import Store
from tests.e2e.conftest import REVIEWER, Traffic
from tests.e2e.helpers import marker_points, refreshes, wait_for_dashboard

pytestmark = pytest.mark.e2e

REVIEWED = RecordKey("nw-syria-2020", "K05")  # shelling west of Saraqib, 3 February 2020


def _near(point: tuple[float, float], points: list[tuple[float, float]]) -> bool:
    return any(abs(point[0] - x) < 1e-6 and abs(point[1] - y) < 1e-6 for x, y in points)


def _exact_points(db: Path) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float]]]:
    """Exact site points, and exact points of the events that are not verified, from the store."""
    with Store.open(db) as store:
        sites = {str(s.key): s.point for s in store.list("site") if s.point}
        events = {
            str(e.key): e.point for e in store.list("event") if e.point and e.status != EventStatus.VERIFIED
        }
    return sites, events


def test_the_public_map_never_has_exact_site_or_unverified_event_points(page: Page, e2e_db: Path) -> None:
    page.goto("/")
    wait_for_dashboard(page)
    sites, events = _exact_points(e2e_db)
    assert len(sites) == 10 and events
    drawn_sites, drawn_events = marker_points(page, "sites"), marker_points(page, "events")
    assert drawn_sites and drawn_events
    assert not [key for key, point in sites.items() if _near(point, drawn_sites)]
    assert not [key for key, point in events.items() if _near(point, drawn_events)]
    # ...they are at the centres of their 10 km cells
    assert all(_near(coarsen_km(point, 10.0), drawn_sites) for point in sites.values())
    assert "grid cells, not their exact points" in page.locator(".map-legend").inner_text()


def test_a_signed_in_reviewer_sees_exact_points(
    page: Page, e2e_db: Path, sign_in: Callable[[str, str], None]
) -> None:
    """The public test above can fail: the same map, for a role that may see exact points, has them."""
    sign_in(*REVIEWER)
    page.goto("/")
    wait_for_dashboard(page)
    sites, _ = _exact_points(e2e_db)
    drawn_sites = marker_points(page, "sites")
    assert all(_near(point, drawn_sites) for point in sites.values())
    assert "grid cells" not in page.locator(".map-legend").inner_text()


def test_a_reviewer_claims_and_verifies_an_event_with_a_note(
    page: Page,
    browser: Browser,
    server: str,
    e2e_db: Path,
    sign_in: Callable[[str, str], None],
    traffic: Traffic,
) -> None:
    sign_in(*REVIEWER)
    page.goto("/review")
    row = page.locator(f'tr[data-kind="event"][data-key="{REVIEWED}"]')
    assert row.locator("td", has_text="unverified").count() == 1

    with page.expect_navigation():
        row.locator("[data-action=claim]").click()
    assert f"You hold event {REVIEWED}" in page.locator(".notice").inner_text()
    assert "reviewer" in row.locator(".holder").inner_text()

    row.locator("input[name=note]").fill("Matches the Turkish MoD and SANA reports")
    with page.expect_navigation():
        row.locator("[data-action=verify]").click()
    assert re.match(rf"Verif\w*: event {REVIEWED}", page.locator(".notice").inner_text())
    assert row.count() == 0, "a verified event leaves the queue"

    page.goto(f"/review/event/{REVIEWED}")
    assert "status verified" in page.locator(f'p[data-key="{REVIEWED}"]').inner_text()
    with Store.open(e2e_db) as store:
        event = store.get("event", REVIEWED)
        assert event.status == EventStatus.VERIFIED
        assert (
            store.revisions("event", REVIEWED)[-1].data.get("note")
            == "Matches the Turkish MoD and SANA reports"
        )
    assert not traffic.outside and not traffic.console_errors

    # Verified, the event is public as recorded: an anonymous visitor's map has its exact point.
    public = browser.new_context(base_url=server)
    try:
        anonymous = public.new_page()
        anonymous.goto("/")
        wait_for_dashboard(anonymous)
        assert _near(event.point, marker_points(anonymous, "events"))
    finally:
        public.close()


def test_the_dashboard_downloads_the_situation_report_of_its_window(page: Page, traffic: Traffic) -> None:
    page.goto("/?from=2020-02-01&to=2020-03-05")
    wait_for_dashboard(page)
    assert page.locator("#sitrep-link").inner_text() == "Situation report…"  # no area yet: the form
    before = refreshes(page)
    page.select_option("#area", "SY07")
    wait_for_dashboard(page, before)
    link = page.locator("#sitrep-link")
    assert link.get_attribute("href") == "/sitrep.pdf?area=SY07&from=2020-02-01&to=2020-03-05"
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    assert path is not None
    data = Path(path).read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5000
    assert download.value.suggested_filename.endswith(".pdf")
    assert not traffic.outside
