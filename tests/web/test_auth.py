"""Signing in and out through the real forms, CSRF, API tokens, and sessions that end with the account."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from haven.services import accounts as account_service
from haven.store import Store
from haven.web.auth import local_path
from tests.web.conftest import csrf_of

Login = Callable[[TestClient, str], str]


def _login_form(client: TestClient, next_path: str = "/") -> str:
    page = client.get(f"/login?next={next_path}")
    assert page.status_code == 200 and page.template.name == "login.html"  # type: ignore[attr-defined]
    return csrf_of(page.text)


def test_sign_in_shows_the_user_and_sign_out_ends_it(client: TestClient, accounts: dict[str, str]) -> None:
    csrf = _login_form(client)
    response = client.post(
        "/login",
        data={"username": "reviewer", "password": "reviewer-password", "csrf_token": csrf, "next": "/review"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/review"
    page = client.get("/login")
    assert page.context["user"].username == "reviewer"  # type: ignore[attr-defined]
    assert "reviewer · reviewer" in page.text and "Sign out" in page.text
    out = client.post("/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/login").context["user"].is_public  # type: ignore[attr-defined]


def test_a_wrong_password_shows_a_message_and_returns_401(
    client: TestClient, accounts: dict[str, str]
) -> None:
    csrf = _login_form(client)
    response = client.post(
        "/login", data={"username": "reviewer", "password": "nope-nope-nope", "csrf_token": csrf}
    )
    assert response.status_code == 401
    assert "Wrong username or password." in response.text
    unknown = client.post(
        "/login", data={"username": "ghost", "password": "whatever-123", "csrf_token": csrf}
    )
    assert unknown.status_code == 401 and "Wrong username or password." in unknown.text


@pytest.mark.parametrize("sent", [None, "wrong-token"])
def test_sign_in_without_the_right_csrf_token_is_refused(
    client: TestClient, accounts: dict[str, str], sent: str | None
) -> None:
    _login_form(client)  # the session cookie exists from here on
    data = {"username": "reviewer", "password": "reviewer-password"}
    if sent:
        data["csrf_token"] = sent
    response = client.post("/login", data=data, follow_redirects=False)
    assert response.status_code == 403
    assert "CSRF token missing or wrong" in response.json()["detail"]


def test_sign_in_from_another_site_without_a_session_is_refused(
    client: TestClient, accounts: dict[str, str]
) -> None:
    # a form on another site posts credentials of its choosing: no session cookie, no token (login CSRF)
    data = {"username": "reviewer", "password": "reviewer-password", "csrf_token": "guess"}
    response = client.post("/login", data=data, follow_redirects=False)
    assert response.status_code == 403
    assert "haven_session" not in response.cookies


def test_a_session_post_without_csrf_is_refused_but_a_bearer_token_is_exempt(
    client: TestClient, login: Login, token_for: Callable[[str], str]
) -> None:
    login(client, "reviewer")
    client.headers.pop("X-CSRF-Token")
    refused = client.post("/api/review/event/nw-syria-2020:K03/claim")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    wrong = client.post("/api/review/event/nw-syria-2020:K03/claim", headers={"X-CSRF-Token": "forged"})
    assert wrong.status_code == 403
    with TestClient(client.app) as script:
        token = token_for("reviewer")
        claimed = script.post(
            "/api/review/event/nw-syria-2020:K03/claim", headers={"Authorization": f"Bearer {token}"}
        )
    assert claimed.status_code == 200, claimed.text
    assert claimed.json()["username"] == "reviewer"


def test_a_bearer_token_works_until_revoked(
    client: TestClient, web_db: Path, token_for: Callable[[str], str]
) -> None:
    token = token_for("analyst")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/review", headers=headers).status_code == 200
    with Store.open(web_db) as store:
        account_service.revoke_token(store, "analyst", "test-1", actor="admin")
    revoked = client.get("/api/review", headers=headers)
    assert revoked.status_code == 401
    assert (
        revoked.json()["detail"] == "the API token is unknown or revoked (make one with `haven user token`)"
    )
    assert client.get("/api/review").status_code == 401  # and the public is not let in either


def test_a_removed_users_session_ends(client: TestClient, login: Login, web_db: Path) -> None:
    login(client, "reviewer")
    assert client.get("/api/review").status_code == 200
    with Store.open(web_db) as store:
        account_service.remove_user(store, "reviewer", actor="admin")
    assert client.get("/api/review").status_code == 401
    assert client.get("/login").context["user"].is_public  # type: ignore[attr-defined]


def test_a_password_change_ends_other_sessions(client: TestClient, login: Login, web_db: Path) -> None:
    login(client, "analyst")
    with Store.open(web_db) as store:
        account_service.set_password(store, "analyst", "a brand new password", actor="analyst")
    assert client.get("/api/review").status_code == 401


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "http:/evil",
        "javascript:alert(1)",
        "review",
    ],
)
def test_next_never_leaves_the_site(client: TestClient, accounts: dict[str, str], target: str) -> None:
    csrf = _login_form(client)
    response = client.post(
        "/login",
        data={"username": "viewer", "password": "viewer-password", "csrf_token": csrf, "next": target},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_local_next_paths_are_kept() -> None:
    assert local_path("/review/event/nw-syria-2020:K03?x=1") == "/review/event/nw-syria-2020:K03?x=1"
    assert local_path(None) == "/"


def test_permissions_401_for_the_public_403_for_a_role_without_it(client: TestClient, login: Login) -> None:
    public = client.get("/api/audit")
    assert public.status_code == 401 and "sign in" in public.json()["detail"]
    login(client, "reviewer")
    refused = client.get("/api/audit")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "reviewer (reviewer) may not do this: it needs the admin permission"
