"""Server-rendered pages: Jinja2 templates that know who is looking and carry the CSRF token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from haven import __version__
from haven.web import auth

TEMPLATES_DIR = Path(__file__).parent / "templates"
templates = Jinja2Templates(directory=TEMPLATES_DIR)


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """A page, with the signed-in user (or the public), the CSRF token and the app's settings."""
    values = {
        "user": auth.user_of(request),
        "csrf_token": auth.csrf_token(request),
        "settings": request.app.state.settings,
        "version": __version__,
        **(context or {}),
    }
    return templates.TemplateResponse(request, name, values, status_code=status_code)
