"""``haven``: build and query a Haven database from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from haven import __version__
from haven.cli import humanitarian, listing, spatial
from haven.cli.common import open_store, parse_day
from haven.cli.output import console, errors, print_json, print_table
from haven.cli.places import places_app
from haven.cli.read import read, review_app
from haven.cli.serve import serve, start_server
from haven.cli.simulate import simulate_app
from haven.cli.sitrep import sitrep
from haven.cli.users import user_app
from haven.errors import HavenError
from haven.store import ImportReport

app = typer.Typer(
    name="haven",
    help="Monitor a conflict-driven humanitarian crisis: events, displacement, sites, figures, agreements.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(listing.events_app, name="events")
app.add_typer(listing.figures_app, name="figures")
app.add_typer(listing.movements_app, name="movements")
app.add_typer(listing.sites_app, name="sites")
app.add_typer(places_app, name="places")
app.add_typer(simulate_app, name="simulate")
app.add_typer(spatial.zone_app, name="zone")
app.add_typer(spatial.profile_app, name="profile")
app.command("compliance")(spatial.compliance)
app.command("flows")(humanitarian.flows)
app.command("needs")(humanitarian.needs)
app.command("cold-risk")(humanitarian.cold_risk)
app.command("access")(humanitarian.access)
listing.figures_app.command("reconcile")(humanitarian.reconcile)
app.command("read")(read)
app.add_typer(review_app, name="review")
app.command("serve")(serve)
app.add_typer(user_app, name="user")
app.command("sitrep")(sitrep)

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="HAVEN_DB", help="Database path or SQLAlchemy URL [default: ./haven.db]."),
]


def _version(value: bool) -> None:
    if value:
        console.print(f"haven {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: DbOption = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    ctx.obj = {"db": db}


def progress_bar() -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=errors,
        transient=True,
    )


def print_report(report: ImportReport) -> None:
    console.print(
        f"[bold]{report.kind}[/] {report.path} → dataset [bold]{report.dataset}[/]: "
        f"{report.inserted:,} inserted, {report.updated:,} updated, {report.unchanged:,} unchanged, "
        f"{report.deleted:,} deleted, {report.rejected:,} rejected",
        soft_wrap=True,
    )


@app.command()
def init(ctx: typer.Context) -> None:
    """Create the database, or migrate it to this version's schema."""
    store = open_store(ctx, create=True)
    console.print(f"Haven database ready: {store.url}")


@app.command("import")
def import_file(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="File format: see `haven formats`.")],
    file: Annotated[Path, typer.Argument(help="The file to import.")],
    dataset: Annotated[
        str | None, typer.Option(help="Dataset name; records are keyed by dataset + id.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date the file's figures hold for, when the file has none.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the import report as JSON.")] = False,
) -> None:
    """Import a file. All of it is imported, or, on the first bad row, nothing."""
    from haven.io.base import run_import
    from haven.io.registry import importer_for
    from haven.services.locating import locator_for

    store = open_store(ctx, create=True)
    importer = importer_for(kind, as_of=parse_day(as_of, "--as-of"))
    with progress_bar() as bar:
        task = bar.add_task(f"import {file.name}", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        report = run_import(
            store, importer, file, dataset=dataset, progress=advance, locator=locator_for(store)
        )
    if as_json:
        print_json(report.as_dict())
    else:
        print_report(report)


@app.command()
def formats() -> None:
    """List the file formats `haven import` reads."""
    from haven.io.registry import importer_class, importer_names

    rows = []
    for name in importer_names():
        try:
            rows.append((name, getattr(importer_class(name), "summary", "")))
        except ImportError as exc:  # an importer whose optional dependency is missing
            rows.append((name, f"unavailable: {exc}"))
    print_table("Formats haven import reads", ["kind", "what"], rows)


@app.command()
def export(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="events, movements, sites, figures or places.")],
    file: Annotated[Path, typer.Argument(help="Output file: .csv (with HXL row), .xlsx, .geojson or .gpkg.")],
    start: Annotated[str | None, typer.Option("--from", help="Start of the period, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="End of the period, YYYY-MM-DD.")] = None,
    area: Annotated[str | None, typer.Option(help="P-code: only records in this area and below.")] = None,
    public: Annotated[
        bool,
        typer.Option("--public", help="Coarsen IDP site and unverified event locations for publication."),
    ] = False,
) -> None:
    """Export records for QGIS, Excel or HDX."""
    from haven.io.export import export_records
    from haven.store import RecordFilter

    where = RecordFilter(start=parse_day(start, "--from"), end=parse_day(end, "--to"), area=area)
    count = export_records(open_store(ctx), listing.kind_name(kind), file, where=where, public=public)
    console.print(
        f"{count:,} {kind} written to {file}" + (" (public: locations coarsened)" if public else "")
    )


@app.command()
def overview(
    ctx: typer.Context,
    start: Annotated[str | None, typer.Option("--from", help="Start of the period, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="End of the period, YYYY-MM-DD.")] = None,
    area: Annotated[str | None, typer.Option(help="P-code of the area (its children are included).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Key figures for an area and period, each with its sources."""
    from haven.cli.overview_view import show_overview
    from haven.services.overview import build_overview

    result = build_overview(open_store(ctx), parse_day(start, "--from"), parse_day(end, "--to"), area)
    show_overview(result, as_json=as_json)


@app.command()
def demo(
    ctx: typer.Context,
    serve_after: Annotated[
        bool, typer.Option("--serve", help="Then serve the dashboard on 127.0.0.1 (as `haven serve`).")
    ] = False,
    port: Annotated[int, typer.Option(help="Port for --serve.")] = 8000,
) -> None:
    """Build a database from the reference crisis (northwest Syria 2019-20) and print its overview."""
    from haven.cli.overview_view import show_overview
    from haven.services.overview import build_overview
    from haven.services.reference import REFERENCE_CRISIS, load_reference_crisis

    store = open_store(ctx, create=True)
    console.print(f"Loading the reference crisis [bold]{REFERENCE_CRISIS.id}[/] into {store.url}")
    with progress_bar() as bar:
        task = bar.add_task("reference crisis", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        reports = load_reference_crisis(store, progress=advance)
    for report in reports:
        print_report(report)
    crisis = REFERENCE_CRISIS
    console.print()
    result = build_overview(store, crisis.period_start, crisis.period_end, area_name=crisis.area_name)
    show_overview(result, title=crisis.title)
    if serve_after:
        console.print()
        start_server(ctx, port=port)


def run() -> None:
    """Entry point: Haven's own errors become a message and exit code 1, not a traceback."""
    try:
        app()
    except HavenError as exc:
        errors.print(f"[red]error:[/] {exc}", highlight=False, soft_wrap=True)
        raise SystemExit(1) from None


__all__ = ["app", "run"]
