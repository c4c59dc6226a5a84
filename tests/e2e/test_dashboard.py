"""The dashboard in a real browser: the time slider moves the map, the key figures and the charts together."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page

from haven.store import RecordFilter, Store
from tests.e2e.conftest import Traffic
from tests.e2e.helpers import chart_total, key_figure, marker_count, refreshes, wait_for_dashboard

pytestmark = pytest.mark.e2e


def _events(db: Path, start: date, end: date, types: tuple[str, ...] = ()) -> tuple[int, int]:
    """(events, located events) the store holds for a window."""
    with Store.open(db) as store:
        events = store.list("event", RecordFilter(start=start, end=end, types=types))
    return len(events), sum(1 for e in events if e.point)


def test_the_slider_moves_markers_key_figures_and_charts(page: Page, e2e_db: Path, traffic: Traffic) -> None:
    page.goto("/")
    wait_for_dashboard(page)
    events, located = _events(e2e_db, date(2019, 12, 1), date(2020, 3, 5))
    assert marker_count(page, "events") == located == 10
    assert key_figure(page, "events") == str(events) == "13"
    assert chart_total(page, "chart-events") == events

    # Real key presses on the "to" slider: one day each, from 5 March back to 31 January.
    before = refreshes(page)
    page.focus("#slider-to")
    for _ in range(34):
        page.keyboard.press("ArrowLeft")
    assert page.locator("#label-to").inner_text() == "31 Jan 2020"
    page.wait_for_function("document.getElementById('key-figures').textContent.includes('31 Jan 2020')")
    wait_for_dashboard(page, before)

    events, located = _events(e2e_db, date(2019, 12, 1), date(2020, 1, 31))
    assert (events, located) == (4, 3)
    assert marker_count(page, "events") == located
    assert key_figure(page, "events") == str(events)
    assert chart_total(page, "chart-events") == events
    displaced_days = page.evaluate("document.getElementById('chart-displaced').data[2].x")
    assert displaced_days[-1] == "2020-01-31"
    query = parse_qs(urlsplit(page.url).query)
    assert (query["from"], query["to"]) == (["2019-12-01"], ["2020-01-31"])
    assert not traffic.outside and not traffic.console_errors


def test_event_types_and_area_filter_everything_and_the_url_keeps_them(page: Page, e2e_db: Path) -> None:
    page.goto("/")
    wait_for_dashboard(page)
    before = refreshes(page)
    page.check(".types input[value='Battles']")
    wait_for_dashboard(page, before)
    events, located = _events(e2e_db, date(2019, 12, 1), date(2020, 3, 5), ("Battles",))
    assert marker_count(page, "events") == located == events == 5
    assert key_figure(page, "events") == "5"
    assert chart_total(page, "chart-events") == 5
    assert "type=Battles" in page.url

    # The shared address opens the same view.
    page.goto(page.url)
    wait_for_dashboard(page)
    assert page.is_checked(".types input[value='Battles']")
    assert marker_count(page, "events") == 5


def test_a_bad_filter_in_the_address_is_shown_not_thrown(page: Page, traffic: Traffic) -> None:
    page.goto("/?from=2020-02-30")
    assert "from: '2020-02-30' is not a date" in page.locator("p.error[role=alert]").inner_text()
    wait_for_dashboard(page)  # the default view still works below the message
    assert marker_count(page, "events") == 10
    # the one error is Chromium noting the page's own status, 422
    assert [e for e in traffic.console_errors if "status of 422" not in e] == []
