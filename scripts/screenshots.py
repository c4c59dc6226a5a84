"""Screenshots of the dashboard and the analysis pages for the documentation (docs/img/).

    .venv/bin/python scripts/screenshots.py                  # its own server over the reference crisis
    .venv/bin/python scripts/screenshots.py --url http://127.0.0.1:8000     # a running server

Drives Debian's Chromium (/usr/bin/chromium; scripts/install-browser.sh installs it) with Playwright.
Without --url it loads the reference crisis into a temporary database, adds the Moscow corridor
(6 km either side of the M4) as a zone, and serves it on a free port of 127.0.0.1 for the run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from haven.geo.zones import buffer_recipe, create_zone
from haven.services.reference import load_reference_crisis
from haven.store import Store
from haven.web.app import create_app
from haven.web.settings import WebSettings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the browser set-up the tests use
from tests.e2e.serving import launch_chromium, served

OUT = Path(__file__).resolve().parents[1] / "docs" / "img"
MAX_BYTES = 400_000
# (file, path, viewport height, whole page); the width is 1400 for all
SHOTS = (
    ("dashboard.png", "/?from=2019-12-01&to=2020-03-05", 1000, True),
    ("figures.png", "/figures?from=2019-12-01&to=2020-03-05&metric=displaced", 900, False),
    ("compliance.png", "/compliance?agreement=A4", 1000, False),
)


@contextmanager
def reference_server() -> Iterator[str]:
    """The reference crisis in a temporary database, served on a free port until the block ends."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "haven.db"
        with Store.open(db, create=True) as store:
            load_reference_crisis(store)
            create_zone(
                store, "m4-corridor", buffer_recipe("m4-highway", 6), "the Moscow protocol's corridor"
            )
        with served(create_app(WebSettings(db=str(db)))) as base:
            yield base


def settle(page: Page, path: str) -> None:
    """Wait until a page has drawn what it fetches."""
    if path.startswith("/?") or path == "/":
        page.wait_for_function(
            "document.body.dataset.busy === 'false' && document.body.dataset.refreshes > 0"
        )
    page.wait_for_timeout(400)  # let Leaflet and plotly finish their transitions


def take(base: str, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as driver:
        browser = launch_chromium(driver)
        try:
            for name, path, height, whole in SHOTS:
                page = browser.new_page(viewport={"width": 1400, "height": height})
                page.goto(base + path)
                settle(page, path)
                target = out / name
                page.screenshot(path=str(target), full_page=whole)
                page.close()
                size = target.stat().st_size
                print(f"{target} ({size / 1000:,.0f} KB)")
                if size > MAX_BYTES:
                    print(
                        f"  larger than {MAX_BYTES / 1000:,.0f} KB: make the viewport smaller",
                        file=sys.stderr,
                    )
                written.append(target)
        finally:
            browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="a running Haven server (default: start one over the reference crisis)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder for the PNG files (default {OUT})")
    options = parser.parse_args()
    if options.url:
        take(options.url.rstrip("/"), options.out)
        return
    with reference_server() as base:
        take(base, options.out)


if __name__ == "__main__":
    main()
