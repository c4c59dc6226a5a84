"""Browser tests: a real uvicorn server over the reference crisis, driven by Debian's Chromium.

The server runs in a thread of the test process on a free port of 127.0.0.1. The browser is
``/usr/bin/chromium`` (``make test`` installs it with ``scripts/install-browser.sh``), launched once per
session with a fresh profile (Playwright gives each launch its own temporary user-data-dir); each test
gets a new context, so no cookie survives from one test to the next. Every context refuses requests to
any address but the server's and records them, with the console errors of its pages.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Route,
    sync_playwright,
)

from haven.geo.zones import buffer_recipe, create_zone
from haven.io.base import run_import
from haven.io.registry import importer_for
from haven.services.accounts import add_user
from haven.services.reference import load_reference_crisis
from haven.store import Store
from haven.web.app import create_app
from haven.web.settings import WebSettings
from tests.e2e.serving import BrowserMissing, launch_chromium, served

TRACKER = Path(__file__).parents[1] / "fixtures" / "displacement" / "cccm_site_tracker_subset.csv"
REVIEWER = ("reviewer", "reviewer-password")
TIMEOUT_MS = 20_000


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: drives a real browser against a real server (Debian's Chromium)")


@pytest.fixture(scope="session")
def e2e_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference crisis, plus IDP sites with exact points, two area zones and a reviewer."""
    path: Path = tmp_path_factory.mktemp("e2e") / "haven.db"
    with Store.open(path, create=True) as store:
        load_reference_crisis(store)
        run_import(store, importer_for("cccm-site-tracker", as_of=date(2020, 2, 29)), TRACKER)
        create_zone(store, "m4-corridor", buffer_recipe("m4-highway", 6))
        create_zone(store, "idleb", {"op": "admin", "pcodes": ["SY07"]})
        add_user(store, REVIEWER[0], "reviewer", REVIEWER[1], actor="tests")
    return path


@pytest.fixture(scope="session")
def server(e2e_db: Path) -> Iterator[str]:
    """A real uvicorn server in a thread; yields its base URL."""
    app = create_app(WebSettings(db=str(e2e_db), secret_key=secrets.token_urlsafe(16)))
    try:
        with served(app) as base:
            yield base
    except RuntimeError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    try:
        launched = launch_chromium(playwright)
    except BrowserMissing as error:
        pytest.fail(str(error))
    yield launched
    launched.close()


@dataclass
class Traffic:
    """What the pages of one context asked for, and what went wrong in them."""

    base: str
    requested: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def local(self, url: str) -> bool:
        return url.startswith((self.base + "/", "data:", "blob:")) or url == self.base

    def route(self, route: Route) -> None:
        url = route.request.url
        if self.local(url):
            route.continue_()
        else:
            if url not in self.outside:
                self.outside.append(url)
            route.abort("blockedbyclient")

    def on_request(self, request: Request) -> None:
        self.requested.append(request.url)
        if not self.local(request.url) and request.url not in self.outside:
            self.outside.append(request.url)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def watch(self, page: Page) -> None:
        page.on("request", self.on_request)
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))


@pytest.fixture
def traffic(server: str) -> Traffic:
    return Traffic(server)


@pytest.fixture
def context(browser: Browser, server: str, traffic: Traffic) -> Iterator[BrowserContext]:
    made = browser.new_context(
        base_url=server, viewport={"width": 1400, "height": 1000}, accept_downloads=True
    )
    made.set_default_timeout(TIMEOUT_MS)
    made.route("**/*", traffic.route)
    made.on("page", traffic.watch)
    yield made
    made.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def sign_in(page: Page) -> Callable[[str, str], None]:
    """Sign in through the real /login form."""

    def submit(username: str, password: str) -> None:
        page.goto("/login")
        page.fill("#username", username)
        page.fill("#password", password)
        with page.expect_navigation():
            page.click("form[action='/login'] button[type=submit]")
        assert username in page.locator(".who").inner_text()

    return submit
