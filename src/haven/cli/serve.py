"""``haven serve``: the dashboard and API on a local address, run by uvicorn.

The CLI never imports the web layer (they sit side by side): uvicorn loads the app by its import
path, and the settings travel in ``HAVEN_*`` environment variables, as they would in a deployment.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from haven.cli.common import open_store
from haven.cli.output import console

APP_FACTORY = "haven.web.app:create_app_from_environment"


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on; 127.0.0.1 keeps it on this machine.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    public_grid_km: Annotated[
        float,
        typer.Option("--public-grid-km", help="Grid for IDP sites and unverified events seen by the public."),
    ] = 10.0,
    tile_url: Annotated[
        str | None,
        typer.Option("--tile-url", help="Online tile layer URL template for deployments with a network."),
    ] = None,
) -> None:
    """Serve the dashboard and the API (OpenAPI docs at /docs)."""
    start_server(ctx, host=host, port=port, public_grid_km=public_grid_km, tile_url=tile_url)


def start_server(
    ctx: typer.Context,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    public_grid_km: float = 10.0,
    tile_url: str | None = None,
) -> None:
    import uvicorn

    store = open_store(ctx)  # fail here, with Haven's message, if the database is missing
    url = store.url
    store.close()
    if public_grid_km <= 0:
        raise typer.BadParameter("must be more than 0", param_hint="--public-grid-km")
    if url.startswith("sqlite:///"):
        url = str(Path(url.removeprefix("sqlite:///")).resolve())
    os.environ["HAVEN_DB"] = url
    os.environ["HAVEN_PUBLIC_GRID_KM"] = str(public_grid_km)
    if tile_url:
        os.environ["HAVEN_TILE_URL"] = tile_url
    console.print(f"Haven dashboard: [bold]http://{host}:{port}/[/]  (API docs: http://{host}:{port}/docs)")
    console.print("Press Ctrl+C to stop.")
    uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, log_level="warning")
