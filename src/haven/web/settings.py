"""How a Haven server is configured: from arguments, or from ``HAVEN_*`` environment variables."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field


def _random_key() -> str:
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class WebSettings:
    """``db``: database path or SQLAlchemy URL (``None``: ./haven.db).

    ``public_grid_km``: the grid that anonymous visitors see site points and unverified events on.
    ``tile_url``: an online tile layer (``https://…/{z}/{x}/{y}.png``) for deployments with a network;
    by default the map draws only Haven's own layers and no page requests anything outside the server.
    ``secret_key`` signs session cookies; unset, a random key is made at start-up, so sessions end
    when the server restarts.
    """

    db: str | None = None
    public_grid_km: float = 10.0
    tile_url: str | None = None
    tile_attribution: str = ""
    secret_key: str = field(default_factory=_random_key, repr=False)
    secure_cookies: bool = False

    @classmethod
    def from_environment(cls) -> WebSettings:
        env = os.environ
        return cls(
            db=env.get("HAVEN_DB") or None,
            public_grid_km=float(env.get("HAVEN_PUBLIC_GRID_KM", "10")),
            tile_url=env.get("HAVEN_TILE_URL") or None,
            tile_attribution=env.get("HAVEN_TILE_ATTRIBUTION", ""),
            secret_key=env.get("HAVEN_SECRET_KEY") or _random_key(),
            secure_cookies=env.get("HAVEN_SECURE_COOKIES", "") in {"1", "true", "yes"},
        )
