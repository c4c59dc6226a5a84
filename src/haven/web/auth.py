"""Who is asking: API tokens, signed-in sessions and the anonymous public; CSRF; sign in and out.

* ``Authorization: Bearer <token>`` names a user for scripts (``haven user token``). A wrong or revoked
  token is refused with 401 rather than treated as anonymous, so a script notices.
* Otherwise the session cookie (Starlette's signed ``haven_session``) names a user together with the
  user's current session key: removing the user, or changing their password or role, ends their sessions.
* Otherwise the request is the public's.

A state-changing request (POST, PUT, PATCH, DELETE) that rides on the session cookie must carry the
session's CSRF token, as the form field ``csrf_token`` or the header ``X-CSRF-Token``. Requests with a
bearer token carry no ambient authority and are exempt. :func:`require` checks it too, so a route that
requires a permission is protected even if it forgets :func:`check_csrf`.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Coroutine
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from haven.model import PUBLIC, Permission, User
from haven.services import accounts
from haven.store import Store

router = APIRouter(tags=["accounts"])

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
SESSION_COOKIE = "haven_session"
_USER, _KEY, _CSRF = "username", "session_key", "csrf"


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip()


def user_of(request: Request) -> User:
    """The user behind a request: bearer token, else signed-in session, else the public."""
    cached = getattr(request.state, "haven_user", None)
    if isinstance(cached, User):
        return cached
    user = _resolve(request)
    request.state.haven_user = user
    return user


def _resolve(request: Request) -> User:
    token = _bearer(request)
    if token is not None:
        user = accounts.user_for_token(_store(request), token) if token else None
        if user is None:
            raise HTTPException(
                status_code=401,
                detail="the API token is unknown or revoked (make one with `haven user token`)",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return user
    if "session" not in request.scope:
        return PUBLIC
    username, key = request.session.get(_USER), request.session.get(_KEY)
    if not isinstance(username, str) or not isinstance(key, str):
        return PUBLIC
    user = accounts.user_for_session(_store(request), username, key)
    if user is None:
        # Removed, or the password or role changed since sign-in: the session ends here.
        request.session.pop(_USER, None)
        request.session.pop(_KEY, None)
        return PUBLIC
    return user


def current_user(request: Request) -> User:
    return user_of(request)


CurrentUser = Annotated[User, Depends(current_user)]


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use; pages put it in forms and a ``<meta>`` tag."""
    if "session" not in request.scope:
        return ""
    token = request.session.get(_CSRF)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[_CSRF] = token
    return token


async def _sent_csrf(request: Request) -> str | None:
    header = request.headers.get("x-csrf-token")
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get("csrf_token")
        return value if isinstance(value, str) else None
    return None


async def check_csrf(request: Request) -> None:
    """Refuse (403) a state-changing request on the session cookie without the session's CSRF token."""
    if request.method in SAFE_METHODS or _bearer(request) is not None:
        return
    if SESSION_COOKIE not in request.cookies:
        return  # no cookie, no ambient authority to abuse
    await _check_session_csrf(request)


async def check_login_csrf(request: Request) -> None:
    """Signing in always needs the token of the session the sign-in form started: otherwise another site
    could sign a visitor in to an account of its own choosing (login CSRF)."""
    await _check_session_csrf(request)


async def _check_session_csrf(request: Request) -> None:
    expected = request.session.get(_CSRF) if "session" in request.scope else None
    sent = await _sent_csrf(request)
    if not isinstance(expected, str) or not sent or not hmac.compare_digest(sent, expected):
        raise HTTPException(
            status_code=403,
            detail="CSRF token missing or wrong: send the csrf_token form field or the X-CSRF-Token "
            "header of this session (reload the page and try again)",
        )


def require(*permissions: Permission) -> Callable[[Request], Coroutine[Any, Any, User]]:
    """A dependency giving the user if they have (any one of) ``permissions``: 401 for the public, 403 for
    a signed-in user without it. It also checks CSRF on state-changing requests (see the module doc)."""
    if not permissions:
        raise ValueError("require() needs at least one permission")
    needed = " or ".join(p.value for p in permissions)

    async def dependency(request: Request) -> User:
        user = user_of(request)
        if not any(user.can(p) for p in permissions):
            if user.is_public:
                raise HTTPException(
                    status_code=401,
                    detail=f"sign in (or send an API token) to do this: it needs the {needed} permission",
                    headers={"WWW-Authenticate": "Bearer"},
                )
            raise HTTPException(
                status_code=403,
                detail=f"{user.username} ({user.role.value}) may not do this: "
                f"it needs the {needed} permission",
            )
        await check_csrf(request)
        return user

    dependency.__name__ = "require_" + "_or_".join(p.value for p in permissions)
    return dependency


def local_path(target: str | None) -> str:
    """``target`` if it is a path on this site, else "/": sign-in never redirects elsewhere."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith(("//", "/\\"))
        or any(ch in target for ch in "\\\r\n\t")
    ):
        return "/"
    return target


def sign_in(request: Request, user: User) -> None:
    """Start a session for ``user``: a fresh session (and CSRF token) bound to their session key."""
    key = accounts.session_key(_store(request), user.username)
    request.session.clear()
    request.session[_USER] = user.username
    request.session[_KEY] = key
    request.state.haven_user = user
    csrf_token(request)


def _login_page(request: Request, next_path: str, message: str | None, status_code: int) -> HTMLResponse:
    from haven.web.templating import render  # templating imports this module

    return render(request, "login.html", {"next": next_path, "message": message}, status_code=status_code)


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    return _login_page(request, local_path(next), None, 200)


@router.post("/login", response_class=HTMLResponse, include_in_schema=False, response_model=None)
def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    _: Annotated[None, Depends(check_login_csrf)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    target = local_path(next)
    user = accounts.authenticate(_store(request), username.strip(), password)
    if user is None:
        return _login_page(request, target, "Wrong username or password.", 401)
    sign_in(request, user)
    return RedirectResponse(target, status_code=303)


@router.post("/logout", include_in_schema=False)
def logout(request: Request, _: Annotated[None, Depends(check_csrf)]) -> RedirectResponse:
    request.session.clear()
    request.state.haven_user = PUBLIC
    return RedirectResponse("/", status_code=303)


__all__ = [
    "CurrentUser",
    "check_csrf",
    "csrf_token",
    "current_user",
    "local_path",
    "require",
    "router",
    "sign_in",
    "user_of",
]
