from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from haven.services.reference import load_reference_crisis
from haven.store import Store
from haven.web.app import create_app
from haven.web.settings import WebSettings


@pytest.fixture(scope="session")
def reference_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference crisis loaded once per test run (about 3 s); copy it before writing."""
    path: Path = tmp_path_factory.mktemp("web-reference") / "haven.db"
    store = Store.open(path, create=True)
    load_reference_crisis(store)
    store.close()
    return path


@pytest.fixture
def web_db(reference_db: Path, tmp_path: Path) -> Path:
    """A private copy of the reference database for a test that writes."""
    path = tmp_path / "haven.db"
    shutil.copyfile(reference_db, path)
    return path


@pytest.fixture
def settings(web_db: Path) -> WebSettings:
    return WebSettings(db=str(web_db), secret_key="test-secret")


@pytest.fixture
def client(settings: WebSettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


# ---------------------------------------------------------------- accounts (sign-in as each role)
ROLE_USERS = ("admin", "analyst", "reviewer", "viewer")


@pytest.fixture(scope="session")
def _account_hashes() -> dict[str, str]:
    """Real Argon2 hashes of ``<username>-password``, made once per run: hashing costs ~0.1 s each."""
    from haven.services.accounts import hash_password

    return {name: hash_password(f"{name}-password") for name in ROLE_USERS}


@pytest.fixture
def accounts(web_db: Path, _account_hashes: dict[str, str]) -> dict[str, str]:
    """Users ``admin``, ``analyst``, ``reviewer`` and ``viewer`` (role = name) in the test's database,
    each with the password ``<username>-password``. Returns username → password."""
    import secrets

    from haven.store.accounts import insert_user

    with Store.open(web_db) as store:
        for name in ROLE_USERS:
            insert_user(store, name, name, _account_hashes[name], secrets.token_urlsafe(24))
    return {name: f"{name}-password" for name in ROLE_USERS}


def csrf_of(page_html: str) -> str:
    """The CSRF token a rendered page carries (``<meta name="csrf-token">``)."""
    import re

    found = re.search(r'<meta name="csrf-token" content="([^"]*)"', page_html)
    assert found and found.group(1), "the page carries no CSRF token"
    return found.group(1)


@pytest.fixture
def login(accounts: dict[str, str]) -> Callable[[TestClient, str], str]:
    """``login(client, username)`` signs in through the real /login form; returns the session's CSRF token.

    It also sets that token as the client's default ``X-CSRF-Token`` header, so later POSTs made with the
    session cookie pass the CSRF check; a test of the check itself removes the header.
    """

    def sign_in(client: TestClient, username: str) -> str:
        client.headers.pop("X-CSRF-Token", None)
        form = client.get("/login")
        assert form.status_code == 200, form.text
        response = client.post(
            "/login",
            data={"username": username, "password": accounts[username], "csrf_token": csrf_of(form.text)},
            follow_redirects=False,
        )
        assert response.status_code == 303, f"login as {username} failed: {response.status_code}"
        token = csrf_of(client.get("/login").text)
        client.headers["X-CSRF-Token"] = token
        return token

    return sign_in


@pytest.fixture
def token_for(web_db: Path, accounts: dict[str, str]) -> Callable[[str], str]:
    """``token_for(username)`` makes a real API token (only its hash is stored) for one of ``accounts``."""
    from haven.services.accounts import create_token

    made: dict[str, int] = {}

    def make(username: str) -> str:
        made[username] = made.get(username, 0) + 1
        with Store.open(web_db) as store:
            return create_token(store, username, f"test-{made[username]}", actor="tests")

    return make
