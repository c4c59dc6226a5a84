"""What the browser tests share: waiting for the dashboard, reading what its map and charts show."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page


def wait_for_dashboard(page: Page, after: int = 0) -> None:
    """Wait until the dashboard has finished a refresh beyond ``after`` (it counts them on <body>)."""
    page.wait_for_function(
        "n => document.body.dataset.busy === 'false' && Number(document.body.dataset.refreshes || 0) > n",
        arg=after,
    )


def refreshes(page: Page) -> int:
    return int(page.evaluate("Number(document.body.dataset.refreshes || 0)"))


def marker_count(page: Page, pane: str) -> int:
    """Markers drawn in a map pane ("events", "sites"): the SVG paths Leaflet put there."""
    return page.locator(f".leaflet-{pane}-pane path.leaflet-interactive").count()


def marker_points(page: Page, layer: str) -> list[tuple[float, float]]:
    """(lon, lat) of each marker of a dashboard layer, as Leaflet holds them."""
    points: list[Any] = page.evaluate(
        "name => window.haven.map.layers[name].getLayers().map(m => [m.getLatLng().lng, m.getLatLng().lat])",
        layer,
    )
    return [(float(lon), float(lat)) for lon, lat in points]


def chart_total(page: Page, element_id: str) -> float:
    """The sum of every y value plotly draws in a chart."""
    total: float = page.evaluate(
        "id => document.getElementById(id).data.reduce((s, t) => s + t.y.reduce((a, b) => a + b, 0), 0)",
        element_id,
    )
    return total


def key_figure(page: Page, name: str) -> str:
    return page.locator(f"[data-kf={name}] strong").inner_text()
